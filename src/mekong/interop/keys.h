// Public and private keys and X.509 certificates over OpenSSL 3, for COSE and JWS signatures.
// Values are cheap to copy (they share the OpenSSL object) and safe to use from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace mekong::interop {

class PublicKey {
 public:
  static Result<PublicKey> FromSpkiDer(std::string_view der);
  static Result<PublicKey> FromPem(std::string_view pem);
  // An EC P-256 key from a JWK's base64url x and y coordinates.
  static Result<PublicKey> FromJwkP256(std::string_view x_b64url, std::string_view y_b64url);

  bool is_ec_p256() const;
  bool is_ec() const;
  bool is_rsa() const;
  std::string SpkiDer() const;
  std::string Pem() const;
  // The uncompressed point's x and y (32 bytes each) of a P-256 key.
  Result<std::pair<std::string, std::string>> P256Coordinates() const;

  // ES256: SHA-256 + ECDSA, signature as raw r || s (64 bytes on P-256), as COSE and JWS use.
  // Any EC curve is accepted here; callers that must insist on P-256 check is_ec_p256().
  Status VerifyEs256(std::string_view message, std::string_view raw_signature) const;
  // PS256: SHA-256 + RSASSA-PSS, MGF1-SHA-256, salt length 32.
  Status VerifyPs256(std::string_view message, std::string_view signature) const;

  EVP_PKEY* get() const { return key_.get(); }

 private:
  explicit PublicKey(std::shared_ptr<EVP_PKEY> k) : key_(std::move(k)) {}
  std::shared_ptr<EVP_PKEY> key_;
  friend class PrivateKey;
  friend class Certificate;
};

class PrivateKey {
 public:
  static Result<PrivateKey> GenerateP256();
  static Result<PrivateKey> FromPem(std::string_view pem);  // PKCS#8 or traditional
  std::string Pem() const;                                  // PKCS#8
  PublicKey Public() const;
  // ES256 over `message`; raw r || s, 64 bytes.
  Result<std::string> SignEs256(std::string_view message) const;

 private:
  explicit PrivateKey(std::shared_ptr<EVP_PKEY> k) : key_(std::move(k)) {}
  std::shared_ptr<EVP_PKEY> key_;
  friend class Certificate;
};

class Certificate {
 public:
  static Result<Certificate> FromDer(std::string_view der);
  // PEM, or bare base64 of the DER (as trust lists and the EU test data carry it).
  static Result<Certificate> FromPemOrBase64(std::string_view text);
  // A self-signed certificate for `key`, for tests and for a demo issuer.
  static Result<Certificate> SelfSigned(const PrivateKey& key, std::string_view common_name,
                                        std::string_view country, int64_t not_before_s,
                                        int64_t not_after_s,
                                        const std::vector<std::string>& extended_key_usage_oids);

  const std::string& der() const { return der_; }
  PublicKey public_key() const;
  int64_t not_before() const { return not_before_; }  // Unix seconds
  int64_t not_after() const { return not_after_; }
  std::string subject() const { return subject_; }
  const std::vector<std::string>& extended_key_usage() const { return eku_; }  // dotted OIDs

 private:
  Certificate() = default;
  std::string der_;
  std::shared_ptr<EVP_PKEY> key_;
  int64_t not_before_ = 0, not_after_ = 0;
  std::string subject_;
  std::vector<std::string> eku_;
};

}  // namespace mekong::interop
