#include "mekong/healthcode/credential.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mekong/core/crypto.h"
#include "mekong/core/time.h"
#include "mekong/interop/base45.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/cose.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/shc.h"
#include "mekong/interop/zlib_codec.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/store/testing.h"

namespace mekong::healthcode {
namespace {

using interop::Cbor;
using Json = nlohmann::json;
const int64_t kNow = *ParseRfc3339("2026-11-23T08:00:00+07:00");
constexpr int64_t kDay = kMillisPerDay;

std::string ReadShared(const std::string& rel) {
  std::ifstream in(std::string(MEKONG_TESTDATA) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CredentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    const store::Module* modules[] = {&registry::kModule, &outbox::kModule, &kModule};
    ASSERT_TRUE(store::MigrateModules(*db_, modules).ok());
    auto unit = registry::CreateOrgUnit(*db_, {std::nullopt, "province", "Quảng Ninh", "VN-QN"});
    registry::Person p{.full_name = "Phạm Minh Tuấn",
                       .document_type = "national_id",
                       .document_number = "022199123456",
                       .nationality = "VN",
                       .language = "vi",
                       .org_unit = unit->id};
    person_ = registry::CreatePerson(*db_, p, kNow)->id;
  }

  Verdict Check(const std::string& text, int64_t at) {
    auto bundle = LoadBundle(*db_, at);
    EXPECT_TRUE(bundle.ok()) << bundle.status().ToString();
    return Verify({text}, *bundle, at);
  }

  std::unique_ptr<store::Database> db_;
  PersonId person_;
};

// Not a credential: the store-backed code, written for a reader (health_code.h Reader).
TEST_F(CredentialTest, CodesAreWrittenForTheirReader) {
  const int64_t reported = *ParseRfc3339("2026-11-23T02:00:00+07:00");  // 22 Nov in UTC
  auto recorded = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return RecordSymptoms(tx, person_, "ho", reported, kNow, {.zone = "Asia/Ho_Chi_Minh"});
  });
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->language, "vi");  // no language: the person's
  EXPECT_EQ(recorded->zone, "Asia/Ho_Chi_Minh");
  EXPECT_EQ(recorded->reasons[0].detail.rfind("Khai báo triệu chứng ngày 23 thg 11, 2026;", 0), 0u)
      << recorded->reasons[0].detail;
  // The default reader: the person's language, UTC (people have no zone yet).
  auto plain = Compute(*db_, person_, kNow);
  EXPECT_EQ(plain->zone, "UTC");
  EXPECT_EQ(plain->reasons[0].detail.rfind("Khai báo triệu chứng ngày 22 thg 11, 2026;", 0), 0u)
      << plain->reasons[0].detail;
  // A staff reader in their own language and zone.
  auto officer = Compute(*db_, person_, kNow, {"zh-CN", "Asia/Shanghai"});
  EXPECT_EQ(officer->language, "zh-CN");
  EXPECT_EQ(officer->reasons[0].detail.rfind("2026年11月23日报告症状", 0), 0u)
      << officer->reasons[0].detail;
  EXPECT_NE(officer->reasons[0].detail.find("（Asia/Shanghai）"), std::string::npos);
}

TEST_F(CredentialTest, IssuedCodesVerifyOfflineWithColourAndNoPersonalData) {
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return RecordSymptoms(tx, person_, "cough", kNow - kDay, kNow);
              }).ok());
  auto c = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Issue(tx, person_, "VN-QN", kNow, kDay); });
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->text.rfind("MK1:", 0), 0u);
  EXPECT_EQ(c->text.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"),
            std::string::npos);
  EXPECT_EQ(c->colour, Colour::kYellow);
  EXPECT_EQ(c->expires_at - c->issued_at, 86400 * 1000);

  Verdict v = Check(c->text, kNow + kMillisPerHour);
  EXPECT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.format, "mekong");
  EXPECT_EQ(v.issuer, "VN-QN");
  auto details = Json::parse(v.details_json);
  EXPECT_EQ(details["colour"], "yellow");
  EXPECT_EQ(details["code_id"], c->code_id);
  EXPECT_EQ(details["credential_id"], c->cti);
  // The same person keeps one code id; the payload names no one.
  EXPECT_EQ(store::testing::InTx(
                *db_, [&](store::Executor& tx) { return Issue(tx, person_, "VN-QN", kNow, kDay); })
                ->code_id,
            c->code_id);
  std::string cose = *interop::Inflate(*interop::Base45Decode(c->text.substr(4)), 1 << 16);
  EXPECT_EQ(cose.find("022199123456"), std::string::npos);
  EXPECT_EQ(cose.find("Tuấn"), std::string::npos);
}

TEST_F(CredentialTest, ExpiryRevocationAndTampering) {
  auto c = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Issue(tx, person_, "VN-QN", kNow, kDay); });
  EXPECT_EQ(Check(c->text, kNow + kDay + 1000).reason, "expired");
  EXPECT_EQ(Check(c->text, kNow - kMillisPerHour).reason, "issued in the future");
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return Revoke(tx, c->cti, "phone reported stolen", kNow);
              }).ok());
  EXPECT_EQ(Check(c->text, kNow).reason, "revoked");
  EXPECT_EQ(
      store::testing::InTx(*db_, [&](store::Executor& tx) { return Revoke(tx, "xyz", "r", kNow); })
          .field(),
      "credential_id");
  EXPECT_EQ(
      store::testing::InTx(*db_, [&](store::Executor& tx) { return Revoke(tx, c->cti, "", kNow); })
          .field(),
      "reason");

  auto fresh = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Issue(tx, person_, "VN-QN", kNow, kDay); });
  for (size_t pos : {size_t{4}, fresh->text.size() / 2, fresh->text.size() - 1}) {
    std::string changed = fresh->text;
    changed[pos] = changed[pos] == 'A' ? 'B' : 'A';
    Verdict v = Check(changed, kNow);
    EXPECT_FALSE(v.valid) << pos;
    EXPECT_FALSE(v.reason.empty());
  }
  for (const std::string& junk :
       {std::string("MK1:"), std::string("MK1:AB"), fresh->text.substr(0, 40),
        std::string("MK2:") + fresh->text.substr(4), std::string("MK1:") + std::string(5000, 'A'),
        std::string("hello"), std::string()}) {
    Verdict v = Check(junk, kNow);
    EXPECT_FALSE(v.valid) << junk.substr(0, 20);
    EXPECT_FALSE(v.reason.empty()) << junk.substr(0, 20);
  }
  TrustBundle empty;
  EXPECT_NE(Verify({fresh->text}, empty, kNow).reason.find("unknown key id"), std::string::npos);
}

// Builds a credential by hand, to test what Issue never produces.
std::string Forge(const Cbor& protected_header, const Cbor& unprotected,
                  const interop::PrivateKey& key) {
  interop::CoseSign1 m;
  m.protected_bytes = protected_header.map().empty() ? "" : interop::EncodeCbor(protected_header);
  m.payload = interop::EncodeCbor(Cbor::Map({{Cbor::Int(1), Cbor::Text("VN-QN")},
                                             {Cbor::Int(6), Cbor::Int(kNow / 1000)},
                                             {Cbor::Int(4), Cbor::Int(kNow / 1000 + 3600)},
                                             {Cbor::Int(7), Cbor::Bytes("12345678")},
                                             {Cbor::Int(kClaimCodeId), Cbor::Text("x")},
                                             {Cbor::Int(kClaimColour), Cbor::Int(0)}}));
  std::string sig = *key.SignEs256(interop::SigStructure(m));
  std::string cose =
      interop::EncodeCbor(Cbor::Tag(18, Cbor::Array({Cbor::Bytes(m.protected_bytes), unprotected,
                                                     Cbor::Bytes(m.payload), Cbor::Bytes(sig)})));
  return "MK1:" + interop::Base45Encode(interop::Deflate(cose));
}

TEST_F(CredentialTest, WrongAlgorithmsAndUntrustedKeysAreRefused) {
  auto info = store::testing::InTx(*db_, [&](store::Executor& tx) { return ActiveKey(tx, kNow); });
  ASSERT_TRUE(info.ok());
  std::string kid = *HexDecode(info->kid);
  auto pem = db_->Query("SELECT private_pem FROM healthcode_key WHERE kid = ?", {info->kid});
  auto real_key = interop::PrivateKey::FromPem(pem->Text(0, 0));
  ASSERT_TRUE(real_key.ok());
  auto attacker = interop::PrivateKey::GenerateP256();

  // Correctly signed by the real key, but the algorithm sits only in the unprotected header.
  std::string unprotected_alg = Forge(Cbor::Map({{Cbor::Int(4), Cbor::Bytes(kid)}}),
                                      Cbor::Map({{Cbor::Int(1), Cbor::Int(-7)}}), *real_key);
  EXPECT_NE(Check(unprotected_alg, kNow).reason.find("unprotected"), std::string::npos);
  // A PS256 label on an ES256 signature.
  std::string ps256 =
      Forge(Cbor::Map({{Cbor::Int(1), Cbor::Int(-37)}, {Cbor::Int(4), Cbor::Bytes(kid)}}),
            Cbor::Map({}), *real_key);
  EXPECT_NE(Check(ps256, kNow).reason.find("not ES256"), std::string::npos);
  // The real key id, an attacker's signature.
  std::string forged =
      Forge(Cbor::Map({{Cbor::Int(1), Cbor::Int(-7)}, {Cbor::Int(4), Cbor::Bytes(kid)}}),
            Cbor::Map({}), *attacker);
  EXPECT_NE(Check(forged, kNow).reason.find("signature"), std::string::npos);
  // The same, but signed by the real key, verifies: the test forges nothing the real key did not
  // sign.
  std::string genuine =
      Forge(Cbor::Map({{Cbor::Int(1), Cbor::Int(-7)}, {Cbor::Int(4), Cbor::Bytes(kid)}}),
            Cbor::Map({}), *real_key);
  EXPECT_TRUE(Check(genuine, kNow).valid) << Check(genuine, kNow).reason;
}

TEST_F(CredentialTest, RotatedKeysVerifyUntilTheirCredentialsExpire) {
  auto before = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Issue(tx, person_, "VN-QN", kNow, kDay); });
  auto rotated = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return RotateKey(tx, kNow + kMillisPerHour, kDay); });
  ASSERT_TRUE(rotated.ok());
  auto after = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return Issue(tx, person_, "VN-QN", kNow + 2 * kMillisPerHour, kDay);
  });
  EXPECT_NE(before->kid, after->kid);
  EXPECT_EQ(after->kid, rotated->kid);
  EXPECT_EQ(PublishedKeys(*db_, kNow + 2 * kMillisPerHour)->size(), 2u);
  EXPECT_TRUE(Check(before->text, kNow + 3 * kMillisPerHour).valid);
  EXPECT_TRUE(Check(after->text, kNow + 3 * kMillisPerHour).valid);
  // After the retired key's window it is no longer published.
  EXPECT_EQ(PublishedKeys(*db_, kNow + 2 * kDay)->size(), 1u);
}

TEST_F(CredentialTest, BundleRoundTripsAndCoversForeignCredentials) {
  auto c = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Issue(tx, person_, "VN-QN", kNow, kDay); });
  // An EU signer certificate from the public test data, and the SMART Health Cards example issuer.
  auto eu_case = Json::parse(ReadShared("eu-dcc/AT/2DCode/raw/1.json"));
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return TrustEuCertificate(tx, eu_case["TESTCTX"]["CERTIFICATE"].get<std::string>(),
                                          "AT", kNow);
              }).ok());
  auto n = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return TrustShcIssuer(tx, "https://spec.smarthealth.cards/examples/issuer",
                          ReadShared("smart-health-cards/issuer/.well-known/jwks.json"), kNow);
  });
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_GE(*n, 1);
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return TrustEuCertificate(tx, "not a certificate", "AT", kNow);
                                 })
                .field(),
            "certificate");
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return TrustShcIssuer(tx, "http://insecure", "{}", kNow);
                                 })
                .status()
                .field(),
            "issuer");

  auto bundle = LoadBundle(*db_, kNow);
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  auto again = BundleFromJson(BundleToJson(*bundle));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->trust.size(), bundle->trust.size());
  EXPECT_TRUE(Verify({c->text}, *again, kNow).valid);

  auto eu_clock = ParseRfc3339(eu_case["TESTCTX"]["VALIDATIONCLOCK"].get<std::string>());
  Verdict eu = Verify({eu_case["PREFIX"].get<std::string>()}, *again, *eu_clock);
  EXPECT_EQ(eu.format, "eu_dcc");
  EXPECT_TRUE(eu.valid) << eu.reason;
  Verdict shc = Verify({ReadShared("smart-health-cards/example-00-f-qr-code-numeric-value-0.txt")},
                       *again, kNow);
  EXPECT_EQ(shc.format, "shc");
  EXPECT_TRUE(shc.valid) << shc.reason;
  EXPECT_EQ(Verify({"WIFI:S:cafe;;"}, *again, kNow).format, "unknown");
  EXPECT_FALSE(BundleFromJson("{}").ok());
  EXPECT_FALSE(BundleFromJson(R"({"version":1,"mekong_keys":[{"kid":"zz"}]})").ok());
}

// A SMART Health Cards issuer with a real key, and its JWKS as it would publish it.
struct ShcIssuer {
  std::string url = "https://health.example.th/shc";
  interop::PrivateKey key = *interop::PrivateKey::GenerateP256();
  std::string kid = *interop::JwkThumbprint(key.Public());

  std::string Jwks() const {
    auto xy = *key.Public().P256Coordinates();
    return Json{{"keys",
                 {{{"kty", "EC"},
                   {"crv", "P-256"},
                   {"use", "sig"},
                   {"alg", "ES256"},
                   {"kid", kid},
                   {"x", Base64UrlEncode(xy.first)},
                   {"y", Base64UrlEncode(xy.second)}}}}}
        .dump();
  }
  std::string Crl(int ctr, const std::vector<std::string>& rids) const {
    return Json{{"kid", kid}, {"method", "rid"}, {"ctr", ctr}, {"rids", rids}}.dump();
  }
  std::string Card(const std::string& rid, int64_t nbf_s) const {
    Json payload = {{"iss", url},
                    {"nbf", nbf_s},
                    {"vc",
                     {{"type", {"https://smarthealth.cards#health-card"}},
                      {"rid", rid},
                      {"credentialSubject",
                       {{"fhirVersion", "4.0.1"}, {"fhirBundle", {{"resourceType", "Bundle"}}}}}}}};
    return interop::JwsToShc(*interop::SignShcJws(payload.dump(), kid, key));
  }
};

TEST_F(CredentialTest, ShcRevocationListsImportIntoTheBundleAndRevoke) {
  ShcIssuer is;
  const int64_t nbf = kNow / 1000 - 86400;
  // A list for a key nobody trusts is refused: import the issuer's keys first.
  auto early = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return ImportShcCrl(tx, is.url, is.Crl(1, {"stolen"}), kNow);
  });
  EXPECT_EQ(early.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(early.status().field(), "crl");
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return TrustShcIssuer(tx, is.url, is.Jwks(), kNow);
              }).ok());
  EXPECT_TRUE(Check(is.Card("stolen", nbf), kNow).valid);

  auto n = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return ImportShcCrl(tx, is.url, is.Crl(2, {"stolen", "reissued." + std::to_string(nbf)}), kNow);
  });
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 2);
  Verdict v = Check(is.Card("stolen", nbf), kNow);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.reason.rfind("revoked", 0), 0u) << v.reason;
  EXPECT_FALSE(Check(is.Card("reissued", nbf - 1), kNow).valid);
  EXPECT_TRUE(Check(is.Card("reissued", nbf), kNow).valid);
  EXPECT_TRUE(Check(is.Card("fine", nbf), kNow).valid);

  // The list travels in the bundle JSON, so an offline checkpoint revokes the same cards.
  auto bundle = LoadBundle(*db_, kNow);
  ASSERT_TRUE(bundle.ok());
  std::string json = BundleToJson(*bundle);
  auto crls = Json::parse(json)["shc_crls"];
  ASSERT_EQ(crls.size(), 1u);
  EXPECT_EQ(crls[0]["issuer"], is.url);
  EXPECT_EQ(crls[0]["kid"], is.kid);
  EXPECT_EQ(crls[0]["ctr"], 2);
  auto offline = BundleFromJson(json);
  ASSERT_TRUE(offline.ok()) << offline.status().ToString();
  EXPECT_FALSE(Verify({is.Card("stolen", nbf)}, *offline, kNow).valid);
  EXPECT_TRUE(Verify({is.Card("fine", nbf)}, *offline, kNow).valid);

  // An older list cannot undo a revocation; the same or a newer one replaces the list.
  auto older = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return ImportShcCrl(tx, is.url, is.Crl(1, {}), kNow); });
  EXPECT_EQ(older.status().code(), Code::kFailedPrecondition);
  EXPECT_FALSE(Check(is.Card("stolen", nbf), kNow).valid);
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return ImportShcCrl(tx, is.url, is.Crl(3, {"fine"}), kNow);
              }).ok());
  EXPECT_TRUE(Check(is.Card("stolen", nbf), kNow).valid);
  EXPECT_FALSE(Check(is.Card("fine", nbf), kNow).valid);

  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return ImportShcCrl(tx, "http://insecure", is.Crl(4, {}), kNow);
                                 })
                .status()
                .field(),
            "issuer");
  EXPECT_EQ(store::testing::InTx(
                *db_, [&](store::Executor& tx) { return ImportShcCrl(tx, is.url, "{}", kNow); })
                .status()
                .field(),
            "crl");
  EXPECT_EQ(store::testing::InTx(*db_,
                                 [&](store::Executor& tx) {
                                   return ImportShcCrl(tx, is.url, is.Crl(4, {"no spaces"}), kNow);
                                 })
                .status()
                .field(),
            "crl");

  // The spec's published example list imports for the example issuer's key.
  const std::string example = "https://spec.smarthealth.cards/examples/issuer";
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return TrustShcIssuer(tx, example,
                                      ReadShared("smart-health-cards/issuer/.well-known/jwks.json"),
                                      kNow);
              }).ok());
  auto ex = store::testing::InTx(*db_, [&](store::Executor& tx) {
    return ImportShcCrl(tx, example,
                        ReadShared("smart-health-cards/issuer/.well-known/crl/"
                                   "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json"),
                        kNow);
  });
  ASSERT_TRUE(ex.ok()) << ex.status().ToString();
  EXPECT_EQ(*ex, 4);
  // Example 00's rid is not on it.
  EXPECT_TRUE(
      Check(ReadShared("smart-health-cards/example-00-f-qr-code-numeric-value-0.txt"), kNow).valid);
}

TEST_F(CredentialTest, BundleVerifiesAsOfAnEarlierInstant) {
  // A code valid for 10 days, whose key is retired an hour later with a one-day window.
  auto c = store::testing::InTx(
      *db_, [&](store::Executor& tx) { return Issue(tx, person_, "VN-QN", kNow, 10 * kDay); });
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(store::testing::InTx(*db_, [&](store::Executor& tx) {
                return RotateKey(tx, kNow + kMillisPerHour, kDay);
              }).ok());
  // A checkpoint loads the bundle five days on, and is asked about a date inside the window.
  auto bundle = LoadBundle(*db_, kNow + 5 * kDay);
  ASSERT_TRUE(bundle.ok());
  Verdict then = Verify({c->text}, *bundle, kNow + 12 * kMillisPerHour);
  EXPECT_TRUE(then.valid) << then.reason;
  // After the key's window, and before the code was issued, it does not verify.
  EXPECT_NE(Verify({c->text}, *bundle, kNow + 2 * kDay).reason.find("retired"), std::string::npos);
  EXPECT_EQ(Verify({c->text}, *bundle, kNow - kMillisPerHour).reason, "issued in the future");
  // The same holds offline, through the bundle's JSON.
  auto offline = BundleFromJson(BundleToJson(*bundle));
  ASSERT_TRUE(offline.ok());
  EXPECT_TRUE(Verify({c->text}, *offline, kNow + 12 * kMillisPerHour).valid);
  EXPECT_FALSE(Verify({c->text}, *offline, kNow + 2 * kDay).valid);
  // keys.json still publishes only the keys to trust now.
  EXPECT_EQ(PublishedKeys(*db_, kNow + 5 * kDay)->size(), 1u);
}

}  // namespace
}  // namespace mekong::healthcode
