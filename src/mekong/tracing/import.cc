#include "mekong/tracing/import.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "mekong/core/json.h"
#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/changes.h"

namespace mekong::tracing {

namespace {

struct Row {
  int line = 0;
  int64_t person = 0, venue = 0, time_in = 0;
  std::optional<int64_t> time_out;
};

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return lines;
}

// One CSV or NDJSON line into its values by key; a rejection names the field.
std::optional<Rejected> LineValues(std::string_view line, int number, ImportFormat format,
                                   const std::vector<std::string>& header,
                                   const std::set<std::string>& keys,
                                   std::map<std::string, std::string>* values) {
  auto bad = [&](std::string field, std::string why) {
    return Rejected{number, std::move(field), std::move(why)};
  };
  if (format == ImportFormat::kCsv) {
    std::vector<std::string> cells;
    size_t start = 0;
    for (;;) {
      size_t comma = line.find(',', start);
      cells.emplace_back(line.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (cells.size() != header.size()) {
      return bad("", "has " + std::to_string(cells.size()) + " fields, the header has " +
                         std::to_string(header.size()));
    }
    for (size_t i = 0; i < cells.size(); ++i) (*values)[header[i]] = cells[i];
    return std::nullopt;
  }
  auto parsed = ParseJson(line, "line");
  if (!parsed.ok()) return bad("", parsed.status().message());
  const nlohmann::json& j = *parsed;
  if (!j.is_object()) return bad("", "is not a JSON object");
  for (const auto& [k, v] : j.items()) {
    if (!keys.count(k)) return bad(k, "unknown field");
    if (v.is_number_integer()) {
      (*values)[k] = std::to_string(v.get<int64_t>());
    } else if (v.is_string()) {
      (*values)[k] = v.get<std::string>();
    } else if (!v.is_null()) {
      return bad(k, "must be a number or a string");
    }
  }
  return std::nullopt;
}

// A check-in line's values into a row.
std::optional<Rejected> ParseRow(const Record& rec, Row* row) {
  auto bad = [&](std::string field, std::string why) {
    return Rejected{rec.line, std::move(field), std::move(why)};
  };
  auto value = [&](const char* key) {
    auto it = rec.values.find(key);
    return it == rec.values.end() ? std::string() : it->second;
  };
  row->line = rec.line;
  if (!ParseId(value("person_id"), &row->person))
    return bad("person_id", "must be a positive integer");
  if (!ParseId(value("venue_id"), &row->venue))
    return bad("venue_id", "must be a positive integer");
  auto in = ParseRfc3339(value("time_in"));
  if (!in.ok()) return bad("time_in", in.status().message());
  row->time_in = *in;
  if (!value("time_out").empty()) {
    auto out = ParseRfc3339(value("time_out"));
    if (!out.ok()) return bad("time_out", out.status().message());
    row->time_out = *out;
  }
  return std::nullopt;
}

}  // namespace

bool ParseId(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  *out = std::stoll(std::string(s));
  return *out > 0;
}

Result<std::vector<Record>> ReadRecords(std::string_view text, ImportFormat format,
                                        const std::set<std::string>& keys,
                                        const std::vector<std::string>& required,
                                        std::vector<Rejected>* rejected) {
  auto lines = SplitLines(text);
  std::vector<std::string> header;
  size_t first = 0;
  if (format == ImportFormat::kCsv) {
    if (lines.empty())
      return Status::InvalidArgument("empty file: a CSV starts with its header", "file");
    std::string_view h = lines[0];
    for (size_t start = 0;;) {
      size_t comma = h.find(',', start);
      header.emplace_back(h.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    for (const auto& column : header) {
      if (!keys.count(column))
        return Status::InvalidArgument("the CSV header has an unknown column " + column, "file");
    }
    std::set<std::string> known(header.begin(), header.end());
    for (const auto& need : required) {
      if (!known.count(need))
        return Status::InvalidArgument("the CSV header lacks " + need, "file");
    }
    first = 1;
  }
  std::vector<Record> out;
  for (size_t i = first; i < lines.size(); ++i) {
    int number = static_cast<int>(i + 1);
    if (lines[i].find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines
    Record rec{number, {}};
    if (auto bad = LineValues(lines[i], number, format, header, keys, &rec.values)) {
      rejected->push_back(*bad);
      continue;
    }
    auto missing = std::find_if(required.begin(), required.end(), [&](const std::string& k) {
      auto it = rec.values.find(k);
      return it == rec.values.end() || it->second.empty();
    });
    if (missing != required.end()) {
      rejected->push_back({number, *missing, "is required"});
      continue;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

Result<ImportResult> ImportCheckins(store::Database& db, std::string_view text, ImportFormat format,
                                    bool strict, int64_t now, const Limits& limits,
                                    const std::function<bool(const std::string&)>& venue_allowed) {
  ImportResult result;
  ASSIGN_OR_RETURN(auto records,
                   ReadRecords(text, format, {"person_id", "venue_id", "time_in", "time_out"},
                               {"person_id", "venue_id", "time_in"}, &result.rejected));
  // Parse every line first, then look up its people and venues a few hundred at a time.
  std::vector<Row> parsed;
  for (const Record& rec : records) {
    Row row;
    if (auto rejected = ParseRow(rec, &row)) {
      result.rejected.push_back(*rejected);
      continue;
    }
    parsed.push_back(row);
  }
  std::set<int64_t> people, venues;
  for (const Row& r : parsed) people.insert(r.person), venues.insert(r.venue);
  std::vector<PersonId> person_ids;
  std::vector<VenueId> venue_ids;
  for (int64_t id : people) person_ids.push_back(PersonId(id));
  for (int64_t id : venues) venue_ids.push_back(VenueId(id));
  std::set<int64_t> person_known;
  std::map<int64_t, int64_t> venue_stay;  // id -> default stay minutes, for known venues
  std::map<int64_t, bool> venue_ok;       // id -> allowed for this caller
  ASSIGN_OR_RETURN(auto known_people, registry::GetPeople(db, person_ids));
  for (const auto& p : known_people) person_known.insert(p.id.value);
  ASSIGN_OR_RETURN(auto known_venues, registry::GetVenues(db, venue_ids));
  for (const auto& v : known_venues) {
    venue_stay[v.id.value] = v.default_stay_minutes;
    venue_ok[v.id.value] = !venue_allowed || venue_allowed(v.org_path);
  }

  std::vector<Row> rows;
  std::set<std::tuple<int64_t, int64_t, int64_t>> seen;
  for (const Row& row : parsed) {
    int number = row.line;
    auto reject = [&](const char* field, std::string why) {
      result.rejected.push_back({number, field, std::move(why)});
    };
    if (!person_known.count(row.person)) {
      reject("person_id", "no such person");
      continue;
    }
    if (!venue_stay.count(row.venue)) {
      reject("venue_id", "no such venue");
      continue;
    }
    if (!venue_ok[row.venue]) {
      reject("venue_id", "outside your org unit");
      continue;
    }
    if (row.time_in > now + limits.max_future_skew_ms) {
      reject("time_in", "is in the future");
      continue;
    }
    if (row.time_in < now - limits.retention_ms) {
      reject("time_in", "is older than the retention period");
      continue;
    }
    if (row.time_out) {
      if (*row.time_out < row.time_in) {
        reject("time_out", "is before time_in");
        continue;
      }
      if (*row.time_out - row.time_in > limits.max_stay_ms) {
        reject("time_out", "makes the stay longer than the limit");
        continue;
      }
      if (*row.time_out > now + limits.max_future_skew_ms) {
        reject("time_out", "is in the future");
        continue;
      }
    }
    if (!seen.insert({row.person, row.venue, row.time_in}).second) {
      reject("", "duplicates an earlier line (same person, venue and time_in)");
      continue;
    }
    rows.push_back(row);
  }
  std::sort(result.rejected.begin(), result.rejected.end(),
            [](const Rejected& a, const Rejected& b) { return a.line < b.line; });
  if (strict && !result.rejected.empty()) return result;  // nothing written

  std::vector<StayRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    int64_t end = r.time_out.value_or(r.time_in + venue_stay[r.venue] * kMillisPerMinute);
    out.push_back(
        {{PersonId(r.person), VenueId(r.venue), r.time_in, end}, r.time_out.has_value(), "import"});
  }
  RETURN_IF_ERROR(db.Transact([&](store::Executor& tx) { return WriteStays(tx, out, now); }));
  result.imported = static_cast<int64_t>(rows.size());
  return result;
}

}  // namespace mekong::tracing
