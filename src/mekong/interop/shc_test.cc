// The SMART Health Cards spec examples verify with the example issuer's published keys; cards
// signed here with real keys check the spec's rules (zip, exp, revocation lists).
#include "mekong/interop/shc.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mekong/core/crypto.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/zlib_codec.h"

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

// An issuer with a real P-256 key, trusted as an imported JWKS would make it.
struct Issuer {
  std::string url = "https://health.example.vn/shc";
  PrivateKey key = *PrivateKey::GenerateP256();
  std::string kid = *JwkThumbprint(key.Public());
  TrustList trust;
  Issuer() { trust.Add({TrustKind::kShc, kid, key.Public(), std::nullopt, url, std::nullopt}); }

  std::string Payload(const std::string& extra_claims, const std::string& vc_extra = "") const {
    return R"({"iss":")" + url + R"(",)" + extra_claims +
           R"("vc":{"type":["https://smarthealth.cards#health-card"],)" + vc_extra +
           R"("credentialSubject":{"fhirVersion":"4.0.1","fhirBundle":{"resourceType":"Bundle"}}}})";
  }
  // A compact JWS with any header, over the payload as given (compress it yourself).
  std::string Sign(const std::string& header_json, const std::string& payload_bytes) const {
    std::string signing_input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_bytes);
    return signing_input + "." + Base64UrlEncode(*key.SignEs256(signing_input));
  }
  // A card as the spec makes it.
  std::string Card(const std::string& payload_json) const {
    auto jws = SignShcJws(payload_json, kid, key);
    EXPECT_TRUE(jws.ok()) << jws.status().ToString();
    return *jws;
  }
};

const int64_t kT = 1790000000;

TEST(Shc, SignedCardsRoundTripThroughQrText) {
  Issuer is;
  std::string jws = is.Card(is.Payload(R"("nbf":1790000000,)"));
  std::string qr = JwsToShc(jws);
  EXPECT_EQ(qr.rfind("shc:/", 0), 0u);
  EXPECT_EQ(*ShcToJws({qr}), jws);
  ShcVerification r = VerifyShc({qr}, is.trust, kT);
  EXPECT_TRUE(r.valid) << r.reason;
  EXPECT_EQ(r.issuer, is.url);
  EXPECT_EQ(r.kid, is.kid);
  // And the published example QR text is what JwsToShc makes of the published JWS.
  EXPECT_EQ(JwsToShc(Read("example-00-d-jws.txt")),
            Read("example-00-f-qr-code-numeric-value-0.txt"));
}

TEST(Shc, ExpiredCardDoesNotVerify) {
  Issuer is;
  std::string jws = is.Card(is.Payload(R"("nbf":1790000000,"exp":1790000100.5,)"));
  ShcVerification ok = VerifyShcJws(jws, is.trust, kT + 50);
  EXPECT_TRUE(ok.valid) << ok.reason;
  ASSERT_TRUE(ok.expires_at.has_value());
  EXPECT_EQ(*ok.expires_at, kT + 100);
  EXPECT_TRUE(VerifyShcJws(jws, is.trust, kT + 100).valid);  // before 100.5
  for (int64_t at : {kT + 101, kT + 86400}) {
    ShcVerification r = VerifyShcJws(jws, is.trust, at);
    EXPECT_FALSE(r.valid) << at;
    EXPECT_TRUE(r.signature);
    EXPECT_EQ(r.reason, "expired");
  }
  // exp must be a number when present; a card without exp does not expire.
  EXPECT_FALSE(
      VerifyShcJws(is.Card(is.Payload(R"("nbf":1790000000,"exp":"soon",)")), is.trust, kT).valid);
  EXPECT_TRUE(
      VerifyShcJws(is.Card(is.Payload(R"("nbf":1790000000,)")), is.trust, kT + 1000000000).valid);
  // nbf, as before, against the same clock.
  EXPECT_FALSE(VerifyShcJws(jws, is.trust, kT - 3600).valid);
}

TEST(Shc, HeaderWithoutZipDefDoesNotVerify) {
  Issuer is;
  std::string payload = is.Payload(R"("nbf":1790000000,)");
  // Correctly signed by the trusted key, but not compressed and not saying zip: DEF.
  std::string plain = is.Sign(R"({"alg":"ES256","kid":")" + is.kid + R"("})", payload);
  ShcVerification r = VerifyShcJws(plain, is.trust, kT);
  EXPECT_FALSE(r.valid);
  EXPECT_NE(r.reason.find("zip"), std::string::npos) << r.reason;
  // Other values of zip, and a zip that is not text, fail the same way.
  for (const std::string zip :
       {R"("zip":"GZIP",)", R"("zip":"def",)", R"("zip":1,)", R"("zip":null,)"}) {
    std::string jws =
        is.Sign("{" + zip + R"("alg":"ES256","kid":")" + is.kid + R"("})", DeflateRaw(payload));
    EXPECT_FALSE(VerifyShcJws(jws, is.trust, kT).valid) << zip;
  }
  // The same header with zip: DEF, built by hand, verifies: the test forges nothing else.
  std::string good =
      is.Sign(R"({"zip":"DEF","alg":"ES256","kid":")" + is.kid + R"("})", DeflateRaw(payload));
  EXPECT_TRUE(VerifyShcJws(good, is.trust, kT).valid) << VerifyShcJws(good, is.trust, kT).reason;
}

TEST(Shc, JsonOfTheWrongTypeIsAVerdictNotAnException) {
  Issuer is;
  std::string payload = DeflateRaw(is.Payload(R"("nbf":1790000000,)"));
  for (const std::string header :
       {R"({"zip":"DEF","alg":1})", R"({"zip":"DEF","alg":"ES256","kid":[1]})",
        R"({"zip":["DEF"],"alg":"ES256"})"}) {
    ShcVerification r = VerifyShcJws(is.Sign(header, payload), is.trust, kT);
    EXPECT_FALSE(r.valid) << header;
    EXPECT_FALSE(r.reason.empty()) << header;
  }
  for (const std::string p : {R"({"iss":7,"vc":{}})", R"({"iss":"x","nbf":"x","vc":{"rid":5}})"}) {
    ShcVerification r = VerifyShcJws(is.Card(p), is.trust, kT);
    EXPECT_FALSE(r.valid) << p;
  }
  EXPECT_FALSE(ParseJwks(R"({"keys":[{"kty":1,"crv":"P-256","x":"a","y":"b"}]})", kIssuer).ok());
  EXPECT_FALSE(
      ParseJwks(R"({"keys":[{"kty":"EC","crv":"P-256","use":[],"x":"a","y":"b"}]})", kIssuer).ok());
}

std::string Crl(const std::string& kid, int ctr, const std::string& rids) {
  return R"({"kid":")" + kid + R"(","method":"rid","ctr":)" + std::to_string(ctr) + R"(,"rids":[)" +
         rids + "]}";
}

TEST(Shc, RevokedCardsDoNotVerify) {
  Issuer is;
  auto crl = ParseShcCrl(Crl(is.kid, 3, R"("lost-card-1","reissued.1790000000","a.1")"), is.url);
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  TrustList trust = is.trust;
  trust.AddShcCrl(*crl);
  auto card = [&](const std::string& nbf, const std::string& rid) {
    return is.Card(is.Payload(R"("nbf":)" + nbf + ",", R"("rid":")" + rid + R"(",)"));
  };
  // Listed without a timestamp: revoked whatever its nbf.
  ShcVerification r = VerifyShcJws(card("1790000000", "lost-card-1"), trust, kT);
  EXPECT_FALSE(r.valid);
  EXPECT_TRUE(r.signature);
  EXPECT_EQ(r.rid, "lost-card-1");
  EXPECT_EQ(r.reason.rfind("revoked", 0), 0u) << r.reason;
  // Listed with a timestamp: revoked only if issued (nbf) before it.
  EXPECT_FALSE(VerifyShcJws(card("1789999999.9", "reissued"), trust, kT).valid);
  EXPECT_TRUE(VerifyShcJws(card("1790000000", "reissued"), trust, kT).valid);
  EXPECT_TRUE(VerifyShcJws(card("1790000001", "reissued"), trust, kT).valid);
  // Not listed, or no rid: not revoked; and without the list, the listed card verifies.
  EXPECT_TRUE(VerifyShcJws(card("1790000000", "other"), trust, kT).valid);
  EXPECT_TRUE(VerifyShcJws(is.Card(is.Payload(R"("nbf":1790000000,)")), trust, kT).valid);
  EXPECT_TRUE(VerifyShcJws(card("1790000000", "lost-card-1"), is.trust, kT).valid);
  // A list applies only to its own issuer and kid.
  Issuer other;
  TrustList both = other.trust;
  auto foreign = ParseShcCrl(Crl(is.kid, 3, R"("lost-card-1")"), "https://elsewhere.example");
  both.AddShcCrl(*foreign);
  EXPECT_TRUE(
      VerifyShcJws(other.Card(other.Payload(R"("nbf":1790000000,)", R"("rid":"lost-card-1",)")),
                   both, kT)
          .valid);
  // A newer list replaces an older one for the same key; an older one does not replace it.
  trust.AddShcCrl(*ParseShcCrl(Crl(is.kid, 4, R"("other")"), is.url));
  EXPECT_TRUE(VerifyShcJws(card("1790000000", "lost-card-1"), trust, kT).valid);
  EXPECT_FALSE(VerifyShcJws(card("1790000000", "other"), trust, kT).valid);
  trust.AddShcCrl(*ParseShcCrl(Crl(is.kid, 2, R"("lost-card-1")"), is.url));
  EXPECT_TRUE(VerifyShcJws(card("1790000000", "lost-card-1"), trust, kT).valid);
  EXPECT_EQ(trust.shc_crls().size(), 1u);
}

TEST(Shc, RevocationListRules) {
  // The spec's example list for the example issuer's first key.
  const std::string kid = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
  auto example = ParseShcCrl(Read("issuer/.well-known/crl/" + kid + ".json"), kIssuer);
  ASSERT_TRUE(example.ok()) << example.status().ToString();
  EXPECT_EQ(example->kid, kid);
  EXPECT_EQ(example->issuer, kIssuer);
  EXPECT_EQ(example->ctr, 1);
  ASSERT_EQ(example->rids.size(), 4u);
  EXPECT_EQ(example->rids.at("vwAjHdarZuc"), std::optional<int64_t>(1687450765));
  EXPECT_EQ(example->rids.at("FKDIxsTCGlU"), std::nullopt);
  EXPECT_TRUE(example->Revokes("FKDIxsTCGlU", std::nullopt));
  EXPECT_TRUE(example->Revokes("vwAjHdarZuc", 1687450764));
  EXPECT_FALSE(example->Revokes("vwAjHdarZuc", 1687450765));
  EXPECT_TRUE(example->Revokes("vwAjHdarZuc", std::nullopt));  // no nbf: counts as before
  EXPECT_FALSE(example->Revokes("MKyCxh7p6uQ", 0));            // example 00's rid is not listed
  // Back to JSON and again: the same list.
  auto again = ParseShcCrl(ShcCrlToJson(*example), kIssuer);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->rids, example->rids);
  EXPECT_EQ(again->ctr, 1);
  // A rid listed twice keeps the wider revocation.
  auto twice = ParseShcCrl(Crl(kid, 1, R"("a.100","a.200","b.5","b")"), kIssuer);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->rids.at("a"), std::optional<int64_t>(200));
  EXPECT_EQ(twice->rids.at("b"), std::nullopt);
  EXPECT_TRUE(ParseShcCrl(Crl(kid, 1, ""), kIssuer).ok());  // an empty list is a list

  for (const std::string bad : {std::string("not json"),
                                std::string("[]"),
                                std::string(R"({"method":"rid","ctr":1,"rids":[]})"),
                                std::string(R"({"kid":"k","method":"other","ctr":1,"rids":[]})"),
                                std::string(R"({"kid":"k","method":"rid","rids":[]})"),
                                std::string(R"({"kid":"k","method":"rid","ctr":-1,"rids":[]})"),
                                std::string(R"({"kid":"k","method":"rid","ctr":1.5,"rids":[]})"),
                                std::string(R"({"kid":"k","method":"rid","ctr":"1","rids":[]})"),
                                std::string(R"({"kid":"k","method":"rid","ctr":1,"rids":"a"})"),
                                std::string(R"({"kid":"k","method":"rid","ctr":1})"),
                                Crl(kid, 1, "1"),
                                Crl(kid, 1, R"("")"),
                                Crl(kid, 1, R"("has space")"),
                                Crl(kid, 1, R"("a+b/c=")"),
                                Crl(kid, 1, R"(")" + std::string(25, 'a') + R"(")"),
                                Crl(kid, 1, R"("a.")"),
                                Crl(kid, 1, R"("a.12x")"),
                                Crl(kid, 1, R"("a.-5")"),
                                Crl(kid, 1, R"("a.1.2")"),
                                Crl(kid, 1, R"(".5")"),
                                Crl(kid, 1, R"("a.99999999999999999999")")}) {
    EXPECT_FALSE(ParseShcCrl(bad, kIssuer).ok()) << bad;
  }
  EXPECT_TRUE(ParseShcCrl(Crl(kid, 1, R"(")" + std::string(24, 'a') + R"(")"), kIssuer).ok());
}

}  // namespace
}  // namespace mekong::interop
