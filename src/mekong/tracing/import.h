// Bulk check-in import from a venue scanner's or a gate's upload: CSV with the header
// person_id,venue_id,time_in[,time_out] or NDJSON with the same keys; times in RFC 3339.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/tracing/checkins.h"

namespace mekong::tracing {

struct Rejected {
  int line = 0;  // 1-based, counting the CSV header
  std::string field;
  std::string reason;
};

struct ImportResult {
  int64_t imported = 0;
  std::vector<Rejected> rejected;
};

enum class ImportFormat { kCsv, kNdjson };

// One line of an import file: its 1-based number and its values by key ("" for empty cells).
struct Record {
  int line = 0;
  std::map<std::string, std::string> values;
};
// Splits a CSV (header first; columns outside `keys` or a missing `required` one refuse the
// file) or NDJSON (unknown keys reject the line) into records. Lines that are not records go
// to `rejected` (so do lines without a `required` value); blank lines are skipped.
Result<std::vector<Record>> ReadRecords(std::string_view text, ImportFormat format,
                                        const std::set<std::string>& keys,
                                        const std::vector<std::string>& required,
                                        std::vector<Rejected>* rejected);
// A positive decimal id, at most 18 digits.
bool ParseId(std::string_view s, int64_t* out);

// Parses and checks every line, then writes the valid ones in one transaction (durable when
// this returns). With `strict`, any rejected line means nothing is written. A missing
// time_out closes at the venue's default stay.
// `venue_allowed`, when set, is asked with each venue's org-unit path; a venue it refuses
// rejects the line (a device may only report where it stands).
Result<ImportResult> ImportCheckins(
    store::Database& db, std::string_view text, ImportFormat format, bool strict, int64_t now,
    const Limits& limits, const std::function<bool(const std::string&)>& venue_allowed = nullptr);

}  // namespace mekong::tracing
