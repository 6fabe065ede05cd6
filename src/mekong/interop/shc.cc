#include "mekong/interop/shc.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "mekong/core/crypto.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/zlib_codec.h"

namespace mekong::interop {

namespace {

using Json = nlohmann::json;
constexpr size_t kMaxJws = 64 * 1024;
constexpr size_t kMaxPayload = 256 * 1024;

Result<std::string> DecodeDigits(std::string_view digits) {
  if (digits.size() % 2) return Status::InvalidArgument("an odd number of digits");
  std::string out;
  out.reserve(digits.size() / 2);
  for (size_t i = 0; i < digits.size(); i += 2) {
    char a = digits[i], b = digits[i + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9')
      return Status::InvalidArgument("a non-digit after shc:/");
    int v = (a - '0') * 10 + (b - '0');
    if (v > 'z' - 45) return Status::InvalidArgument("a digit pair above 77");
    out.push_back(static_cast<char>(v + 45));
  }
  return out;
}

Result<Json> ParseJson(std::string_view text, const char* what) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Status::InvalidArgument(std::string(what) + " is not a JSON object");
  return j;
}

}  // namespace

Result<std::string> ShcToJws(const std::vector<std::string>& texts) {
  if (texts.empty()) return Status::InvalidArgument("no shc:/ text");
  if (texts.size() == 1 && texts[0].rfind("shc:/", 0) == 0 &&
      texts[0].find('/', 5) == std::string::npos) {
    return DecodeDigits(std::string_view(texts[0]).substr(5));
  }
  std::vector<std::string> chunks(texts.size());
  for (const auto& t : texts) {
    // "shc:/<n>/<total>/<digits>"
    if (t.rfind("shc:/", 0) != 0)
      return Status::InvalidArgument("not a SMART Health Card: no shc:/ prefix");
    size_t a = t.find('/', 5), b = a == std::string::npos ? a : t.find('/', a + 1);
    if (b == std::string::npos) return Status::InvalidArgument("a chunk needs shc:/<n>/<total>/");
    int n = std::atoi(t.substr(5, a - 5).c_str()),
        total = std::atoi(t.substr(a + 1, b - a - 1).c_str());
    if (total != static_cast<int>(texts.size())) {
      return Status::InvalidArgument("chunk says " + std::to_string(total) + " parts, got " +
                                     std::to_string(texts.size()));
    }
    if (n < 1 || n > total || !chunks[n - 1].empty())
      return Status::InvalidArgument("bad or repeated chunk number");
    ASSIGN_OR_RETURN(chunks[n - 1], DecodeDigits(std::string_view(t).substr(b + 1)));
  }
  std::string jws;
  for (const auto& c : chunks) jws += c;
  return jws;
}

Result<std::string> JwkThumbprint(const PublicKey& key) {
  ASSIGN_OR_RETURN(auto xy, key.P256Coordinates());
  // RFC 7638: the required members in lexicographic order, no whitespace.
  std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + Base64UrlEncode(xy.first) +
                          R"(","y":")" + Base64UrlEncode(xy.second) + R"("})";
  return Base64UrlEncode(Sha256(canonical));
}

Result<std::vector<TrustedKey>> ParseJwks(std::string_view jwks_json, std::string_view issuer) {
  ASSIGN_OR_RETURN(Json j, ParseJson(jwks_json, "JWKS"));
  if (!j.contains("keys") || !j["keys"].is_array())
    return Status::InvalidArgument("JWKS has no keys array");
  std::vector<TrustedKey> out;
  for (const auto& k : j["keys"]) {
    if (!k.is_object() || k.value("kty", "") != "EC" || k.value("crv", "") != "P-256" ||
        k.value("use", "sig") != "sig" || !k.contains("x") || !k.contains("y") ||
        !k["x"].is_string() || !k["y"].is_string()) {
      continue;  // other kinds of key (encryption, RSA) are not SMART Health Card signers
    }
    ASSIGN_OR_RETURN(PublicKey pub,
                     PublicKey::FromJwkP256(k["x"].get<std::string>(), k["y"].get<std::string>()));
    ASSIGN_OR_RETURN(std::string thumb, JwkThumbprint(pub));
    std::string kid = k.value("kid", "");
    if (kid != thumb)
      return Status::InvalidArgument("JWK kid " + kid + " is not its RFC 7638 thumbprint");
    out.push_back({TrustKind::kShc, kid, pub, std::nullopt, std::string(issuer), std::nullopt});
  }
  if (out.empty()) return Status::InvalidArgument("JWKS holds no P-256 signing key");
  return out;
}

ShcVerification VerifyShcJws(std::string_view jws, const TrustList& trust, int64_t now) {
  ShcVerification out;
  auto fail = [&](std::string why) {
    out.reason = std::move(why);
    return out;
  };
  if (jws.size() > kMaxJws) return fail("JWS is too long");
  size_t d1 = jws.find('.'), d2 = d1 == std::string_view::npos ? d1 : jws.find('.', d1 + 1);
  if (d2 == std::string_view::npos || jws.find('.', d2 + 1) != std::string_view::npos) {
    return fail("not a compact JWS (three parts)");
  }
  auto header_bytes = Base64Decode(jws.substr(0, d1));
  auto payload_bytes = Base64Decode(jws.substr(d1 + 1, d2 - d1 - 1));
  auto signature = Base64Decode(jws.substr(d2 + 1));
  if (!header_bytes.ok() || !payload_bytes.ok() || !signature.ok())
    return fail("JWS part is not base64url");
  auto header = ParseJson(*header_bytes, "JWS header");
  if (!header.ok()) return fail(header.status().message());
  if (header->value("alg", "") != "ES256") return fail("JWS alg must be ES256");
  out.kid = header->value("kid", "");
  std::string payload_text = *payload_bytes;
  if (header->value("zip", "") == "DEF") {
    auto inflated = InflateRaw(*payload_bytes, kMaxPayload);
    if (!inflated.ok()) return fail("DEFLATE: " + inflated.status().message());
    payload_text = *inflated;
  }
  auto payload = ParseJson(payload_text, "JWS payload");
  if (!payload.ok()) return fail(payload.status().message());
  out.issuer = payload->value("iss", "");
  if (payload->contains("nbf") && (*payload)["nbf"].is_number()) {
    out.not_before = static_cast<int64_t>((*payload)["nbf"].get<double>());
  }
  const Json* vc = payload->contains("vc") ? &(*payload)["vc"] : nullptr;
  if (!vc || !vc->is_object()) return fail("payload has no vc");
  if (vc->contains("type") && (*vc)["type"].is_array()) {
    for (const auto& t : (*vc)["type"]) {
      if (t.is_string()) out.types.push_back(t.get<std::string>());
    }
  }
  if (vc->contains("credentialSubject") && (*vc)["credentialSubject"].contains("fhirBundle")) {
    out.fhir_bundle_json = (*vc)["credentialSubject"]["fhirBundle"].dump();
  }
  out.decoded = true;

  std::string signed_part(jws.substr(0, d2));
  std::string last = "no trusted key with this kid for issuer " + out.issuer;
  for (const TrustedKey* k : trust.Find(TrustKind::kShc, out.kid)) {
    if (k->issuer != out.issuer) continue;
    Status s = k->key.VerifyEs256(signed_part, *signature);
    if (s.ok()) {
      out.signature = true;
      break;
    }
    last = s.message();
  }
  if (!out.signature) return fail("signature: " + last);
  if (out.not_before && *out.not_before > now + 300)
    return fail("not valid yet (nbf in the future)");
  out.valid = true;
  return out;
}

ShcVerification VerifyShc(const std::vector<std::string>& texts, const TrustList& trust,
                          int64_t now) {
  auto jws = ShcToJws(texts);
  if (!jws.ok()) {
    ShcVerification out;
    out.reason = jws.status().message();
    return out;
  }
  return VerifyShcJws(*jws, trust, now);
}

}  // namespace mekong::interop
