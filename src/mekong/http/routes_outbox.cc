// Routes for the message outbox (outbox/outbox.h, docs/outbox.md): a citizen's messages and
// their choice of language and channels; the deliveries of a unit's people for its staff.
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

const std::vector<std::string> kStatuses = {"queued", "sending", "sent", "failed"};
const std::vector<std::string> kChannels = {"in_app", "sms", "email"};

Json Time(const std::optional<int64_t>& ms) {
  return ms ? Json(FormatRfc3339(*ms)) : Json(nullptr);
}

Json MediaJson(const std::vector<outbox::Media>& media) {
  Json list = Json::array();
  for (const auto& m : media) list.push_back({{"kind", m.kind}, {"url", m.url}});
  return list;
}

Schema MediaSchema() {
  return Schema::Array(Schema::Object({Required("kind", Schema::Enum({"image", "video", "link"})),
                                       Required("url", Schema::String(500).Doc("https://"))}),
                       outbox::kMaxMedia);
}

Json ToJson(const outbox::Message& m) {
  return {{"id", m.id},
          {"kind", m.kind},
          {"language", m.language},
          {"subject", m.subject},
          {"text", m.text},
          {"link", m.link},
          {"media", MediaJson(m.media)},
          {"created_at", FormatRfc3339(m.created_at)},
          {"read_at", Time(m.read_at)}};
}

Schema MessageSchema() {
  return Schema::Object(
      {Required("id", Schema::Integer()), Required("kind", Schema::String(64)),
       Required("language", LanguageEnum()), Required("subject", Schema::Text(1000)),
       Required("text", Schema::Text(20000)),
       Required("link", Schema::String(500).Doc("an app path, or empty")),
       Required("media", MediaSchema().Doc("images, videos and links the message carries")),
       Required("created_at", Schema::Time()), Required("read_at", Schema::Time().Nullable())});
}

Json ToJson(const outbox::Settings& s) {
  return {{"language", s.language}, {"sms", s.sms}, {"email", s.email}, {"phone", s.phone}};
}

Schema SettingsSchema() {
  return Schema::Object(
      {Required("language", LanguageEnum().Doc("the language messages are written in")),
       Required("sms", Schema::Boolean().Doc("also by SMS to the phone of your record")),
       Required("email", Schema::String(254).Doc("also by email to this address; empty: none")),
       Required("phone", Schema::String(64).Doc("your record's, read-only here"))});
}

Json ToJson(const outbox::Delivery& d, bool detail) {
  Json j = {{"id", d.id},
            {"message_id", d.message_id},
            {"person_id", d.person.value},
            {"kind", d.kind},
            {"language", d.language},
            {"subject", d.subject},
            {"channel", d.channel},
            {"address", d.address},
            {"status", d.status},
            {"attempts", d.attempts},
            {"next_attempt_at", d.status == "queued" ? Time(d.next_attempt_at) : Json(nullptr)},
            {"sent_at", Time(d.sent_at)},
            {"last_error", d.last_error},
            {"created_at", FormatRfc3339(d.created_at)}};
  if (detail) {
    j["text"] = d.text;
    Json attempts = Json::array();
    for (const auto& a : d.attempt_log)
      attempts.push_back({{"at", FormatRfc3339(a.at)}, {"ok", a.ok}, {"error", a.error}});
    j["attempts_log"] = attempts;
  }
  return j;
}

Schema DeliverySchema(bool detail) {
  std::vector<Field> f = {
      Required("id", Schema::Integer()),
      Required("message_id", Schema::Integer()),
      Required("person_id", Schema::Integer()),
      Required("kind", Schema::String(64)),
      Required("language", LanguageEnum()),
      Required("subject", Schema::Text(1000)),
      Required("channel", Schema::Enum(kChannels)),
      Required("address", Schema::String(254).Doc("email address or phone; empty in the app")),
      Required("status", Schema::Enum(kStatuses)),
      Required("attempts",
               Schema::Integer().Doc(
                   "sends tried since it was queued (a retry by hand starts again from 0)")),
      Required("next_attempt_at", Schema::Time().Nullable().Doc("while queued")),
      Required("sent_at", Schema::Time().Nullable()),
      Required("last_error", Schema::Text(5000)),
      Required("created_at", Schema::Time()),
  };
  if (detail) {
    f.push_back(Required("text", Schema::Text(20000)));
    f.push_back(Required("attempts_log",
                         Schema::Array(Schema::Object({Required("at", Schema::Time()),
                                                       Required("ok", Schema::Boolean()),
                                                       Required("error", Schema::Text(5000))}),
                                       1000)));
  }
  return Schema::Object(f);
}

Result<Response> MyMessages(Context& ctx) {
  ASSIGN_OR_RETURN(auto list, ctx.svc.outbox.Mine(ctx.by(), Limit(ctx), Offset(ctx)));
  ASSIGN_OR_RETURN(int64_t unread, ctx.svc.outbox.Unread(ctx.by()));
  Json items = Json::array();
  for (const auto& m : list) items.push_back(ToJson(m));
  return JsonResponse({{"items", items}, {"unread", unread}});
}

Result<Response> SetSettings(Context& ctx) {
  outbox::Settings in;
  in.language = String(ctx.body, "language");
  in.sms = OptBool(ctx.body, "sms").value_or(false);
  in.email = OptString(ctx.body, "email").value_or("");
  ASSIGN_OR_RETURN(auto s, ctx.svc.outbox.SetSettings(ctx.by(), in));
  return JsonResponse(ToJson(s));
}

Result<Response> ListDeliveries(Context& ctx) {
  outbox::DeliveryQuery q;
  q.status = OptString(ctx.query, "status");
  q.channel = OptString(ctx.query, "channel");
  q.limit = Limit(ctx);
  q.offset = Offset(ctx);
  ASSIGN_OR_RETURN(auto list, ctx.svc.outbox.List(ctx.by(), q));
  Json items = Json::array();
  for (const auto& d : list) items.push_back(ToJson(d, false));
  return JsonResponse({{"items", items}});
}

Json ToJson(const outbox::Announcement& a) {
  Json texts = Json::object();
  for (const auto& [lang, w] : a.texts) texts[lang] = {{"subject", w.subject}, {"text", w.text}};
  return {{"id", a.id},
          {"org_unit_id", a.unit.value},
          {"texts", texts},
          {"media", MediaJson(a.media)},
          {"link", a.link},
          {"created_by", a.by.value},
          {"created_at", FormatRfc3339(a.created_at)},
          {"recipients", a.recipients},
          {"done_at", Time(a.done_at)}};
}

Schema AnnouncementSchema() {
  return Schema::Object(
      {Required("id", Schema::Id()), Required("org_unit_id", Schema::Id()),
       Required("texts", Schema::AnyObject().Doc("language to {subject, text}")),
       Required("media", MediaSchema()), Required("link", Schema::String(200)),
       Required("created_by", Schema::Id()), Required("created_at", Schema::Time()),
       Required("recipients", Schema::Integer().Doc("messages written so far")),
       Required("done_at", Schema::Time().Nullable().Doc("when everyone in the unit had it"))});
}

Result<Response> Announce(Context& ctx) {
  outbox::NewAnnouncement in;
  in.unit = OrgUnitId(Int(ctx.body, "org_unit_id"));
  for (const auto& [lang, w] : ctx.body["texts"].items()) {
    const std::string at = "texts." + lang.substr(0, 16);
    if (!w.is_object() || !w.contains("subject") || !w.contains("text") || w.size() != 2 ||
        !w["subject"].is_string() || !w["text"].is_string())
      return Status::InvalidArgument("must be {\"subject\": \"...\", \"text\": \"...\"}", at);
    in.texts[lang] = {w["subject"].get<std::string>(), w["text"].get<std::string>()};
  }
  if (ctx.body.contains("media")) {
    for (const auto& m : ctx.body["media"])
      in.media.push_back({String(m, "kind"), String(m, "url")});
  }
  in.link = OptString(ctx.body, "link").value_or("");
  ASSIGN_OR_RETURN(auto a, ctx.svc.outbox.Announce(ctx.by(), in));
  return JsonResponse(ToJson(a), 201);
}

}  // namespace

std::vector<Route> OutboxRoutes() {
  using C = Capability;
  return {
      {.method = "POST",
       .path = "/api/v1/announcements",
       .operation = "createAnnouncement",
       .summary = "Tell everyone in a unit something, in each person's language (else English), "
                  "with images, videos and links",
       .tag = "outbox",
       .access = Needs(C::kSendAnnouncements, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("org_unit_id", Schema::Id()),
            Required("texts",
                     Schema::AnyObject().Doc("language to {subject, text}; en is required")),
            Optional("media", Schema::Array(Schema::Object({Required("kind", Schema::String(16)),
                                                            Required("url", Schema::String(500))}),
                                            outbox::kMaxMedia)),
            Optional("link", Schema::String(200).Doc("an app path the message opens"))}),
       .response = AnnouncementSchema(),
       .status = 201,
       .handler = Announce},
      {.method = "GET",
       .path = "/api/v1/announcements",
       .operation = "listAnnouncements",
       .summary = "Announcements to your unit and the units below it, newest first",
       .tag = "outbox",
       .access = Needs(C::kSendAnnouncements, Scope::kOrgUnit),
       .query = Paging(),
       .response = Items(AnnouncementSchema(), 500),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto list,
                          ctx.svc.outbox.Announcements(ctx.by(), Limit(ctx), Offset(ctx)));
         Json items = Json::array();
         for (const auto& a : list) items.push_back(ToJson(a));
         return JsonResponse({{"items", items}});
       }},
      {.method = "GET",
       .path = "/api/v1/announcements/{id}",
       .operation = "getAnnouncement",
       .summary = "One announcement, with how many it has reached",
       .tag = "outbox",
       .access = Needs(C::kSendAnnouncements, Scope::kOrgUnit),
       .response = AnnouncementSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto a, ctx.svc.outbox.GetAnnouncement(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(a));
       },
       .resource = "announcement"},
      {.method = "GET",
       .path = "/api/v1/me/messages",
       .operation = "myMessages",
       .summary = "My messages, newest first, in the language I chose, and how many are unread",
       .tag = "outbox",
       .access = Needs(C::kOwnMessages, Scope::kSelf),
       .query = Paging(),
       .response = Schema::Object({Required("items", Schema::Array(MessageSchema(), 500)),
                                   Required("unread", Schema::Integer())}),
       .handler = MyMessages},
      {.method = "POST",
       .path = "/api/v1/me/messages/{id}/read",
       .operation = "readMessage",
       .summary = "Mark one of my messages read (the first read is kept)",
       .tag = "outbox",
       .access = Needs(C::kOwnMessages, Scope::kSelf),
       .response = MessageSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto m, ctx.svc.outbox.MarkRead(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(m));
       },
       .resource = "message"},
      {.method = "GET",
       .path = "/api/v1/me/message-settings",
       .operation = "getMessageSettings",
       .summary = "The language my messages are written in and the channels besides the app",
       .tag = "outbox",
       .access = Needs(C::kOwnMessages, Scope::kSelf),
       .response = SettingsSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto s, ctx.svc.outbox.GetSettings(ctx.by()));
         return JsonResponse(ToJson(s));
       }},
      {.method = "PUT",
       .path = "/api/v1/me/message-settings",
       .operation = "setMessageSettings",
       .summary = "Choose the language of my messages, SMS to my phone, and an email address",
       .tag = "outbox",
       .access = Needs(C::kOwnMessages, Scope::kSelf),
       .body = Schema::Object(
           {Required("language", LanguageEnum()),
            Optional("sms", Schema::Boolean().Doc("default false; needs a phone on the record")),
            Optional("email", Schema::String(254).Doc("empty or absent: no email"))}),
       .response = SettingsSchema(),
       .handler = SetSettings},
      {.method = "GET",
       .path = "/api/v1/outbox",
       .operation = "listDeliveries",
       .summary = "Deliveries to the people of your subtree, newest first",
       .tag = "outbox",
       .access = Needs(C::kReadOutbox, Scope::kOrgUnit),
       .query = Paging({Optional("status", Schema::Enum(kStatuses)),
                        Optional("channel", Schema::Enum(kChannels))}),
       .response = Items(DeliverySchema(false), 500),
       .handler = ListDeliveries},
      {.method = "GET",
       .path = "/api/v1/outbox/summary",
       .operation = "outboxSummary",
       .summary = "Your subtree's deliveries by status",
       .tag = "outbox",
       .access = Needs(C::kReadOutbox, Scope::kOrgUnit),
       .response = Schema::Object(
           {Required("queued", Schema::Integer()), Required("sending", Schema::Integer()),
            Required("sent", Schema::Integer()), Required("failed", Schema::Integer())}),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto s, ctx.svc.outbox.Summarise(ctx.by()));
         return JsonResponse({{"queued", s.queued},
                              {"sending", s.sending},
                              {"sent", s.sent},
                              {"failed", s.failed}});
       }},
      {.method = "GET",
       .path = "/api/v1/outbox/{id}",
       .operation = "getDelivery",
       .summary = "A delivery, its text and every attempt",
       .tag = "outbox",
       .access = Needs(C::kReadOutbox, Scope::kOrgUnit),
       .response = DeliverySchema(true),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto d, ctx.svc.outbox.GetDelivery(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(d, true));
       },
       .resource = "delivery"},
      {.method = "POST",
       .path = "/api/v1/outbox/{id}/retry",
       .operation = "retryDelivery",
       .summary = "Queue a failed delivery again, now, with a full set of retries",
       .tag = "outbox",
       .access = Needs(C::kReadOutbox, Scope::kOrgUnit),
       .response = DeliverySchema(true),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto d, ctx.svc.outbox.Retry(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(d, true));
       },
       .resource = "delivery"},
  };
}

}  // namespace mekong::http
