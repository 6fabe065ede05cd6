#include "mekong/interop/shc.h"

#include <algorithm>
#include <cmath>
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

// A member that must be text when present: nullopt when absent, an error when of another type.
// (Json::value throws on a type mismatch, and the verifier must never throw.)
Result<std::optional<std::string>> OptText(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::optional<std::string>();
  if (!it->is_string()) return Status::InvalidArgument(std::string(key) + " is not text");
  return std::optional<std::string>(it->get<std::string>());
}

// A member that must be a number when present, floored to whole seconds.
Result<std::optional<int64_t>> OptSeconds(const Json& j, const char* key, double* exact) {
  auto it = j.find(key);
  if (it == j.end()) return std::optional<int64_t>();
  // Beyond about 292 billion years a double does not fit int64; no real card is near that.
  if (!it->is_number() || !(std::fabs(it->get<double>()) < 9e15)) {
    return Status::InvalidArgument(std::string(key) + " is not a time in seconds");
  }
  *exact = it->get<double>();
  return std::optional<int64_t>(static_cast<int64_t>(std::floor(*exact)));
}

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

constexpr size_t kMaxRidLength = 24;    // the spec's limit
constexpr size_t kMaxRids = 1'000'000;  // about 30 MB of list; far beyond any issuer's

}  // namespace

std::string JwsToShc(std::string_view jws) {
  std::string out = "shc:/";
  out.reserve(5 + 2 * jws.size());
  for (char c : jws) {
    int v = static_cast<unsigned char>(c) - 45;
    if (v < 0 || v > 99) v = 0;  // not a compact JWS character; the result will not verify
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
  }
  return out;
}

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
    auto text = [&](const char* key, const char* absent) {
      auto it = k.find(key);
      return it == k.end() ? std::string(absent) : it->is_string() ? it->get<std::string>() : "";
    };
    if (!k.is_object() || text("kty", "") != "EC" || text("crv", "") != "P-256" ||
        text("use", "sig") != "sig" || !k.contains("x") || !k.contains("y") ||
        !k["x"].is_string() || !k["y"].is_string()) {
      continue;  // other kinds of key (encryption, RSA) are not SMART Health Card signers
    }
    ASSIGN_OR_RETURN(PublicKey pub,
                     PublicKey::FromJwkP256(k["x"].get<std::string>(), k["y"].get<std::string>()));
    ASSIGN_OR_RETURN(std::string thumb, JwkThumbprint(pub));
    std::string kid = text("kid", "");
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
  auto alg = OptText(*header, "alg");
  auto kid = OptText(*header, "kid");
  auto zip = OptText(*header, "zip");
  if (!alg.ok() || *alg != "ES256") return fail("JWS alg must be ES256");
  if (!kid.ok()) return fail("JWS kid is not text");
  out.kid = kid->value_or("");
  // The spec requires a DEFLATE-compressed payload, and says so in the header.
  if (!zip.ok() || *zip != "DEF") return fail("JWS header must say zip: DEF");
  auto payload_text = InflateRaw(*payload_bytes, kMaxPayload);
  if (!payload_text.ok()) return fail("DEFLATE: " + payload_text.status().message());
  auto payload = ParseJson(*payload_text, "JWS payload");
  if (!payload.ok()) return fail(payload.status().message());
  auto iss = OptText(*payload, "iss");
  if (!iss.ok()) return fail("payload " + iss.status().message());
  out.issuer = iss->value_or("");
  double nbf_exact = 0, exp_exact = 0;
  auto nbf = OptSeconds(*payload, "nbf", &nbf_exact);
  auto exp = OptSeconds(*payload, "exp", &exp_exact);
  if (!nbf.ok()) return fail("payload " + nbf.status().message());
  if (!exp.ok()) return fail("payload " + exp.status().message());
  out.not_before = *nbf;
  out.expires_at = *exp;
  auto vc_it = payload->find("vc");
  if (vc_it == payload->end() || !vc_it->is_object()) return fail("payload has no vc");
  const Json& vc = *vc_it;
  auto rid = OptText(vc, "rid");
  if (!rid.ok()) return fail("vc." + rid.status().message());
  out.rid = rid->value_or("");
  if (auto t = vc.find("type"); t != vc.end() && t->is_array()) {
    for (const auto& x : *t) {
      if (x.is_string()) out.types.push_back(x.get<std::string>());
    }
  }
  if (auto cs = vc.find("credentialSubject"); cs != vc.end() && cs->is_object()) {
    if (auto fb = cs->find("fhirBundle"); fb != cs->end()) out.fhir_bundle_json = fb->dump();
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
  // As of `now`, whatever instant the caller chose.
  if (out.not_before && nbf_exact > static_cast<double>(now) + 300) {
    return fail("not valid yet (nbf in the future)");
  }
  if (out.expires_at && static_cast<double>(now) >= exp_exact) return fail("expired");
  if (const ShcRevocationList* crl = trust.FindShcCrl(out.issuer, out.kid);
      crl && !out.rid.empty() && crl->Revokes(out.rid, out.not_before)) {
    out.revoked = true;
    return fail("revoked: the issuer's revocation list (ctr " + std::to_string(crl->ctr) +
                ") names rid " + out.rid);
  }
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

Result<ShcRevocationList> ParseShcCrl(std::string_view crl_json, std::string_view issuer) {
  ASSIGN_OR_RETURN(Json j, ParseJson(crl_json, "revocation list"));
  ShcRevocationList crl;
  crl.issuer = std::string(issuer);
  auto kid = OptText(j, "kid");
  if (!kid.ok() || !kid->has_value() || (*kid)->empty()) {
    return Status::InvalidArgument("revocation list has no kid");
  }
  crl.kid = **kid;
  auto method = OptText(j, "method");
  if (!method.ok() || *method != "rid") {
    return Status::InvalidArgument("revocation list method must be \"rid\"");
  }
  auto ctr = j.find("ctr");
  if (ctr == j.end() || !ctr->is_number_integer() || ctr->get<int64_t>() < 0) {
    return Status::InvalidArgument("revocation list ctr must be an integer of 0 or more");
  }
  crl.ctr = ctr->get<int64_t>();
  auto rids = j.find("rids");
  if (rids == j.end() || !rids->is_array()) {
    return Status::InvalidArgument("revocation list has no rids array");
  }
  if (rids->size() > kMaxRids) {
    return Status::InvalidArgument("revocation list holds more than " + std::to_string(kMaxRids) +
                                   " rids");
  }
  for (const auto& entry : *rids) {
    if (!entry.is_string()) return Status::InvalidArgument("a rid is not text");
    std::string text = entry.get<std::string>();
    size_t dot = text.find('.');
    std::string rid = text.substr(0, dot);
    auto bad = [&](const char* why) {
      return Status::InvalidArgument("rid \"" + text.substr(0, 40) + "\" " + why);
    };
    if (rid.empty() || rid.size() > kMaxRidLength ||
        !std::all_of(rid.begin(), rid.end(), IsBase64UrlChar)) {
      return bad("is not 1-24 base64url characters");
    }
    std::optional<int64_t> timestamp;
    if (dot != std::string::npos) {
      std::string digits = text.substr(dot + 1);
      if (digits.empty() || digits.size() > 15 ||
          !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return bad("has a timestamp that is not Unix seconds");
      }
      timestamp = std::stoll(digits);
    }
    auto [it, inserted] = crl.rids.emplace(rid, timestamp);
    // Listed twice: no timestamp (every card) beats any; otherwise the later timestamp.
    if (!inserted && it->second)
      it->second = timestamp ? std::max(*it->second, *timestamp) : timestamp;
  }
  return crl;
}

std::string ShcCrlToJson(const ShcRevocationList& crl) {
  Json rids = Json::array();
  for (const auto& [rid, timestamp] : crl.rids) {
    rids.push_back(timestamp ? rid + "." + std::to_string(*timestamp) : rid);
  }
  return Json{{"kid", crl.kid}, {"method", "rid"}, {"ctr", crl.ctr}, {"rids", std::move(rids)}}
      .dump();
}

Result<std::string> SignShcJws(std::string_view payload_json, std::string_view kid,
                               const PrivateKey& key) {
  std::string header = Json{{"zip", "DEF"}, {"alg", "ES256"}, {"kid", std::string(kid)}}.dump();
  std::string signing_input =
      Base64UrlEncode(header) + "." + Base64UrlEncode(DeflateRaw(payload_json));
  ASSIGN_OR_RETURN(std::string signature, key.SignEs256(signing_input));
  return signing_input + "." + Base64UrlEncode(signature);
}

}  // namespace mekong::interop
