// SMART Health Cards: "shc:/" + two digits per character of a compact JWS (ES256, raw
// DEFLATE payload), possibly split over several QR codes ("shc:/2/3/...").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/interop/trust.h"

namespace mekong::interop {

// Reassembles one or more "shc:/" texts (chunks in any order) into a compact JWS.
Result<std::string> ShcToJws(const std::vector<std::string>& texts);

struct ShcVerification {
  bool decoded = false;
  bool signature = false;
  bool valid = false;
  std::string reason;
  std::string issuer;  // payload iss
  std::string kid;
  std::optional<int64_t> not_before;  // seconds
  std::vector<std::string> types;     // vc.type
  std::string fhir_bundle_json;       // vc.credentialSubject.fhirBundle
};

// Verifies a compact JWS (or the shc:/ texts) against trusted issuer keys: the key with the
// header's kid whose issuer equals the payload's iss.
ShcVerification VerifyShcJws(std::string_view jws, const TrustList& trust, int64_t now_seconds);
ShcVerification VerifyShc(const std::vector<std::string>& texts, const TrustList& trust,
                          int64_t now_seconds);

// Reads an issuer's JWKS (the JSON at iss + "/.well-known/jwks.json") into trusted keys.
// P-256 signing keys only; each kid must be the key's RFC 7638 thumbprint.
Result<std::vector<TrustedKey>> ParseJwks(std::string_view jwks_json, std::string_view issuer);
// RFC 7638 thumbprint of a P-256 key, base64url.
Result<std::string> JwkThumbprint(const PublicKey& key);

}  // namespace mekong::interop
