#include "mekong/interop/eu_dcc.h"

#include <algorithm>

#include "mekong/core/time.h"
#include "mekong/interop/base45.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/cose.h"
#include "mekong/interop/zlib_codec.h"

namespace mekong::interop {

namespace {

constexpr size_t kMaxText = 8192;           // a QR code holds at most 4296 alphanumeric characters
constexpr size_t kMaxInflated = 64 * 1024;  // real certificates are under 2 KiB

constexpr int64_t kClaimIss = 1, kClaimExp = 4, kClaimIat = 6, kClaimHcert = -260;

// The first bytes of a COSE_Sign1: tag 18 (0xd2), CWT tag 61 (0xd8 0x3d), or an untagged
// four-element array (0x84), which some issuers send.
bool LooksLikeCose(std::string_view b) {
  if (b.empty()) return false;
  auto c = static_cast<uint8_t>(b[0]);
  return c == 0xd2 || c == 0x84 ||
         (c == 0xd8 && b.size() > 1 && static_cast<uint8_t>(b[1]) == 0x3d);
}

bool HasAny(const std::vector<std::string>& have, const std::string_view (&want)[2]) {
  return std::any_of(have.begin(), have.end(),
                     [&](const std::string& o) { return o == want[0] || o == want[1]; });
}

// A signer certificate without extended key usage may sign any type; one with it must name
// the certificate's type (the EU test data expects a non-DCC usage, such as ICAO's, to fail).
bool KeyUsageAllows(const Certificate& cert, const std::string& type) {
  const auto& eku = cert.extended_key_usage();
  if (eku.empty()) return true;
  return (type == "t" && HasAny(eku, kEkuTest)) || (type == "v" && HasAny(eku, kEkuVaccination)) ||
         (type == "r" && HasAny(eku, kEkuRecovery));
}

}  // namespace

DccVerification VerifyEuDcc(std::string_view text, const TrustList& trust, int64_t now) {
  DccVerification out;
  auto fail = [&](std::string why) {
    out.reason = std::move(why);
    return out;
  };
  if (text.size() > kMaxText) return fail("text is longer than any QR code holds");
  if (text.substr(0, 4) != "HC1:") return fail("not an EU DCC: no HC1: prefix");
  out.unprefixed = true;
  auto raw = Base45Decode(text.substr(4));
  if (!raw.ok()) return fail("Base45: " + raw.status().message());
  out.base45 = true;

  // HCERT requires zlib (any valid RFC 1950 header, not only 0x78). An uncompressed COSE object
  // is refused as such; anything else that does not inflate is a decompression error, so a
  // broken stream is never handed to the CBOR decoder.
  auto inflated = InflateZlib(*raw, kMaxInflated);
  if (!inflated.ok()) {
    if (!IsZlibHeader(*raw) && LooksLikeCose(*raw)) {
      return fail("not zlib-compressed: HCERT requires a zlib stream, this is a bare COSE object");
    }
    return fail("zlib: " + inflated.status().message());
  }
  std::string cose = std::move(inflated).value();
  out.decompressed = true;

  auto msg = ParseCoseSign1(cose);
  if (!msg.ok()) return fail("COSE: " + msg.status().message());
  auto cwt = DecodeCbor(msg->payload);
  if (!cwt.ok()) return fail("CWT: " + cwt.status().message());
  if (cwt->kind() != Cbor::Kind::kMap) return fail("CWT payload is not a map");
  out.cbor = msg->payload;
  if (const Cbor* iss = cwt->Find(kClaimIss); iss && iss->kind() == Cbor::Kind::kText)
    out.issuer = iss->bytes();
  if (const Cbor* iat = cwt->Find(kClaimIat)) out.issued_at = iat->AsSeconds();
  if (const Cbor* exp = cwt->Find(kClaimExp)) out.expires_at = exp->AsSeconds();
  const Cbor* hcert = cwt->Find(kClaimHcert);
  const Cbor* cert = hcert ? hcert->Find(int64_t{1}) : nullptr;
  if (!cert || cert->kind() != Cbor::Kind::kMap)
    return fail("CWT holds no health certificate (-260/1)");
  for (const char* type : {"v", "t", "r"}) {
    if (cert->Find(std::string_view(type))) out.type = type;
  }
  auto json = CborToJson(*cert);
  if (!json.ok()) return fail("certificate: " + json.status().message());
  out.hcert_json = *json;
  out.decoded = true;

  out.kid = msg->KeyId();
  auto candidates = trust.Find(TrustKind::kEuDcc, out.kid);
  if (candidates.empty()) return fail("no trusted key with this key id");
  const TrustedKey* signer = nullptr;
  std::string last_error;
  for (const TrustedKey* k : candidates) {
    // Foreign issuers may put the algorithm in the unprotected header (test case CO20); the
    // key type still has to match it.
    Status s = VerifyCoseSign1(*msg, k->key, /*allow_unprotected_alg=*/true);
    if (s.ok()) {
      signer = k;
      break;
    }
    last_error = s.message();
  }
  if (!signer) return fail("signature: " + last_error);
  out.signature = true;

  // Everything below is as of `now`, which the caller may set to another instant (a date of
  // travel). Valid from iat up to and including the exp second (the DK test vectors check
  // exactly that instant; CO16 checks a clock before iat), and only while the signer
  // certificate is within its own validity window.
  if (!out.expires_at) return fail("no expiry date");
  if (out.issued_at && now < *out.issued_at) return fail("not valid yet (issued after this time)");
  if (now > *out.expires_at) return fail("expired");
  if (signer->certificate &&
      (now < signer->certificate->not_before() || now > signer->certificate->not_after())) {
    return fail("the signer certificate is not valid at this time (valid " +
                FormatRfc3339(signer->certificate->not_before() * 1000) + " to " +
                FormatRfc3339(signer->certificate->not_after() * 1000) + ")");
  }
  out.not_expired = true;

  out.key_usage = !signer->certificate || KeyUsageAllows(*signer->certificate, out.type);
  if (!out.key_usage)
    return fail("the signer may not sign certificates of type '" + out.type + "'");
  out.valid = true;
  return out;
}

Result<std::string> IssueEuDcc(const DccIssue& in, const Certificate& signer,
                               const PrivateKey& key) {
  ASSIGN_OR_RETURN(Cbor hcert, JsonToCbor(in.hcert_json));
  if (hcert.kind() != Cbor::Kind::kMap)
    return Status::InvalidArgument("hcert must be a JSON object", "hcert");
  Cbor claims = Cbor::Map({
      {Cbor::Int(kClaimIss), Cbor::Text(in.issuer_country)},
      {Cbor::Int(kClaimExp), Cbor::Int(in.expires_at)},
      {Cbor::Int(kClaimIat), Cbor::Int(in.issued_at)},
      {Cbor::Int(kClaimHcert), Cbor::Map({{Cbor::Int(1), std::move(hcert)}})},
  });
  ASSIGN_OR_RETURN(std::string cose, SignCoseSign1Es256(EncodeCbor(claims), EuKeyId(signer), key));
  return "HC1:" + Base45Encode(Deflate(cose));
}

}  // namespace mekong::interop
