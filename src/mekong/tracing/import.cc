#include "mekong/tracing/import.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <istream>
#include <optional>
#include <tuple>

#include "mekong/core/json.h"
#include "mekong/core/time.h"
#include "mekong/registry/registry.h"
#include "mekong/tracing/changes.h"

namespace mekong::tracing {

// ---------------------------------------------------------------------------------------------
// The record reader

namespace {

constexpr size_t kChunk = size_t{1} << 20;      // bytes read from a stream at a time
constexpr size_t kMaxRecord = size_t{1} << 20;  // a longer record stops the file (see below)
constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool Blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

struct RecordReader::Impl {
  ImportFormat format;
  std::vector<std::string> keys;
  std::vector<size_t> required;  // key positions

  // The input: the whole text, or a window over the stream held in `buf`.
  std::string_view text;
  std::istream* in = nullptr;
  bool seekable = false;
  std::string buf;
  const char* data = nullptr;
  size_t pos = 0, end = 0;
  bool eof = false;
  bool started = false;  // the BOM (and for CSV the header) have been read
  int64_t line = 0;      // physical lines consumed

  std::vector<size_t> column_key;  // CSV: column -> key position
  std::vector<std::string> cells;  // the record being read (storage reused)
  size_t ncells = 0;

  void Reset() {
    pos = end = 0;
    eof = false;
    started = false;
    line = 0;
    column_key.clear();
    if (in) {
      data = buf.data();
    } else {
      data = text.data();
      end = text.size();
      eof = true;
    }
  }

  // Moves what is left of the window to the front of `buf` and reads more; false when the
  // stream has nothing more (or this is a text).
  bool Refill() {
    if (!in || eof) return false;
    size_t left = end - pos;
    if (buf.size() < left + kChunk) buf.resize(left + kChunk);
    std::memmove(buf.data(), buf.data() + pos, left);
    in->read(buf.data() + left, static_cast<std::streamsize>(kChunk));
    size_t got = static_cast<size_t>(in->gcount());
    data = buf.data();
    pos = 0;
    end = left + got;
    if (got == 0 || !*in) eof = true;
    return got > 0;
  }

  std::string& Cell() {
    if (ncells == cells.size()) cells.emplace_back();
    return cells[ncells++];
  }

  enum class Got { kRecord, kEnd, kNeedMore, kBad, kUnterminated };

  // One CSV record from the window into `cells`. kNeedMore: the window ends inside it and the
  // stream has more. kBad: a malformed record was skipped, `why` says how. kUnterminated: the
  // input ends inside quotes that opened on `*quote_line`.
  Got ParseCsv(std::string* why, int64_t* quote_line) {
    const char* p = data + pos;
    const char* e = data + end;
    if (p == e) return eof ? Got::kEnd : Got::kNeedMore;
    ncells = 0;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(e - p)));
    if (!nl && !eof) return Got::kNeedMore;
    const char* le = nl ? nl : e;
    if (!std::memchr(p, '"', static_cast<size_t>(le - p))) {
      // The common case: a line without quotes, split at commas.
      const char* lend = le;
      if (lend > p && lend[-1] == '\r') --lend;
      for (const char* f = p;;) {
        const char* comma =
            static_cast<const char*>(std::memchr(f, ',', static_cast<size_t>(lend - f)));
        const char* fe = comma ? comma : lend;
        Cell().assign(f, static_cast<size_t>(fe - f));
        if (!comma) break;
        f = comma + 1;
      }
      pos = static_cast<size_t>((nl ? nl + 1 : e) - data);
      ++line;
      return Got::kRecord;
    }
    // Quotes: RFC 4180, field by field; a record may span lines.
    int64_t newlines = 0;
    const char* q = p;
    auto finish = [&](const char* next, bool newline_ended) {
      pos = static_cast<size_t>(next - data);
      line += newlines + (newline_ended ? 0 : 1);
      return Got::kRecord;
    };
    for (;;) {
      std::string& cell = Cell();
      cell.clear();
      if (q < e && *q == '"') {
        int64_t opened = line + newlines + 1;
        ++q;
        for (;;) {
          const char* quote =
              static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(e - q)));
          if (!quote) {
            if (!eof) return Got::kNeedMore;
            *quote_line = opened;
            return Got::kUnterminated;
          }
          newlines += std::count(q, quote, '\n');
          cell.append(q, static_cast<size_t>(quote - q));
          q = quote + 1;
          if (q == e && !eof) return Got::kNeedMore;
          if (q < e && *q == '"') {  // "" inside quotes is one "
            cell += '"';
            ++q;
            continue;
          }
          break;
        }
        if (q == e) return finish(q, false);
        if (*q == ',') {
          ++q;
          continue;
        }
        if (*q == '\n') {
          ++newlines;
          return finish(q + 1, true);
        }
        if (*q == '\r' && q + 1 == e && !eof) return Got::kNeedMore;
        if (*q == '\r' && q + 1 < e && q[1] == '\n') {
          ++newlines;
          return finish(q + 2, true);
        }
        // Text after a closing quote: skip to the end of this line and say why.
        const char* skip =
            static_cast<const char*>(std::memchr(q, '\n', static_cast<size_t>(e - q)));
        if (!skip && !eof) return Got::kNeedMore;
        newlines += skip ? 1 : 0;
        finish(skip ? skip + 1 : e, skip != nullptr);
        *why =
            "has text after the closing quote of a field (a quote inside a quoted field is written "
            "twice: \"\")";
        return Got::kBad;
      }
      const char* f = q;
      while (q < e && *q != ',' && *q != '\n') ++q;
      if (q == e && !eof) return Got::kNeedMore;
      const char* fe = q;
      if ((q == e || *q == '\n') && fe > f && fe[-1] == '\r') --fe;
      cell.assign(f, static_cast<size_t>(fe - f));
      if (q == e) return finish(q, false);
      if (*q == ',') {
        ++q;
        continue;
      }
      ++newlines;
      return finish(q + 1, true);
    }
  }

  // One physical line (NDJSON) into cells[0].
  Got ParseLine() {
    const char* p = data + pos;
    const char* e = data + end;
    if (p == e) return eof ? Got::kEnd : Got::kNeedMore;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(e - p)));
    if (!nl && !eof) return Got::kNeedMore;
    const char* le = nl ? nl : e;
    const char* lend = le > p && le[-1] == '\r' ? le - 1 : le;
    ncells = 0;
    Cell().assign(p, static_cast<size_t>(lend - p));
    pos = static_cast<size_t>((nl ? nl + 1 : e) - data);
    ++line;
    return Got::kRecord;
  }

  // The next raw record, refilling the window as needed.
  Result<Got> Raw(std::string* why) {
    for (;;) {
      int64_t quote_line = 0;
      Got got = format == ImportFormat::kCsv ? ParseCsv(why, &quote_line) : ParseLine();
      if (got == Got::kUnterminated) {
        return Status::InvalidArgument(
            "line " + std::to_string(quote_line) +
                ": the quoted field that starts here has no closing quote (\"), so "
                "the records after it cannot be found",
            "file");
      }
      if (got != Got::kNeedMore) return got;
      if (end - pos >= kMaxRecord) {
        return Status::InvalidArgument("line " + std::to_string(line + 1) +
                                           ": a record longer than 1 MiB starts here (a quoted "
                                           "field whose closing quote is missing?)",
                                       "file");
      }
      Refill();
    }
  }

  Status Start() {
    started = true;
    while (end - pos < kBom.size() && Refill()) {
    }
    if (std::string_view(data + pos, end - pos).starts_with(kBom)) pos += kBom.size();
    if (format != ImportFormat::kCsv) return Status::Ok();
    std::string why;
    for (;;) {
      ASSIGN_OR_RETURN(Got got, Raw(&why));
      if (got == Got::kEnd) {
        return Status::InvalidArgument(
            "the file is empty; a CSV starts with a header line: " + HeaderHint(), "file");
      }
      if (got == Got::kBad)
        return Status::InvalidArgument("line " + std::to_string(line) + ": the header " + why,
                                       "file");
      if (AllBlank()) continue;
      break;
    }
    std::vector<bool> seen(keys.size());
    for (size_t c = 0; c < ncells; ++c) {
      const std::string& name = cells[c];
      auto it = std::find(keys.begin(), keys.end(), name);
      if (name.empty() || it == keys.end()) {
        std::string known;
        for (size_t k = 0; k < keys.size(); ++k) known += (k ? ", " : "") + keys[k];
        return Status::InvalidArgument(
            (name.empty() ? "column " + std::to_string(c + 1) + " of the CSV header has no name"
                          : "the CSV header has an unknown column " + Quoted(name)) +
                "; the known columns are " + known,
            "file");
      }
      size_t k = static_cast<size_t>(it - keys.begin());
      if (seen[k])
        return Status::InvalidArgument("the CSV header names the column " + name + " twice",
                                       "file");
      seen[k] = true;
      column_key.push_back(k);
    }
    for (size_t k : required) {
      if (!seen[k]) {
        return Status::InvalidArgument("the CSV header lacks the column " + keys[k] +
                                           "; a CSV starts with a header line: " + HeaderHint(),
                                       "file");
      }
    }
    return Status::Ok();
  }

  bool AllBlank() const {
    for (size_t c = 0; c < ncells; ++c) {
      if (ncells == 1 ? !Blank(cells[c]) : !cells[c].empty()) return false;
    }
    return true;
  }

  std::string HeaderHint() const {
    std::string s, optional;
    for (size_t k = 0; k < keys.size(); ++k) {
      bool req = std::find(required.begin(), required.end(), k) != required.end();
      (req ? s : optional) += (req && s.empty() ? "" : ",") + keys[k];
    }
    return optional.empty() ? s : s + "[" + optional + "]";
  }

  // A JSON object's members into `rec`; a rejection names the field.
  std::optional<Rejected> FromJson(std::string_view text, Record* rec) {
    auto bad = [&](std::string field, std::string why) {
      return Rejected{rec->line, std::move(field), std::move(why)};
    };
    auto parsed = ParseJson(text, "line");
    if (!parsed.ok()) return bad("", parsed.status().message());
    const nlohmann::json& j = *parsed;
    if (!j.is_object()) return bad("", "is not a JSON object");
    for (const auto& [k, v] : j.items()) {
      auto it = std::find(keys.begin(), keys.end(), k);
      if (it == keys.end()) return bad(k, "unknown field");
      std::string& out = rec->values[static_cast<size_t>(it - keys.begin())];
      if (v.is_number_integer()) {
        out = std::to_string(v.get<int64_t>());
      } else if (v.is_string()) {
        out = v.get<std::string>();
      } else if (!v.is_null()) {
        return bad(k, "must be a number or a string");
      }
    }
    return std::nullopt;
  }

  Result<bool> Next(Record* rec, std::vector<Rejected>* rejected) {
    if (!started) RETURN_IF_ERROR(Start());
    std::string why;
    for (;;) {
      int64_t first = line + 1;
      ASSIGN_OR_RETURN(Got got, Raw(&why));
      if (got == Got::kEnd) return false;
      rec->line = static_cast<int>(first);
      if (got == Got::kBad) {
        rejected->push_back({rec->line, "", why});
        continue;
      }
      if (AllBlank()) continue;
      rec->values.resize(keys.size());
      for (auto& v : rec->values) v.clear();
      if (format == ImportFormat::kCsv) {
        if (ncells != column_key.size()) {
          rejected->push_back({rec->line, "",
                               "has " + std::to_string(ncells) + " fields, the header has " +
                                   std::to_string(column_key.size())});
          continue;
        }
        for (size_t c = 0; c < ncells; ++c) std::swap(rec->values[column_key[c]], cells[c]);
      } else if (auto bad = FromJson(cells[0], rec)) {
        rejected->push_back(std::move(*bad));
        continue;
      }
      auto missing = std::find_if(required.begin(), required.end(),
                                  [&](size_t k) { return rec->values[k].empty(); });
      if (missing != required.end()) {
        rejected->push_back({rec->line, keys[*missing], "is required"});
        continue;
      }
      return true;
    }
  }
};

RecordReader::RecordReader(std::string_view text, ImportFormat format,
                           std::vector<std::string> keys, std::vector<std::string> required)
    : impl_(std::make_unique<Impl>()) {
  impl_->format = format;
  impl_->keys = std::move(keys);
  for (const auto& r : required) impl_->required.push_back(Index(r));
  impl_->text = text;
  impl_->seekable = true;
  impl_->Reset();
}

RecordReader::RecordReader(std::istream& in, ImportFormat format, std::vector<std::string> keys,
                           std::vector<std::string> required)
    : impl_(std::make_unique<Impl>()) {
  impl_->format = format;
  impl_->keys = std::move(keys);
  for (const auto& r : required) impl_->required.push_back(Index(r));
  impl_->in = &in;
  impl_->seekable = in.tellg() == std::streampos(0);
  impl_->Reset();
}

RecordReader::~RecordReader() = default;

Result<bool> RecordReader::Next(Record* rec, std::vector<Rejected>* rejected) {
  return impl_->Next(rec, rejected);
}

bool RecordReader::Rewind() {
  if (!impl_->seekable) return false;
  if (impl_->in) {
    impl_->in->clear();
    impl_->in->seekg(0);
    if (!*impl_->in) return false;
  }
  impl_->Reset();
  return true;
}

int64_t RecordReader::lines() const { return impl_->line; }

size_t RecordReader::Index(std::string_view key) const {
  return static_cast<size_t>(std::find(impl_->keys.begin(), impl_->keys.end(), key) -
                             impl_->keys.begin());
}

std::string RecordReader::HeaderHint() const { return impl_->HeaderHint(); }

bool ParseId(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  std::from_chars(s.data(), s.data() + s.size(), *out);
  return *out > 0;
}

// ---------------------------------------------------------------------------------------------
// Check-ins

namespace {

constexpr int64_t kNoTime = INT64_MIN;
// No open stay (closed_by default_stay) is longer than the longest default stay a venue may
// have (registry: 1440 minutes), so only stays that began this long before a check-in can be
// the ones it closes.
constexpr int64_t kMaxOpenStayMs = 24 * kMillisPerHour;
// People per query for their stays near the batch's check-ins (3 parameters each).
constexpr size_t kPeoplePerQuery = 300;

// A line of the file, once its fields parse.
struct Row {
  int64_t person = 0, venue = 0, time_in = 0;
  int64_t time_out = kNoTime;  // as given; kNoTime when not
  int64_t default_out = 0;     // time_in + the venue's default stay
  int line = 0;
  bool rejected = false;
};

// A stay of the batch's people already in the store, near the batch's times.
struct Stored {
  int64_t id = 0, person = 0, venue = 0, time_in = 0, time_out = 0;
  bool open = false;
};

struct Batch {
  std::vector<Row> rows;
  std::vector<Rejected> rejected;
  int64_t last_line = 0;
  bool last = false;  // the input ended in this batch
};

class Importer {
 public:
  Importer(store::Database& db, RecordReader& reader, int64_t now, const Limits& limits,
           const ImportOptions& options)
      : db_(db), reader_(reader), now_(now), limits_(limits), options_(options) {}

  Result<ImportResult> Run() {
    if (!options_.strict) {
      for (bool more = true; more;) {
        Batch b;
        if (Status s = Read(&b); !s.ok()) return Partial(s);
        if (Status s = Validate(db_, &b); !s.ok()) return Partial(s);
        int64_t imported = 0, closed = 0;
        std::vector<Rejected> late;
        Status s = db_.Transact([&](store::Executor& tx) -> Status {
          imported = closed = 0;
          late.clear();
          return Apply(tx, &b, true, &imported, &closed, &late);
        });
        if (!s.ok()) return Partial(s);
        b.rejected.insert(b.rejected.end(), late.begin(), late.end());
        result_.imported += imported;
        result_.closed += closed;
        result_.committed_through_line = b.last_line;
        Reject(b);
        Report(ImportProgress::Phase::kBatches);
        more = !b.last;
      }
      return Finish();
    }
    // --strict: when the input is more than one batch and can be read again, a first pass checks
    // what it can without the store's write lock (fields, people, venues, times, duplicates
    // within a batch), so a bad file never holds it; then one transaction for everything.
    Batch first;
    RETURN_IF_ERROR(Read(&first));
    RETURN_IF_ERROR(Validate(db_, &first));
    if (!first.last && reader_.Rewind()) {
      bool clean = first.rejected.empty();
      Reject(first);
      for (bool more = true; more;) {
        Batch b;
        RETURN_IF_ERROR(Read(&b));
        RETURN_IF_ERROR(Validate(db_, &b));
        clean = clean && b.rejected.empty();
        Reject(b);
        Report(ImportProgress::Phase::kChecking);
        more = !b.last;
      }
      if (!clean) return Finish();
      if (!reader_.Rewind()) return Status::Internal("the input could not be read a second time");
      first = Batch();
      RETURN_IF_ERROR(Read(&first));
      RETURN_IF_ERROR(Validate(db_, &first));
    }
    bool rolled_back = false;
    Status s = db_.Transact([&](store::Executor& tx) -> Status {
      result_.imported = result_.closed = 0;
      Batch b = std::move(first);
      for (;;) {
        bool write = result_.rejected_count == 0 && b.rejected.empty();
        std::vector<Rejected> late;
        RETURN_IF_ERROR(Apply(tx, &b, write, &result_.imported, &result_.closed, &late));
        b.rejected.insert(b.rejected.end(), late.begin(), late.end());
        Reject(b);
        Report(ImportProgress::Phase::kWriting);
        if (b.last) break;
        b = Batch();
        RETURN_IF_ERROR(Read(&b));
        RETURN_IF_ERROR(Validate(tx, &b));
      }
      rolled_back = result_.rejected_count > 0;
      return rolled_back ? Status::FailedPrecondition("rejected lines: nothing is written")
                         : Status::Ok();
    });
    if (!s.ok()) result_.imported = result_.closed = 0;
    if (rolled_back) return Finish();
    RETURN_IF_ERROR(s);
    result_.committed_through_line = reader_.lines();
    return Finish();
  }

 private:
  // Reads up to a batch of records and parses their fields.
  Status Read(Batch* b) {
    const size_t kPerson = 0, kVenue = 1, kIn = 2, kOut = 3;
    b->rows.reserve(std::min<size_t>(options_.batch_lines, 1 << 20));
    while (b->rows.size() + b->rejected.size() < options_.batch_lines) {
      ASSIGN_OR_RETURN(bool got, reader_.Next(&rec_, &b->rejected));
      if (!got) {
        b->last = true;
        break;
      }
      Row row;
      row.line = rec_.line;
      auto reject = [&](const char* field, std::string why) {
        b->rejected.push_back({rec_.line, field, std::move(why)});
      };
      if (!ParseId(rec_.values[kPerson], &row.person)) {
        reject("person_id", "must be a positive integer");
        continue;
      }
      if (!ParseId(rec_.values[kVenue], &row.venue)) {
        reject("venue_id", "must be a positive integer");
        continue;
      }
      auto in = ParseRfc3339(rec_.values[kIn]);
      if (!in.ok()) {
        reject("time_in", in.status().message());
        continue;
      }
      row.time_in = *in;
      if (!rec_.values[kOut].empty()) {
        auto out = ParseRfc3339(rec_.values[kOut]);
        if (!out.ok()) {
          reject("time_out", out.status().message());
          continue;
        }
        row.time_out = *out;
      }
      b->rows.push_back(row);
    }
    b->last_line = reader_.lines();
    return Status::Ok();
  }

  // People and venues looked up in bulk, then each line's own checks; duplicates within the
  // batch. Leaves the rows sorted by (person, time_in, line).
  Status Validate(store::Executor& ex, Batch* b) {
    std::vector<PersonId> people;
    std::vector<VenueId> venues;
    people.reserve(b->rows.size());
    venues.reserve(b->rows.size());
    for (const Row& r : b->rows)
      people.push_back(PersonId(r.person)), venues.push_back(VenueId(r.venue));
    auto unique = [](auto& ids) {
      std::sort(ids.begin(), ids.end(), [](auto x, auto y) { return x.value < y.value; });
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    };
    unique(people);
    unique(venues);
    std::vector<int64_t> person_ok;  // sorted ids
    if (options_.person_allowed) {
      // Their units are needed: whole records (GetPeople is in id order, as ExistingPeople).
      ASSIGN_OR_RETURN(auto known_people, registry::GetPeople(ex, people));
      person_ok.reserve(known_people.size());
      for (const auto& p : known_people) {
        if (options_.person_allowed(p.org_path)) person_ok.push_back(p.id.value);
      }
    } else {
      ASSIGN_OR_RETURN(auto known_people, registry::ExistingPeople(ex, people));
      person_ok.reserve(known_people.size());
      for (PersonId p : known_people) person_ok.push_back(p.value);
    }
    ASSIGN_OR_RETURN(auto known_venues, registry::GetVenues(ex, venues));
    struct VenueInfo {
      int64_t id, stay_ms;
      bool allowed;
    };
    std::vector<VenueInfo> venue_info;  // sorted by id
    venue_info.reserve(known_venues.size());
    for (const auto& v : known_venues) {
      venue_info.push_back({v.id.value, v.default_stay_minutes * kMillisPerMinute,
                            !options_.venue_allowed || options_.venue_allowed(v.org_path)});
    }
    for (Row& r : b->rows) {
      auto reject = [&](const char* field, std::string why) {
        b->rejected.push_back({r.line, field, std::move(why)});
        r.rejected = true;
      };
      if (!std::binary_search(person_ok.begin(), person_ok.end(), r.person)) {
        reject("person_id", "no such person");
        continue;
      }
      auto v = std::lower_bound(venue_info.begin(), venue_info.end(), r.venue,
                                [](const VenueInfo& x, int64_t id) { return x.id < id; });
      if (v == venue_info.end() || v->id != r.venue) {
        reject("venue_id", "no such venue");
        continue;
      }
      if (!v->allowed) {
        reject("venue_id", "outside your org unit");
        continue;
      }
      if (r.time_in > now_ + limits_.max_future_skew_ms) {
        reject("time_in", "is in the future");
        continue;
      }
      if (r.time_in < now_ - limits_.retention_ms) {
        reject("time_in", "is older than the retention period");
        continue;
      }
      if (r.time_out != kNoTime) {
        if (r.time_out < r.time_in) {
          reject("time_out", "is before time_in");
          continue;
        }
        if (r.time_out - r.time_in > limits_.max_stay_ms) {
          reject("time_out", "makes the stay longer than the limit");
          continue;
        }
        if (r.time_out > now_ + limits_.max_future_skew_ms) {
          reject("time_out", "is in the future");
          continue;
        }
      }
      r.default_out = r.time_in + v->stay_ms;
    }
    std::erase_if(b->rows, [](const Row& r) { return r.rejected; });
    // Duplicates within the batch: sorted, they are neighbours (or nearly: same person and time
    // at other venues may sit between them).
    std::sort(b->rows.begin(), b->rows.end(), [](const Row& x, const Row& y) {
      return std::tie(x.person, x.time_in, x.line) < std::tie(y.person, y.time_in, y.line);
    });
    for (size_t i = 0; i < b->rows.size();) {
      size_t j = i + 1;
      while (j < b->rows.size() && b->rows[j].person == b->rows[i].person &&
             b->rows[j].time_in == b->rows[i].time_in)
        ++j;
      for (size_t k = i + 1; k < j; ++k) {
        for (size_t m = i; m < k; ++m) {
          if (!b->rows[m].rejected && b->rows[m].venue == b->rows[k].venue) {
            b->rejected.push_back({b->rows[k].line, "",
                                   "duplicates line " + std::to_string(b->rows[m].line) +
                                       " (same person, venue and time_in)"});
            b->rows[k].rejected = true;
            break;
          }
        }
      }
      i = j;
    }
    std::erase_if(b->rows, [](const Row& r) { return r.rejected; });
    return Status::Ok();
  }

  // The batch's people's stays in the store that the rules below can touch: those that began
  // up to kMaxOpenStayMs before one of their check-ins here, up to a default stay after.
  Result<std::vector<Stored>> Neighbours(store::Executor& tx, const std::vector<Row>& rows) {
    struct Range {
      int64_t person, lo, hi;
    };
    std::vector<Range> ranges;
    for (size_t i = 0; i < rows.size();) {
      Range r{rows[i].person, rows[i].time_in - kMaxOpenStayMs, rows[i].time_in};
      for (; i < rows.size() && rows[i].person == r.person; ++i)
        r.hi = std::max(r.hi, rows[i].default_out);
      ranges.push_back(r);
    }
    std::vector<Stored> out;
    for (size_t at = 0; at < ranges.size(); at += kPeoplePerQuery) {
      size_t n = std::min(kPeoplePerQuery, ranges.size() - at);
      std::string sql =
          "SELECT c.id, c.person_id, c.venue_id, c.time_in, c.time_out, c.closed_by FROM (VALUES ";
      store::Params p;
      p.reserve(n * 3);
      for (size_t k = 0; k < n; ++k) {
        sql += k ? ",(?,?,?)" : "(?,?,?)";
        p.insert(p.end(), {ranges[at + k].person, ranges[at + k].lo, ranges[at + k].hi});
      }
      sql +=
          ") AS q JOIN checkin c ON c.person_id = q.column1 AND c.time_in >= q.column2 AND "
          "c.time_in <= q.column3";
      ASSIGN_OR_RETURN(auto r, tx.Query(sql, p));
      for (size_t i = 0; i < r.size(); ++i) {
        out.push_back({r.Int(i, 0), r.Int(i, 1), r.Int(i, 2), r.Int(i, 3), r.Int(i, 4),
                       r.Text(i, 5) == "default_stay"});
      }
    }
    std::sort(out.begin(), out.end(), [](const Stored& x, const Stored& y) {
      return std::tie(x.person, x.time_in, x.id) < std::tie(y.person, y.time_in, y.id);
    });
    return out;
  }

  // The check-in rules (import.h) over the batch and the store, in time order per person; with
  // `write`, the outcome goes to the store and the change feed in `tx`.
  Status Apply(store::Executor& tx, Batch* b, bool write, int64_t* imported, int64_t* closed,
               std::vector<Rejected>* rejected) {
    std::vector<Row>& rows = b->rows;
    ASSIGN_OR_RETURN(auto stored, Neighbours(tx, rows));
    std::vector<int64_t> out(rows.size());  // each row's time_out as it will be written
    std::vector<ClosedBy> how(rows.size());
    std::vector<TimeOutChange> moved;
    std::vector<int64_t> moved_ids;
    // An open stay (closed_by default_stay) of the person being walked: a stored one (index
    // into `stored`) or a row of the batch.
    struct Open {
      bool is_row;
      size_t i;
    };
    std::vector<Open> open;
    size_t s = 0;
    for (size_t i = 0; i < rows.size();) {
      const int64_t person = rows[i].person;
      while (s < stored.size() && stored[s].person < person) ++s;
      size_t s_end = s;
      while (s_end < stored.size() && stored[s_end].person == person) ++s_end;
      open.clear();
      auto in_of = [&](const Open& o) {
        return o.is_row ? rows[o.i].time_in : stored[o.i].time_in;
      };
      auto out_of = [&](const Open& o) -> int64_t& {
        return o.is_row ? out[o.i] : stored[o.i].time_out;
      };
      auto close = [&](const Open& o, int64_t at) {
        if (o.is_row) {
          out[o.i] = at;
          how[o.i] = ClosedBy::kNextCheckin;
          return;
        }
        Stored& st = stored[o.i];
        moved.push_back({PersonId(st.person), VenueId(st.venue), st.time_in, st.time_out, at});
        moved_ids.push_back(st.id);
        st.time_out = at;
        st.open = false;
      };
      // Walks the person's stored stays and rows by time_in (stored first at equal times).
      size_t k = s;
      for (; i < rows.size() && rows[i].person == person; ++i) {
        Row& r = rows[i];
        for (; k < s_end && stored[k].time_in <= r.time_in; ++k) {
          // A stored check-in after an open row of the batch ends it.
          for (auto it = open.begin(); it != open.end();) {
            if (it->is_row && in_of(*it) <= stored[k].time_in && stored[k].time_in < out_of(*it)) {
              close(*it, stored[k].time_in);
              it = open.erase(it);
            } else {
              ++it;
            }
          }
          if (stored[k].open) open.push_back({false, k});
        }
        std::erase_if(open, [&](const Open& o) { return out_of(o) <= r.time_in; });
        auto reject = [&](const char* field, std::string why) {
          rejected->push_back({r.line, field, std::move(why)});
          r.rejected = true;
        };
        // Already in the store: a re-imported line.
        auto same = std::find_if(
            stored.begin() + static_cast<ptrdiff_t>(s), stored.begin() + static_cast<ptrdiff_t>(k),
            [&](const Stored& st) { return st.time_in == r.time_in && st.venue == r.venue; });
        if (same != stored.begin() + static_cast<ptrdiff_t>(k)) {
          reject("", "is already in the store (check-in " + std::to_string(same->id) +
                         ": same person, venue and time_in)");
          continue;
        }
        auto here = std::find_if(open.begin(), open.end(), [&](const Open& o) {
          return (o.is_row ? rows[o.i].venue : stored[o.i].venue) == r.venue;
        });
        if (here != open.end()) {
          reject("venue_id", here->is_row ? "already checked in here since line " +
                                                std::to_string(rows[here->i].line)
                                          : "already checked in here since check-in " +
                                                std::to_string(stored[here->i].id));
          continue;
        }
        // One person is in one place: open stays elsewhere end where this one begins.
        for (const Open& o : open) close(o, r.time_in);
        open.clear();
        if (r.time_out != kNoTime) {
          out[i] = r.time_out;
          how[i] = ClosedBy::kCheckout;
        } else {
          out[i] = r.default_out;
          how[i] = ClosedBy::kDefaultStay;
          open.push_back({true, i});
        }
      }
      // Stored check-ins after the person's last row here.
      for (; k < s_end; ++k) {
        for (auto it = open.begin(); it != open.end();) {
          if (it->is_row && in_of(*it) <= stored[k].time_in && stored[k].time_in < out_of(*it)) {
            close(*it, stored[k].time_in);
            it = open.erase(it);
          } else {
            ++it;
          }
        }
      }
      s = s_end;
    }
    if (!write) return Status::Ok();
    for (size_t m = 0; m < moved.size(); ++m) {
      RETURN_IF_ERROR(
          tx.Exec("UPDATE checkin SET time_out = ?, closed_by = 'next_checkin' WHERE id = ?",
                  {moved[m].time_out, moved_ids[m]}));
    }
    std::vector<StayRow> stays;
    stays.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].rejected) continue;
      const Row& r = rows[i];
      stays.push_back({{PersonId(r.person), VenueId(r.venue), r.time_in, out[i]},
                       how[i] == ClosedBy::kCheckout,
                       "import",
                       how[i] == ClosedBy::kNextCheckin});
    }
    RETURN_IF_ERROR(WriteStays(tx, stays, now_));
    RETURN_IF_ERROR(PublishTimeOuts(tx, moved, now_));
    *imported += static_cast<int64_t>(stays.size());
    *closed += static_cast<int64_t>(moved.size());
    return Status::Ok();
  }

  // Adds a batch's rejections to the result, in line order, up to the listed maximum.
  void Reject(Batch& b) {
    std::sort(b.rejected.begin(), b.rejected.end(),
              [](const Rejected& x, const Rejected& y) { return x.line < y.line; });
    result_.rejected_count += static_cast<int64_t>(b.rejected.size());
    for (auto& r : b.rejected) {
      if (result_.rejected.size() >= options_.max_listed) break;
      result_.rejected.push_back(std::move(r));
    }
    b.rejected.clear();
  }

  void Report(ImportProgress::Phase phase, bool done = false) {
    if (!options_.progress) return;
    options_.progress({phase, reader_.lines(), result_.imported, result_.rejected_count,
                       result_.committed_through_line, done});
  }

  Result<ImportResult> Finish() {
    Report(options_.strict ? ImportProgress::Phase::kWriting : ImportProgress::Phase::kBatches,
           true);
    return std::move(result_);
  }

  // A failure after some batches committed: say what is in the store.
  Status Partial(const Status& s) {
    if (result_.committed_through_line == 0) return s;
    return Status(s.code(),
                  s.message() + " (the lines up to line " +
                      std::to_string(result_.committed_through_line) + " are imported, " +
                      std::to_string(result_.imported) +
                      " check-ins, and nothing after; importing the file again skips those already "
                      "in the store)",
                  s.field());
  }

  store::Database& db_;
  RecordReader& reader_;
  const int64_t now_;
  const Limits limits_;
  const ImportOptions& options_;
  Record rec_;
  ImportResult result_;
};

const std::vector<std::string> kCheckinKeys = {"person_id", "venue_id", "time_in", "time_out"};
const std::vector<std::string> kCheckinRequired = {"person_id", "venue_id", "time_in"};

Result<ImportResult> Run(store::Database& db, RecordReader& reader, int64_t now,
                         const Limits& limits, const ImportOptions& options) {
  Importer importer(db, reader, now, limits, options);
  return importer.Run();
}

}  // namespace

Result<ImportResult> ImportCheckins(store::Database& db, std::istream& in, ImportFormat format,
                                    int64_t now, const Limits& limits,
                                    const ImportOptions& options) {
  RecordReader reader(in, format, kCheckinKeys, kCheckinRequired);
  return Run(db, reader, now, limits, options);
}

Result<ImportResult> ImportCheckins(store::Database& db, std::string_view text, ImportFormat format,
                                    int64_t now, const Limits& limits,
                                    const ImportOptions& options) {
  RecordReader reader(text, format, kCheckinKeys, kCheckinRequired);
  return Run(db, reader, now, limits, options);
}

Result<ImportResult> ImportCheckins(store::Database& db, std::string_view text, ImportFormat format,
                                    bool strict, int64_t now, const Limits& limits,
                                    const std::function<bool(const std::string&)>& venue_allowed) {
  ImportOptions options;
  options.strict = strict;
  options.venue_allowed = venue_allowed;
  return ImportCheckins(db, text, format, now, limits, options);
}

ProgressFn TerminalProgress(int fd) {
  if (!isatty(fd)) return nullptr;
  auto start = std::chrono::steady_clock::now();
  return [fd, start](const ImportProgress& p) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double rate = s > 0 ? static_cast<double>(p.lines) / s : 0.0;
    auto n = [](int64_t v) { return static_cast<long long>(v); };
    char line[256];
    int len = 0;
    using Phase = ImportProgress::Phase;
    if (p.phase == Phase::kChecking) {
      len = std::snprintf(line, sizeof line,
                          "\rchecking line %lld (--strict: nothing is written until all are "
                          "checked), %.0f lines/s   ",
                          n(p.lines), rate);
    } else if (p.phase == Phase::kWriting) {
      len = std::snprintf(line, sizeof line,
                          "\rwriting line %lld in one transaction (--strict: committed at the "
                          "end, if no line is rejected), %.0f lines/s   ",
                          n(p.lines), rate);
    } else {
      len = std::snprintf(line, sizeof line,
                          "\rline %lld: %lld imported, %lld rejected, committed through line "
                          "%lld; %.0f lines/s   ",
                          n(p.lines), n(p.imported), n(p.rejected), n(p.committed_through_line),
                          rate);
    }
    len = std::clamp(len, 0, static_cast<int>(sizeof line) - 1);
    (void)!write(fd, line, static_cast<size_t>(len));
    if (p.done) (void)!write(fd, "\n", 1);
  };
}

}  // namespace mekong::tracing
