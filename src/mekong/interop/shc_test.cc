// The SMART Health Cards spec examples verify with the example issuer's published keys.
#include "mekong/interop/shc.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace mekong::interop {
namespace {

const std::string kDir = std::string(MEKONG_TESTDATA) + "/smart-health-cards/";
const std::string kIssuer = "https://spec.smarthealth.cards/examples/issuer";

std::string Read(const std::string& name) {
  std::ifstream in(kDir + name);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

TrustList ExampleIssuer() {
  TrustList trust;
  auto keys = ParseJwks(Read("issuer/.well-known/jwks.json"), kIssuer);
  EXPECT_TRUE(keys.ok()) << keys.status().ToString();
  if (keys.ok()) {
    for (auto& k : *keys) trust.Add(std::move(k));
  }
  return trust;
}

TEST(Shc, ExamplesVerifyWithThePublishedKeys) {
  TrustList trust = ExampleIssuer();
  for (const char* n : {"00", "01"}) {
    SCOPED_TRACE(n);
    std::string qr = Read(std::string("example-") + n + "-f-qr-code-numeric-value-0.txt");
    ShcVerification r = VerifyShc({qr}, trust, 1700000000);
    EXPECT_TRUE(r.valid) << r.reason;
    EXPECT_EQ(r.issuer, kIssuer);
    EXPECT_NE(std::find(r.types.begin(), r.types.end(), "https://smarthealth.cards#health-card"),
              r.types.end());
    auto bundle = nlohmann::json::parse(r.fhir_bundle_json);
    EXPECT_EQ(bundle["resourceType"], "Bundle");
    // The QR text decodes to exactly the published compact JWS.
    EXPECT_EQ(*ShcToJws({qr}), Read(std::string("example-") + n + "-d-jws.txt"));
  }
}

TEST(Shc, MultiPartExampleReassemblesInAnyOrder) {
  std::vector<std::string> parts = {Read("example-02-f-qr-code-numeric-value-2.txt"),
                                    Read("example-02-f-qr-code-numeric-value-0.txt"),
                                    Read("example-02-f-qr-code-numeric-value-1.txt")};
  auto jws = ShcToJws(parts);
  ASSERT_TRUE(jws.ok()) << jws.status().ToString();
  EXPECT_EQ(*jws, Read("example-02-d-jws.txt"));
  EXPECT_TRUE(VerifyShc(parts, ExampleIssuer(), 1700000000).valid);
  parts.pop_back();
  EXPECT_FALSE(ShcToJws(parts).ok());
}

TEST(Shc, AChangedByteFails) {
  TrustList trust = ExampleIssuer();
  std::string jws = Read("example-00-d-jws.txt");
  size_t sig = jws.rfind('.');
  for (size_t pos : {size_t{10}, jws.size() / 2, sig + 5}) {
    std::string changed = jws;
    changed[pos] = changed[pos] == 'A' ? 'B' : 'A';
    ShcVerification r = VerifyShcJws(changed, trust, 1700000000);
    EXPECT_FALSE(r.valid) << pos;
    EXPECT_FALSE(r.reason.empty());
  }
  EXPECT_FALSE(VerifyShcJws(jws, TrustList(), 1700000000).valid);  // untrusted issuer
  for (const char* junk : {"shc:/", "shc:/1", "shc:/99", "shc:/x1", "shc:/1/2/00", "nope"}) {
    EXPECT_FALSE(VerifyShc({junk}, trust, 1700000000).valid) << junk;
  }
}

TEST(Shc, JwksRules) {
  EXPECT_FALSE(ParseJwks("[]", kIssuer).ok());
  EXPECT_FALSE(ParseJwks(R"({"keys":[]})", kIssuer).ok());
  // A kid that is not the thumbprint is refused.
  std::string jwks = Read("issuer/.well-known/jwks.json");
  std::string bad = jwks;
  bad.replace(bad.find("3Kfdg"), 5, "XXXXX");
  EXPECT_FALSE(ParseJwks(bad, kIssuer).ok());
}

}  // namespace
}  // namespace mekong::interop
