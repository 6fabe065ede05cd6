// Meetings of the command centre (docs/command.md, "Meetings"): a unit convenes a
// teleconference with units below it, at a time, for so long, with a join link from the
// configured video provider; each unit taking part gets an alert shortly before it starts.
//
// Scope: a meeting is seen by the organiser's subtree and by each participant's subtree; a
// reader outside the organiser's subtree is shown only the participants inside their own. Only
// the organiser's unit cancels it. Participants are chosen like a directive's recipients: units
// strictly below the organiser's.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/core/time.h"
#include "mekong/registry/auth.h"
#include "mekong/store/database.h"

namespace mekong::command {

inline constexpr std::string_view kMeetingTopic = "command.meeting";

struct Participant {
  OrgUnitId unit;
  std::string code, name, org_path;
  bool organiser = false;
  std::optional<int64_t> reminder_alert;  // raised before the start
};

struct Meeting {
  int64_t id = 0;
  OrgUnitId organiser_unit;
  std::string organiser_path;
  UserId organised_by;
  std::string title, agenda;
  int64_t starts_at = 0, minutes = 0;
  std::string join_url;
  std::string status;  // "scheduled" or "cancelled"
  std::string cancel_reason;
  int64_t created_at = 0;
  std::vector<Participant> participants;  // the organiser's unit first (see Scope)
};

struct NewMeeting {
  std::string title, agenda;
  int64_t starts_at = 0;
  int64_t minutes = 60;          // 15 to 480
  std::vector<OrgUnitId> units;  // strictly below the organiser's; or `to_all`
  std::string to_all;            // "children" or "below"
};

struct MeetingOptions {
  // "{room}" becomes an unguessable room name (32 hex digits), "{meeting}" the meeting's id.
  std::string video_url_template = "https://meet.jit.si/mekong-{room}";
  int64_t remind_before_ms = 15 * kMillisPerMinute;
};

class Meetings {
 public:
  Meetings(store::Database& db, const Clock& clock, MeetingOptions options = {});

  Result<Meeting> Schedule(const registry::Caller& by, const NewMeeting& in);
  // Those the caller sees that have not ended by `from`, soonest first.
  Result<std::vector<Meeting>> List(const registry::Caller& by, int64_t from, int limit);
  Result<Meeting> Get(const registry::Caller& by, int64_t id);
  // By the organiser's unit; failed_precondition once cancelled or over.
  Result<Meeting> Cancel(const registry::Caller& by, int64_t id, const std::string& reason);
  // The server's sweep: a "meeting_soon" alert to each participating unit once, within
  // remind_before_ms of the start. Returns how many.
  Result<int64_t> RemindDue();
  // Documents (documents/service.h): whoever sees the meeting reads them; participants with
  // manage_meetings attach them.
  Status DocumentAccess(const registry::Caller& by, int64_t id, bool attach);

 private:
  store::Database& db_;
  const Clock& clock_;
  MeetingOptions options_;
};

}  // namespace mekong::command
