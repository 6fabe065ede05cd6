#include "mekong/documents/service.h"

#include "mekong/core/crypto.h"
#include "mekong/core/log.h"
#include "mekong/core/text.h"
#include "mekong/registry/access.h"

namespace mekong::documents {

namespace {

using registry::Caller;
using registry::Capability;

// The bytes once per hash; a document row per record they are attached to.
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE document_content (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  content {blob} NOT NULL
);
CREATE TABLE document (
  id {id},
  sha256 TEXT NOT NULL REFERENCES document_content (sha256),
  size BIGINT NOT NULL,
  media_type TEXT NOT NULL,
  filename TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  uploaded_by BIGINT NOT NULL REFERENCES app_user (id),
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX document_subject ON document (subject_kind, subject_id, id);
)sql"},
};

constexpr const char* kCols =
    "id, sha256, size, media_type, filename, subject_kind, subject_id, uploaded_by, uploaded_at";

Document FromRow(const store::Rows& r, size_t i) {
  Document d;
  d.id = r.Int(i, 0);
  d.sha256 = r.Text(i, 1);
  d.size = r.Int(i, 2);
  d.media_type = r.Text(i, 3);
  d.filename = r.Text(i, 4);
  d.subject_kind = r.Text(i, 5);
  d.subject_id = r.Int(i, 6);
  d.uploaded_by = UserId(r.Int(i, 7));
  d.uploaded_at = r.Int(i, 8);
  return d;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// What each accepted type's bytes must look like.
bool Looks(std::string_view type, std::string_view b) {
  if (type == "application/pdf") return StartsWith(b, "%PDF-");
  if (type == "image/png") return StartsWith(b, "\x89PNG\r\n\x1a\n");
  if (type == "image/jpeg") return StartsWith(b, "\xff\xd8\xff");
  if (type == "image/webp")
    return b.size() >= 12 && StartsWith(b, "RIFF") && b.substr(8, 4) == "WEBP";
  // Text: UTF-8 with no NUL (a binary file sent as text/plain is not text).
  return ValidUtf8(b) && b.find('\0') == std::string_view::npos;
}

Result<Document> Read(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(auto r,
                   ex.Query(std::string("SELECT ") + kCols + " FROM document WHERE id = ?", {id}));
  if (r.rows.empty()) return Status::NotFound("no document " + std::to_string(id), "id");
  return FromRow(r, 0);
}

}  // namespace

const store::Module kModule{"documents", {"registry"}, {{"documents", kMigrations}}};

const std::vector<std::string>& AcceptedTypes() {
  static const std::vector<std::string> kTypes = {"application/pdf", "image/png",  "image/jpeg",
                                                  "image/webp",      "text/plain", "text/csv"};
  return kTypes;
}

Result<std::string> CheckContent(std::string_view declared, std::string_view bytes) {
  std::string type(Trimmed(declared.substr(0, declared.find(';'))));
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool known = false;
  for (const auto& t : AcceptedTypes()) known |= t == type;
  if (!known) {
    std::string list;
    for (const auto& t : AcceptedTypes()) list += (list.empty() ? "" : ", ") + t;
    return Status::InvalidArgument("documents may be " + list, "Content-Type");
  }
  if (bytes.empty()) return Status::InvalidArgument("the document is empty", "body");
  if (!Looks(type, bytes))
    return Status::InvalidArgument("the bytes are not " + type + " (its first bytes say otherwise)",
                                   "body");
  return type;
}

Status CheckFilename(std::string_view name) {
  RETURN_IF_ERROR(CheckText(name, "filename", 200, true));
  if (name.find_first_of("/\\") != std::string_view::npos || name == "." || name == "..")
    return Status::InvalidArgument("a file name, without folders", "filename");
  return Status::Ok();
}

Service::Service(store::Database& db, const Clock& clock, Options options)
    : db_(db), clock_(clock), options_(options) {}

void Service::AddSubject(std::string kind, Guard guard) {
  guards_[std::move(kind)] = std::move(guard);
}

Status Service::Check(const Caller& by, const std::string& kind, int64_t id, Use use) const {
  RETURN_IF_ERROR(registry::Require(
      by, use == Use::kRead ? Capability::kReadDocuments : Capability::kAttachDocuments));
  auto g = guards_.find(kind);
  if (g == guards_.end()) return Status::InvalidArgument("no such kind of record", "subject");
  return g->second(by, id, use);
}

Result<Document> Service::Attach(const Caller& by, const Upload& in) {
  // Who may attach first: a refused caller learns nothing from how their file would be judged.
  RETURN_IF_ERROR(Check(by, in.subject_kind, in.subject_id, Use::kAttach));
  RETURN_IF_ERROR(CheckFilename(in.filename));
  ASSIGN_OR_RETURN(std::string type, CheckContent(in.media_type, in.bytes));
  if (static_cast<int64_t>(in.bytes.size()) > options_.max_bytes)
    return Status::InvalidArgument("at most " + std::to_string(options_.max_bytes) + " bytes",
                                   "body");

  Document d;
  d.sha256 = HexEncode(Sha256(in.bytes));
  d.size = static_cast<int64_t>(in.bytes.size());
  d.media_type = type;
  d.filename = in.filename;
  d.subject_kind = in.subject_kind;
  d.subject_id = in.subject_id;
  d.uploaded_by = by.user;
  d.uploaded_at = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO document_content (sha256, size, content) VALUES (?, ?, ?) "
                            "ON CONFLICT (sha256) DO NOTHING",
                            {d.sha256, d.size, store::Blob{in.bytes}})
                        .status());
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO document (sha256, size, media_type, filename, "
                                      "subject_kind, subject_id, uploaded_by, uploaded_at) VALUES "
                                      "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                      {d.sha256, d.size, d.media_type, d.filename, d.subject_kind,
                                       d.subject_id, d.uploaded_by.value, d.uploaded_at}));
    d.id = r.Int(0, 0);
    return Status::Ok();
  }));
  return d;
}

Result<std::vector<Document>> Service::List(const Caller& by, const std::string& kind, int64_t id) {
  RETURN_IF_ERROR(Check(by, kind, id, Use::kRead));
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kCols +
                                         " FROM document WHERE subject_kind = ? AND subject_id = ? "
                                         "ORDER BY id LIMIT 1000",
                                     {kind, id}));
  std::vector<Document> out;
  for (size_t i = 0; i < r.rows.size(); ++i) out.push_back(FromRow(r, i));
  return out;
}

Result<Document> Service::Get(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadDocuments));
  ASSIGN_OR_RETURN(Document d, Read(db_, id));
  // A document of a record the caller cannot see is as unknown as an id that does not exist.
  if (Status s = Check(by, d.subject_kind, d.subject_id, Use::kRead); !s.ok())
    return s.code() == Code::kNotFound ? Status::NotFound("no document " + std::to_string(id), "id")
                                       : s;
  return d;
}

Result<std::pair<Document, std::string>> Service::Content(const Caller& by, int64_t id) {
  ASSIGN_OR_RETURN(Document d, Get(by, id));
  ASSIGN_OR_RETURN(auto r,
                   db_.Query("SELECT content FROM document_content WHERE sha256 = ?", {d.sha256}));
  if (r.rows.empty())
    return Status::Internal("the content of document " + std::to_string(id) + " is missing");
  std::string bytes = r.Bytes(0, 0).bytes;
  if (HexEncode(Sha256(bytes)) != d.sha256) {
    log::Error("document_corrupt", {{"id", std::to_string(id)}, {"sha256", d.sha256}});
    return Status::Internal("document " + std::to_string(id) +
                            " no longer matches its SHA-256; it is not served");
  }
  return std::make_pair(std::move(d), std::move(bytes));
}

Result<Audit> Service::AuditAll() {
  Audit out;
  std::string after;
  for (;;) {
    ASSIGN_OR_RETURN(auto r,
                     db_.Query("SELECT sha256, content FROM document_content WHERE sha256 > ? "
                               "ORDER BY sha256 LIMIT 100",
                               {after}));
    for (size_t i = 0; i < r.rows.size(); ++i) {
      const std::string& bytes = r.Bytes(i, 1).bytes;
      ++out.files;
      out.bytes += static_cast<int64_t>(bytes.size());
      if (HexEncode(Sha256(bytes)) == r.Text(i, 0)) continue;
      ASSIGN_OR_RETURN(auto ids, db_.Query("SELECT id FROM document WHERE sha256 = ? ORDER BY id",
                                           {r.Text(i, 0)}));
      std::vector<int64_t> docs;
      for (size_t j = 0; j < ids.rows.size(); ++j) docs.push_back(ids.Int(j, 0));
      out.corrupt.emplace_back(r.Text(i, 0), std::move(docs));
    }
    if (r.rows.size() < 100) break;
    after = r.Text(r.rows.size() - 1, 0);
  }
  return out;
}

}  // namespace mekong::documents
