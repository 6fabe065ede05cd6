// SMART Health Cards: "shc:/" + two digits per character of a compact JWS (ES256, raw
// DEFLATE payload), possibly split over several QR codes ("shc:/2/3/...").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/trust.h"

namespace mekong::interop {

// Reassembles one or more "shc:/" texts (chunks in any order) into a compact JWS.
Result<std::string> ShcToJws(const std::vector<std::string>& texts);
// The single QR text of a compact JWS: "shc:/" and two digits (code - 45) per character.
std::string JwsToShc(std::string_view jws);

struct ShcVerification {
  bool decoded = false;
  bool signature = false;
  bool valid = false;
  std::string reason;
  std::string issuer;  // payload iss
  std::string kid;
  std::optional<int64_t> not_before;  // seconds (nbf, floored)
  std::optional<int64_t> expires_at;  // seconds (exp, floored), when the card has one
  std::string rid;                    // vc.rid, when the card has one
  bool revoked = false;               // the issuer's revocation list names it
  std::vector<std::string> types;     // vc.type
  std::string fhir_bundle_json;       // vc.credentialSubject.fhirBundle
};

// Verifies a compact JWS (or the shc:/ texts) against trusted issuer keys: the key with the
// header's kid whose issuer equals the payload's iss. The header must say zip "DEF" and alg
// "ES256". Every time check is against `now_seconds`, which may be any instant (a date of
// travel): nbf not after it (5 minutes' grace), exp (when present) after it, as RFC 7519 says.
// A card whose vc.rid the trust list's revocation list for that issuer and kid names is
// revoked (see ShcRevocationList::Revokes).
ShcVerification VerifyShcJws(std::string_view jws, const TrustList& trust, int64_t now_seconds);
ShcVerification VerifyShc(const std::vector<std::string>& texts, const TrustList& trust,
                          int64_t now_seconds);

// Reads an issuer's JWKS (the JSON at iss + "/.well-known/jwks.json") into trusted keys.
// P-256 signing keys only; each kid must be the key's RFC 7638 thumbprint.
Result<std::vector<TrustedKey>> ParseJwks(std::string_view jwks_json, std::string_view issuer);
// RFC 7638 thumbprint of a P-256 key, base64url.
Result<std::string> JwkThumbprint(const PublicKey& key);

// Reads an issuer's revocation list (the JSON at iss + "/.well-known/crl/" + kid + ".json"):
// {"kid", "method": "rid", "ctr": integer >= 0, "rids": [...]}, each rid 1-24 base64url
// characters with an optional ".<timestamp>" (Unix seconds). Other members are ignored. A rid
// listed more than once keeps its widest revocation. At most 1,000,000 rids.
Result<ShcRevocationList> ParseShcCrl(std::string_view crl_json, std::string_view issuer);
// The list in that JSON form again (without the issuer), rids sorted.
std::string ShcCrlToJson(const ShcRevocationList& crl);

// Signs a card as the spec makes them: header {"zip":"DEF","alg":"ES256","kid"}, payload the
// raw-DEFLATE of `payload_json` (the JWT claims, minified). For tests and a demo issuer.
Result<std::string> SignShcJws(std::string_view payload_json, std::string_view kid,
                               const PrivateKey& key);

}  // namespace mekong::interop
