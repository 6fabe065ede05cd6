// Routes for gate and camera readings and the alerts they raise, and the WebSocket that
// pushes alerts to the officers watching as they are raised on any server.
#include "mekong/core/json.h"
#include "mekong/core/log.h"
#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

Result<Response> PostReading(Context& ctx) {
  command::NewReading in;
  in.kind = String(ctx.body, "kind");
  in.qr = OptString(ctx.body, "qr");
  if (auto p = OptInt(ctx.body, "person_id")) in.person = PersonId(*p);
  if (auto v = OptInt(ctx.body, "venue_id")) in.venue = VenueId(*v);
  in.temperature_celsius = OptNumber(ctx.body, "temperature_c");
  in.count = OptInt(ctx.body, "count");
  in.at = OptInt(ctx.body, "at");
  ASSIGN_OR_RETURN(auto r, ctx.svc.command.RecordReading(ctx.by(), in));
  Json out = {{"reading_id", r.outcome.reading_id},
              {"fever", r.outcome.fever},
              {"crowded", r.outcome.crowded},
              {"alert", r.outcome.alert ? ToJson(*r.outcome.alert) : Json(nullptr)},
              {"person_id", r.person ? Json(r.person->value) : Json(nullptr)},
              {"colour", r.colour ? Json(healthcode::ColourName(*r.colour)) : Json(nullptr)}};
  return JsonResponse(out, 201);
}

Result<Response> ListAlerts(Context& ctx) {
  ASSIGN_OR_RETURN(auto alerts,
                   ctx.svc.command.Alerts(ctx.by(), OptBool(ctx.query, "open").value_or(false),
                                          Limit(ctx), Offset(ctx)));
  Json items = Json::array();
  for (const auto& a : alerts) items.push_back(ToJson(a));
  return JsonResponse({{"items", items}});
}

// /api/v1/ws: the client sends {"type":"auth","token":...}, then {"type":"subscribe",
// "topics":["alerts"]}; the server answers {"type":"ready"} and pushes {"type":"alert",
// "alert":{...}} for every alert raised or acknowledged in the caller's unit.
class AlertSocket final : public SocketSession {
 public:
  AlertSocket(Services& svc, std::shared_ptr<SocketPeer> peer)
      : svc_(svc), peer_(std::move(peer)) {}
  ~AlertSocket() override { OnClose(); }

  void OnMessage(std::string_view text) override {
    auto msg = ParseJson(text, "message", 8);
    if (!msg.ok() || !msg->is_object()) return Fail("invalid_argument", "send a JSON object");
    std::string type = msg->value("type", "");
    if (type == "auth") {
      auto caller = svc_.registry.Authenticate(msg->value("token", ""));
      if (!caller.ok()) return Fail("unauthenticated", caller.status().message());
      caller_ = std::move(caller).value();
      peer_->Send(Json{{"type", "ready"}, {"user", ToJson(*caller_)}}.dump());
      return;
    }
    if (!caller_) return Fail("unauthenticated", "send {\"type\":\"auth\",\"token\":...} first");
    if (type == "subscribe") {
      auto topics = msg->value("topics", Json::array());
      bool alerts =
          topics.is_array() && std::find(topics.begin(), topics.end(), "alerts") != topics.end();
      if (!alerts) return Fail("invalid_argument", "the topics are: alerts");
      if (!registry::Can(caller_->role, Capability::kReadAlerts)) {
        return Fail("permission_denied", "role " + std::string(registry::RoleName(caller_->role)) +
                                             " may not read alerts");
      }
      if (watch_ == 0) {
        std::weak_ptr<SocketPeer> peer = peer_;
        watch_ = svc_.command.Watch(*caller_, [peer](const command::Alert& a) {
          if (auto p = peer.lock()) p->Send(Json{{"type", "alert"}, {"alert", ToJson(a)}}.dump());
        });
      }
      peer_->Send(Json{{"type", "subscribed"}, {"topics", {"alerts"}}}.dump());
      return;
    }
    Fail("invalid_argument", "unknown message type; send auth or subscribe");
  }

  void OnClose() override {
    if (watch_) svc_.command.Unwatch(watch_);
    watch_ = 0;
  }

 private:
  void Fail(const char* code, const std::string& message) {
    peer_->Send(Json{{"type", "error"}, {"error", {{"code", code}, {"message", message}}}}.dump());
    if (std::string_view(code) == "unauthenticated") peer_->Close();
  }

  Services& svc_;
  std::shared_ptr<SocketPeer> peer_;
  std::optional<registry::Caller> caller_;
  int64_t watch_ = 0;
};

}  // namespace

std::unique_ptr<SocketSession> App::OpenSocket(const Request&, std::shared_ptr<SocketPeer> peer) {
  return std::make_unique<AlertSocket>(svc_, std::move(peer));
}

std::vector<Route> CommandRoutes() {
  using C = Capability;
  return {
      {.method = "POST",
       .path = "/api/v1/devices/readings",
       .operation = "recordReading",
       .summary = "A gate temperature or a camera crowd count; a person is identified by their "
                  "scanned code, "
                  "or by id inside the device's unit",
       .tag = "command",
       .access = Needs(C::kReportReadings, Scope::kOrgUnit),
       .body = Schema::Object(
           {Required("kind", Schema::Enum({"temperature", "crowd"})),
            Optional("qr", Schema::String(4096).Doc("the person's scanned MK1: health code")),
            Optional("person_id", Schema::Id()), Optional("venue_id", Schema::Id()),
            Optional("temperature_c", Schema::Number(20, 50)),
            Optional("count", Schema::Integer(0, 10'000'000)), Optional("at", Schema::Time())}),
       .response = Schema::Object(
           {Required("reading_id", Schema::Integer()), Required("fever", Schema::Boolean()),
            Required("crowded", Schema::Boolean()), Required("alert", AlertSchema().Nullable()),
            Required("person_id", Schema::Integer().Nullable()),
            Required("colour", Schema::String().Nullable())}),
       .status = 201,
       .handler = PostReading},
      {.method = "GET",
       .path = "/api/v1/alerts",
       .operation = "listAlerts",
       .summary = "Alerts in your org unit, newest first (?open=true for unacknowledged); live "
                  "over /api/v1/ws",
       .tag = "command",
       .access = Needs(C::kReadAlerts, Scope::kOrgUnit),
       .query = Paging({Optional("open", Schema::Boolean())}),
       .response = Items(AlertSchema(), 500),
       .handler = ListAlerts},
      {.method = "POST",
       .path = "/api/v1/alerts/{id}/acknowledge",
       .operation = "acknowledgeAlert",
       .summary = "Acknowledge an alert",
       .tag = "command",
       .access = Needs(C::kAcknowledgeAlerts, Scope::kOrgUnit),
       .response = AlertSchema(),
       .handler = [](Context& ctx) -> Result<Response> {
         ASSIGN_OR_RETURN(auto a, ctx.svc.command.Acknowledge(ctx.by(), Int(ctx.path, "id")));
         return JsonResponse(ToJson(a));
       },
       .resource = "alert"},
  };
}

}  // namespace mekong::http
