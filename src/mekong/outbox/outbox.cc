#include "mekong/outbox/outbox.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "mekong/core/log.h"
#include "mekong/core/text.h"
#include "mekong/core/zone.h"
#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"
#include "mekong/store/feed.h"

namespace mekong::outbox {

namespace {

using registry::Caller;
using registry::Capability;

// A message, the deliveries it goes out by (in_app is delivered when written), each attempt,
// and each person's choice of language and channels.
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE outbox_settings (
  person_id BIGINT PRIMARY KEY REFERENCES person (id),
  language TEXT NOT NULL,
  sms INTEGER NOT NULL,
  email TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE outbox_message (
  id {id},
  person_id BIGINT NOT NULL REFERENCES person (id),
  kind TEXT NOT NULL,
  language TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  link TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT,
  UNIQUE (person_id, source)
);
CREATE TABLE outbox_delivery (
  id {id},
  message_id BIGINT NOT NULL REFERENCES outbox_message (id),
  org_path TEXT NOT NULL,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  next_attempt_at BIGINT,
  claimed_until BIGINT,
  sent_at BIGINT,
  last_error TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (message_id, channel)
);
CREATE INDEX outbox_delivery_due ON outbox_delivery (status, next_attempt_at);
CREATE INDEX outbox_delivery_path ON outbox_delivery (org_path, id);
CREATE TABLE outbox_attempt (
  id {id},
  delivery_id BIGINT NOT NULL REFERENCES outbox_delivery (id),
  at BIGINT NOT NULL,
  ok INTEGER NOT NULL,
  error TEXT NOT NULL
);
CREATE INDEX outbox_attempt_delivery ON outbox_attempt (delivery_id, id);
)sql"},
    // A reminder is written when its cause happens and shown from visible_at on.
    {2, R"sql(
ALTER TABLE outbox_message ADD COLUMN visible_at BIGINT NOT NULL DEFAULT 0;
UPDATE outbox_message SET visible_at = created_at;
CREATE INDEX outbox_message_person ON outbox_message (person_id, visible_at);
)sql"},
    // Lists read a unit's range of paths (store::UnderPath) in byte order.
    {3, R"sql(
DROP INDEX outbox_delivery_path;
CREATE INDEX outbox_delivery_path ON outbox_delivery (org_path {bytewise}, id);
)sql"},
    // Media by link, and announcements to a unit written in pages (fanned_through: the last
    // person id written to).
    {4, R"sql(
ALTER TABLE outbox_message ADD COLUMN media TEXT NOT NULL DEFAULT '[]';
CREATE TABLE outbox_announcement (
  id {id},
  org_unit_id BIGINT NOT NULL REFERENCES org_unit (id),
  org_path TEXT NOT NULL,
  texts TEXT NOT NULL,
  media TEXT NOT NULL,
  link TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES app_user (id),
  created_at BIGINT NOT NULL,
  fanned_through BIGINT NOT NULL,
  recipients BIGINT NOT NULL,
  done_at BIGINT
);
CREATE INDEX outbox_announcement_path ON outbox_announcement (org_path {bytewise}, id);
CREATE INDEX outbox_announcement_due ON outbox_announcement (done_at, id);
)sql"},
};

using Json = nlohmann::json;

Json MediaJson(const std::vector<Media>& media) {
  Json list = Json::array();
  for (const auto& m : media) list.push_back({{"kind", m.kind}, {"url", m.url}});
  return list;
}

// Our own column, written by MediaJson.
std::vector<Media> MediaFrom(const std::string& text) {
  std::vector<Media> out;
  Json list = Json::parse(text, nullptr, false);
  if (!list.is_array()) return out;
  for (const auto& m : list) out.push_back({m.value("kind", ""), m.value("url", "")});
  return out;
}

// The text of an SMS or an email: the words, then each medium's address on its own line.
std::string WithMediaLinks(std::string text, const std::vector<Media>& media) {
  for (const auto& m : media) text += "\n" + m.url;
  return text;
}

// A message's created_at, as its reader sees it, is when it reached them (a reminder's time).
constexpr const char* kMessageCols =
    "id, person_id, kind, language, subject, text, link, visible_at, read_at, media";

Message MessageFrom(const store::Rows& r, size_t i) {
  Message m;
  m.id = r.Int(i, 0);
  m.person = PersonId(r.Int(i, 1));
  m.kind = r.Text(i, 2);
  m.language = r.Text(i, 3);
  m.subject = r.Text(i, 4);
  m.text = r.Text(i, 5);
  m.link = r.Text(i, 6);
  m.created_at = r.Int(i, 7);
  m.read_at = r.OptInt(i, 8);
  m.media = MediaFrom(r.Text(i, 9));
  return m;
}

constexpr const char* kDeliveryCols =
    "d.id, d.message_id, m.person_id, m.kind, m.language, m.subject, m.text, d.channel, "
    "d.address, d.status, d.attempts, d.next_attempt_at, d.sent_at, d.last_error, d.created_at, "
    "m.media FROM outbox_delivery d JOIN outbox_message m ON m.id = d.message_id";

Delivery DeliveryFrom(const store::Rows& r, size_t i) {
  Delivery d;
  d.id = r.Int(i, 0);
  d.message_id = r.Int(i, 1);
  d.person = PersonId(r.Int(i, 2));
  d.kind = r.Text(i, 3);
  d.language = r.Text(i, 4);
  d.subject = r.Text(i, 5);
  d.text = r.Text(i, 6);
  d.channel = r.Text(i, 7);
  d.address = r.Text(i, 8);
  d.status = r.Text(i, 9);
  d.attempts = r.Int(i, 10);
  d.next_attempt_at = r.OptInt(i, 11);
  d.sent_at = r.OptInt(i, 12);
  d.last_error = r.Text(i, 13);
  d.created_at = r.Int(i, 14);
  d.media = MediaFrom(r.Text(i, 15));
  return d;
}

constexpr size_t kChunk = 400;  // notices per statement: well under both stores' limits

// What a person gets before choosing: their record's language (English when it is none of the
// 15), SMS when the record has a phone, no email.
Settings Defaults(const registry::Person& p) {
  Settings s;
  s.phone = p.phone;
  s.language = registry::IsLanguage(p.language) ? p.language : "en";
  s.sms = !p.phone.empty();
  return s;
}

// The person's choices, or the defaults.
Result<Settings> SettingsOf(store::Executor& ex, const registry::Person& p) {
  Settings s = Defaults(p);
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT language, sms, email FROM outbox_settings WHERE "
                                    "person_id = ?",
                                    {p.id.value}));
  if (r.empty()) return s;
  s.language = r.Text(0, 0);
  s.sms = r.Int(0, 1) != 0 && !p.phone.empty();
  s.email = r.Text(0, 2);
  return s;
}

Status RequireCitizen(const Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kOwnMessages));
  if (!by.person) return Status::FailedPrecondition("your account has no person record");
  return Status::Ok();
}

const char* const kStatuses[] = {"queued", "sending", "sent", "failed"};
const char* const kChannels[] = {"in_app", "sms", "email"};

bool OneOf(const std::string& s, const char* const* list, size_t n) {
  return std::find(list, list + n, s) != list + n;
}

}  // namespace

const store::Module kModule{"outbox", {"registry"}, {{"outbox", kMigrations}}};

Result<std::optional<int64_t>> Enqueue(store::Executor& tx, const Notice& n, int64_t now) {
  ASSIGN_OR_RETURN(auto ids, EnqueueAll(tx, std::span<const Notice>(&n, 1), now));
  return ids.front();
}

Result<std::vector<std::optional<int64_t>>> EnqueueAll(store::Executor& tx,
                                                       std::span<const Notice> notices,
                                                       int64_t now) {
  std::vector<std::optional<int64_t>> out(notices.size());
  for (size_t at = 0; at < notices.size(); at += kChunk) {
    const auto chunk = notices.subspan(at, std::min(kChunk, notices.size() - at));
    std::vector<PersonId> people;
    for (const auto& n : chunk) people.push_back(n.person);
    std::sort(people.begin(), people.end());
    people.erase(std::unique(people.begin(), people.end()), people.end());
    store::Params person_ids;
    for (auto id : people) person_ids.push_back(id.value);
    const std::string in_people = store::InList(people.size());

    ASSIGN_OR_RETURN(auto records, registry::GetPeople(tx, people));
    std::unordered_map<int64_t, Settings> settings;
    std::unordered_map<int64_t, const registry::Person*> person_of;
    for (const auto& p : records) person_of[p.id.value] = &p;
    for (auto id : people) {
      if (!person_of.count(id.value))
        return Status::NotFound("no person " + std::to_string(id.value), "person_id");
    }
    ASSIGN_OR_RETURN(auto chosen, tx.Query("SELECT person_id, language, sms, email FROM "
                                           "outbox_settings WHERE person_id IN " +
                                               in_people,
                                           person_ids));
    for (const auto& p : records) settings[p.id.value] = Defaults(p);
    for (size_t i = 0; i < chosen.size(); ++i) {
      Settings& st = settings[chosen.Int(i, 0)];
      st.language = chosen.Text(i, 1);
      st.sms = chosen.Int(i, 2) != 0 && !st.phone.empty();
      st.email = chosen.Text(i, 3);
    }

    store::Params rows;
    std::set<std::pair<int64_t, std::string>> seen;  // a cause twice in one call is told once
    for (const Notice& n : chunk) {
      if (!seen.emplace(n.person.value, n.source).second) continue;
      const Settings& st = settings[n.person.value];
      Params params = n.params;
      for (const auto& i : n.instants) {
        ASSIGN_OR_RETURN(auto when, FormatDateTime(i.zone, st.language, i.at));
        params.emplace_back(i.name, std::move(when));
      }
      std::string language = st.language, subject, body;
      if (n.written) {
        auto w = n.written->find(language);
        if (w == n.written->end()) w = n.written->find(language = "en");
        if (w == n.written->end()) return Status::InvalidArgument("must have en", "texts");
        subject = w->second.subject;
        body = w->second.text;
      } else {
        ASSIGN_OR_RETURN(auto text, Render(n.kind, language, params));
        subject = std::move(text.subject);
        body = std::move(text.text);
      }
      const int64_t from = std::max(now, n.not_before.value_or(now));
      rows.insert(rows.end(), {n.person.value, n.kind, language, subject, body, n.link, n.source,
                               now, from, MediaJson(n.media).dump()});
    }
    // A cause told earlier (the unique person and source) is skipped by the store, and only
    // the new rows come back, with what names them: RETURNING's order is no promise.
    ASSIGN_OR_RETURN(auto made,
                     store::InsertRowsReturning(
                         tx,
                         "INSERT INTO outbox_message (person_id, kind, language, subject, text, "
                         "link, source, created_at, visible_at, media)",
                         10, rows, kChunk,
                         " ON CONFLICT (person_id, source) DO NOTHING RETURNING id, person_id, "
                         "source"));
    if (made.empty()) continue;
    std::map<std::pair<int64_t, std::string>, int64_t> id_of;
    for (size_t i = 0; i < made.size(); ++i)
      id_of[{made.Int(i, 1), made.Text(i, 2)}] = made.Int(i, 0);

    store::Params deliveries;
    std::string published;
    auto deliver = [&](int64_t id, const registry::Person& p, const char* channel,
                       const std::string& address, bool at_once, int64_t from) {
      deliveries.insert(deliveries.end(),
                        {id, p.org_path, channel, address, at_once ? "sent" : "queued",
                         at_once ? std::optional<int64_t>() : std::optional<int64_t>(from),
                         at_once ? std::optional<int64_t>(now) : std::optional<int64_t>(), now,
                         int64_t{0}, std::string()});
    };
    for (size_t k = 0; k < chunk.size(); ++k) {
      const Notice& n = chunk[k];
      auto made_id = id_of.find({n.person.value, n.source});
      if (made_id == id_of.end()) continue;  // told before
      const int64_t id = made_id->second;
      id_of.erase(made_id);  // a repeat in this call is not delivered twice
      const registry::Person& p = *person_of.at(n.person.value);
      const Settings& st = settings[n.person.value];
      const int64_t from = std::max(now, n.not_before.value_or(now));
      // In the app it is delivered when written, or (a reminder) when the sender sees its time.
      deliver(id, p, "in_app", "", from == now, from);
      if (st.sms) deliver(id, p, "sms", p.phone, false, from);
      if (!st.email.empty()) deliver(id, p, "email", st.email, false, from);
      out[at + k] = id;
      published += (published.empty() ? "" : ",") + std::to_string(id);
    }
    RETURN_IF_ERROR(store::InsertRows(tx,
                                      "INSERT INTO outbox_delivery (message_id, org_path, "
                                      "channel, address, status, next_attempt_at, sent_at, "
                                      "created_at, attempts, last_error)",
                                      10, deliveries, kChunk));
    RETURN_IF_ERROR(store::Publish(tx, kMessageTopic, published, now));
  }
  return out;
}

std::optional<int64_t> ReminderAt(int64_t start, int64_t now) {
  for (int64_t before : {kMillisPerDay, kMillisPerHour})
    if (start - before > now) return start - before;
  return std::nullopt;
}

Result<bool> Withdraw(store::Executor& tx, PersonId person, const std::string& source,
                      int64_t now) {
  ASSIGN_OR_RETURN(auto m, tx.Query("SELECT id FROM outbox_message WHERE person_id = ? AND "
                                    "source = ? AND visible_at > ?",
                                    {person.value, source, now}));
  if (m.empty()) return false;
  const int64_t id = m.Int(0, 0);
  // Not due yet, so no sender has claimed any of its deliveries.
  RETURN_IF_ERROR(tx.Exec("DELETE FROM outbox_delivery WHERE message_id = ? AND status = "
                          "'queued' AND attempts = 0",
                          {id})
                      .status());
  ASSIGN_OR_RETURN(auto left,
                   tx.Query("SELECT COUNT(*) FROM outbox_delivery WHERE message_id = ?", {id}));
  if (left.Int(0, 0) != 0) return false;
  RETURN_IF_ERROR(tx.Exec("DELETE FROM outbox_message WHERE id = ?", {id}).status());
  RETURN_IF_ERROR(store::Publish(tx, kMessageTopic, std::to_string(id), now));
  return true;
}

Outbox::Outbox(store::Database& db, const Clock& clock, Options options)
    : db_(db), clock_(clock), options_(std::move(options)) {}

Outbox::~Outbox() { StopSender(); }

Result<std::vector<Message>> Outbox::Mine(const Caller& by, int limit, int offset) {
  RETURN_IF_ERROR(RequireCitizen(by));
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kMessageCols +
                                         " FROM outbox_message WHERE person_id = ? AND visible_at "
                                         "<= ? ORDER BY visible_at DESC, id DESC LIMIT ? OFFSET ?",
                                     {by.person->value, clock_.NowMillis(), limit, offset}));
  std::vector<Message> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(MessageFrom(r, i));
  return out;
}

Result<int64_t> Outbox::Unread(const Caller& by) {
  RETURN_IF_ERROR(RequireCitizen(by));
  ASSIGN_OR_RETURN(auto r, db_.Query("SELECT COUNT(*) FROM outbox_message WHERE person_id = ? "
                                     "AND read_at IS NULL AND visible_at <= ?",
                                     {by.person->value, clock_.NowMillis()}));
  return r.Int(0, 0);
}

Result<Message> Outbox::MarkRead(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(RequireCitizen(by));
  // Only the first read is kept; someone else's message is "no message", like a missing id.
  const int64_t now = clock_.NowMillis();
  RETURN_IF_ERROR(db_.Exec("UPDATE outbox_message SET read_at = ? WHERE id = ? AND person_id = "
                           "? AND read_at IS NULL AND visible_at <= ?",
                           {now, id, by.person->value, now})
                      .status());
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kMessageCols +
                                         " FROM outbox_message WHERE id = ? AND person_id = ? "
                                         "AND visible_at <= ?",
                                     {id, by.person->value, now}));
  if (r.empty()) return Status::NotFound("no message " + std::to_string(id), "id");
  return MessageFrom(r, 0);
}

Result<Settings> Outbox::GetSettings(const Caller& by) {
  RETURN_IF_ERROR(RequireCitizen(by));
  ASSIGN_OR_RETURN(auto me, registry::GetPerson(db_, *by.person));
  return SettingsOf(db_, me);
}

Result<Settings> Outbox::SetSettings(const Caller& by, const Settings& in) {
  RETURN_IF_ERROR(RequireCitizen(by));
  if (!registry::IsLanguage(in.language))
    return Status::InvalidArgument(
        "must be one of en, zh, vi, th, ms, id, fil, km, lo, my, ja, ko, ta, tet, pt", "language");
  if (!in.email.empty() && !IsEmailAddress(in.email))
    return Status::InvalidArgument("is not an email address", "email");
  Settings out;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(auto me, registry::GetPerson(tx, *by.person));
    if (in.sms && me.phone.empty())
      return Status::InvalidArgument("your record has no phone number to send SMS to", "sms");
    RETURN_IF_ERROR(
        tx.Exec("DELETE FROM outbox_settings WHERE person_id = ?", {me.id.value}).status());
    RETURN_IF_ERROR(tx.Exec("INSERT INTO outbox_settings (person_id, language, sms, email, "
                            "updated_at) VALUES (?, ?, ?, ?, ?)",
                            {me.id.value, in.language, in.sms, in.email, clock_.NowMillis()})
                        .status());
    ASSIGN_OR_RETURN(out, SettingsOf(tx, me));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Delivery>> Outbox::List(const Caller& by, const DeliveryQuery& q) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadOutbox));
  if (q.status && !OneOf(*q.status, kStatuses, 4))
    return Status::InvalidArgument("must be queued, sending, sent or failed", "status");
  if (q.channel && !OneOf(*q.channel, kChannels, 3))
    return Status::InvalidArgument("must be in_app, sms or email", "channel");
  store::Params params;
  std::string sql = std::string("SELECT ") + kDeliveryCols + " WHERE " +
                    store::UnderPath(db_, "d.org_path", by.org_path, &params);
  if (q.status) sql += " AND d.status = ?", params.push_back(*q.status);
  if (q.channel) sql += " AND d.channel = ?", params.push_back(*q.channel);
  sql += " ORDER BY d.id DESC LIMIT ? OFFSET ?";
  params.push_back(q.limit);
  params.push_back(q.offset);
  ASSIGN_OR_RETURN(auto r, db_.Query(sql, params));
  std::vector<Delivery> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(DeliveryFrom(r, i));
  return out;
}

Result<Delivery> Outbox::GetDelivery(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadOutbox));
  store::Params p = {id};
  const std::string under = store::UnderPath(db_, "d.org_path", by.org_path, &p);
  ASSIGN_OR_RETURN(
      auto r,
      db_.Query(std::string("SELECT ") + kDeliveryCols + " WHERE d.id = ? AND " + under, p));
  if (r.empty()) return Status::NotFound("no delivery " + std::to_string(id), "id");
  Delivery d = DeliveryFrom(r, 0);
  ASSIGN_OR_RETURN(auto a, db_.Query("SELECT at, ok, error FROM outbox_attempt WHERE "
                                     "delivery_id = ? ORDER BY id",
                                     {id}));
  for (size_t i = 0; i < a.size(); ++i)
    d.attempt_log.push_back({a.Int(i, 0), a.Int(i, 1) != 0, a.Text(i, 2)});
  return d;
}

Result<Delivery> Outbox::Retry(const Caller& by, int64_t id) {
  ASSIGN_OR_RETURN(auto d, GetDelivery(by, id));
  if (d.status != "failed")
    return Status::FailedPrecondition("only a failed delivery is retried; this one is " + d.status);
  // Its attempts start again from none, so it gets the full schedule of retries.
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE outbox_delivery SET status = 'queued', "
                                        "attempts = 0, next_attempt_at = ? WHERE id = ? AND "
                                        "status = 'failed'",
                                        {clock_.NowMillis(), id}));
    if (n != 1) return Status::FailedPrecondition("the delivery changed meanwhile");
    return store::Publish(tx, kMessageTopic, std::to_string(d.message_id), clock_.NowMillis());
  }));
  return GetDelivery(by, id);
}

Result<Summary> Outbox::Summarise(const Caller& by) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kReadOutbox));
  store::Params p;
  const std::string under = store::UnderPath(db_, "org_path", by.org_path, &p);
  ASSIGN_OR_RETURN(auto r, db_.Query("SELECT status, COUNT(*) FROM outbox_delivery WHERE " + under +
                                         " GROUP BY status",
                                     p));
  Summary s;
  for (size_t i = 0; i < r.size(); ++i) {
    const std::string st = r.Text(i, 0);
    int64_t n = r.Int(i, 1);
    if (st == "queued") s.queued = n;
    if (st == "sending") s.sending = n;
    if (st == "sent") s.sent = n;
    if (st == "failed") s.failed = n;
  }
  return s;
}

Result<int64_t> Outbox::DeliverDue(int limit) {
  const int64_t now = clock_.NowMillis();
  // Reminders whose time has come are in the app now (Mine shows them from visible_at on).
  ASSIGN_OR_RETURN(auto shown, db_.Query("SELECT id, message_id FROM outbox_delivery WHERE "
                                         "status = 'queued' AND channel = 'in_app' AND "
                                         "next_attempt_at <= ? LIMIT ?",
                                         {now, limit}));
  for (size_t i = 0; i < shown.size(); ++i) {
    RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
      ASSIGN_OR_RETURN(int64_t n, tx.Exec("UPDATE outbox_delivery SET status = 'sent', sent_at = "
                                          "next_attempt_at, next_attempt_at = NULL WHERE id = ? "
                                          "AND status = 'queued'",
                                          {shown.Int(i, 0)}));
      if (n != 1) return Status::Ok();  // another server's sender marked it
      return store::Publish(tx, kMessageTopic, std::to_string(shown.Int(i, 1)), now);
    }));
  }
  std::vector<std::string> channels;
  if (options_.email) channels.push_back("email");
  if (options_.sms) channels.push_back("sms");
  if (channels.empty()) return int64_t{0};
  std::string in = "(?" + std::string(channels.size() > 1 ? ", ?" : "") + ")";
  store::Params params = {now, now};
  for (const auto& c : channels) params.push_back(c);
  params.push_back(limit);
  // Due: queued and its time has come, or taken by a sender that did not record how it went
  // within its claim (it stopped mid-send).
  ASSIGN_OR_RETURN(auto due,
                   db_.Query("SELECT id FROM outbox_delivery WHERE ((status = 'queued' AND "
                             "next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < "
                             "?)) AND channel IN " +
                                 in + " ORDER BY next_attempt_at, id LIMIT ?",
                             params));
  int64_t sent = 0;
  for (size_t i = 0; i < due.size() && !stop_; ++i) {
    Status s = SendOne(due.Int(i, 0));
    if (s.ok()) ++sent;
  }
  return sent;
}

// Claims the delivery (one sender wins), sends it, and records the attempt. Ok when sent.
Status Outbox::SendOne(int64_t id) {
  const int64_t now = clock_.NowMillis();
  ASSIGN_OR_RETURN(int64_t claimed,
                   db_.Exec("UPDATE outbox_delivery SET status = 'sending', claimed_until = ?, "
                            "attempts = attempts + 1 WHERE id = ? AND ((status = 'queued' AND "
                            "next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?))",
                            {now + options_.claim_ms, id, now, now}));
  if (claimed != 1) return Status::FailedPrecondition("another sender has it");
  ASSIGN_OR_RETURN(auto r,
                   db_.Query(std::string("SELECT ") + kDeliveryCols + " WHERE d.id = ?", {id}));
  Delivery d = DeliveryFrom(r, 0);
  Channel& channel = d.channel == "email" ? *options_.email : *options_.sms;
  Outgoing out{d.id, d.address, d.language, d.subject, WithMediaLinks(d.text, d.media), now};
  if (d.channel == "sms") out.text = WithMediaLinks(d.subject + ": " + d.text, d.media);
  Status result = channel.Send(out);
  const int64_t done = clock_.NowMillis();
  std::string status = "sent";
  std::optional<int64_t> next, sent_at;
  if (result.ok()) {
    sent_at = done;
  } else if (result.code() == Code::kInvalidArgument || d.attempts >= options_.max_attempts) {
    status = "failed";  // refused outright, or out of tries
  } else {
    status = "queued";
    int64_t wait = options_.retry_base_ms << std::min<int64_t>(d.attempts - 1, 20);
    next = done + std::min<int64_t>(wait, 3600'000);
  }
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO outbox_attempt (delivery_id, at, ok, error) VALUES (?, "
                            "?, ?, ?)",
                            {id, done, result.ok(), result.ok() ? "" : result.message()})
                        .status());
    RETURN_IF_ERROR(tx.Exec("UPDATE outbox_delivery SET status = ?, next_attempt_at = ?, "
                            "sent_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?",
                            {status, next, sent_at, result.ok() ? "" : result.message(), id})
                        .status());
    return store::Publish(tx, kMessageTopic, std::to_string(d.message_id), done);
  }));
  if (!result.ok())
    log::Warn("outbox_send_failed", {{"delivery", std::to_string(id)},
                                     {"channel", d.channel},
                                     {"status", status},
                                     {"error", result.message()}});
  return result;
}

// ---- announcements ----

namespace {

constexpr const char* kAnnouncementCols =
    "id, org_unit_id, org_path, texts, media, link, created_by, created_at, recipients, done_at";

Json TextsJson(const WrittenTexts& texts) {
  Json j = Json::object();
  for (const auto& [lang, w] : texts) j[lang] = {{"subject", w.subject}, {"text", w.text}};
  return j;
}

Announcement AnnouncementFrom(const store::Rows& r, size_t i) {
  Announcement a;
  a.id = r.Int(i, 0);
  a.unit = OrgUnitId(r.Int(i, 1));
  a.org_path = r.Text(i, 2);
  Json texts = Json::parse(r.Text(i, 3), nullptr, false);
  if (texts.is_object()) {
    for (const auto& [lang, w] : texts.items())
      a.texts[lang] = {w.value("subject", ""), w.value("text", "")};
  }
  a.media = MediaFrom(r.Text(i, 4));
  a.link = r.Text(i, 5);
  a.by = UserId(r.Int(i, 6));
  a.created_at = r.Int(i, 7);
  a.recipients = r.Int(i, 8);
  a.done_at = r.OptInt(i, 9);
  return a;
}

}  // namespace

Status CheckAnnouncement(const NewAnnouncement& in) {
  if (!in.texts.contains("en"))
    return Status::InvalidArgument("must have an English text (en)", "texts");
  for (const auto& [lang, w] : in.texts) {
    const std::string at = "texts." + lang;
    if (!registry::IsLanguage(lang))
      return Status::InvalidArgument("is not one of the 15 languages", at);
    RETURN_IF_ERROR(CheckText(w.subject, at + ".subject", 200, true));
    RETURN_IF_ERROR(CheckText(w.text, at + ".text", 2000, true, true));
  }
  if (in.media.size() > kMaxMedia)
    return Status::InvalidArgument("at most " + std::to_string(kMaxMedia) + " items", "media");
  for (size_t i = 0; i < in.media.size(); ++i) {
    const Media& m = in.media[i];
    const std::string at = "media[" + std::to_string(i) + "]";
    if (m.kind != "image" && m.kind != "video" && m.kind != "link")
      return Status::InvalidArgument("must be image, video or link", at + ".kind");
    // A phone opens it from an SMS: an https address of printable ASCII, nothing to run.
    const bool printable =
        std::all_of(m.url.begin(), m.url.end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (m.url.rfind("https://", 0) != 0 || m.url.size() <= 8 || m.url.size() > 500 || !printable)
      return Status::InvalidArgument("must be an https:// address of at most 500 characters",
                                     at + ".url");
  }
  if (!in.link.empty() && (in.link[0] != '/' || in.link.rfind("//", 0) == 0 ||
                           in.link.size() > 200 || HasControlCharacter(in.link)))
    return Status::InvalidArgument("must be a path of the application (/me/tests)", "link");
  return Status::Ok();
}

Result<Announcement> Outbox::Announce(const Caller& by, const NewAnnouncement& in) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kSendAnnouncements));
  RETURN_IF_ERROR(CheckAnnouncement(in));
  const int64_t now = clock_.NowMillis();
  Announcement a;
  RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
    auto unit = registry::GetOrgUnit(tx, in.unit);
    if (!unit.ok())
      return Status::NotFound("no org unit " + std::to_string(in.unit.value), "org_unit_id");
    if (!registry::RequireCovers(by, unit->path).ok())
      return Status::PermissionDenied("org_unit_id is outside your org unit");
    a.unit = in.unit;
    a.org_path = unit->path;
    a.texts = in.texts;
    a.media = in.media;
    a.link = in.link;
    a.by = by.user;
    a.created_at = now;
    ASSIGN_OR_RETURN(auto r, tx.Query("INSERT INTO outbox_announcement (org_unit_id, org_path, "
                                      "texts, media, link, created_by, created_at, "
                                      "fanned_through, recipients) VALUES (?, ?, ?, ?, ?, ?, ?, "
                                      "0, 0) RETURNING id",
                                      {a.unit.value, a.org_path, TextsJson(a.texts).dump(),
                                       MediaJson(a.media).dump(), a.link, by.user.value, now}));
    a.id = r.Int(0, 0);
    // Every server's sender wakes for it (its own at this commit; others on the feed).
    return store::Publish(tx, kMessageTopic, "", now);
  }));
  return a;
}

Result<std::vector<Announcement>> Outbox::Announcements(const Caller& by, int limit, int offset) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kSendAnnouncements));
  store::Params p;
  const std::string under = store::UnderPath(db_, "org_path", by.org_path, &p);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kAnnouncementCols +
                                         " FROM outbox_announcement WHERE " + under +
                                         " ORDER BY id DESC LIMIT ? OFFSET ?",
                                     p));
  std::vector<Announcement> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(AnnouncementFrom(r, i));
  return out;
}

Result<Announcement> Outbox::GetAnnouncement(const Caller& by, int64_t id) {
  RETURN_IF_ERROR(registry::Require(by, Capability::kSendAnnouncements));
  ASSIGN_OR_RETURN(auto r, db_.Query(std::string("SELECT ") + kAnnouncementCols +
                                         " FROM outbox_announcement WHERE id = ?",
                                     {id}));
  if (r.empty() || !registry::RequireCovers(by, r.Text(0, 2)).ok())
    return Status::NotFound("no announcement " + std::to_string(id) + " in your org unit", "id");
  return AnnouncementFrom(r, 0);
}

Result<int64_t> Outbox::FanOutDue(int page, int pages) {
  int64_t written = 0;
  for (int n = 0; n < pages && !stop_; ++n) {
    ASSIGN_OR_RETURN(auto due, db_.Query(std::string("SELECT ") + kAnnouncementCols +
                                         ", fanned_through FROM outbox_announcement WHERE "
                                         "done_at IS NULL ORDER BY id LIMIT 1"));
    if (due.empty()) break;
    const Announcement a = AnnouncementFrom(due, 0);
    const int64_t through = due.Int(0, 10);
    const int64_t now = clock_.NowMillis();
    RETURN_IF_ERROR(db_.Transact([&](store::Executor& tx) -> Status {
      ASSIGN_OR_RETURN(auto people, registry::PeopleUnder(tx, a.org_path, PersonId(through), page));
      const int64_t last = people.empty() ? through : people.back().value;
      const bool done = static_cast<int>(people.size()) < page;
      // The page is claimed by moving the mark from where it was read: a server that read
      // the same mark finds it moved, and writes nothing.
      ASSIGN_OR_RETURN(
          int64_t claimed,
          tx.Exec("UPDATE outbox_announcement SET fanned_through = ?, done_at = ? "
                  "WHERE id = ? AND fanned_through = ? AND done_at IS NULL",
                  {last, done ? std::optional<int64_t>(now) : std::nullopt, a.id, through}));
      if (claimed != 1) return Status::Ok();
      std::vector<Notice> notices;
      notices.reserve(people.size());
      const std::string source = "announcement:" + std::to_string(a.id);
      for (auto person : people) {
        Notice notice;
        notice.person = person;
        notice.kind = "announcement";
        notice.link = a.link;
        notice.source = source;
        notice.written = &a.texts;
        notice.media = a.media;
        notices.push_back(std::move(notice));
      }
      ASSIGN_OR_RETURN(auto ids, EnqueueAll(tx, notices, now));
      int64_t made = 0;
      for (const auto& id : ids) made += id.has_value();
      written += made;
      return tx
          .Exec("UPDATE outbox_announcement SET recipients = recipients + ? WHERE id = ?",
                {made, a.id})
          .status();
    }));
  }
  return written;
}

void Outbox::StartSender() {
  if (sender_.joinable()) return;
  stop_ = false;
  sender_ = std::thread([this] {
    uint64_t seen = 0;
    while (!stop_) {
      auto f = FanOutDue();
      if (!f.ok()) log::Warn("outbox_fan_out", {{"error", f.status().message()}});
      auto n = DeliverDue();
      if (!n.ok()) log::Warn("outbox_sender", {{"error", n.status().message()}});
      db_.WaitLocalChange(&seen, 1000);
    }
  });
}

void Outbox::StopSender() {
  stop_ = true;
  if (sender_.joinable()) sender_.join();
}

}  // namespace mekong::outbox
