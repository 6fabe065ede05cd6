// The receipt of an invoice that has been paid (in part or in full): a printable HTML page in
// the patient's language, amounts written by ICU for that language (core/zone.h
// FormatCurrency), dates in the patient's zone. Pure: the caller loads the records.
//
// Why HTML and not PDF: a PDF that shows Khmer, Thai, Lao, Burmese or Tamil needs an embedded
// font for the script and its glyphs shaped (reordered, combined) before they are placed, which
// means a font file and a shaping engine per script; without them the page is wrong for half of
// the region. A browser does both, and the page's print stylesheet makes one A4 sheet of it
// ("Save as PDF" gives the PDF).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/telehealth/records.h"

namespace mekong::telehealth {

struct ReceiptInput {
  const Invoice& invoice;
  const std::vector<Payment>& payments;
  const Hospital& hospital;
  std::string patient_name;  // empty: left out
  std::string language;      // one of the 15 (registry::Languages); another is English
  std::string zone;          // IANA: dates are written in it
};

// The page's only style sheet, inline in a <style> element: whoever serves the page allows
// exactly this text (a Content-Security-Policy hash), and nothing else runs or loads.
std::string_view ReceiptStyle();

// The receipt page, UTF-8. failed_precondition naming "status" for a quote (draft), a cancelled
// invoice or one with no payment recorded.
Result<std::string> ReceiptHtml(const ReceiptInput& in);

}  // namespace mekong::telehealth
