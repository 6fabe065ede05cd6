#include "mekong/interop/cose.h"

#include <gtest/gtest.h>

#include "mekong/core/crypto.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/shc.h"

namespace mekong::interop {
namespace {

TEST(Keys, Es256SignVerifyAndPemRoundTrip) {
  auto key = PrivateKey::GenerateP256();
  ASSERT_TRUE(key.ok());
  auto sig = key->SignEs256("hello");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), 64u);
  PublicKey pub = key->Public();
  EXPECT_TRUE(pub.is_ec_p256());
  EXPECT_TRUE(pub.VerifyEs256("hello", *sig).ok());
  EXPECT_FALSE(pub.VerifyEs256("hellO", *sig).ok());
  EXPECT_FALSE(pub.VerifyEs256("hello", sig->substr(1)).ok());
  auto again = PrivateKey::FromPem(key->Pem());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->Public().VerifyEs256("x", *key->SignEs256("x")).ok());
  auto from_pem = PublicKey::FromPem(pub.Pem());
  ASSERT_TRUE(from_pem.ok());
  EXPECT_EQ(from_pem->SpkiDer(), pub.SpkiDer());
  EXPECT_FALSE(
      PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").ok());
}

TEST(Keys, SelfSignedCertificateCarriesKeyAndUsage) {
  auto key = PrivateKey::GenerateP256();
  auto cert = Certificate::SelfSigned(*key, "Mekong DSC", "VN", 1700000000, 1900000000,
                                      {"1.3.6.1.4.1.1847.2021.1.2"});
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  EXPECT_EQ(cert->not_before(), 1700000000);
  EXPECT_EQ(cert->not_after(), 1900000000);
  EXPECT_NE(cert->subject().find("Mekong DSC"), std::string::npos);
  ASSERT_EQ(cert->extended_key_usage().size(), 1u);
  EXPECT_EQ(cert->extended_key_usage()[0], "1.3.6.1.4.1.1847.2021.1.2");
  EXPECT_EQ(cert->public_key().SpkiDer(), key->Public().SpkiDer());
  auto reparsed = Certificate::FromPemOrBase64(Base64Encode(cert->der()));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(reparsed->der(), cert->der());
  EXPECT_FALSE(Certificate::FromDer("not a certificate").ok());
}

TEST(Cose, SignVerifyAndTamper) {
  auto key = PrivateKey::GenerateP256();
  auto signed_bytes = SignCoseSign1Es256("payload", "kid12345", *key);
  ASSERT_TRUE(signed_bytes.ok());
  auto msg = ParseCoseSign1(*signed_bytes);
  ASSERT_TRUE(msg.ok()) << msg.status().ToString();
  EXPECT_EQ(msg->payload, "payload");
  EXPECT_EQ(msg->KeyId(), "kid12345");
  EXPECT_EQ(*msg->Algorithm(), kCoseAlgEs256);
  EXPECT_TRUE(VerifyCoseSign1(*msg, key->Public()).ok());
  EXPECT_FALSE(VerifyCoseSign1(*msg, PrivateKey::GenerateP256()->Public()).ok());

  CoseSign1 tampered = *msg;
  tampered.payload[0] ^= 1;
  EXPECT_FALSE(VerifyCoseSign1(tampered, key->Public()).ok());

  // An algorithm only in the unprotected header is refused, even with a good signature.
  CoseSign1 moved = *msg;
  moved.protected_header = Cbor::Map({});
  moved.unprotected = Cbor::Map({{Cbor::Int(kCoseHeaderAlg), Cbor::Int(kCoseAlgEs256)}});
  auto alg = moved.Algorithm();
  ASSERT_FALSE(alg.ok());
  EXPECT_NE(alg.status().message().find("unprotected"), std::string::npos);

  EXPECT_FALSE(ParseCoseSign1("\xd2\x80").ok());  // tag 18 over an empty array
  EXPECT_FALSE(ParseCoseSign1(EncodeCbor(Cbor::Tag(99, Cbor::Array({})))).ok());
}

TEST(Jwk, ThumbprintFollowsRfc7638) {
  // The SMART Health Cards example issuer's key, whose kid is its thumbprint.
  auto pub = PublicKey::FromJwkP256("11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
                                    "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8");
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_EQ(*JwkThumbprint(*pub), "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
  EXPECT_FALSE(PublicKey::FromJwkP256("AAAA", "AAAA").ok());
}

}  // namespace
}  // namespace mekong::interop
