#include "mekong/healthcode/verify.h"

#include <nlohmann/json.hpp>

#include "mekong/core/crypto.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/health_code.h"
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

constexpr int64_t kClaimIss = 1, kClaimExp = 4, kClaimIat = 6, kClaimCti = 7;  // RFC 8392
constexpr size_t kMaxText = 4096;
constexpr int64_t kClockSkewMs = 5 * kMillisPerMinute;

// The formats carry Unix seconds (NumericDate); Mekong keeps milliseconds everywhere else.
std::optional<int64_t> Millis(std::optional<int64_t> seconds) {
  if (!seconds) return std::nullopt;
  return *seconds * 1000;
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
  if (!interop::IsZlibHeader(*raw)) return fail("not zlib-compressed");
  auto cose = interop::InflateZlib(*raw, 8192);
  if (!cose.ok()) return fail("zlib: " + cose.status().message());
  auto msg = interop::ParseCoseSign1(*cose);
  if (!msg.ok()) return fail("COSE: " + msg.status().message());
  auto alg = msg->Algorithm();
  if (!alg.ok()) return fail(alg.status().message());
  if (*alg != interop::kCoseAlgEs256)
    return fail("algorithm " + std::to_string(*alg) + " is not ES256");
  std::string kid = msg->KeyId();
  auto keys = bundle.trust.Find(interop::TrustKind::kMekong, kid);
  if (keys.empty()) return fail("unknown key id " + HexEncode(kid));
  const interop::TrustedKey& key = *keys.front();
  if (key.not_after && now_ms / 1000 > *key.not_after)
    return fail("the signing key was retired and its window has passed");
  if (Status s = interop::VerifyCoseSign1(*msg, key.key); !s.ok())
    return fail("signature: " + s.message());

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
  v.issued_at = iat->int_value() * 1000;
  v.expires_at = exp->int_value() * 1000;
  std::string cti_hex = HexEncode(cti->bytes());
  v.details_json =
      Json{{"colour", ColourName(static_cast<Colour>(colour->int_value()))},
           {"code_id", code->bytes()},
           {"credential_id", cti_hex},
           {"kid", HexEncode(kid)}}
          .dump(-1, ' ', false, Json::error_handler_t::replace);  // signed, but still bytes
  if (*v.issued_at > now_ms + kClockSkewMs) return fail("issued in the future");
  if (now_ms > *v.expires_at) return fail("expired");
  if (bundle.revoked.count(cti_hex)) return fail("revoked");
  v.valid = true;
  return v;
}

}  // namespace

std::string BundleToJson(const TrustBundle& b) {
  Json j = {{"version", 1},
            {"generated_at", b.generated_at},
            {"mekong_keys", Json::array()},
            {"revoked", Json(std::vector<std::string>(b.revoked.begin(), b.revoked.end()))},
            {"eu_dcc", Json::array()},
            {"shc", Json::array()},
            {"shc_crls", Json::array()}};
  for (const auto& k : b.trust.keys()) {
    switch (k.kind) {
      case interop::TrustKind::kMekong:
        j["mekong_keys"].push_back(
            {{"kid", HexEncode(k.kid)},
             {"spki", Base64Encode(k.key.SpkiDer())},
             {"verify_until", k.not_after ? Json(*k.not_after * 1000) : Json(nullptr)}});
        break;
      case interop::TrustKind::kEuDcc:
        j["eu_dcc"].push_back(
            {{"kid", HexEncode(k.kid)},
             {"country", k.issuer},
             {"certificate", k.certificate ? Base64Encode(k.certificate->der()) : ""}});
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
  for (const auto& crl : b.trust.shc_crls()) {
    Json entry = Json::parse(interop::ShcCrlToJson(crl));
    entry["issuer"] = crl.issuer;
    j["shc_crls"].push_back(std::move(entry));
  }
  return j.dump(2);
}

Result<TrustBundle> BundleFromJson(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("version") ||
      !j["version"].is_number_integer() || j["version"].get<int64_t>() != 1) {
    return Status::InvalidArgument("not a Mekong trust bundle (version 1)", "bundle");
  }
  // The lists are optional (an empty bundle is a bundle) but must be lists when present.
  for (const char* list : {"mekong_keys", "revoked", "eu_dcc", "shc", "shc_crls"}) {
    if (j.contains(list) && !j[list].is_array()) {
      return Status::InvalidArgument(std::string(list) + " is not a list", "bundle");
    }
  }
  TrustBundle b;
  try {
    // Times are integers: a double out of int64's range would be undefined to convert.
    if (j.contains("generated_at") && !j["generated_at"].is_number_integer()) {
      return Status::InvalidArgument("generated_at is not an integer", "bundle");
    }
    b.generated_at = j.value("generated_at", int64_t{0});
    for (const auto& k : j.value("mekong_keys", Json::array())) {
      ASSIGN_OR_RETURN(std::string kid, HexDecode(k.at("kid").get<std::string>()));
      ASSIGN_OR_RETURN(std::string spki, Base64Decode(k.at("spki").get<std::string>()));
      ASSIGN_OR_RETURN(auto key, interop::PublicKey::FromSpkiDer(spki));
      std::optional<int64_t> until;
      if (k.contains("verify_until") && !k["verify_until"].is_null()) {
        if (!k["verify_until"].is_number_integer()) {
          return Status::InvalidArgument("verify_until is not an integer", "bundle");
        }
        until = k["verify_until"].get<int64_t>() / 1000;
      }
      b.trust.Add({interop::TrustKind::kMekong, kid, key, std::nullopt, "mekong", until});
    }
    for (const auto& r : j.value("revoked", Json::array())) b.revoked.insert(r.get<std::string>());
    for (const auto& e : j.value("eu_dcc", Json::array())) {
      ASSIGN_OR_RETURN(
          auto cert, interop::Certificate::FromPemOrBase64(e.at("certificate").get<std::string>()));
      b.trust.Add({interop::TrustKind::kEuDcc, interop::EuKeyId(cert), cert.public_key(), cert,
                   e.value("country", ""), std::nullopt});
    }
    for (const auto& s : j.value("shc", Json::array())) {
      ASSIGN_OR_RETURN(auto key, interop::PublicKey::FromJwkP256(s.at("x").get<std::string>(),
                                                                 s.at("y").get<std::string>()));
      b.trust.Add({interop::TrustKind::kShc, s.at("kid").get<std::string>(), key, std::nullopt,
                   s.at("issuer").get<std::string>(), std::nullopt});
    }
    // Added after version 1 was first published: a bundle without it has no revocation lists,
    // and a reader that predates it ignores it.
    for (const auto& c : j.value("shc_crls", Json::array())) {
      std::string issuer = c.at("issuer").get<std::string>();
      auto crl = interop::ParseShcCrl(c.dump(), issuer);
      if (!crl.ok()) {
        return Status::InvalidArgument("shc_crls: " + crl.status().message(), "bundle");
      }
      b.trust.AddShcCrl(std::move(crl).value());
    }
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string("malformed trust bundle: ") + e.what(), "bundle");
  }
  return b;
}

Verdict Verify(const std::vector<std::string>& raw_texts, const TrustBundle& bundle,
               int64_t now_ms) {
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
    v.issued_at = Millis(r.issued_at);
    v.expires_at = Millis(r.expires_at);
    if (r.decoded)
      v.details_json = Json{{"type", r.type}, {"certificate", Json::parse(r.hcert_json)}}.dump();
    return v;
  }
  if (first.rfind("shc:/", 0) == 0) {
    auto r = interop::VerifyShc(texts, bundle.trust, now_ms / 1000);
    v.format = "shc";
    v.valid = r.valid;
    v.reason = r.reason;
    v.issuer = r.issuer;
    v.issued_at = Millis(r.not_before);
    v.expires_at = Millis(r.expires_at);
    if (r.decoded) {
      Json details = {{"types", r.types},
                      {"fhirBundle", Json::parse(r.fhir_bundle_json, nullptr, false)}};
      if (!r.rid.empty()) details["rid"] = r.rid;
      v.details_json = details.dump();
    }
    return v;
  }
  v.format = "unknown";
  v.reason = "not a health code, EU DCC (HC1:) or SMART Health Card (shc:/)";
  return v;
}

}  // namespace mekong::healthcode
