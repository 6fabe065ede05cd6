#include "mekong/telehealth/codes.h"

#include <algorithm>
#include <array>

namespace mekong::telehealth {

namespace {

// Each enum's codes in declaration order.
constexpr std::array<std::string_view, 10> kAppointment = {
    "proposed",  "pending", "booked",           "arrived",    "fulfilled",
    "cancelled", "noshow",  "entered-in-error", "checked-in", "waitlist"};
constexpr std::array<std::string_view, 4> kEncounter = {"planned", "in-progress", "finished",
                                                        "cancelled"};
constexpr std::array<std::string_view, 6> kTask = {"requested", "accepted", "in-progress",
                                                   "completed", "rejected", "cancelled"};
constexpr std::array<std::string_view, 7> kTransport = {
    "submitted", "in-review", "approved", "refused", "scheduled", "completed", "cancelled"};
constexpr std::array<std::string_view, 4> kInvoice = {"draft", "issued", "balanced", "cancelled"};

template <typename E, size_t N>
Result<E> Parse(const std::array<std::string_view, N>& names, std::string_view code,
                std::string_view field, std::string_view what) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == code) return static_cast<E>(i);
  }
  std::string known;
  for (auto n : names) known += (known.empty() ? "" : ", ") + std::string(n);
  return Status::InvalidArgument(
      "'" + std::string(code) + "' is not " + std::string(what) + " (" + known + ")",
      std::string(field));
}

constexpr VitalSign kVitals[] = {
    {"8867-4", "heart rate", "/min", 100, 3000},
    {"9279-1", "respiratory rate", "/min", 10, 800},
    {"2708-6", "oxygen saturation", "%", 300, 1000},
    {"59408-5", "oxygen saturation by pulse oximetry", "%", 300, 1000},
    {"8310-5", "body temperature", "Cel", 250, 450},
    {"8480-6", "systolic blood pressure", "mm[Hg]", 300, 3000},
};

constexpr std::string_view kLanguages[] = {"en", "zh", "vi", "th", "ms", "id",  "fil", "km",
                                           "lo", "my", "ja", "ko", "ta", "tet", "pt"};

bool Digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view AppointmentStatusName(AppointmentStatus s) {
  return kAppointment[static_cast<size_t>(s)];
}
Result<AppointmentStatus> ParseAppointmentStatus(std::string_view code, std::string_view field) {
  return Parse<AppointmentStatus>(kAppointment, code, field, "an appointment status");
}
bool HoldsSlot(AppointmentStatus s) {
  switch (s) {
    case AppointmentStatus::kProposed:
    case AppointmentStatus::kPending:
    case AppointmentStatus::kBooked:
    case AppointmentStatus::kArrived:
    case AppointmentStatus::kCheckedIn:
    case AppointmentStatus::kFulfilled:
      return true;
    default:
      return false;
  }
}

std::string_view EncounterStatusName(EncounterStatus s) {
  return kEncounter[static_cast<size_t>(s)];
}
Result<EncounterStatus> ParseEncounterStatus(std::string_view code, std::string_view field) {
  return Parse<EncounterStatus>(kEncounter, code, field, "an encounter status");
}
std::string_view TaskStatusName(TaskStatus s) { return kTask[static_cast<size_t>(s)]; }
Result<TaskStatus> ParseTaskStatus(std::string_view code, std::string_view field) {
  return Parse<TaskStatus>(kTask, code, field, "a task status");
}
std::string_view TransportStatusName(TransportStatus s) {
  return kTransport[static_cast<size_t>(s)];
}
Result<TransportStatus> ParseTransportStatus(std::string_view code, std::string_view field) {
  return Parse<TransportStatus>(kTransport, code, field, "a transport status");
}
std::string_view InvoiceStatusName(InvoiceStatus s) { return kInvoice[static_cast<size_t>(s)]; }
Result<InvoiceStatus> ParseInvoiceStatus(std::string_view code, std::string_view field) {
  return Parse<InvoiceStatus>(kInvoice, code, field, "an invoice status");
}

Status ValidateIcd10(std::string_view code, std::string_view field) {
  const bool shape = (code.size() == 3 || code.size() == 5 || code.size() == 6) && code[0] >= 'A' &&
                     code[0] <= 'Z' && Digit(code[1]) && Digit(code[2]) &&
                     (code.size() == 3 ||
                      (code[3] == '.' && Digit(code[4]) && (code.size() == 5 || Digit(code[5]))));
  if (shape) return Status::Ok();
  return Status::InvalidArgument(
      "'" + std::string(code) +
          "' is not an ICD-10 code (a capital letter, two digits, optionally '.' and one or two "
          "digits: D56.1)",
      std::string(field));
}

std::span<const VitalSign> VitalSigns() { return kVitals; }

Result<VitalSign> FindVitalSign(std::string_view loinc, std::string_view field) {
  for (const auto& v : kVitals) {
    if (v.loinc == loinc) return v;
  }
  return Status::InvalidArgument("'" + std::string(loinc) +
                                     "' is not a vital sign LOINC code Mekong records "
                                     "(8867-4, 9279-1, 2708-6, 59408-5, 8310-5, 8480-6)",
                                 std::string(field));
}

Status ValidateVitalValue(const VitalSign& sign, std::string_view value, std::string_view field) {
  auto bad = [&](std::string why) {
    return Status::InvalidArgument("'" + std::string(value) + "' " + why, std::string(field));
  };
  const size_t dot = value.find('.');
  std::string_view whole = value.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : value.substr(dot + 1);
  if (whole.empty() || whole.size() > 4 || (dot != std::string_view::npos && frac.size() != 1))
    return bad("is not a number with at most one decimal place");
  int64_t tenths = 0;
  for (char c : whole) {
    if (!Digit(c)) return bad("is not a number with at most one decimal place");
    tenths = tenths * 10 + (c - '0');
  }
  tenths *= 10;
  if (!frac.empty()) {
    if (!Digit(frac[0])) return bad("is not a number with at most one decimal place");
    tenths += frac[0] - '0';
  }
  if (tenths < sign.min_tenths || tenths > sign.max_tenths) {
    return bad("is outside the plausible range of " + std::string(sign.name) + " (" +
               std::to_string(sign.min_tenths / 10) + "-" + std::to_string(sign.max_tenths / 10) +
               " " + std::string(sign.unit) + ")");
  }
  return Status::Ok();
}

Status ValidateCountry(std::string_view code, std::string_view field) {
  const bool shape =
      code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
  if (shape) return Status::Ok();
  return Status::InvalidArgument(
      "'" + std::string(code) + "' is not a country code (ISO 3166-1 alpha-2, e.g. VN)",
      std::string(field));
}

Status ValidateLanguage(std::string_view tag, std::string_view field) {
  if (std::find(std::begin(kLanguages), std::end(kLanguages), tag) != std::end(kLanguages))
    return Status::Ok();
  return Status::InvalidArgument("'" + std::string(tag) + "' is not a supported language",
                                 std::string(field));
}

std::vector<std::string> RequiredTransportDocuments(std::string_view country) {
  std::vector<std::string> docs = {"passport", "medical_summary", "acceptance_letter"};
  if (country == "CN") {
    docs.push_back("visa");
    docs.push_back("health_declaration");
  } else if (country == "TH" || country == "SG" || country == "MY") {
    docs.push_back("medical_visa_letter");
    docs.push_back("guarantee_of_payment");
  } else if (country == "VN" || country == "LA" || country == "KH") {
    docs.push_back("border_medical_permit");
  }
  return docs;
}

bool KnownDocumentKind(std::string_view kind) {
  constexpr std::string_view kKinds[] = {"passport",
                                         "medical_summary",
                                         "acceptance_letter",
                                         "visa",
                                         "health_declaration",
                                         "medical_visa_letter",
                                         "guarantee_of_payment",
                                         "border_medical_permit",
                                         "escort_passport",
                                         "fitness_to_fly",
                                         "insurance"};
  return std::find(std::begin(kKinds), std::end(kKinds), kind) != std::end(kKinds);
}

}  // namespace mekong::telehealth
