// Offline verification of health codes, EU DCCs and SMART Health Cards against a trust
// bundle. Pure: no store, no I/O, so checkpoints, the CLI and fuzzers can use it alone.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/interop/trust.h"

namespace mekong::healthcode {

constexpr std::string_view kCredentialPrefix = "MK1:";
constexpr int64_t kClaimCodeId = -70001;  // text: the person's opaque code id
constexpr int64_t kClaimColour = -70002;  // 0 green, 1 yellow, 2 red

// Everything a checkpoint needs to verify offline; serialisable as the trust bundle
// (docs/formats/trust-bundle.md).
struct TrustBundle {
  interop::TrustList trust;       // keys of every kind, and SMART Health Cards revocation lists
  std::set<std::string> revoked;  // cti hex
  int64_t generated_at = 0;       // ms
};

std::string BundleToJson(const TrustBundle& bundle);
Result<TrustBundle> BundleFromJson(std::string_view json);

struct Verdict {
  std::string format;  // "mekong", "eu_dcc", "shc" or "unknown"
  bool valid = false;
  std::string reason;  // why not, when not valid
  std::string issuer;
  std::optional<int64_t> issued_at, expires_at;  // Unix ms
  std::string details_json;  // what the credential says (colour and code id; the EU/SHC content)
};

// Verifies our health codes, EU DCCs and SMART Health Cards (several texts for a multi-part
// SMART Health Card). Never throws; bad input is a verdict with a reason.
//
// `now_ms` is the instant the verdict is for, not necessarily the present: pass an officer's
// date of travel to ask "was this valid then?". Every time check uses it and nothing else:
// iat/nbf and exp, our keys' verify_until, EU signer certificates' validity windows. (SMART
// Health Cards revocation timestamps are compared with the card's nbf, as the spec says, so a
// listed card is revoked at any instant; our own revocations carry no time either.)
Verdict Verify(const std::vector<std::string>& texts, const TrustBundle& bundle, int64_t now_ms);

}  // namespace mekong::healthcode
