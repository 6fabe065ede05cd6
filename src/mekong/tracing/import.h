// Bulk check-in import from a venue scanner's or a gate's upload, a spreadsheet or a data
// export: CSV (RFC 4180) with the header person_id,venue_id,time_in[,time_out], or NDJSON with
// the same keys; times in RFC 3339. The record reader here is shared with carriers' manifests
// (travel.h).
//
// Files of any size stream through in batches (docs/tracing.md, "Import"): memory is bounded
// by the batch, not the file.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/tracing/checkins.h"

namespace mekong::tracing {

struct Rejected {
  int line = 0;  // 1-based physical line where the record starts, counting the CSV header
  std::string field;
  std::string reason;
};

enum class ImportFormat { kCsv, kNdjson };

// One record of an import file: the line it starts on and its values in the reader's key
// order ("" for an empty or absent value).
struct Record {
  int line = 0;
  std::vector<std::string> values;
};

// Reads records one at a time from a whole text or a stream (read in 1 MiB chunks).
//
// CSV follows RFC 4180: the first non-blank record is the header, naming columns from `keys`
// (any order; a column outside `keys`, a repeated one or a missing `required` one refuses the
// file); fields may be quoted ("a, b", "say ""hi""", line breaks inside quotes); records end in
// LF or CRLF; a UTF-8 byte-order mark at the start is skipped. NDJSON is one JSON object per
// line through mekong::ParseJson (bounded depth, duplicate keys refused); an unknown key
// rejects the line. Both: blank lines (and CSV rows of empty fields) are skipped; a record
// without a `required` value is rejected naming it.
//
// File-level problems (an empty file, a bad header, a quote that never closes, which leaves no
// way to find the next record) are errors naming the field "file" and saying what is wrong in
// words; a bad record goes to `rejected` and reading goes on.
class RecordReader {
 public:
  RecordReader(std::string_view text, ImportFormat format, std::vector<std::string> keys,
               std::vector<std::string> required);
  // `in` is borrowed and must outlive the reader.
  RecordReader(std::istream& in, ImportFormat format, std::vector<std::string> keys,
               std::vector<std::string> required);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // The next record into `rec` (its storage is reused); false at the end of the input.
  Result<bool> Next(Record* rec, std::vector<Rejected>* rejected);
  // Starts again from the beginning (a second pass); false when the stream cannot seek.
  bool Rewind();
  // Physical lines consumed so far.
  int64_t lines() const;
  // The position of `key` in `keys`.
  size_t Index(std::string_view key) const;
  // "person_id,venue_id,time_in[,time_out]": required keys, then the optional ones in brackets.
  std::string HeaderHint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A positive decimal id, at most 18 digits.
bool ParseId(std::string_view s, int64_t* out);

struct ImportResult {
  int64_t imported = 0;
  // Bad lines by line number; at most ImportOptions::max_listed of them.
  std::vector<Rejected> rejected;
  int64_t rejected_count = 0;  // all of them, listed or not
  // Stays already in the store that an imported check-in closed (next_checkin).
  int64_t closed = 0;
  // Everything up to and including this line is committed (non-strict imports commit per
  // batch); 0 when nothing was.
  int64_t committed_through_line = 0;
};

struct ImportProgress {
  enum class Phase {
    kBatches,   // each batch is committed before the next is read
    kChecking,  // --strict's first pass: nothing is written yet
    kWriting,   // --strict's one transaction: committed at the end, or not at all
  };
  Phase phase = Phase::kBatches;
  int64_t lines = 0;  // physical lines read
  int64_t imported = 0, rejected = 0;
  int64_t committed_through_line = 0;
  bool done = false;
};
using ProgressFn = std::function<void(const ImportProgress&)>;

struct ImportOptions {
  // All or nothing: any rejected line means nothing is written. Without it, each batch is its
  // own transaction: valid lines are written, bad ones listed.
  bool strict = false;
  // Lines per batch: the unit of memory (about 400 bytes a line), of bulk lookups and, without
  // `strict`, of commit. On SQLite a batch holds the store's write lock while it is written
  // (about 3-5 s per 100,000 lines where the indexes no longer fit the page cache; other
  // processes' writes wait up to their 10 s busy timeout); larger batches are faster
  // (docs/benchmarks.md) for loads nobody else is writing during.
  size_t batch_lines = 100000;
  // Rejections kept in the result (the count goes on past it).
  size_t max_listed = SIZE_MAX;
  // When set, asked with each venue's org-unit path; a venue it refuses rejects the line (a
  // device may only report where it stands).
  std::function<bool(const std::string&)> venue_allowed;
  // When set, asked likewise with each person's org-unit path; a person it refuses is rejected
  // exactly as an unknown one, so that an upload cannot probe which ids exist elsewhere.
  std::function<bool(const std::string&)> person_allowed;
  // Called after each batch (and at the end).
  ProgressFn progress;
};

// Imports check-ins with the semantics of POST /checkins (tracing::CheckIn), applied in time
// order per person across the file and the store:
//  - a check-in closes the person's open stays (closed_by default_stay) that cover its
//    time_in, elsewhere, as next_checkin; stays already in the store are updated and the
//    change published (PublishTimeOuts), so every engine follows;
//  - a check-in without time_out is itself closed by the person's next check-in (in the file
//    or the store) when that comes before its venue's default stay ends;
//  - one at a venue where the person is still checked in (an open stay covering its time_in)
//    is rejected, as the API answers 409;
//  - a repeated (person, venue, time_in), within the file or against the store, is rejected
//    (so importing a file twice writes it once).
// Durable when this returns (non-strict: batch by batch, see ImportResult).
Result<ImportResult> ImportCheckins(store::Database& db, std::istream& in, ImportFormat format,
                                    int64_t now, const Limits& limits,
                                    const ImportOptions& options);
Result<ImportResult> ImportCheckins(store::Database& db, std::string_view text, ImportFormat format,
                                    int64_t now, const Limits& limits,
                                    const ImportOptions& options);
// The older form: one batch of up to 10,000 lines in practice (POST /checkins/batch).
Result<ImportResult> ImportCheckins(
    store::Database& db, std::string_view text, ImportFormat format, bool strict, int64_t now,
    const Limits& limits, const std::function<bool(const std::string&)>& venue_allowed = nullptr);

// A progress line on `fd` (2: stderr), rewritten in place, when `fd` is a terminal; nullptr
// otherwise (logs and pipes get only the final summary).
ProgressFn TerminalProgress(int fd = 2);

}  // namespace mekong::tracing
