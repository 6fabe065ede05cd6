#include "mekong/healthcode/credential.h"

#include <nlohmann/json.hpp>

#include "mekong/core/crypto.h"
#include "mekong/core/time.h"
#include "mekong/interop/base45.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/cose.h"
#include "mekong/interop/eu_dcc.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/shc.h"
#include "mekong/interop/zlib_codec.h"
#include "mekong/store/feed.h"

namespace mekong::healthcode {

namespace {

using interop::Cbor;
using Json = nlohmann::json;

constexpr int64_t kClaimIss = 1, kClaimExp = 4, kClaimIat = 6, kClaimCti = 7;  // RFC 8392

KeyInfo KeyFrom(const store::Rows& r, size_t i) {
  return {r.Text(i, 0), *Base64Decode(r.Text(i, 1)), r.Int(i, 2), r.OptInt(i, 3), r.OptInt(i, 4)};
}
constexpr const char* kKeyCols = "kid, public_spki, created_at, retired_at, verify_until";

}  // namespace

Status PublishTrustChange(store::Executor& tx, int64_t now) {
  return store::Publish(tx, kTrustTopic, "", now);
}

namespace {

Result<KeyInfo> MakeKey(store::Executor& ex, int64_t now) {
  ASSIGN_OR_RETURN(auto key, interop::PrivateKey::GenerateP256());
  std::string spki = key.Public().SpkiDer();
  std::string kid = HexEncode(Sha256(spki).substr(0, 8));
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO healthcode_key (kid, private_pem, public_spki, created_at) VALUES (?, ?, ?, ?)",
      {kid, key.Pem(), Base64Encode(spki), now}));
  RETURN_IF_ERROR(PublishTrustChange(ex, now));
  return KeyInfo{kid, spki, now, std::nullopt, std::nullopt};
}

}  // namespace

Result<KeyInfo> ActiveKey(store::Executor& ex, int64_t now) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kKeyCols +
               " FROM healthcode_key WHERE retired_at IS NULL ORDER BY created_at DESC, kid "
               "LIMIT 1"));
  if (!r.empty()) return KeyFrom(r, 0);
  return MakeKey(ex, now);
}

Result<KeyInfo> RotateKey(store::Executor& ex, int64_t now, int64_t validity_ms) {
  RETURN_IF_ERROR(
      ex.Exec("UPDATE healthcode_key SET retired_at = ?, verify_until = ? WHERE retired_at IS NULL",
              {now, now + validity_ms}));
  return MakeKey(ex, now);
}

Result<std::vector<KeyInfo>> PublishedKeys(store::Executor& ex, int64_t now) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kKeyCols +
                   " FROM healthcode_key WHERE retired_at IS NULL OR verify_until > ? ORDER BY "
                   "created_at, kid",
               {now}));
  std::vector<KeyInfo> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(KeyFrom(r, i));
  return out;
}

Result<std::string> CodeId(store::Executor& ex, PersonId person) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT code_id FROM healthcode_subject WHERE person_id = ?",
                                    {person.value}));
  if (!r.empty()) return r.Text(0, 0);
  std::string id = Base64UrlEncode(RandomBytes(12));
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO healthcode_subject (person_id, code_id) VALUES (?, ?) ON CONFLICT (person_id) "
      "DO NOTHING",
      {person.value, id}));
  ASSIGN_OR_RETURN(
      r, ex.Query("SELECT code_id FROM healthcode_subject WHERE person_id = ?", {person.value}));
  return r.Text(0, 0);
}

Result<PersonId> PersonForCode(store::Executor& ex, std::string_view code_id) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT person_id FROM healthcode_subject WHERE code_id = ?",
                                    {std::string(code_id)}));
  if (r.empty()) return Status::NotFound("no person holds this code", "qr");
  return PersonId(r.Int(0, 0));
}

Result<Credential> Issue(store::Executor& ex, PersonId person, std::string_view issuer, int64_t now,
                         int64_t validity_ms) {
  ASSIGN_OR_RETURN(HealthCode code, Compute(ex, person, now));
  ASSIGN_OR_RETURN(std::string code_id, CodeId(ex, person));
  ASSIGN_OR_RETURN(KeyInfo info, ActiveKey(ex, now));
  ASSIGN_OR_RETURN(auto pem,
                   ex.Query("SELECT private_pem FROM healthcode_key WHERE kid = ?", {info.kid}));
  ASSIGN_OR_RETURN(auto key, interop::PrivateKey::FromPem(pem.Text(0, 0)));
  Credential c;
  c.issuer = std::string(issuer);
  c.code_id = code_id;
  c.colour = code.colour;
  c.issued_at = now / 1000 * 1000;
  c.expires_at = (now + validity_ms) / 1000 * 1000;
  std::string cti = RandomBytes(8);
  c.cti = HexEncode(cti);
  c.kid = info.kid;
  Cbor claims = Cbor::Map({
      {Cbor::Int(kClaimIss), Cbor::Text(c.issuer)},
      {Cbor::Int(kClaimIat), Cbor::Int(c.issued_at / 1000)},
      {Cbor::Int(kClaimExp), Cbor::Int(c.expires_at / 1000)},
      {Cbor::Int(kClaimCti), Cbor::Bytes(cti)},
      {Cbor::Int(kClaimCodeId), Cbor::Text(code_id)},
      {Cbor::Int(kClaimColour), Cbor::Int(static_cast<int64_t>(c.colour))},
  });
  ASSIGN_OR_RETURN(std::string kid_bytes, HexDecode(info.kid));
  ASSIGN_OR_RETURN(std::string cose,
                   interop::SignCoseSign1Es256(interop::EncodeCbor(claims), kid_bytes, key));
  c.text = std::string(kCredentialPrefix) + interop::Base45Encode(interop::Deflate(cose));
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO healthcode_issued (cti, person_id, issued_at, expires_at) VALUES (?, ?, ?, ?)",
      {c.cti, person.value, now, now + validity_ms}));
  return c;
}

Result<std::optional<PersonId>> CredentialHolder(store::Executor& ex, std::string_view cti_hex) {
  auto bytes = HexDecode(cti_hex);
  if (!bytes.ok() || bytes->size() != 8)
    return Status::InvalidArgument("must be 16 hex digits", "credential_id");
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT person_id FROM healthcode_issued WHERE cti = ?",
                                    {HexEncode(*bytes)}));
  if (r.empty()) return std::optional<PersonId>();
  return std::optional<PersonId>(PersonId(r.Int(0, 0)));
}

Result<int64_t> ForgetExpiredCredentials(store::Executor& ex, int64_t before) {
  return ex.Exec("DELETE FROM healthcode_issued WHERE expires_at < ?", {before});
}

Status Revoke(store::Executor& ex, std::string_view cti_hex, std::string_view reason, int64_t now) {
  auto bytes = HexDecode(cti_hex);
  if (!bytes.ok() || bytes->size() != 8)
    return Status::InvalidArgument("must be 16 hex digits", "credential_id");
  if (reason.empty() || reason.size() > 200)
    return Status::InvalidArgument("give a reason (1-200 bytes)", "reason");
  RETURN_IF_ERROR(
      ex.Exec("INSERT INTO healthcode_revocation (cti, reason, revoked_at) VALUES (?, ?, ?) ON "
              "CONFLICT (cti) DO NOTHING",
              {HexEncode(*bytes), std::string(reason), now}));
  return PublishTrustChange(ex, now);
}

Result<std::vector<std::string>> Revoked(store::Executor& ex) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT cti FROM healthcode_revocation ORDER BY cti"));
  std::vector<std::string> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

Status TrustEuCertificate(store::Executor& ex, std::string_view certificate_text,
                          std::string_view country, int64_t now) {
  auto cert = interop::Certificate::FromPemOrBase64(certificate_text);
  if (!cert.ok()) return Status::InvalidArgument(cert.status().message(), "certificate");
  if (country.size() != 2)
    return Status::InvalidArgument("must be an ISO 3166-1 alpha-2 code", "country");
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO trusted_issuer (kind, kid, issuer, material, added_at) VALUES ('eu_dcc', ?, "
      "?, ?, ?) "
      "ON CONFLICT (kind, kid, issuer) DO UPDATE SET material = excluded.material",
      {HexEncode(interop::EuKeyId(*cert)), std::string(country), Base64Encode(cert->der()), now}));
  return PublishTrustChange(ex, now);
}

Result<int> TrustShcIssuer(store::Executor& ex, std::string_view issuer, std::string_view jwks_json,
                           int64_t now) {
  if (issuer.rfind("https://", 0) != 0)
    return Status::InvalidArgument("must be an https:// URL", "issuer");
  auto keys = interop::ParseJwks(jwks_json, issuer);
  if (!keys.ok()) return Status::InvalidArgument(keys.status().message(), "jwks");
  for (const auto& k : *keys) {
    ASSIGN_OR_RETURN(auto xy, k.key.P256Coordinates());
    std::string material =
        Json{{"x", Base64UrlEncode(xy.first)}, {"y", Base64UrlEncode(xy.second)}}.dump();
    RETURN_IF_ERROR(ex.Exec(
        "INSERT INTO trusted_issuer (kind, kid, issuer, material, added_at) VALUES ('shc', ?, ?, "
        "?, ?) ON CONFLICT (kind, kid, issuer) DO UPDATE SET material = excluded.material",
        {k.kid, std::string(issuer), material, now}));
  }
  RETURN_IF_ERROR(PublishTrustChange(ex, now));
  return static_cast<int>(keys->size());
}

Result<int> ImportShcCrl(store::Executor& ex, std::string_view issuer, std::string_view crl_json,
                         int64_t now) {
  if (issuer.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("must be an https:// URL", "issuer");
  }
  auto crl = interop::ParseShcCrl(crl_json, issuer);
  if (!crl.ok()) return Status::InvalidArgument(crl.status().message(), "crl");
  ASSIGN_OR_RETURN(auto key, ex.Query("SELECT 1 FROM trusted_issuer WHERE kind = 'shc' AND kid = ? "
                                      "AND issuer = ?",
                                      {crl->kid, std::string(issuer)}));
  if (key.empty()) {
    return Status::FailedPrecondition("no trusted key " + crl->kid + " of " + std::string(issuer) +
                                          ": import the issuer's JWKS first",
                                      "crl");
  }
  ASSIGN_OR_RETURN(auto held, ex.Query("SELECT ctr FROM shc_crl WHERE issuer = ? AND kid = ?",
                                       {std::string(issuer), crl->kid}));
  if (!held.empty() && held.Int(0, 0) > crl->ctr) {
    return Status::FailedPrecondition("this list (ctr " + std::to_string(crl->ctr) +
                                          ") is older than the one held (ctr " +
                                          std::to_string(held.Int(0, 0)) + ")",
                                      "crl");
  }
  // The WHERE keeps a concurrent import of an older list from winning.
  RETURN_IF_ERROR(
      ex.Exec("INSERT INTO shc_crl (issuer, kid, ctr, crl, imported_at) VALUES (?, ?, "
              "?, ?, ?) ON CONFLICT (issuer, kid) DO UPDATE SET ctr = excluded.ctr, "
              "crl = excluded.crl, imported_at = excluded.imported_at WHERE "
              "shc_crl.ctr <= excluded.ctr",
              {std::string(issuer), crl->kid, crl->ctr, interop::ShcCrlToJson(*crl), now}));
  RETURN_IF_ERROR(PublishTrustChange(ex, now));
  return static_cast<int>(crl->rids.size());
}

// --- the trust bundle ----------------------------------------------------------------------

Result<TrustBundle> LoadBundle(store::Executor& ex, int64_t now) {
  Json j = {{"version", 1}, {"generated_at", now}};
  // Every key, not only PublishedKeys(now): the bundle may verify as of an earlier instant.
  ASSIGN_OR_RETURN(auto key_rows, ex.Query(std::string("SELECT ") + kKeyCols +
                                           " FROM healthcode_key ORDER BY created_at, kid"));
  std::vector<KeyInfo> keys;
  for (size_t i = 0; i < key_rows.size(); ++i) keys.push_back(KeyFrom(key_rows, i));
  j["mekong_keys"] = Json::array();
  for (const auto& k : keys) {
    j["mekong_keys"].push_back(
        {{"kid", k.kid},
         {"spki", Base64Encode(k.public_spki)},
         {"verify_until", k.verify_until ? Json(*k.verify_until) : Json(nullptr)}});
  }
  ASSIGN_OR_RETURN(auto revoked, Revoked(ex));
  j["revoked"] = revoked;
  ASSIGN_OR_RETURN(auto r,
                   ex.Query("SELECT kind, kid, issuer, material FROM trusted_issuer ORDER BY id"));
  j["eu_dcc"] = Json::array();
  // Our own EU DCC signer is trusted like any imported one.
  ASSIGN_OR_RETURN(auto own,
                   ex.Query("SELECT kid, certificate FROM dcc_signer ORDER BY created_at"));
  for (size_t i = 0; i < own.size(); ++i) {
    j["eu_dcc"].push_back(
        {{"kid", own.Text(i, 0)}, {"country", "mekong"}, {"certificate", own.Text(i, 1)}});
  }
  j["shc"] = Json::array();
  for (size_t i = 0; i < r.size(); ++i) {
    if (r.Text(i, 0) == "eu_dcc") {
      j["eu_dcc"].push_back(
          {{"kid", r.Text(i, 1)}, {"country", r.Text(i, 2)}, {"certificate", r.Text(i, 3)}});
    } else {
      Json m = Json::parse(r.Text(i, 3));
      j["shc"].push_back(
          {{"issuer", r.Text(i, 2)}, {"kid", r.Text(i, 1)}, {"x", m["x"]}, {"y", m["y"]}});
    }
  }
  j["shc_crls"] = Json::array();
  ASSIGN_OR_RETURN(auto crls, ex.Query("SELECT issuer, crl FROM shc_crl ORDER BY issuer, kid"));
  for (size_t i = 0; i < crls.size(); ++i) {
    Json c = Json::parse(crls.Text(i, 1));
    c["issuer"] = crls.Text(i, 0);
    j["shc_crls"].push_back(std::move(c));
  }
  return BundleFromJson(j.dump());
}

}  // namespace mekong::healthcode
