// The message outbox (docs/outbox.md): what Mekong tells a person (a ticket answered or
// closed, and the notices to come) is written as a message in the same transaction as the
// event that causes it, in the person's chosen language, and delivered through the channels
// they chose: in the app always, and by SMS and email when they asked for them. A sender
// delivers what is due, retries with backoff, records each attempt, and never sends a message
// again once it is recorded as sent, across restarts and across servers over one store.
//
// Who sees what: a citizen reads their own messages and settings; staff with read_outbox see
// the deliveries of people in their unit's subtree and retry failed ones.
//
// Thread safety: every method may be called from any thread; one sender thread per Outbox.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/outbox/channels.h"
#include "mekong/outbox/templates.h"
#include "mekong/registry/auth.h"
#include "mekong/store/database.h"
#include "mekong/store/module.h"

namespace mekong::outbox {

extern const store::Module kModule;

inline constexpr std::string_view kMessageTopic = "outbox.message";

// An instant for a placeholder, written as the person reads it: the local date and time in
// `zone`, in the language their message is written in (core/zone.h FormatDateTime).
struct Instant {
  std::string name;  // the placeholder
  int64_t at = 0;    // UTC milliseconds
  std::string zone;  // IANA
};

// Media a message carries by link (the seeds' "Super SMS"): shown in the app, their addresses
// appended to the text of an SMS or an email, which is the plain fallback.
struct Media {
  std::string kind;  // image, video or link
  std::string url;   // https://
};

// Words a person wrote instead of a template (an announcement), by language; "en" is there.
struct Written {
  std::string subject, text;
};
using WrittenTexts = std::map<std::string, Written, std::less<>>;

// What a module asks to tell a person; Enqueue renders and stores it.
struct Notice {
  PersonId person;
  std::string kind;  // a template's kind
  Params params;     // its placeholders' values
  std::string link;  // an app path the message opens ("/me/questions/3"), or ""
  // What caused it, unique per person ("ticket:3:answer:7"): enqueuing it again is a no-op.
  std::string source;
  std::vector<Instant> instants;  // placeholders that are instants
  // A reminder: the message is written now but shown and sent only from then on.
  std::optional<int64_t> not_before;
  // When set, the message is these words in the person's language (else English), not the
  // template `kind`, which then only names what it is ("announcement").
  const WrittenTexts* written = nullptr;
  std::vector<Media> media;
};

// Writes the message and its deliveries in `tx` (the transaction of the event) and publishes
// outbox.message. Returns the message id, or nullopt when `source` was enqueued already.
Result<std::optional<int64_t>> Enqueue(store::Executor& tx, const Notice& n, int64_t now);
// The same for many notices at once (a case's contacts): a few statements per 400, one
// outbox.message change per 400 naming their ids. Each answer is the message id, or nullopt.
Result<std::vector<std::optional<int64_t>>> EnqueueAll(store::Executor& tx,
                                                       std::span<const Notice> notices,
                                                       int64_t now);

// When a person is reminded of something booked for `start`: a day before, or an hour before
// when booked within the day; nullopt when it starts within the hour.
std::optional<int64_t> ReminderAt(int64_t start, int64_t now);

// Takes back a message that is not shown yet (a reminder of what was cancelled or moved), with
// its deliveries: nothing of it was shown or sent. True when there was one to take back; a
// message already shown stays.
Result<bool> Withdraw(store::Executor& tx, PersonId person, const std::string& source, int64_t now);

struct Message {
  int64_t id = 0;
  PersonId person;
  std::string kind, language, subject, text, link;
  std::vector<Media> media;
  int64_t created_at = 0;
  std::optional<int64_t> read_at;
};

// A message to everyone in an org unit's subtree, in each person's language. It is written to
// them in pages by every server's sender (Outbox::FanOutDue), not in the request: a province
// is a million people.
struct NewAnnouncement {
  OrgUnitId unit;
  WrittenTexts texts;        // "en" required; 1-200 byte subjects, 1-2000 byte texts
  std::vector<Media> media;  // at most 4
  std::string link;          // an app path ("/me/tests"), or ""
};

struct Announcement {
  int64_t id = 0;
  OrgUnitId unit;
  std::string org_path;
  WrittenTexts texts;
  std::vector<Media> media;
  std::string link;
  UserId by;
  int64_t created_at = 0;
  int64_t recipients = 0;          // messages written so far
  std::optional<int64_t> done_at;  // when the last page was written
};

inline constexpr int kMaxMedia = 4;
// invalid_argument naming the field ("texts.vi.subject", "media[1].url") when not acceptable.
Status CheckAnnouncement(const NewAnnouncement& in);

struct Settings {
  std::string language;  // the language messages are written in
  bool sms = false;      // also by SMS to the person record's phone
  std::string email;     // also by email to this address; "" for none
  std::string phone;     // the person record's, read-only here
};

struct Attempt {
  int64_t at = 0;
  bool ok = false;
  std::string error;
};

struct Delivery {
  int64_t id = 0, message_id = 0;
  PersonId person;
  std::string kind, language, subject, text;
  std::string channel;  // in_app, sms, email
  std::string address;
  std::string status;  // queued, sending, sent, failed
  int64_t attempts = 0;
  std::optional<int64_t> next_attempt_at, sent_at;
  std::string last_error;
  int64_t created_at = 0;
  std::vector<Media> media;
  std::vector<Attempt> attempt_log;  // filled by GetDelivery
};

struct DeliveryQuery {
  std::optional<std::string> status, channel;
  int limit = 50, offset = 0;
};

struct Summary {
  int64_t queued = 0, sending = 0, sent = 0, failed = 0;
};

struct Options {
  // Channels this process sends through; a channel without one leaves its deliveries queued
  // (another server may have it).
  std::unique_ptr<Channel> email, sms;
  int64_t retry_base_ms = 30'000;  // the first retry's wait; it doubles, to at most an hour
  int max_attempts = 6;            // then the delivery is failed (a person may retry it)
  int64_t claim_ms = 60'000;       // a send not recorded within this is taken up again
};

class Outbox {
 public:
  Outbox(store::Database& db, const Clock& clock, Options options = {});
  ~Outbox();

  // The citizen's own, newest first, and how many are unread.
  Result<std::vector<Message>> Mine(const registry::Caller& by, int limit, int offset);
  Result<int64_t> Unread(const registry::Caller& by);
  Result<Message> MarkRead(const registry::Caller& by, int64_t id);
  Result<Settings> GetSettings(const registry::Caller& by);
  Result<Settings> SetSettings(const registry::Caller& by, const Settings& in);

  // Staff: the subtree's deliveries, newest first.
  Result<std::vector<Delivery>> List(const registry::Caller& by, const DeliveryQuery& q);
  Result<Delivery> GetDelivery(const registry::Caller& by, int64_t id);
  // A failed delivery queued again, now; failed_precondition for any other.
  Result<Delivery> Retry(const registry::Caller& by, int64_t id);
  Result<Summary> Summarise(const registry::Caller& by);

  // Announcements: staff with send_announcements, to their unit or one below it.
  Result<Announcement> Announce(const registry::Caller& by, const NewAnnouncement& in);
  // Those to the caller's subtree, newest first.
  Result<std::vector<Announcement>> Announcements(const registry::Caller& by, int limit,
                                                  int offset);
  Result<Announcement> GetAnnouncement(const registry::Caller& by, int64_t id);
  // Writes the next pages (`page` people each) of announcements not yet written to everyone;
  // returns how many messages it wrote. Pages are claimed, so two servers write each once.
  Result<int64_t> FanOutDue(int page = 1000, int pages = 20);

  // Sends what is due through this process's channels, at most `limit`, and marks the in-app
  // deliveries of reminders whose time has come; returns how many were sent. The sender thread
  // calls it; tests call it directly.
  Result<int64_t> DeliverDue(int limit = 100);
  // The sender thread: FanOutDue and DeliverDue at every local commit and every second. Every
  // server runs one, with or without channels of its own (the reminders' in-app part).
  void StartSender();
  void StopSender();

 private:
  Status SendOne(int64_t id);

  store::Database& db_;
  const Clock& clock_;
  Options options_;
  std::atomic<bool> stop_{false};
  std::thread sender_;
};

}  // namespace mekong::outbox
