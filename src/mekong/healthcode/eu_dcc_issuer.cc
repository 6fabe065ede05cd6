#include "mekong/healthcode/eu_dcc_issuer.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "mekong/core/crypto.h"
#include "mekong/core/time.h"
#include "mekong/healthcode/credential.h"
#include "mekong/interop/eu_dcc.h"
#include "mekong/interop/keys.h"
#include "mekong/registry/registry.h"

namespace mekong::healthcode {

namespace {

using Json = nlohmann::json;

// Nationalities whose names are written family name first.
const std::set<std::string> kFamilyFirst = {"VN", "CN", "KR", "JP", "KH",
                                            "HU", "TW", "HK", "MO", "SG"};

// Required fields of each entry type (EU DCC schema 1.3).
const std::map<std::string, std::vector<std::string>> kRequired = {
    {"v", {"tg", "vp", "mp", "ma", "dn", "sd", "dt"}},
    {"t", {"tg", "tt", "sc", "tr", "tc"}},
    {"r", {"tg", "fr", "df", "du"}},
};

// Luhn mod N over the alphabet 0-9 A-Z / : (N = 38), as the UVCI checksum.
char LuhnModN(std::string_view text) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ/:";
  const int n = static_cast<int>(kAlphabet.size());
  int factor = 2, sum = 0;
  for (auto it = text.rbegin(); it != text.rend(); ++it) {
    size_t code = kAlphabet.find(*it);
    if (code == std::string_view::npos) continue;
    int addend = factor * static_cast<int>(code);
    factor = factor == 2 ? 1 : 2;
    sum += addend / n + addend % n;
  }
  return kAlphabet[static_cast<size_t>((n - sum % n) % n)];
}

}  // namespace

std::string IcaoTransliterate(std::string_view name) {
  static std::mutex mu;
  static std::unique_ptr<icu::Transliterator> latin;
  std::lock_guard lock(mu);  // ICU transliterators are not thread-safe
  if (!latin) {
    UErrorCode err = U_ZERO_ERROR;
    latin.reset(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Upper", UTRANS_FORWARD, err));
    if (U_FAILURE(err)) latin.reset();
  }
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  // Vietnamese đ has no decomposition: ICAO 9303 writes it D.
  s.findAndReplace(u"Đ", u"D");
  s.findAndReplace(u"đ", u"d");
  if (latin) latin->transliterate(s);
  std::string ascii;
  s.toUTF8String(ascii);
  std::string out;
  for (char c : ascii) {
    char u = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    if (u >= 'A' && u <= 'Z') {
      out += u;
    } else if (!out.empty() && out.back() != '<') {
      out += '<';  // spaces, hyphens and apostrophes become the filler
    }
  }
  while (!out.empty() && out.back() == '<') out.pop_back();
  return out.substr(0, 80);
}

Result<DccSigner> DccSignerCertificate(store::Executor& ex, std::string_view country, int64_t now) {
  ASSIGN_OR_RETURN(
      auto r, ex.Query("SELECT kid, certificate FROM dcc_signer ORDER BY created_at DESC LIMIT 1"));
  if (!r.empty()) return DccSigner{r.Text(0, 0), *Base64Decode(r.Text(0, 1))};
  ASSIGN_OR_RETURN(auto key, interop::PrivateKey::GenerateP256());
  std::vector<std::string> eku;
  for (const auto* oids : {&interop::kEkuTest, &interop::kEkuVaccination, &interop::kEkuRecovery}) {
    eku.emplace_back((*oids)[0]);
  }
  ASSIGN_OR_RETURN(auto cert, interop::Certificate::SelfSigned(
                                  key, "Mekong DSC " + std::string(country), country,
                                  now / 1000 - 86400, now / 1000 + 2 * 365 * 86400, eku));
  std::string kid = HexEncode(interop::EuKeyId(cert));
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO dcc_signer (kid, private_pem, certificate, created_at) VALUES (?, ?, ?, ?)",
      {kid, key.Pem(), Base64Encode(cert.der()), now}));
  RETURN_IF_ERROR(PublishTrustChange(ex, now));
  return DccSigner{kid, cert.der()};
}

Result<IssuedDcc> IssueDcc(store::Executor& ex, PersonId person, const DccRequest& in,
                           int64_t now) {
  auto required = kRequired.find(in.type);
  if (required == kRequired.end()) return Status::InvalidArgument("must be v, t or r", "type");
  Json entry = Json::parse(in.entry_json, nullptr, false);
  if (!entry.is_object()) return Status::InvalidArgument("must be a JSON object", "entry");
  for (const auto& k : required->second) {
    if (!entry.contains(k))
      return Status::InvalidArgument("lacks " + k + " for type " + in.type, "entry");
  }
  for (const char* k : {"co", "is", "ci"}) {
    if (entry.contains(k))
      return Status::InvalidArgument(std::string(k) + " is filled by Mekong", "entry");
  }
  ASSIGN_OR_RETURN(auto p, registry::GetPerson(ex, person));
  // Split the name into family and given names by the nationality's order.
  std::string family = p.full_name, given;
  size_t space = kFamilyFirst.count(p.nationality) ? p.full_name.find(' ') : p.full_name.rfind(' ');
  if (space != std::string::npos) {
    bool family_first = kFamilyFirst.count(p.nationality) > 0;
    family = family_first ? p.full_name.substr(0, space) : p.full_name.substr(space + 1);
    given = family_first ? p.full_name.substr(space + 1) : p.full_name.substr(0, space);
  }
  Json nam = {{"fn", family}, {"fnt", IcaoTransliterate(family)}};
  if (!given.empty()) {
    nam["gn"] = given;
    nam["gnt"] = IcaoTransliterate(given);
  }
  // UVCI (eHealth Network guidelines): URN:UVCI:01:<country>:<opaque>#<check>, the check
  // character by Luhn mod N over the characters after "URN:UVCI:".
  std::string opaque = HexEncode(RandomBytes(12), true);
  std::string uvci = "URN:UVCI:01:" + in.country + ":" + opaque;
  uvci += std::string("#") + LuhnModN(uvci.substr(9));
  entry["co"] = in.country;
  entry["is"] = in.authority;
  entry["ci"] = uvci;
  Json hcert = {
      {"ver", "1.3.0"}, {"nam", nam}, {"dob", p.birth_date}, {in.type, Json::array({entry})}};

  ASSIGN_OR_RETURN(DccSigner signer, DccSignerCertificate(ex, in.country, now));
  ASSIGN_OR_RETURN(auto pem,
                   ex.Query("SELECT private_pem FROM dcc_signer WHERE kid = ?", {signer.kid_hex}));
  ASSIGN_OR_RETURN(auto key, interop::PrivateKey::FromPem(pem.Text(0, 0)));
  ASSIGN_OR_RETURN(auto cert, interop::Certificate::FromDer(signer.certificate_der));
  interop::DccIssue issue{in.country, now / 1000, (now + in.validity_ms) / 1000, hcert.dump()};
  ASSIGN_OR_RETURN(std::string qr, interop::IssueEuDcc(issue, cert, key));
  RETURN_IF_ERROR(ex.Exec(
      "INSERT INTO eu_dcc_issued (certificate_id, person_id, type, qr_text, issued_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {uvci, person.value, in.type, qr, now, issue.expires_at * 1000}));
  return IssuedDcc{qr, uvci, hcert.dump(), issue.expires_at * 1000, in.type, now};
}

Result<std::vector<IssuedDcc>> IssuedDccs(store::Executor& ex, PersonId person) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("SELECT certificate_id, type, qr_text, issued_at, expires_at FROM eu_dcc_issued "
               "WHERE person_id = ? ORDER BY issued_at DESC",
               {person.value}));
  std::vector<IssuedDcc> out;
  for (size_t i = 0; i < r.size(); ++i) {
    IssuedDcc d;
    d.certificate_id = r.Text(i, 0);
    d.type = r.Text(i, 1);
    d.qr_text = r.Text(i, 2);
    d.issued_at = r.Int(i, 3);
    d.expires_at = r.Int(i, 4);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace mekong::healthcode
