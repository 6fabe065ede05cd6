#include "mekong/interop/cose.h"

namespace mekong::interop {

Result<int64_t> CoseSign1::Algorithm(bool allow_unprotected) const {
  const Cbor* alg = protected_header.Find(kCoseHeaderAlg);
  if (!alg && allow_unprotected) alg = unprotected.Find(kCoseHeaderAlg);
  if (!alg) {
    if (unprotected.Find(kCoseHeaderAlg)) {
      return Status::InvalidArgument("the algorithm is named only in the unprotected header");
    }
    return Status::InvalidArgument("no algorithm in the protected header");
  }
  if (alg->kind() != Cbor::Kind::kInt)
    return Status::InvalidArgument("algorithm is not an integer");
  return alg->int_value();
}

std::string CoseSign1::KeyId() const {
  for (const Cbor* h : {&protected_header, &unprotected}) {
    const Cbor* kid = h->Find(kCoseHeaderKid);
    if (kid && (kid->kind() == Cbor::Kind::kBytes || kid->kind() == Cbor::Kind::kText))
      return kid->bytes();
  }
  return {};
}

Result<CoseSign1> ParseCoseSign1(std::string_view bytes) {
  ASSIGN_OR_RETURN(Cbor v, DecodeCbor(bytes));
  // Peel CWT (61) and COSE_Sign1 (18) tags in either nesting.
  for (int i = 0; i < 2 && v.kind() == Cbor::Kind::kTag; ++i) {
    if (v.tag() != 18 && v.tag() != 61) {
      return Status::InvalidArgument("CBOR tag " + std::to_string(v.tag()) + " is not COSE_Sign1");
    }
    Cbor inner = v.tagged();
    v = std::move(inner);
  }
  if (v.kind() != Cbor::Kind::kArray || v.array().size() != 4) {
    return Status::InvalidArgument("COSE_Sign1 is an array of 4 items");
  }
  const auto& a = v.array();
  if (a[0].kind() != Cbor::Kind::kBytes || a[1].kind() != Cbor::Kind::kMap ||
      (a[2].kind() != Cbor::Kind::kBytes && a[2].kind() != Cbor::Kind::kNull) ||
      a[3].kind() != Cbor::Kind::kBytes) {
    return Status::InvalidArgument("COSE_Sign1 items have the wrong types");
  }
  CoseSign1 m;
  m.protected_bytes = a[0].bytes();
  if (!m.protected_bytes.empty()) {
    ASSIGN_OR_RETURN(m.protected_header, DecodeCbor(m.protected_bytes));
    if (m.protected_header.kind() != Cbor::Kind::kMap) {
      return Status::InvalidArgument("COSE protected header is not a map");
    }
  }
  m.unprotected = a[1];
  if (a[2].kind() == Cbor::Kind::kNull)
    return Status::InvalidArgument("detached COSE payloads are not supported");
  m.payload = a[2].bytes();
  m.signature = a[3].bytes();
  return m;
}

std::string SigStructure(const CoseSign1& msg) {
  return EncodeCbor(Cbor::Array({Cbor::Text("Signature1"), Cbor::Bytes(msg.protected_bytes),
                                 Cbor::Bytes(""), Cbor::Bytes(msg.payload)}));
}

Status VerifyCoseSign1(const CoseSign1& msg, const PublicKey& key, bool allow_unprotected_alg) {
  ASSIGN_OR_RETURN(int64_t alg, msg.Algorithm(allow_unprotected_alg));
  std::string tbs = SigStructure(msg);
  if (alg == kCoseAlgEs256) {
    if (!key.is_ec()) return Status::InvalidArgument("ES256 message but the key is not an EC key");
    return key.VerifyEs256(tbs, msg.signature);
  }
  if (alg == kCoseAlgPs256) {
    if (!key.is_rsa()) return Status::InvalidArgument("PS256 message but the key is not RSA");
    return key.VerifyPs256(tbs, msg.signature);
  }
  return Status::InvalidArgument("unsupported COSE algorithm " + std::to_string(alg));
}

Result<std::string> SignCoseSign1Es256(std::string_view payload, std::string_view kid,
                                       const PrivateKey& key) {
  CoseSign1 m;
  m.protected_bytes =
      EncodeCbor(Cbor::Map({{Cbor::Int(kCoseHeaderAlg), Cbor::Int(kCoseAlgEs256)},
                            {Cbor::Int(kCoseHeaderKid), Cbor::Bytes(std::string(kid))}}));
  m.payload = std::string(payload);
  ASSIGN_OR_RETURN(m.signature, key.SignEs256(SigStructure(m)));
  return EncodeCbor(Cbor::Tag(18, Cbor::Array({Cbor::Bytes(m.protected_bytes), Cbor::Map({}),
                                               Cbor::Bytes(m.payload), Cbor::Bytes(m.signature)})));
}

}  // namespace mekong::interop
