// Routes for signed health codes, verification of any credential, and the trust that
// verification rests on.
#include <mutex>

#include "mekong/core/crypto.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/credential.h"
#include "mekong/healthcode/eu_dcc_issuer.h"
#include "mekong/interop/keys.h"
#include "mekong/http/handler_support.h"
#include "mekong/qr/qr.h"

namespace mekong::http {

namespace {

// Verification reads the trust bundle from the store at most every few seconds; changes made
// through this process drop it at once.
class BundleCache {
 public:
  // `fresher_than_ms`: reload if the copy is older than this (a key made by another process
  // since, say); never more than once a second, whatever the caller asks.
  Result<std::shared_ptr<const healthcode::TrustBundle>> Get(store::Database& db, int64_t now,
                                                             int64_t fresher_than_ms = 5000) {
    std::lock_guard lock(mu_);
    if (!bundle_ || now - loaded_at_ > std::max<int64_t>(fresher_than_ms, 1000) || now < loaded_at_) {
      ASSIGN_OR_RETURN(auto b, healthcode::LoadBundle(db, now));
      bundle_ = std::make_shared<const healthcode::TrustBundle>(std::move(b));
      loaded_at_ = now;
    }
    return bundle_;
  }
  void Invalidate() {
    std::lock_guard lock(mu_);
    bundle_.reset();
  }
  // Drops the copy if it does not know `kid` (hex): this process just signed with a new key.
  void EnsureKnows(const std::string& kid_hex) {
    std::lock_guard lock(mu_);
    auto kid = HexDecode(kid_hex);
    if (bundle_ && kid.ok() && bundle_->trust.Find(interop::TrustKind::kMekong, *kid).empty()) bundle_.reset();
  }

 private:
  std::mutex mu_;
  std::shared_ptr<const healthcode::TrustBundle> bundle_;
  int64_t loaded_at_ = 0;
};

BundleCache& Cache() {
  static BundleCache cache;  // one per process: it mirrors the one store the process serves
  return cache;
}

Result<healthcode::Credential> IssueFor(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, PersonId(id), "issue health code"));
  healthcode::Credential c;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(c, healthcode::Issue(tx, p.id, ctx.svc.config.issuer, ctx.now,
                                          int64_t{ctx.svc.config.credential_validity_hours} * kMillisPerHour));
    return Status::Ok();
  }));
  Cache().EnsureKnows(c.kid);
  return c;
}

Result<Response> Credential(Context& ctx) {
  ASSIGN_OR_RETURN(auto c, IssueFor(ctx));
  return JsonResponse({{"qr_text", c.text},
                       {"colour", healthcode::ColourName(c.colour)},
                       {"issued_at", Time(c.issued_at * 1000)},
                       {"expires_at", Time(c.expires_at * 1000)},
                       {"credential_id", c.cti},
                       {"kid", c.kid}});
}

Result<Response> CredentialImage(Context& ctx, bool png) {
  ASSIGN_OR_RETURN(auto c, IssueFor(ctx));
  Response r;
  if (png) {
    ASSIGN_OR_RETURN(r.body, qr::RenderPng(c.text));
    r.content_type = "image/png";
  } else {
    ASSIGN_OR_RETURN(r.body, qr::RenderSvg(c.text));
    r.content_type = "image/svg+xml";
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<Response> WellKnownKeys(Context& ctx) {
  ASSIGN_OR_RETURN(auto keys, healthcode::PublishedKeys(ctx.svc.db, ctx.now));
  Json items = Json::array();
  for (const auto& k : keys) {
    items.push_back({{"kid", k.kid},
                     {"alg", "ES256"},
                     {"spki", Base64UrlEncode(k.public_spki)},
                     {"status", k.retired_at ? "retired" : "active"},
                     {"created_at", Time(k.created_at)},
                     {"verify_until", Time(k.verify_until)}});
  }
  return JsonResponse({{"issuer", ctx.svc.config.issuer}, {"keys", items}});
}

Result<Response> WellKnownRevocations(Context& ctx) {
  ASSIGN_OR_RETURN(auto revoked, healthcode::Revoked(ctx.svc.db));
  return JsonResponse({{"revoked_credential_ids", revoked}, {"generated_at", Time(ctx.now)}});
}

Result<Response> Bundle(Context& ctx) {
  ASSIGN_OR_RETURN(auto b, healthcode::LoadBundle(ctx.svc.db, ctx.now));
  Response r;
  r.body = healthcode::BundleToJson(b);
  return r;
}

Result<Response> VerifyAny(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(auto single, body.OptStr("qr", 8192, /*multiline=*/true));
  std::vector<std::string> texts;
  RETURN_IF_ERROR(body.Done());
  if (!single) return Status::InvalidArgument("is required", "qr");
  // Several chunks may be sent as one text separated by newlines.
  for (size_t start = 0; start <= single->size();) {
    size_t nl = single->find('\n', start);
    std::string part = single->substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!part.empty()) texts.push_back(part);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  if (texts.empty()) return Status::InvalidArgument("must not be empty", "qr");
  if (texts.size() > 16) return Status::InvalidArgument("at most 16 parts", "qr");
  ASSIGN_OR_RETURN(healthcode::Verdict v, VerifyScanned(ctx, texts));
  Json out = {{"format", v.format},
              {"valid", v.valid},
              {"reason", v.reason.empty() ? Json(nullptr) : Json(v.reason)},
              {"issuer", v.issuer},
              {"issued_at", v.issued_at ? Time(*v.issued_at * 1000) : Json(nullptr)},
              {"expires_at", v.expires_at ? Time(*v.expires_at * 1000) : Json(nullptr)},
              {"details", v.details_json.empty() ? Json(nullptr) : Json::parse(v.details_json, nullptr, false)}};
  return JsonResponse(out);
}

Result<Response> TrustEu(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(std::string cert, body.Str("certificate", 16384, /*multiline=*/true));
  ASSIGN_OR_RETURN(std::string country, body.Str("country", 2));
  RETURN_IF_ERROR(body.Done());
  RETURN_IF_ERROR(healthcode::TrustEuCertificate(ctx.svc.db, cert, country, ctx.now));
  Cache().Invalidate();
  return JsonResponse({{"trusted", true}, {"country", country}}, 201);
}

Result<Response> TrustShc(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(std::string issuer, body.Str("issuer", 500));
  ASSIGN_OR_RETURN(std::string jwks, body.Str("jwks", 65536, /*multiline=*/true));
  RETURN_IF_ERROR(body.Done());
  ASSIGN_OR_RETURN(int n, healthcode::TrustShcIssuer(ctx.svc.db, issuer, jwks, ctx.now));
  Cache().Invalidate();
  return JsonResponse({{"trusted_keys", n}, {"issuer", issuer}}, 201);
}

Result<Response> RevokeCredential(Context& ctx) {
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  ASSIGN_OR_RETURN(std::string id, body.Str("credential_id", 64));
  ASSIGN_OR_RETURN(std::string reason, body.Str("reason", 200));
  RETURN_IF_ERROR(body.Done());
  RETURN_IF_ERROR(healthcode::Revoke(ctx.svc.db, id, reason, ctx.now));
  Cache().Invalidate();
  return JsonResponse({{"revoked", id}}, 201);
}

Result<Response> RotateKeys(Context& ctx) {
  healthcode::KeyInfo k;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(k, healthcode::RotateKey(tx, ctx.now,
                                              int64_t{ctx.svc.config.credential_validity_hours} * kMillisPerHour));
    return Status::Ok();
  }));
  Cache().Invalidate();
  return JsonResponse({{"active_kid", k.kid}}, 201);
}

Result<Response> IssueEuDcc(Context& ctx) {
  ASSIGN_OR_RETURN(int64_t id, PathId(ctx));
  ASSIGN_OR_RETURN(Body body, Body::Parse(ctx.req));
  healthcode::DccRequest in;
  ASSIGN_OR_RETURN(in.type, body.Str("type", 1));
  ASSIGN_OR_RETURN(in.entry_json, body.Object("entry"));
  ASSIGN_OR_RETURN(auto days, body.OptInt("valid_days", 1, 3650));
  RETURN_IF_ERROR(body.Done());
  ASSIGN_OR_RETURN(auto p, ReadPerson(ctx, PersonId(id), "issue EU DCC"));
  in.country = ctx.svc.config.issuer;
  in.authority = ctx.svc.config.authority;
  in.validity_ms = days.value_or(365) * kMillisPerDay;
  healthcode::IssuedDcc out;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(out, healthcode::IssueDcc(tx, p.id, in, ctx.now));
    return Status::Ok();
  }));
  Cache().Invalidate();  // the signer may be new
  return JsonResponse({{"qr_text", out.qr_text},
                       {"certificate_id", out.certificate_id},
                       {"expires_at", Time(out.expires_at * 1000)},
                       {"certificate", Json::parse(out.hcert_json)}},
                      201);
}

Result<Response> DccSignerPem(Context& ctx) {
  healthcode::DccSigner signer;
  RETURN_IF_ERROR(ctx.svc.db.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(signer, healthcode::DccSignerCertificate(tx, ctx.svc.config.issuer, ctx.now));
    return Status::Ok();
  }));
  std::string b64 = Base64Encode(signer.certificate_der), pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  Response r;
  r.content_type = "application/x-pem-file";
  r.body = pem + "-----END CERTIFICATE-----\n";
  r.headers.emplace_back("X-Key-Id", signer.kid_hex);
  return r;
}

constexpr const char* kDccSchema =
    R"js({"type":"object","required":["type","entry"],"additionalProperties":false,"properties":{"type":{"type":"string","enum":["v","t","r"]},"entry":{"type":"object","description":"the EU DCC entry without co, is and ci"},"valid_days":{"type":"integer","minimum":1}}})js";
constexpr const char* kVerifySchema =
    R"js({"type":"object","required":["qr"],"additionalProperties":false,"properties":{"qr":{"type":"string","description":"the scanned text: MK1:, HC1: or shc:/ (several SMART Health Card chunks separated by newlines)"}}})js";
constexpr const char* kTrustEuSchema =
    R"({"type":"object","required":["certificate","country"],"additionalProperties":false,"properties":{"certificate":{"type":"string","description":"PEM or base64 DER of a document signer certificate"},"country":{"type":"string"}}})";
constexpr const char* kTrustShcSchema =
    R"({"type":"object","required":["issuer","jwks"],"additionalProperties":false,"properties":{"issuer":{"type":"string","format":"uri"},"jwks":{"type":"string","description":"the issuer's /.well-known/jwks.json document"}}})";
constexpr const char* kRevokeSchema =
    R"({"type":"object","required":["credential_id","reason"],"additionalProperties":false,"properties":{"credential_id":{"type":"string","pattern":"^[0-9a-fA-F]{16}$"},"reason":{"type":"string"}}})";

}  // namespace

Result<healthcode::Verdict> VerifyScanned(Context& ctx, const std::vector<std::string>& texts) {
  ASSIGN_OR_RETURN(auto bundle, Cache().Get(ctx.svc.db, ctx.now));
  healthcode::Verdict v = healthcode::Verify(texts, *bundle, ctx.now);
  if (v.format == "mekong" && v.reason.rfind("unknown key id", 0) == 0) {
    ASSIGN_OR_RETURN(bundle, Cache().Get(ctx.svc.db, ctx.now, /*fresher_than_ms=*/0));
    v = healthcode::Verify(texts, *bundle, ctx.now);
  }
  return v;
}

std::vector<Route> HealthCodeRoutes() {
  auto holders = kStaff;
  holders.push_back(Role::kCitizen);
  std::vector<Role> verifiers = kStaff;
  verifiers.push_back(Role::kCheckpointOfficer);
  verifiers.push_back(Role::kDevice);
  return {
      {"GET", "/api/v1/people/{id}/health-code/credential", "A freshly signed health-code credential", "healthcode",
       false, holders, Credential},
      {"GET", "/api/v1/people/{id}/health-code/credential.png", "The signed health code as a QR PNG", "healthcode",
       false, holders, [](Context& ctx) { return CredentialImage(ctx, true); }, "", 200, "image/png"},
      {"GET", "/api/v1/people/{id}/health-code/credential.svg", "The signed health code as a QR SVG", "healthcode",
       false, holders, [](Context& ctx) { return CredentialImage(ctx, false); }, "", 200, "image/svg+xml"},
      {"GET", "/.well-known/mekong/keys.json", "Public keys that sign health codes", "healthcode", true, {},
       WellKnownKeys},
      {"GET", "/.well-known/mekong/revocations.json", "Revoked credential ids", "healthcode", true, {},
       WellKnownRevocations},
      {"GET", "/api/v1/trust/bundle", "Everything a checkpoint needs to verify offline", "healthcode", true, {},
       Bundle},
      {"POST", "/api/v1/verify", "Verify a health code, EU DCC or SMART Health Card", "healthcode", false, verifiers,
       VerifyAny, kVerifySchema},
      {"POST", "/api/v1/trust/eu-dcc", "Trust an EU DCC document signer certificate", "healthcode", false,
       {Role::kAdmin}, TrustEu, kTrustEuSchema, 201},
      {"POST", "/api/v1/trust/shc", "Trust a SMART Health Cards issuer's keys", "healthcode", false, {Role::kAdmin},
       TrustShc, kTrustShcSchema, 201},
      {"POST", "/api/v1/health-codes/revocations", "Revoke a signed health code", "healthcode", false,
       {Role::kAdmin, Role::kCommandOfficer}, RevokeCredential, kRevokeSchema, 201},
      {"POST", "/api/v1/people/{id}/eu-dcc", "Issue an EU Digital COVID Certificate", "healthcode", false,
       {Role::kAdmin, Role::kClinician, Role::kLabTechnician}, IssueEuDcc, kDccSchema, 201},
      {"GET", "/.well-known/mekong/dcc-signer.pem", "The certificate that signs Mekong's EU DCCs", "healthcode",
       true, {}, DccSignerPem, "", 200, "application/x-pem-file"},
      {"POST", "/api/v1/health-codes/keys/rotate", "Retire the signing key and start a new one", "healthcode", false,
       {Role::kAdmin}, RotateKeys, "", 201},
  };
}

}  // namespace mekong::http
