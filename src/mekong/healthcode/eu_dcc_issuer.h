// Issues EU Digital COVID Certificates for people in the registry, signed by the
// installation's document signer (made on first use; publish its certificate so others can
// trust it).
#pragma once

#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"

namespace mekong::healthcode {

struct DccSigner {
  std::string kid_hex;  // first 8 bytes of SHA-256 of the certificate
  std::string certificate_der;
};

Result<DccSigner> DccSignerCertificate(store::Executor& ex, std::string_view country, int64_t now);

struct DccRequest {
  std::string type;        // "v" vaccination, "t" test, "r" recovery
  std::string entry_json;  // the entry without co, is and ci (Mekong fills them)
  std::string country;     // ISO 3166-1 alpha-2, also the CWT issuer
  std::string authority;   // "is": who issues
  int64_t validity_ms = 0;
};

struct IssuedDcc {
  std::string qr_text;         // HC1:...
  std::string certificate_id;  // the UVCI
  std::string hcert_json;      // when just issued (the list below does not keep it)
  int64_t expires_at = 0;      // Unix ms
  std::string type;            // "v", "t" or "r"
  int64_t issued_at = 0;       // Unix ms
};

// The name fields come from the person (family name first for nationalities that write it
// so; ICAO transliteration for fnt/gnt), dob from the birth date.
Result<IssuedDcc> IssueDcc(store::Executor& ex, PersonId person, const DccRequest& in, int64_t now);

// The certificates issued to a person, newest first.
Result<std::vector<IssuedDcc>> IssuedDccs(store::Executor& ex, PersonId person);

// "Nguyễn Văn An" -> "NGUYEN<VAN<AN": ICAO 9303 machine-readable form.
std::string IcaoTransliterate(std::string_view name);

}  // namespace mekong::healthcode
