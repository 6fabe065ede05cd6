#include "mekong/healthcode/credential.h"

#include <nlohmann/json.hpp>

#include "mekong/core/crypto.h"
#include "mekong/core/time.h"
#include "mekong/interop/base45.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/cose.h"
#include "mekong/interop/eu_dcc.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/shc.h"
#include "mekong/interop/zlib_codec.h"

namespace mekong::healthcode {

namespace {

using interop::Cbor;
using Json = nlohmann::json;

constexpr int64_t kClaimIss = 1, kClaimExp = 4, kClaimIat = 6, kClaimCti = 7;
constexpr size_t kMaxText = 4096;
constexpr int64_t kClockSkewMs = 5 * kMillisPerMinute;

KeyInfo KeyFrom(const store::Rows& r, size_t i) {
  return {r.Text(i, 0), *interop::Base64Decode(r.Text(i, 1)), r.Int(i, 2), r.OptInt(i, 3), r.OptInt(i, 4)};
}
constexpr const char* kKeyCols = "kid, public_spki, created_at, retired_at, verify_until";

Result<KeyInfo> MakeKey(store::Executor& ex, int64_t now) {
  ASSIGN_OR_RETURN(auto key, interop::PrivateKey::GenerateP256());
  std::string spki = key.Public().SpkiDer();
  std::string kid = HexEncode(Sha256(spki).substr(0, 8));
  RETURN_IF_ERROR(ex.Exec("INSERT INTO healthcode_key (kid, private_pem, public_spki, created_at) VALUES (?, ?, ?, ?)",
                          {kid, key.Pem(), interop::Base64Encode(spki), now}));
  return KeyInfo{kid, spki, now, std::nullopt, std::nullopt};
}

Verdict VerifyMekong(std::string_view text, const TrustBundle& bundle, int64_t now_ms) {
  Verdict v;
  v.format = "mekong";
  auto fail = [&](std::string why) {
    v.reason = std::move(why);
    return v;
  };
  if (text.size() > kMaxText) return fail("text is longer than a health code can be");
  auto raw = interop::Base45Decode(text.substr(kCredentialPrefix.size()));
  if (!raw.ok()) return fail("Base45: " + raw.status().message());
  if (raw->empty() || static_cast<uint8_t>((*raw)[0]) != 0x78) return fail("not zlib-compressed");
  auto cose = interop::Inflate(*raw, 8192);
  if (!cose.ok()) return fail("zlib: " + cose.status().message());
  auto msg = interop::ParseCoseSign1(*cose);
  if (!msg.ok()) return fail("COSE: " + msg.status().message());
  auto alg = msg->Algorithm();
  if (!alg.ok()) return fail(alg.status().message());
  if (*alg != interop::kCoseAlgEs256) return fail("algorithm " + std::to_string(*alg) + " is not ES256");
  std::string kid = msg->KeyId();
  auto keys = bundle.trust.Find(interop::TrustKind::kMekong, kid);
  if (keys.empty()) return fail("unknown key id " + HexEncode(kid));
  const interop::TrustedKey& key = *keys.front();
  if (key.not_after && now_ms / 1000 > *key.not_after) return fail("the signing key was retired and its window has passed");
  if (Status s = interop::VerifyCoseSign1(*msg, key.key); !s.ok()) return fail("signature: " + s.message());

  auto claims = interop::DecodeCbor(msg->payload);
  if (!claims.ok() || claims->kind() != Cbor::Kind::kMap) return fail("claims are not a CBOR map");
  const Cbor* iss = claims->Find(kClaimIss);
  const Cbor* iat = claims->Find(kClaimIat);
  const Cbor* exp = claims->Find(kClaimExp);
  const Cbor* cti = claims->Find(kClaimCti);
  const Cbor* code = claims->Find(kClaimCodeId);
  const Cbor* colour = claims->Find(kClaimColour);
  if (!iss || iss->kind() != Cbor::Kind::kText || !iat || iat->kind() != Cbor::Kind::kInt || !exp ||
      exp->kind() != Cbor::Kind::kInt || !cti || cti->kind() != Cbor::Kind::kBytes || !code ||
      code->kind() != Cbor::Kind::kText || !colour || colour->kind() != Cbor::Kind::kInt ||
      colour->int_value() < 0 || colour->int_value() > 2) {
    return fail("claims are missing or of the wrong type");
  }
  v.issuer = iss->bytes();
  v.issued_at = iat->int_value();
  v.expires_at = exp->int_value();
  std::string cti_hex = HexEncode(cti->bytes());
  v.details_json = Json{{"colour", ColourName(static_cast<Colour>(colour->int_value()))},
                        {"code_id", code->bytes()},
                        {"credential_id", cti_hex},
                        {"kid", HexEncode(kid)}}
                       .dump();
  if (*v.issued_at * 1000 > now_ms + kClockSkewMs) return fail("issued in the future");
  if (now_ms > *v.expires_at * 1000) return fail("expired");
  if (bundle.revoked.count(cti_hex)) return fail("revoked");
  v.valid = true;
  return v;
}

}  // namespace

Result<KeyInfo> ActiveKey(store::Executor& ex, int64_t now) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kKeyCols +
                                    " FROM healthcode_key WHERE retired_at IS NULL ORDER BY created_at DESC, kid "
                                    "LIMIT 1"));
  if (!r.empty()) return KeyFrom(r, 0);
  return MakeKey(ex, now);
}

Result<KeyInfo> RotateKey(store::Executor& ex, int64_t now, int64_t validity_ms) {
  RETURN_IF_ERROR(ex.Exec("UPDATE healthcode_key SET retired_at = ?, verify_until = ? WHERE retired_at IS NULL",
                          {now, now + validity_ms}));
  return MakeKey(ex, now);
}

Result<std::vector<KeyInfo>> PublishedKeys(store::Executor& ex, int64_t now) {
  ASSIGN_OR_RETURN(auto r, ex.Query(std::string("SELECT ") + kKeyCols +
                                        " FROM healthcode_key WHERE retired_at IS NULL OR verify_until > ? ORDER BY "
                                        "created_at, kid",
                                    {now}));
  std::vector<KeyInfo> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(KeyFrom(r, i));
  return out;
}

Result<std::string> CodeId(store::Executor& ex, PersonId person) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT code_id FROM healthcode_subject WHERE person_id = ?", {person.value}));
  if (!r.empty()) return r.Text(0, 0);
  std::string id = Base64UrlEncode(RandomBytes(12));
  RETURN_IF_ERROR(ex.Exec("INSERT INTO healthcode_subject (person_id, code_id) VALUES (?, ?) ON CONFLICT (person_id) "
                          "DO NOTHING",
                          {person.value, id}));
  ASSIGN_OR_RETURN(r, ex.Query("SELECT code_id FROM healthcode_subject WHERE person_id = ?", {person.value}));
  return r.Text(0, 0);
}

Result<Credential> Issue(store::Executor& ex, PersonId person, std::string_view issuer, int64_t now,
                         int64_t validity_ms) {
  ASSIGN_OR_RETURN(HealthCode code, Compute(ex, person, now));
  ASSIGN_OR_RETURN(std::string code_id, CodeId(ex, person));
  ASSIGN_OR_RETURN(KeyInfo info, ActiveKey(ex, now));
  ASSIGN_OR_RETURN(auto pem, ex.Query("SELECT private_pem FROM healthcode_key WHERE kid = ?", {info.kid}));
  ASSIGN_OR_RETURN(auto key, interop::PrivateKey::FromPem(pem.Text(0, 0)));
  Credential c;
  c.issuer = std::string(issuer);
  c.code_id = code_id;
  c.colour = code.colour;
  c.issued_at = now / 1000;
  c.expires_at = (now + validity_ms) / 1000;
  std::string cti = RandomBytes(8);
  c.cti = HexEncode(cti);
  c.kid = info.kid;
  Cbor claims = Cbor::Map({
      {Cbor::Int(kClaimIss), Cbor::Text(c.issuer)},
      {Cbor::Int(kClaimIat), Cbor::Int(c.issued_at)},
      {Cbor::Int(kClaimExp), Cbor::Int(c.expires_at)},
      {Cbor::Int(kClaimCti), Cbor::Bytes(cti)},
      {Cbor::Int(kClaimCodeId), Cbor::Text(code_id)},
      {Cbor::Int(kClaimColour), Cbor::Int(static_cast<int64_t>(c.colour))},
  });
  ASSIGN_OR_RETURN(std::string kid_bytes, HexDecode(info.kid));
  ASSIGN_OR_RETURN(std::string cose, interop::SignCoseSign1Es256(interop::EncodeCbor(claims), kid_bytes, key));
  c.text = std::string(kCredentialPrefix) + interop::Base45Encode(interop::Deflate(cose));
  return c;
}

Status Revoke(store::Executor& ex, std::string_view cti_hex, std::string_view reason, int64_t now) {
  auto bytes = HexDecode(cti_hex);
  if (!bytes.ok() || bytes->size() != 8) return Status::InvalidArgument("must be 16 hex digits", "credential_id");
  if (reason.empty() || reason.size() > 200) return Status::InvalidArgument("give a reason (1-200 bytes)", "reason");
  return ex
      .Exec("INSERT INTO healthcode_revocation (cti, reason, revoked_at) VALUES (?, ?, ?) ON CONFLICT (cti) DO NOTHING",
            {HexEncode(*bytes), std::string(reason), now})
      .status();
}

Result<std::vector<std::string>> Revoked(store::Executor& ex) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT cti FROM healthcode_revocation ORDER BY cti"));
  std::vector<std::string> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

Status TrustEuCertificate(store::Executor& ex, std::string_view certificate_text, std::string_view country,
                          int64_t now) {
  auto cert = interop::Certificate::FromPemOrBase64(certificate_text);
  if (!cert.ok()) return Status::InvalidArgument(cert.status().message(), "certificate");
  if (country.size() != 2) return Status::InvalidArgument("must be an ISO 3166-1 alpha-2 code", "country");
  return ex
      .Exec("INSERT INTO trusted_issuer (kind, kid, issuer, material, added_at) VALUES ('eu_dcc', ?, ?, ?, ?) "
            "ON CONFLICT (kind, kid, issuer) DO UPDATE SET material = excluded.material",
            {HexEncode(interop::EuKeyId(*cert)), std::string(country), interop::Base64Encode(cert->der()), now})
      .status();
}

Result<int> TrustShcIssuer(store::Executor& ex, std::string_view issuer, std::string_view jwks_json, int64_t now) {
  if (issuer.rfind("https://", 0) != 0) return Status::InvalidArgument("must be an https:// URL", "issuer");
  auto keys = interop::ParseJwks(jwks_json, issuer);
  if (!keys.ok()) return Status::InvalidArgument(keys.status().message(), "jwks");
  for (const auto& k : *keys) {
    ASSIGN_OR_RETURN(auto xy, k.key.P256Coordinates());
    std::string material = Json{{"x", Base64UrlEncode(xy.first)}, {"y", Base64UrlEncode(xy.second)}}.dump();
    RETURN_IF_ERROR(ex.Exec("INSERT INTO trusted_issuer (kind, kid, issuer, material, added_at) VALUES ('shc', ?, ?, "
                            "?, ?) ON CONFLICT (kind, kid, issuer) DO UPDATE SET material = excluded.material",
                            {k.kid, std::string(issuer), material, now}));
  }
  return static_cast<int>(keys->size());
}

// --- the trust bundle ----------------------------------------------------------------------

Result<TrustBundle> LoadBundle(store::Executor& ex, int64_t now) {
  Json j = {{"version", 1}, {"generated_at", now}};
  ASSIGN_OR_RETURN(auto keys, PublishedKeys(ex, now));
  j["mekong_keys"] = Json::array();
  for (const auto& k : keys) {
    j["mekong_keys"].push_back({{"kid", k.kid},
                                {"spki", interop::Base64Encode(k.public_spki)},
                                {"verify_until", k.verify_until ? Json(*k.verify_until) : Json(nullptr)}});
  }
  ASSIGN_OR_RETURN(auto revoked, Revoked(ex));
  j["revoked"] = revoked;
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT kind, kid, issuer, material FROM trusted_issuer ORDER BY id"));
  j["eu_dcc"] = Json::array();
  j["shc"] = Json::array();
  for (size_t i = 0; i < r.size(); ++i) {
    if (r.Text(i, 0) == "eu_dcc") {
      j["eu_dcc"].push_back({{"kid", r.Text(i, 1)}, {"country", r.Text(i, 2)}, {"certificate", r.Text(i, 3)}});
    } else {
      Json m = Json::parse(r.Text(i, 3));
      j["shc"].push_back({{"issuer", r.Text(i, 2)}, {"kid", r.Text(i, 1)}, {"x", m["x"]}, {"y", m["y"]}});
    }
  }
  return BundleFromJson(j.dump());
}

std::string BundleToJson(const TrustBundle& b) {
  Json j = {{"version", 1}, {"generated_at", b.generated_at}, {"mekong_keys", Json::array()},
            {"revoked", Json(std::vector<std::string>(b.revoked.begin(), b.revoked.end()))},
            {"eu_dcc", Json::array()}, {"shc", Json::array()}};
  for (const auto& k : b.trust.keys()) {
    switch (k.kind) {
      case interop::TrustKind::kMekong:
        j["mekong_keys"].push_back({{"kid", HexEncode(k.kid)},
                                    {"spki", interop::Base64Encode(k.key.SpkiDer())},
                                    {"verify_until", k.not_after ? Json(*k.not_after * 1000) : Json(nullptr)}});
        break;
      case interop::TrustKind::kEuDcc:
        j["eu_dcc"].push_back({{"kid", HexEncode(k.kid)},
                               {"country", k.issuer},
                               {"certificate", k.certificate ? interop::Base64Encode(k.certificate->der()) : ""}});
        break;
      case interop::TrustKind::kShc: {
        auto xy = k.key.P256Coordinates();
        if (!xy.ok()) break;
        j["shc"].push_back({{"issuer", k.issuer},
                            {"kid", k.kid},
                            {"x", Base64UrlEncode(xy->first)},
                            {"y", Base64UrlEncode(xy->second)}});
        break;
      }
    }
  }
  return j.dump(2);
}

Result<TrustBundle> BundleFromJson(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("version", 0) != 1) {
    return Status::InvalidArgument("not a Mekong trust bundle (version 1)", "bundle");
  }
  TrustBundle b;
  try {
    b.generated_at = j.value("generated_at", int64_t{0});
    for (const auto& k : j.value("mekong_keys", Json::array())) {
      ASSIGN_OR_RETURN(std::string kid, HexDecode(k.at("kid").get<std::string>()));
      ASSIGN_OR_RETURN(std::string spki, interop::Base64Decode(k.at("spki").get<std::string>()));
      ASSIGN_OR_RETURN(auto key, interop::PublicKey::FromSpkiDer(spki));
      std::optional<int64_t> until;
      if (k.contains("verify_until") && k["verify_until"].is_number()) until = k["verify_until"].get<int64_t>() / 1000;
      b.trust.Add({interop::TrustKind::kMekong, kid, key, std::nullopt, "mekong", until});
    }
    for (const auto& r : j.value("revoked", Json::array())) b.revoked.insert(r.get<std::string>());
    for (const auto& e : j.value("eu_dcc", Json::array())) {
      ASSIGN_OR_RETURN(auto cert, interop::Certificate::FromPemOrBase64(e.at("certificate").get<std::string>()));
      b.trust.Add({interop::TrustKind::kEuDcc, interop::EuKeyId(cert), cert.public_key(), cert,
                   e.value("country", ""), std::nullopt});
    }
    for (const auto& s : j.value("shc", Json::array())) {
      ASSIGN_OR_RETURN(auto key, interop::PublicKey::FromJwkP256(s.at("x").get<std::string>(), s.at("y").get<std::string>()));
      b.trust.Add({interop::TrustKind::kShc, s.at("kid").get<std::string>(), key, std::nullopt,
                   s.at("issuer").get<std::string>(), std::nullopt});
    }
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("malformed trust bundle: ") + e.what(), "bundle");
  }
  return b;
}

Verdict Verify(const std::vector<std::string>& raw_texts, const TrustBundle& bundle, int64_t now_ms) {
  // Scanners often hand over a trailing newline.
  std::vector<std::string> texts = raw_texts;
  for (auto& t : texts) {
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  }
  Verdict v;
  if (texts.empty() || texts[0].empty()) {
    v.format = "unknown";
    v.reason = "no QR text";
    return v;
  }
  const std::string& first = texts[0];
  if (first.rfind(kCredentialPrefix, 0) == 0) return VerifyMekong(first, bundle, now_ms);
  if (first.rfind("HC1:", 0) == 0) {
    auto r = interop::VerifyEuDcc(first, bundle.trust, now_ms / 1000);
    v.format = "eu_dcc";
    v.valid = r.valid;
    v.reason = r.reason;
    v.issuer = r.issuer;
    v.issued_at = r.issued_at;
    v.expires_at = r.expires_at;
    if (r.decoded) v.details_json = Json{{"type", r.type}, {"certificate", Json::parse(r.hcert_json)}}.dump();
    return v;
  }
  if (first.rfind("shc:/", 0) == 0) {
    auto r = interop::VerifyShc(texts, bundle.trust, now_ms / 1000);
    v.format = "shc";
    v.valid = r.valid;
    v.reason = r.reason;
    v.issuer = r.issuer;
    v.issued_at = r.not_before;
    if (r.decoded) {
      v.details_json = Json{{"types", r.types}, {"fhirBundle", Json::parse(r.fhir_bundle_json, nullptr, false)}}.dump();
    }
    return v;
  }
  v.format = "unknown";
  v.reason = "not a health code, EU DCC (HC1:) or SMART Health Card (shc:/)";
  return v;
}

}  // namespace mekong::healthcode
