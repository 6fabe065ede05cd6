// The signed health-code credential a citizen shows and a checkpoint verifies offline.
//
// Text: "MK1:" + Base45(zlib(COSE_Sign1/ES256(CWT))). The CWT holds the issuer, issued and
// expiry times, a credential id, the person's opaque code id and the colour; no name and no
// document number. docs/formats/health-code.md specifies the bytes.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/healthcode/health_code.h"
#include "mekong/healthcode/verify.h"
#include "mekong/interop/trust.h"
#include "mekong/store/database.h"

namespace mekong::healthcode {

struct Credential {
  std::string text;  // the QR text
  std::string issuer;
  std::string code_id;
  Colour colour = Colour::kGreen;
  int64_t issued_at = 0, expires_at = 0;  // Unix ms, whole seconds (the CWT carries seconds)
  std::string cti;                        // credential id, hex
  std::string kid;                        // signing key id, hex
};

// --- store-backed: keys, subjects, revocations, trusted foreign issuers ----------------------
//
// Every change to what verifies (a key made or retired, a revocation, an issuer or revocation
// list imported, the EU DCC signer made) publishes kTrustTopic on the change feed in the same
// transaction, so every process's cached trust bundle reloads (service.h). Call these inside a
// transaction.

inline constexpr std::string_view kTrustTopic = "healthcode.trust";
Status PublishTrustChange(store::Executor& tx, int64_t now);

struct KeyInfo {
  std::string kid;  // hex of 8 bytes
  std::string public_spki;
  int64_t created_at = 0;               // ms
  std::optional<int64_t> retired_at;    // ms; a retired key signs nothing new
  std::optional<int64_t> verify_until;  // ms; after retirement, until its last credential expires
};

// The key that signs now, made on first use.
Result<KeyInfo> ActiveKey(store::Executor& ex, int64_t now);
// Retires the active key (it still verifies until `now + validity_ms`) and makes a new one.
Result<KeyInfo> RotateKey(store::Executor& ex, int64_t now, int64_t validity_ms);
// Keys a verifier should trust at `now`: the active one and retired ones still in their window.
Result<std::vector<KeyInfo>> PublishedKeys(store::Executor& ex, int64_t now);

// The person's stable opaque code id, made on first use; and back.
Result<std::string> CodeId(store::Executor& ex, PersonId person);
Result<PersonId> PersonForCode(store::Executor& ex, std::string_view code_id);

// Issues a credential for the person's colour at `now`, valid for `validity_ms`.
Result<Credential> Issue(store::Executor& ex, PersonId person, std::string_view issuer, int64_t now,
                         int64_t validity_ms);
Status Revoke(store::Executor& ex, std::string_view cti_hex, std::string_view reason, int64_t now);
// Whom a credential id was issued to (none when it is unknown or long expired).
Result<std::optional<PersonId>> CredentialHolder(store::Executor& ex, std::string_view cti_hex);
// Forgets the holders of credentials that expired before `before` (they verify no more).
Result<int64_t> ForgetExpiredCredentials(store::Executor& ex, int64_t before);
Result<std::vector<std::string>> Revoked(store::Executor& ex);

// Foreign issuers an operator has imported: EU DCC signer certificates and SMART Health Cards
// issuer keys.
Status TrustEuCertificate(store::Executor& ex, std::string_view certificate_text,
                          std::string_view country, int64_t now);
Result<int> TrustShcIssuer(store::Executor& ex, std::string_view issuer, std::string_view jwks_json,
                           int64_t now);
// Imports a SMART Health Cards issuer's revocation list, the JSON published at iss +
// "/.well-known/crl/<kid>.json" (interop::ParseShcCrl), for a key already trusted through
// TrustShcIssuer (failed_precondition otherwise). It replaces the list held for that issuer
// and kid; one with a lower ctr than the held one is refused (failed_precondition), so an old
// file cannot undo revocations. Returns the number of rids. Errors name "issuer" or "crl".
Result<int> ImportShcCrl(store::Executor& ex, std::string_view issuer, std::string_view crl_json,
                         int64_t now);

// Loads what a checkpoint needs to verify offline from the store (see verify.h): every
// Mekong key with its verify_until (retired ones too, so that Verify can be asked about an
// earlier instant; Verify checks the window), revocations, trusted foreign issuers and SMART
// Health Cards revocation lists. `now` (ms) is only the bundle's generated_at.
Result<TrustBundle> LoadBundle(store::Executor& ex, int64_t now);

}  // namespace mekong::healthcode
