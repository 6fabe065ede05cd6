// Documents attached to the records people work on (a directive, a case, ...), stored
// content-addressed: the bytes once under their SHA-256, however many records carry them.
// A download recomputes the hash and refuses bytes that no longer match it.
//
// This module knows no other module's records. The wiring names each kind of record documents
// attach to with a guard that asks the record's own service whether a caller may read it or
// attach to it; every read and write here goes through that guard first (docs/documents.md).
//
// Limits: a size (Options::max_bytes) and the types of AcceptedTypes(), which the bytes must
// match (a PDF starts "%PDF-", a PNG with its signature, text is UTF-8 without NUL).
//
// Thread safety: AddSubject before the first request; every other method from any thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/registry/auth.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::documents {

extern const store::Module kModule;

inline constexpr int64_t kDefaultMaxBytes = int64_t{4} << 20;

struct Document {
  int64_t id = 0;
  std::string sha256;  // 64 lower-case hex digits
  int64_t size = 0;
  std::string media_type, filename;
  std::string subject_kind;  // "directive", "case", ...
  int64_t subject_id = 0;
  UserId uploaded_by;
  int64_t uploaded_at = 0;
};

struct Upload {
  std::string subject_kind;
  int64_t subject_id = 0;
  std::string filename, media_type;
  std::string bytes;
};

enum class Use { kRead, kAttach };

// Ok when `by` may read (or attach to) record `id` of one kind; the record service's own
// not_found when they may not see it, permission_denied when they see it but may not attach.
using Guard = std::function<Status(const registry::Caller& by, int64_t id, Use use)>;

struct Options {
  int64_t max_bytes = kDefaultMaxBytes;
};

// What re-hashing every stored file found (`mekong documents check`).
struct Audit {
  int64_t files = 0, bytes = 0;
  // The hashes whose bytes no longer match, with the documents that carry them.
  std::vector<std::pair<std::string, std::vector<int64_t>>> corrupt;
};

class Service {
 public:
  Service(store::Database& db, const Clock& clock, Options options = {});

  void AddSubject(std::string kind, Guard guard);

  Result<Document> Attach(const registry::Caller& by, const Upload& in);
  // The documents of one record, oldest first.
  Result<std::vector<Document>> List(const registry::Caller& by, const std::string& kind,
                                     int64_t id);
  Result<Document> Get(const registry::Caller& by, int64_t id);
  // The document and its bytes, whose SHA-256 is checked against the one they were stored
  // under: an internal error (and a log line) when they differ.
  Result<std::pair<Document, std::string>> Content(const registry::Caller& by, int64_t id);
  // Every stored file hashed again, a hundred at a time (the operator's integrity check).
  Result<Audit> AuditAll();

 private:
  Status Check(const registry::Caller& by, const std::string& kind, int64_t id, Use use) const;

  store::Database& db_;
  const Clock& clock_;
  Options options_;
  std::map<std::string, Guard> guards_;
};

// The media types accepted, and whether `bytes` are one of them as `declared` (parameters such
// as "; charset=utf-8" ignored): invalid_argument naming "Content-Type" or "body" when not.
const std::vector<std::string>& AcceptedTypes();
Result<std::string> CheckContent(std::string_view declared, std::string_view bytes);
// A file name a person gave: 1 to 200 characters, no control characters, no path separators.
Status CheckFilename(std::string_view name);

}  // namespace mekong::documents
