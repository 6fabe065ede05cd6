#include "mekong/interop/keys.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "mekong/core/crypto.h"

namespace mekong::interop {

namespace {

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* k) { return std::shared_ptr<EVP_PKEY>(k, EVP_PKEY_free); }

std::string OpenSslError(std::string_view what) {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  char buf[256] = "unknown error";
  if (e) ERR_error_string_n(e, buf, sizeof buf);
  return std::string(what) + ": " + buf;
}

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

std::string BioText(BIO* b) {
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  return std::string(data, static_cast<size_t>(n));
}

// The fixed DER prefix of a P-256 SubjectPublicKeyInfo holding an uncompressed point.
constexpr unsigned char kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                             0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04};

int64_t ToUnix(const ASN1_TIME* t) {
  struct tm tm {};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

Status DigestVerify(EVP_PKEY* key, std::string_view message, std::string_view sig, bool pss) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) != 1) {
    return Status::InvalidArgument(OpenSslError("key cannot verify"));
  }
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) != 1 ||
              EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1)) {
    return Status::InvalidArgument(OpenSslError("key cannot verify PS256"));
  }
  int ok =
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  if (ok != 1) return Status::InvalidArgument("signature does not verify");
  return Status::Ok();
}

}  // namespace

// --- PublicKey -------------------------------------------------------------------------------

Result<PublicKey> PublicKey::FromSpkiDer(std::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
  if (!k) return Status::InvalidArgument(OpenSslError("not a public key"));
  return PublicKey(Own(k));
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* k = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!k) return Status::InvalidArgument(OpenSslError("not a PEM public key"));
  return PublicKey(Own(k));
}

Result<PublicKey> PublicKey::FromJwkP256(std::string_view x_b64url, std::string_view y_b64url) {
  ASSIGN_OR_RETURN(std::string x, Base64Decode(x_b64url));
  ASSIGN_OR_RETURN(std::string y, Base64Decode(y_b64url));
  if (x.size() != 32 || y.size() != 32)
    return Status::InvalidArgument("a P-256 JWK has 32-byte x and y");
  std::string der(reinterpret_cast<const char*>(kP256SpkiPrefix), sizeof kP256SpkiPrefix);
  der += x + y;
  return FromSpkiDer(der);
}

bool PublicKey::is_ec_p256() const {
  if (!key_ || EVP_PKEY_get_base_id(key_.get()) != EVP_PKEY_EC) return false;
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key_.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &len) != 1) {
    return false;
  }
  return std::string_view(group) == "prime256v1" || std::string_view(group) == "P-256";
}

bool PublicKey::is_ec() const { return key_ && EVP_PKEY_get_base_id(key_.get()) == EVP_PKEY_EC; }

bool PublicKey::is_rsa() const {
  return key_ && (EVP_PKEY_get_base_id(key_.get()) == EVP_PKEY_RSA ||
                  EVP_PKEY_get_base_id(key_.get()) == EVP_PKEY_RSA_PSS);
}

std::string PublicKey::SpkiDer() const {
  unsigned char* out = nullptr;
  int n = i2d_PUBKEY(key_.get(), &out);
  if (n <= 0) return {};
  std::string der(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  OPENSSL_free(out);
  return der;
}

std::string PublicKey::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return BioText(bio.get());
}

Result<std::pair<std::string, std::string>> PublicKey::P256Coordinates() const {
  if (!is_ec_p256()) return Status::InvalidArgument("not a P-256 key");
  std::string der = SpkiDer();
  if (der.size() != sizeof kP256SpkiPrefix + 64)
    return Status::InvalidArgument("compressed P-256 point");
  return std::make_pair(der.substr(sizeof kP256SpkiPrefix, 32),
                        der.substr(sizeof kP256SpkiPrefix + 32, 32));
}

Status PublicKey::VerifyEs256(std::string_view message, std::string_view raw) const {
  // ECDSA with SHA-256 on the key's own curve: ES256 proper is P-256, but issuers in the EU
  // test data label P-384 signatures the same way and reference verifiers accept them.
  if (!key_ || EVP_PKEY_get_base_id(key_.get()) != EVP_PKEY_EC) {
    return Status::InvalidArgument("ECDSA signature but the key is not an EC key");
  }
  const size_t half = static_cast<size_t>(EVP_PKEY_get_bits(key_.get()) + 7) / 8;
  if (raw.size() != 2 * half) {
    return Status::InvalidArgument("an ECDSA signature on this curve is " +
                                   std::to_string(2 * half) + " bytes (r || s)");
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BN_bin2bn(bytes, static_cast<int>(half), nullptr),
                 BN_bin2bn(bytes + half, static_cast<int>(half), nullptr));
  unsigned char* der = nullptr;
  int n = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (n <= 0) return Status::InvalidArgument("malformed ECDSA signature");
  std::string der_sig(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return DigestVerify(key_.get(), message, der_sig, false);
}

Status PublicKey::VerifyPs256(std::string_view message, std::string_view signature) const {
  if (!is_rsa()) return Status::InvalidArgument("PS256 needs an RSA key");
  return DigestVerify(key_.get(), message, signature, true);
}

// --- PrivateKey ------------------------------------------------------------------------------

Result<PrivateKey> PrivateKey::GenerateP256() {
  EVP_PKEY* k = EVP_EC_gen("P-256");
  if (!k) return Status::Internal(OpenSslError("cannot generate a P-256 key"));
  return PrivateKey(Own(k));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!k) return Status::InvalidArgument(OpenSslError("not a PEM private key"));
  return PrivateKey(Own(k));
}

std::string PrivateKey::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return BioText(bio.get());
}

PublicKey PrivateKey::Public() const {
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key_.get(), &der);
  const unsigned char* p = der;
  EVP_PKEY* pub = d2i_PUBKEY(nullptr, &p, n);
  OPENSSL_free(der);
  return PublicKey(Own(pub));
}

Result<std::string> PrivateKey::SignEs256(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return Status::Internal(OpenSslError("ES256 signing failed"));
  }
  std::string der(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return Status::Internal(OpenSslError("ES256 signing failed"));
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(len));
  if (!sig) return Status::Internal("ES256 signature did not parse");
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return raw;
}

// --- Certificate -----------------------------------------------------------------------------

Result<Certificate> Certificate::FromDer(std::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> x(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!x) return Status::InvalidArgument(OpenSslError("not an X.509 certificate"));
  Certificate c;
  c.der_ = std::string(der);
  EVP_PKEY* k = X509_get_pubkey(x.get());
  if (!k) return Status::InvalidArgument(OpenSslError("certificate has no usable public key"));
  c.key_ = Own(k);
  c.not_before_ = ToUnix(X509_get0_notBefore(x.get()));
  c.not_after_ = ToUnix(X509_get0_notAfter(x.get()));
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(x.get()), 0,
                     XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  c.subject_ = BioText(bio.get());
  auto* eku = static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(x.get(), NID_ext_key_usage, nullptr, nullptr));
  if (eku) {
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku); ++i) {
      char oid[128];
      OBJ_obj2txt(oid, sizeof oid, sk_ASN1_OBJECT_value(eku, i), 1);
      c.eku_.emplace_back(oid);
    }
    EXTENDED_KEY_USAGE_free(eku);
  }
  return c;
}

Result<Certificate> Certificate::FromPemOrBase64(std::string_view text) {
  std::string body;
  bool in_armor = text.find("-----BEGIN") != std::string_view::npos;
  bool inside = !in_armor;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    if (line.rfind("-----BEGIN", 0) == 0) {
      inside = true;
      continue;
    }
    if (line.rfind("-----END", 0) == 0) break;
    if (!inside) continue;
    for (char c : line) {
      if (c != ' ' && c != '\r' && c != '\t') body += c;
    }
  }
  ASSIGN_OR_RETURN(std::string der, Base64Decode(body));
  return FromDer(der);
}

Result<Certificate> Certificate::SelfSigned(const PrivateKey& key, std::string_view common_name,
                                            std::string_view country, int64_t not_before_s,
                                            int64_t not_after_s,
                                            const std::vector<std::string>& eku_oids) {
  std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), static_cast<long>(not_before_s & 0x7fffffff));
  ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(not_before_s));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(not_after_s));
  X509_NAME* name = X509_get_subject_name(x.get());
  std::string cn(common_name), c(country);
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(c.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  PublicKey pub = key.Public();
  X509_set_pubkey(x.get(), pub.get());
  if (!eku_oids.empty()) {
    std::string list;
    for (const auto& oid : eku_oids) list += (list.empty() ? "" : ",") + oid;
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, NID_ext_key_usage, list.c_str());
    if (!ext) return Status::InvalidArgument(OpenSslError("bad extended key usage"));
    X509_add_ext(x.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(x.get(), key.key_.get(), EVP_sha256()) <= 0) {
    return Status::Internal(OpenSslError("cannot sign certificate"));
  }
  unsigned char* der = nullptr;
  int n = i2d_X509(x.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return FromDer(out);
}

PublicKey Certificate::public_key() const { return PublicKey(key_); }

}  // namespace mekong::interop
