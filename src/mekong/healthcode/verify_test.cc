// The verifier alone, without a store: verification "as of" a given instant for every format,
// and the trust bundle's JSON (docs/formats/trust-bundle.md). Keys, certificates and
// credentials are made here with real cryptography.
#include "mekong/healthcode/verify.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "mekong/core/crypto.h"
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
constexpr int64_t kT = 1795000000;  // seconds
constexpr int64_t kDay = 86400;
constexpr int64_t kMs = 1000;

// One of our codes, signed by `key`, valid from iat to exp (seconds); `frame` turns the COSE
// bytes into what Base45 carries (zlib, as Issue makes it, unless a test says otherwise).
std::string MekongCode(const interop::PrivateKey& key, int64_t iat, int64_t exp,
                       std::string (*frame)(std::string_view) = nullptr) {
  std::string kid = Sha256(key.Public().SpkiDer()).substr(0, 8);
  std::string claims = interop::EncodeCbor(Cbor::Map({{Cbor::Int(1), Cbor::Text("VN-QN")},
                                                      {Cbor::Int(6), Cbor::Int(iat)},
                                                      {Cbor::Int(4), Cbor::Int(exp)},
                                                      {Cbor::Int(7), Cbor::Bytes("12345678")},
                                                      {Cbor::Int(kClaimCodeId), Cbor::Text("c")},
                                                      {Cbor::Int(kClaimColour), Cbor::Int(0)}}));
  std::string cose = *interop::SignCoseSign1Es256(claims, kid, key);
  std::string framed = frame ? frame(cose) : interop::Deflate(cose);
  return std::string(kCredentialPrefix) + interop::Base45Encode(framed);
}

void TrustMekong(TrustBundle& b, const interop::PrivateKey& key,
                 std::optional<int64_t> verify_until_s) {
  b.trust.Add({interop::TrustKind::kMekong, Sha256(key.Public().SpkiDer()).substr(0, 8),
               key.Public(), std::nullopt, "mekong", verify_until_s});
}

TEST(Verify, EveryTimeCheckUsesTheGivenInstant) {
  TrustBundle b;

  // Our code: valid kT..kT+10d, its key retired with a window to kT+2d.
  auto mk_key = *interop::PrivateKey::GenerateP256();
  TrustMekong(b, mk_key, kT + 2 * kDay);
  std::string mk = MekongCode(mk_key, kT, kT + 10 * kDay);

  // An EU DCC valid kT..kT+30d from a signer certificate valid kT+10d..kT+20d.
  auto eu_key = *interop::PrivateKey::GenerateP256();
  auto cert =
      *interop::Certificate::SelfSigned(eu_key, "DSC", "VN", kT + 10 * kDay, kT + 20 * kDay, {});
  b.trust.Add({interop::TrustKind::kEuDcc, interop::EuKeyId(cert), cert.public_key(), cert, "VN",
               std::nullopt});
  std::string eu = *interop::IssueEuDcc(
      {"VN", kT, kT + 30 * kDay,
       R"({"ver":"1.3.0","nam":{"fnt":"LE"},"dob":"1970","t":[{"tg":"840539006"}]})"},
      cert, eu_key);

  // A SMART Health Card with nbf kT and exp kT+5d.
  auto shc_key = *interop::PrivateKey::GenerateP256();
  std::string shc_kid = *interop::JwkThumbprint(shc_key.Public());
  const std::string iss = "https://shc.example.la";
  b.trust.Add(
      {interop::TrustKind::kShc, shc_kid, shc_key.Public(), std::nullopt, iss, std::nullopt});
  std::string shc = interop::JwsToShc(
      *interop::SignShcJws(R"({"iss":")" + iss + R"(","nbf":)" + std::to_string(kT) + R"(,"exp":)" +
                               std::to_string(kT + 5 * kDay) +
                               R"(,"vc":{"type":["https://smarthealth.cards#health-card"]}})",
                           shc_kid, shc_key));

  // The same bundle, at different instants.
  struct Row {
    std::string name;
    const std::string& text;
    int64_t at_s;
    bool valid;
  };
  for (const Row& r : std::vector<Row>{
           {"mekong before iat", mk, kT - 3600, false},
           {"mekong in the key's window", mk, kT + kDay, true},
           {"mekong after the key's window", mk, kT + 3 * kDay, false},
           {"eu before the certificate", eu, kT + 5 * kDay, false},
           {"eu in the certificate", eu, kT + 15 * kDay, true},
           {"eu after the certificate", eu, kT + 25 * kDay, false},
           {"eu after exp", eu, kT + 31 * kDay, false},
           {"shc before nbf", shc, kT - 3600, false},
           {"shc before exp", shc, kT + kDay, true},
           {"shc after exp", shc, kT + 6 * kDay, false},
       }) {
    Verdict v = Verify({r.text}, b, r.at_s * kMs);
    EXPECT_EQ(v.valid, r.valid) << r.name << ": " << v.reason;
  }
  Verdict s = Verify({shc}, b, kT * kMs);
  ASSERT_TRUE(s.expires_at.has_value());
  EXPECT_EQ(*s.expires_at, (kT + 5 * kDay) * kMs);
  EXPECT_EQ(Verify({shc}, b, (kT + 6 * kDay) * kMs).reason, "expired");
  EXPECT_NE(Verify({eu}, b, (kT + 5 * kDay) * kMs).reason.find("signer certificate"),
            std::string::npos);
}

TEST(Verify, OurCodesMustBeZlib) {
  auto key = *interop::PrivateKey::GenerateP256();
  TrustBundle b;
  TrustMekong(b, key, std::nullopt);
  EXPECT_TRUE(Verify({MekongCode(key, kT, kT + kDay)}, b, kT * kMs).valid);
  auto raw = [](std::string_view cose) { return interop::DeflateRaw(cose); };
  auto bad_check = [](std::string_view cose) {
    std::string z = interop::Deflate(cose);
    z[1] = 0x00;  // 0x78 0x00 fails RFC 1950's header check
    return z;
  };
  auto bare = [](std::string_view cose) { return std::string(cose); };
  for (auto frame : {+raw, +bad_check, +bare}) {
    Verdict v = Verify({MekongCode(key, kT, kT + kDay, frame)}, b, kT * kMs);
    EXPECT_FALSE(v.valid);
    EXPECT_EQ(v.reason, "not zlib-compressed");
  }
}

TEST(TrustBundle, ABundleWithoutRevocationListsStillLoads) {
  // A version 1 bundle as written before shc_crls existed.
  auto key = *interop::PrivateKey::GenerateP256();
  auto shc_key = *interop::PrivateKey::GenerateP256();
  auto xy = *shc_key.Public().P256Coordinates();
  Json old = {{"version", 1},
              {"generated_at", kT * kMs},
              {"mekong_keys",
               {{{"kid", HexEncode(Sha256(key.Public().SpkiDer()).substr(0, 8))},
                 {"spki", Base64Encode(key.Public().SpkiDer())},
                 {"verify_until", nullptr}}}},
              {"revoked", {"0011223344556677"}},
              {"eu_dcc", Json::array()},
              {"shc",
               {{{"issuer", "https://shc.example.kh"},
                 {"kid", *interop::JwkThumbprint(shc_key.Public())},
                 {"x", Base64UrlEncode(xy.first)},
                 {"y", Base64UrlEncode(xy.second)}}}}};
  auto b = BundleFromJson(old.dump());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->trust.size(), 2u);
  EXPECT_TRUE(b->trust.shc_crls().empty());
  EXPECT_TRUE(Verify({MekongCode(key, kT, kT + kDay)}, *b, kT * kMs).valid);
  // Written again, it gains an empty shc_crls and loads the same.
  Json again = Json::parse(BundleToJson(*b));
  EXPECT_EQ(again["shc_crls"], Json::array());
  EXPECT_EQ(BundleFromJson(again.dump())->trust.size(), 2u);
}

TEST(TrustBundle, RevocationListsRoundTripAndBadOnesAreRefused) {
  TrustBundle b;
  auto crl = interop::ParseShcCrl(
      R"({"kid":"k1","method":"rid","ctr":7,"rids":["a","b.1790000000"]})", "https://i.example");
  ASSERT_TRUE(crl.ok());
  b.trust.AddShcCrl(*crl);
  Json j = Json::parse(BundleToJson(b));
  ASSERT_EQ(j["shc_crls"].size(), 1u);
  EXPECT_EQ(j["shc_crls"][0],
            Json::parse(R"({"issuer":"https://i.example","kid":"k1","method":"rid","ctr":7,)"
                        R"("rids":["a","b.1790000000"]})"));
  auto back = BundleFromJson(j.dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const auto* held = back->trust.FindShcCrl("https://i.example", "k1");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->ctr, 7);
  EXPECT_EQ(held->rids, crl->rids);

  for (
      const char* bad : {
          R"({"version":1,"shc_crls":[{"kid":"k","method":"rid","ctr":1,"rids":[]}]})",
          R"({"version":1,"shc_crls":[{"issuer":"i","kid":"k","method":"rid","ctr":1,"rids":[" "]}]})",
          R"({"version":1,"shc_crls":[{"issuer":"i","method":"rid","ctr":1,"rids":[]}]})",
          R"({"version":1,"shc_crls":{}})",
          R"({"version":1,"shc_crls":[7]})",
          R"({"version":"1"})",
          R"({"version":1,"generated_at":1e300})",
          R"({"version":2})",
          R"([1])",
      }) {
    auto r = BundleFromJson(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().field(), "bundle") << bad;
  }
  // A key's verify_until is integer milliseconds or null.
  auto key = *interop::PrivateKey::GenerateP256();
  Json k = {{"kid", HexEncode(Sha256(key.Public().SpkiDer()).substr(0, 8))},
            {"spki", Base64Encode(key.Public().SpkiDer())}};
  for (const Json& until : {Json(nullptr), Json(1795000000000)}) {
    k["verify_until"] = until;
    EXPECT_TRUE(BundleFromJson(Json{{"version", 1}, {"mekong_keys", {k}}}.dump()).ok()) << until;
  }
  for (const Json& until : {Json(1e300), Json("soon")}) {
    k["verify_until"] = until;
    EXPECT_FALSE(BundleFromJson(Json{{"version", 1}, {"mekong_keys", {k}}}.dump()).ok()) << until;
  }
}

}  // namespace
}  // namespace mekong::healthcode
