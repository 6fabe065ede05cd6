// Routes for health codes, signed credentials, verification of any credential, the trust that
// verification rests on, and EU DCC issuing.
#include "mekong/core/crypto.h"
#include "mekong/core/json.h"
#include "mekong/http/codec.h"
#include "mekong/qr/qr.h"

namespace mekong::http {

namespace {

using registry::Capability;

Result<Response> HealthCode(Context& ctx) {
  ASSIGN_OR_RETURN(auto code,
                   ctx.svc.codes.Code(ctx.by(), PersonId(Int(ctx.path, "id")), ReaderOf(ctx)));
  return JsonResponse(ToJson(code));
}

Json CredentialJson(const healthcode::Credential& c) {
  return {{"qr_text", c.text},
          {"colour", healthcode::ColourName(c.colour)},
          {"issued_at", FormatRfc3339(c.issued_at)},
          {"expires_at", FormatRfc3339(c.expires_at)},
          {"credential_id", c.cti},
          {"kid", c.kid}};
}

Result<Response> Credential(Context& ctx, const char* format) {
  ASSIGN_OR_RETURN(auto c, ctx.svc.codes.IssueCredential(ctx.by(), PersonId(Int(ctx.path, "id"))));
  if (std::string_view(format) == "json") return JsonResponse(CredentialJson(c));
  Response r;
  if (std::string_view(format) == "png") {
    ASSIGN_OR_RETURN(r.body, qr::RenderPng(c.text));
    r.content_type = "image/png";
  } else {
    ASSIGN_OR_RETURN(r.body, qr::RenderSvg(c.text));
    r.content_type = "image/svg+xml";
  }
  return r;
}

Result<Response> WellKnownKeys(Context& ctx) {
  ASSIGN_OR_RETURN(auto keys, ctx.svc.codes.PublishedKeys());
  Json items = Json::array();
  for (const auto& k : keys) {
    items.push_back(
        {{"kid", k.kid},
         {"alg", "ES256"},
         {"spki", Base64UrlEncode(k.public_spki)},
         {"status", k.retired_at ? "retired" : "active"},
         {"created_at", FormatRfc3339(k.created_at)},
         {"verify_until", k.verify_until ? Json(FormatRfc3339(*k.verify_until)) : Json(nullptr)}});
  }
  return JsonResponse({{"issuer", ctx.svc.config.issuer}, {"keys", items}});
}

Result<Response> Bundle(Context& ctx) {
  ASSIGN_OR_RETURN(auto b, ctx.svc.codes.Bundle());
  Response r;
  r.body = healthcode::BundleToJson(*b);
  // Checkpoints cache it; a minute's staleness is what the offline verifier is built for.
  r.headers.emplace_back("Cache-Control", "public, max-age=60");
  return r;
}

Result<Response> VerifyAny(Context& ctx) {
  std::string single = String(ctx.body, "qr");
  // Several SMART Health Card chunks may be sent as one text separated by newlines.
  std::vector<std::string> texts;
  for (size_t start = 0; start <= single.size();) {
    size_t nl = single.find('\n', start);
    std::string part =
        single.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!part.empty() && part.back() == '\r') part.pop_back();
    if (!part.empty()) texts.push_back(part);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  ASSIGN_OR_RETURN(auto v, ctx.svc.codes.Verify(ctx.by(), texts, OptInt(ctx.body, "at")));
  return JsonResponse(ToJson(v));
}

Result<Response> IssueEuDcc(Context& ctx) {
  healthcode::DccRequest in;
  in.type = String(ctx.body, "type");
  in.entry_json = ctx.body["entry"].dump();
  in.validity_ms = OptInt(ctx.body, "valid_days").value_or(365) * kMillisPerDay;
  ASSIGN_OR_RETURN(auto out, ctx.svc.codes.IssueDcc(ctx.by(), PersonId(Int(ctx.path, "id")), in));
  ASSIGN_OR_RETURN(auto hcert, ParseJson(out.hcert_json, "certificate"));
  return JsonResponse({{"qr_text", out.qr_text},
                       {"certificate_id", out.certificate_id},
                       {"expires_at", FormatRfc3339(out.expires_at)},
                       {"certificate", hcert}},
                      201);
}

Result<Response> ListEuDccs(Context& ctx, PersonId person) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.codes.IssuedDccs(ctx.by(), person));
  Json items = Json::array();
  for (const auto& d : list) {
    items.push_back({{"certificate_id", d.certificate_id},
                     {"type", d.type == "v"   ? "vaccination"
                              : d.type == "t" ? "test"
                                              : "recovery"},
                     {"issued_at", FormatRfc3339(d.issued_at)},
                     {"expires_at", FormatRfc3339(d.expires_at)},
                     {"qr_text", d.qr_text}});
  }
  return JsonResponse({{"items", items}});
}

Result<Response> DccSignerPem(Context& ctx) {
  ASSIGN_OR_RETURN(auto signer, ctx.svc.codes.Signer());
  std::string b64 = Base64Encode(signer.certificate_der), pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  Response r;
  r.content_type = "application/x-pem-file";
  r.body = pem + "-----END CERTIFICATE-----\n";
  r.headers.emplace_back("X-Key-Id", signer.kid_hex);
  return r;
}

Json SummaryJson(const healthcode::Summary& s) {
  return {{"org_unit_id", s.org_unit.value},
          {"red", s.counts.red},
          {"yellow", s.counts.yellow},
          {"policy_version", s.policy_version}};
}

Schema SummarySchema() {
  return Schema::Object({Required("org_unit_id", Schema::Integer()),
                         Required("red", Schema::Integer()), Required("yellow", Schema::Integer()),
                         Required("policy_version", Schema::Integer())});
}

}  // namespace

std::vector<Route> HealthCodeRoutes() {
  using C = Capability;
  Schema credential = Schema::Object(
      {Required("qr_text", Schema::String(4096)), Required("colour", Schema::String()),
       Required("issued_at", Schema::Time()), Required("expires_at", Schema::Time()),
       Required("credential_id", Schema::String(16)), Required("kid", Schema::String(16))});
  Schema dccs = Items(
      Schema::Object({Required("certificate_id", Schema::String()),
                      Required("type", Schema::Enum({"vaccination", "test", "recovery"})),
                      Required("issued_at", Schema::Time()), Required("expires_at", Schema::Time()),
                      Required("qr_text", Schema::String(8192))}),
      1000);
  return {
      {.method = "GET",
       .path = "/api/v1/people/{id}/health-code",
       .operation = "getHealthCode",
       .summary = "Colour, reasons and when it turns green, in the reader's language and time zone "
                  "(?lang, ?tz, Accept-Language)",
       .tag = "healthcode",
       .access = Needs(C::kReadHealthCodes, Scope::kSelfOrOrgUnit),
       .query = ReaderParams(),
       .response = HealthCodeSchema(),
       .handler = HealthCode,
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/people/{id}/health-code/credential",
       .operation = "getCredential",
       .summary = "A freshly signed health-code credential",
       .tag = "healthcode",
       .access = Needs(C::kHoldCredential, Scope::kSelfOrOrgUnit),
       .response = credential,
       .handler = [](Context& ctx) { return Credential(ctx, "json"); },
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/people/{id}/health-code/credential.png",
       .operation = "getCredentialPng",
       .summary = "The signed health code as a QR PNG",
       .tag = "healthcode",
       .access = Needs(C::kHoldCredential, Scope::kSelfOrOrgUnit),
       .response_type = "image/png",
       .handler = [](Context& ctx) { return Credential(ctx, "png"); },
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/people/{id}/health-code/credential.svg",
       .operation = "getCredentialSvg",
       .summary = "The signed health code as a QR SVG",
       .tag = "healthcode",
       .access = Needs(C::kHoldCredential, Scope::kSelfOrOrgUnit),
       .response_type = "image/svg+xml",
       .handler = [](Context& ctx) { return Credential(ctx, "svg"); },
       .resource = "person"},
      {.method = "GET",
       .path = "/.well-known/mekong/keys.json",
       .operation = "getPublishedKeys",
       .summary = "Public keys that sign health codes",
       .tag = "healthcode",
       .access = Public(),
       .response = Schema::Object(
           {Required("issuer", Schema::String()),
            Required("keys",
                     Schema::Array(
                         Schema::Object({Required("kid", Schema::String()),
                                         Required("alg", Schema::String()),
                                         Required("spki", Schema::String(1000)),
                                         Required("status", Schema::Enum({"active", "retired"})),
                                         Required("created_at", Schema::Time()),
                                         Required("verify_until", Schema::Time().Nullable())}),
                         1000))}),
       .handler = WellKnownKeys},
      {.method = "GET",
       .path = "/.well-known/mekong/revocations.json",
       .operation = "getRevocations",
       .summary = "Revoked credential ids",
       .tag = "healthcode",
       .access = Public(),
       .response = Schema::Object(
           {Required("revoked_credential_ids", Schema::Array(Schema::String(16), 10000000)),
            Required("generated_at", Schema::Time())}),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto revoked, ctx.svc.codes.Revoked());
         return JsonResponse(
             {{"revoked_credential_ids", revoked}, {"generated_at", FormatRfc3339(ctx.now)}});
       }},
      {.method = "GET",
       .path = "/.well-known/mekong/dcc-signer.pem",
       .operation = "getDccSigner",
       .summary = "The certificate that signs Mekong's EU DCCs",
       .tag = "healthcode",
       .access = Public(),
       .response_type = "application/x-pem-file",
       .handler = DccSignerPem},
      {.method = "GET",
       .path = "/api/v1/trust/bundle",
       .operation = "getTrustBundle",
       .summary = "Everything a checkpoint needs to verify offline (docs/formats/trust-bundle.md)",
       .tag = "healthcode",
       .access = Public(),
       .response = Schema::AnyObject(),
       .handler = Bundle},
      {.method = "POST",
       .path = "/api/v1/verify",
       .operation = "verify",
       .summary = "Verify a health code, EU DCC or SMART Health Card, now or as of ?at (the date "
                  "of travel)",
       .tag = "healthcode",
       .access = Needs(C::kVerify, Scope::kSignedIn),
       .body = Schema::Object(
           {Required("qr", Schema::Text(8192).Doc("MK1:, HC1: or shc:/ text (several SMART "
                                                  "Health Card chunks separated by newlines)")),
            Optional("at", Schema::Time().Doc("verify as of this instant"))}),
       .response = VerdictSchema(),
       .handler = VerifyAny},
      {.method = "POST",
       .path = "/api/v1/trust/eu-dcc",
       .operation = "trustEuSigner",
       .summary = "Trust an EU DCC document signer certificate",
       .tag = "healthcode",
       .access = Needs(C::kManageTrust, Scope::kTopLevel),
       .body =
           Schema::Object({Required("certificate", Schema::Text(16384).Doc("PEM or base64 DER")),
                           Required("country", Schema::String(2))}),
       .response = Schema::Object(
           {Required("trusted", Schema::Boolean()), Required("country", Schema::String())}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         RETURN_IF_ERROR(ctx.svc.codes.TrustEu(ctx.by(), String(ctx.body, "certificate"),
                                               String(ctx.body, "country")));
         return JsonResponse({{"trusted", true}, {"country", String(ctx.body, "country")}}, 201);
       }},
      {.method = "POST",
       .path = "/api/v1/trust/shc",
       .operation = "trustShcIssuer",
       .summary = "Trust a SMART Health Cards issuer's keys",
       .tag = "healthcode",
       .access = Needs(C::kManageTrust, Scope::kTopLevel),
       .body = Schema::Object(
           {Required("issuer", Schema::String(500)),
            Required("jwks", Schema::Text(65536).Doc("the issuer's /.well-known/jwks.json"))}),
       .response = Schema::Object(
           {Required("trusted_keys", Schema::Integer()), Required("issuer", Schema::String(500))}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(int n, ctx.svc.codes.TrustShc(ctx.by(), String(ctx.body, "issuer"),
                                                        String(ctx.body, "jwks")));
         return JsonResponse({{"trusted_keys", n}, {"issuer", String(ctx.body, "issuer")}}, 201);
       }},
      {.method = "POST",
       .path = "/api/v1/trust/shc-crl",
       .operation = "importShcRevocations",
       .summary =
           "Import a SMART Health Cards issuer's revocation list (/.well-known/crl/<kid>.json)",
       .tag = "healthcode",
       .access = Needs(C::kManageTrust, Scope::kTopLevel),
       .body = Schema::Object(
           {Required("issuer", Schema::String(500)), Required("crl", Schema::Text(1 << 20))}),
       .response = Schema::Object(
           {Required("revoked_ids", Schema::Integer()), Required("issuer", Schema::String(500))}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(int n, ctx.svc.codes.ImportShcCrl(ctx.by(), String(ctx.body, "issuer"),
                                                            String(ctx.body, "crl")));
         return JsonResponse({{"revoked_ids", n}, {"issuer", String(ctx.body, "issuer")}}, 201);
       }},
      {.method = "POST",
       .path = "/api/v1/health-codes/revocations",
       .operation = "revokeCredential",
       .summary = "Revoke a signed health code of someone in your unit",
       .tag = "healthcode",
       .access = Needs(C::kRevokeCredentials, Scope::kOrgUnit),
       .body = Schema::Object({Required("credential_id", Schema::String(16).Doc("16 hex digits")),
                               Required("reason", Schema::String(200))}),
       .response = Schema::Object({Required("revoked", Schema::String())}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         RETURN_IF_ERROR(ctx.svc.codes.Revoke(ctx.by(), String(ctx.body, "credential_id"),
                                              String(ctx.body, "reason")));
         return JsonResponse({{"revoked", String(ctx.body, "credential_id")}}, 201);
       }},
      {.method = "POST",
       .path = "/api/v1/health-codes/keys/rotate",
       .operation = "rotateSigningKey",
       .summary = "Retire the signing key and start a new one",
       .tag = "healthcode",
       .access = Needs(C::kManageTrust, Scope::kTopLevel),
       .response = Schema::Object({Required("active_kid", Schema::String())}),
       .status = 201,
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto k, ctx.svc.codes.RotateKeys(ctx.by()));
         return JsonResponse({{"active_kid", k.kid}}, 201);
       }},
      {.method = "POST",
       .path = "/api/v1/people/{id}/eu-dcc",
       .operation = "issueEuDcc",
       .summary = "Issue an EU Digital COVID Certificate",
       .tag = "healthcode",
       .access = Needs(C::kIssueCertificates, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("type", Schema::Enum({"v", "t", "r"})),
            Required("entry", Schema::AnyObject().Doc("the EU DCC entry without co, is and ci")),
            Optional("valid_days", Schema::Integer(1, 3650))}),
       .response = Schema::Object(
           {Required("qr_text", Schema::String(8192)), Required("certificate_id", Schema::String()),
            Required("expires_at", Schema::Time()), Required("certificate", Schema::AnyObject())}),
       .status = 201,
       .handler = IssueEuDcc,
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/people/{id}/eu-dccs",
       .operation = "listEuDccs",
       .summary = "The EU DCCs issued to a person, newest first",
       .tag = "healthcode",
       .access = Needs(C::kHoldCredential, Scope::kSelfOrOrgUnit),
       .response = dccs,
       .handler = [](Context& ctx) { return ListEuDccs(ctx, PersonId(Int(ctx.path, "id"))); },
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/me/eu-dccs",
       .operation = "listMyEuDccs",
       .summary = "My EU DCCs, newest first",
       .tag = "healthcode",
       .access = Needs(C::kHoldCredential, Scope::kSelf),
       .response = dccs,
       .handler = [](Context& ctx) -> Result<Response> {
         if (!ctx.by().person)
           return Status::FailedPrecondition("this account has no person record");
         return ListEuDccs(ctx, *ctx.by().person);
       }},
      {.method = "GET",
       .path = "/api/v1/health-codes/summary",
       .operation = "getCodeSummary",
       .summary = "Red and yellow codes in your org unit (?org_unit_id for one below it)",
       .tag = "healthcode",
       .access = Needs(C::kReadHealthCodes, Scope::kOrgUnit),
       .query = {Optional("org_unit_id", Schema::Id())},
       .response = SummarySchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         std::optional<OrgUnitId> unit;
         if (auto u = OptInt(ctx.query, "org_unit_id")) unit = OrgUnitId(*u);
         ASSIGN_OR_RETURN(auto s, ctx.svc.codes.Counts(ctx.by(), unit));
         return JsonResponse(SummaryJson(s));
       }},
      {.method = "GET",
       .path = "/api/v1/health-codes/summary/children",
       .operation = "getCodeSummaryByUnit",
       .summary = "Red and yellow codes for each unit directly below yours (or below "
                  "?org_unit_id): the map",
       .tag = "healthcode",
       .access = Needs(C::kReadHealthCodes, Scope::kOrgUnit),
       .query = {Optional("org_unit_id", Schema::Id())},
       .response = Items(SummarySchema(), 100000),
       .handler = [](Context& ctx) -> Result<Response> {
         std::optional<OrgUnitId> unit;
         if (auto u = OptInt(ctx.query, "org_unit_id")) unit = OrgUnitId(*u);
         ASSIGN_OR_RETURN(auto list, ctx.svc.codes.ChildCounts(ctx.by(), unit));
         Json items = Json::array();
         for (const auto& s : list) items.push_back(SummaryJson(s));
         return JsonResponse({{"items", items}});
       }},
  };
}

}  // namespace mekong::http
