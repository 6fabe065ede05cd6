// EU Digital COVID Certificates (HCERT): "HC1:" + Base45(zlib(COSE_Sign1(CWT))), the CWT
// carrying the certificate under claim -260 / 1.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mekong/core/status.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/trust.h"

namespace mekong::interop {

// How far a text got, stage by stage, and why it stopped. Each flag is only meaningful when
// the stages before it succeeded.
struct DccVerification {
  bool unprefixed = false;    // "HC1:" was there
  bool base45 = false;        // Base45 decoded
  bool decompressed = false;  // zlib inflated (false also when it was not compressed)
  bool decoded = false;       // COSE and CWT parsed, with an hcert inside
  bool signature = false;     // signed by a trusted key for this kid
  bool not_expired = false;   // at `now`, within iat..exp (and the signer certificate's validity)
  bool key_usage = false;     // the signer certificate may sign this kind (v, t, r) of certificate
  bool valid = false;         // all of the above
  std::string reason;         // empty when valid

  std::string issuer;                            // CWT iss, a country code
  std::optional<int64_t> issued_at, expires_at;  // seconds
  std::string kid;                               // raw bytes
  std::string type;                              // "v" vaccination, "t" test, "r" recovery
  std::string hcert_json;                        // the certificate as JSON
  std::string cbor;  // the CWT payload bytes (for tests against published stages)
};

DccVerification VerifyEuDcc(std::string_view text, const TrustList& trust, int64_t now_seconds);

// Issues an EU DCC: `hcert_json` is the certificate (ver, nam, dob, v|t|r), signed with ES256.
struct DccIssue {
  std::string issuer_country;  // CWT iss
  int64_t issued_at = 0;       // seconds
  int64_t expires_at = 0;
  std::string hcert_json;
};
Result<std::string> IssueEuDcc(const DccIssue& in, const Certificate& signer,
                               const PrivateKey& key);

// Extended key usage OIDs that limit a signer to certificate types.
inline constexpr std::string_view kEkuTest[] = {"1.3.6.1.4.1.1847.2021.1.1",
                                                "1.3.6.1.4.1.0.1847.2021.1.1"};
inline constexpr std::string_view kEkuVaccination[] = {"1.3.6.1.4.1.1847.2021.1.2",
                                                       "1.3.6.1.4.1.0.1847.2021.1.2"};
inline constexpr std::string_view kEkuRecovery[] = {"1.3.6.1.4.1.1847.2021.1.3",
                                                    "1.3.6.1.4.1.0.1847.2021.1.3"};

}  // namespace mekong::interop
