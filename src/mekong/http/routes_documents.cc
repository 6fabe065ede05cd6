// Routes for documents attached to records (documents/service.h, docs/documents.md): upload as
// the request's raw body, list a record's, read one's details, download its bytes (checked
// against their SHA-256 on the way out).
#include "mekong/core/crypto.h"
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

// The kinds of record documents attach to (RegisterDocumentSubjects below).
const std::vector<std::string> kSubjects = {"case", "consultation", "directive", "meeting",
                                            "report"};

Json ToJson(const documents::Document& d) {
  return {{"id", d.id},
          {"sha256", d.sha256},
          {"size", d.size},
          {"media_type", d.media_type},
          {"filename", d.filename},
          {"subject", d.subject_kind},
          {"subject_id", d.subject_id},
          {"uploaded_by", d.uploaded_by.value},
          {"uploaded_at", FormatRfc3339(d.uploaded_at)},
          {"content_url", "/api/v1/documents/" + std::to_string(d.id) + "/content"}};
}

Schema DocumentSchema() {
  return Schema::Object(
      {Required("id", Schema::Integer()),
       Required("sha256", Schema::String(64).Doc("of the bytes, hex")),
       Required("size", Schema::Integer()),
       Required("media_type", Schema::Enum(documents::AcceptedTypes())),
       Required("filename", Schema::String(200)), Required("subject", Schema::Enum(kSubjects)),
       Required("subject_id", Schema::Integer()), Required("uploaded_by", Schema::Integer()),
       Required("uploaded_at", Schema::Time()), Required("content_url", Schema::String(200))});
}

std::vector<Field> SubjectQuery() {
  return {Required("subject", Schema::Enum(kSubjects).Doc("the kind of record")),
          Required("subject_id", Schema::Id().Doc("the record's id"))};
}

// RFC 6266: a quoted ASCII name for old readers and the exact UTF-8 name (RFC 8187).
std::string Disposition(const std::string& name) {
  std::string ascii, exact;
  for (unsigned char c : name) {
    ascii += (c < 0x80 && c >= 0x20 && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      exact += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789ABCDEF";
      exact += '%';
      exact += kHex[c >> 4];
      exact += kHex[c & 15];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + exact;
}

Result<Response> Upload(Context& ctx) {
  documents::Upload in;
  in.subject_kind = String(ctx.query, "subject");
  in.subject_id = Int(ctx.query, "subject_id");
  in.filename = String(ctx.query, "filename");
  in.media_type = ctx.req.content_type;
  in.bytes = ctx.req.body;
  ASSIGN_OR_RETURN(auto d, ctx.svc.documents.Attach(ctx.by(), in));
  return JsonResponse(ToJson(d), 201);
}

Result<Response> List(Context& ctx) {
  ASSIGN_OR_RETURN(auto docs, ctx.svc.documents.List(ctx.by(), String(ctx.query, "subject"),
                                                     Int(ctx.query, "subject_id")));
  Json items = Json::array();
  for (const auto& d : docs) items.push_back(ToJson(d));
  return JsonResponse({{"items", items}});
}

Result<Response> Download(Context& ctx) {
  ASSIGN_OR_RETURN(auto got, ctx.svc.documents.Content(ctx.by(), Int(ctx.path, "id")));
  auto& [d, bytes] = got;
  Response r;
  const std::string etag = "\"" + d.sha256 + "\"";
  r.headers.emplace_back("ETag", etag);
  if (ctx.req.if_none_match == etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type =
      d.media_type.rfind("text/", 0) == 0 ? d.media_type + "; charset=utf-8" : d.media_type;
  r.headers.emplace_back("Content-Disposition", Disposition(d.filename));
  r.headers.emplace_back("Repr-Digest", "sha-256=:" + Base64Encode(Sha256(bytes)) + ":");
  r.body = std::move(bytes);
  return r;
}

}  // namespace

void RegisterDocumentSubjects(const Services& s) {
  using documents::Use;
  using registry::Caller;
  auto* centre = &s.centre;
  auto* cases = &s.cases;
  auto* tele = &s.telehealth;
  auto* meetings = &s.meetings;
  s.documents.AddSubject("case", [cases](const Caller& by, int64_t id, Use use) {
    return cases->DocumentAccess(by, CaseId(id), use == Use::kAttach);
  });
  s.documents.AddSubject("consultation", [tele](const Caller& by, int64_t id, Use use) {
    return tele->ConsultationDocumentAccess(by, telehealth::ConsultationId(id),
                                            use == Use::kAttach);
  });
  s.documents.AddSubject("directive", [centre](const Caller& by, int64_t id, Use use) {
    return centre->DocumentAccess(by, id, use == Use::kAttach);
  });
  s.documents.AddSubject("meeting", [meetings](const Caller& by, int64_t id, Use use) {
    return meetings->DocumentAccess(by, id, use == Use::kAttach);
  });
  s.documents.AddSubject("report", [centre](const Caller& by, int64_t id, Use use) {
    return centre->ReportDocumentAccess(by, id, use == Use::kAttach);
  });
}

std::vector<Route> DocumentRoutes() {
  using C = Capability;
  std::vector<std::string> types = documents::AcceptedTypes();
  return {
      {.method = "POST",
       .path = "/api/v1/documents",
       .operation = "attachDocument",
       .summary = "Attach a document to a record: the file is the body, its type the "
                  "Content-Type (PDF, PNG, JPEG, WebP, plain text, CSV; at most 4 MiB); stored "
                  "under its SHA-256",
       .tag = "documents",
       .access = Needs(C::kAttachDocuments, Scope::kOrgUnit),
       .query =
           [] {
             auto q = SubjectQuery();
             q.push_back(
                 Required("filename", Schema::String(200).Doc("the file's name, no folders")));
             return q;
           }(),
       .body_types = types,
       .response = DocumentSchema(),
       .status = 201,
       .handler = Upload},
      {.method = "GET",
       .path = "/api/v1/documents",
       .operation = "listDocuments",
       .summary = "The documents attached to a record you may read, oldest first",
       .tag = "documents",
       .access = Needs(C::kReadDocuments, Scope::kSelfOrOrgUnit),
       .query = SubjectQuery(),
       .response = Items(DocumentSchema(), 1000),
       .handler = List},
      {.method = "GET",
       .path = "/api/v1/documents/{id}",
       .operation = "getDocument",
       .summary = "A document's details: name, type, size, SHA-256, the record it belongs to",
       .tag = "documents",
       .access = Needs(C::kReadDocuments, Scope::kSelfOrOrgUnit),
       .response = DocumentSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto d, ctx.svc.documents.Get(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(d));
       },
       .resource = "document"},
      {.method = "GET",
       .path = "/api/v1/documents/{id}/content",
       .operation = "downloadDocument",
       .summary = "A document's bytes, as an attachment, after checking them against their "
                  "SHA-256 (ETag; Repr-Digest, RFC 9530)",
       .tag = "documents",
       .access = Needs(C::kReadDocuments, Scope::kSelfOrOrgUnit),
       .response_type = "application/octet-stream",
       .handler = Download,
       .resource = "document"},
  };
}

}  // namespace mekong::http
