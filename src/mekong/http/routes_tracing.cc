// Routes for check-ins, a person's contacts, venue occupancy and the citizen's self-check.
#include <charconv>

#include "mekong/http/codec.h"

namespace mekong::http {

namespace {

using registry::Capability;

// Venue names for a citizen's own visits (they cannot read venues themselves).
Result<std::map<int64_t, std::string>> VenueNames(Context& ctx, const std::vector<VenueId>& ids) {
  ASSIGN_OR_RETURN(auto venues, registry::GetVenues(ctx.svc.db, ids));
  std::map<int64_t, std::string> out;
  for (const auto& v : venues) out[v.id.value] = v.name;
  return out;
}

Result<Response> CreateCheckin(Context& ctx) {
  tracing::NewCheckin in;
  in.qr = OptString(ctx.body, "qr");
  if (auto v = OptInt(ctx.body, "venue_id")) in.venue = VenueId(*v);
  if (auto p = OptInt(ctx.body, "person_id")) in.person = PersonId(*p);
  in.time_in = OptInt(ctx.body, "time_in");
  ASSIGN_OR_RETURN(auto made, ctx.svc.tracing.CheckIn(ctx.by(), in));
  ASSIGN_OR_RETURN(auto names, VenueNames(ctx, {made.checkin.venue}));
  return JsonResponse(ToJson(made.checkin, names[made.checkin.venue.value]), 201);
}

// A venue scanner's or gate's upload: many check-ins at once, durable when answered.
Result<Response> CreateCheckinBatch(Context& ctx) {
  bool strict = OptBool(ctx.body, "strict").value_or(false);
  const Json& items = ctx.body["checkins"];
  if (items.empty()) return Status::InvalidArgument("must hold 1 to 10000 check-ins", "checkins");
  std::string lines;
  for (const auto& c : items) lines += c.dump() + "\n";  // the shared import reads NDJSON lines
  ASSIGN_OR_RETURN(auto r,
                   ctx.svc.tracing.Import(ctx.by(), lines, tracing::ImportFormat::kNdjson, strict));
  if (strict && !r.rejected.empty()) {
    const auto& first = r.rejected.front();
    return Status::InvalidArgument(
        std::to_string(r.rejected.size()) + " of " + std::to_string(items.size()) +
            " check-ins rejected, nothing imported; first: " + first.reason,
        "checkins[" + std::to_string(first.line - 1) + "]" +
            (first.field.empty() ? "" : "." + first.field));
  }
  return JsonResponse({{"imported", r.imported}, {"rejected", ToJson(r.rejected, "index")}}, 201);
}

Result<Response> Checkout(Context& ctx) {
  ASSIGN_OR_RETURN(auto out, ctx.svc.tracing.CheckOut(ctx.by(), CheckinId(Int(ctx.path, "id")),
                                                      OptInt(ctx.body, "time_out")));
  ASSIGN_OR_RETURN(auto names, VenueNames(ctx, {out.venue}));
  return JsonResponse(ToJson(out, names[out.venue.value]));
}

Result<Response> PersonCheckins(Context& ctx) {
  ASSIGN_OR_RETURN(auto list,
                   ctx.svc.tracing.PersonCheckins(ctx.by(), PersonId(Int(ctx.path, "id"))));
  std::vector<VenueId> ids;
  for (const auto& c : list) ids.push_back(c.venue);
  ASSIGN_OR_RETURN(auto names, VenueNames(ctx, ids));
  Json items = Json::array();
  for (const auto& c : list) items.push_back(ToJson(c, names[c.venue.value]));
  return JsonResponse({{"items", items}});
}

// Appends `ms` as RFC 3339 UTC, as FormatRfc3339 writes it (a contacts page holds thousands).
void AppendTime(std::string& out, int64_t ms) {
  int64_t days = ms >= 0 ? ms / kMillisPerDay : -((-ms + kMillisPerDay - 1) / kMillisPerDay);
  int64_t rem = ms - days * kMillisPerDay;
  int64_t y;
  unsigned mo, d;
  CivilFromDays(days, &y, &mo, &d);
  if (y < 0 || y > 9999) {
    out += '"' + FormatRfc3339(ms) + '"';
    return;
  }
  auto two = [](char* p, int64_t v) {
    p[0] = static_cast<char>('0' + v / 10), p[1] = static_cast<char>('0' + v % 10);
  };
  char b[26] = "\"0000-00-00T00:00:00.000Z";
  two(b + 1, y / 100);
  two(b + 3, y % 100);
  two(b + 6, mo);
  two(b + 9, d);
  two(b + 12, rem / kMillisPerHour);
  two(b + 15, rem / kMillisPerMinute % 60);
  two(b + 18, rem / 1000 % 60);
  int64_t milli = rem % 1000;
  if (milli) {
    b[21] = static_cast<char>('0' + milli / 100);
    two(b + 22, milli % 100);
    out.append(b, 24);
    out += "Z\"";
  } else {
    out.append(b, 20);
    out += "Z\"";
  }
}

void AppendInt(std::string& out, int64_t v) {
  char b[24];
  auto [end, ec] = std::to_chars(b, b + sizeof b, v);
  out.append(b, end);
}

// Query 1 and 2: who shared a place with this person in a window, to a depth; a page of the
// answer by (hop, person id), `limit` people (default 1000) after `cursor`.
Result<Response> PersonContacts(Context& ctx) {
  cases::ContactQuery q;
  q.from = OptInt(ctx.query, "from");
  q.to = OptInt(ctx.query, "to");
  if (auto d = OptInt(ctx.query, "depth")) q.depth = static_cast<int>(*d);
  if (auto m = OptInt(ctx.query, "min_overlap_minutes")) q.min_overlap_ms = *m * kMillisPerMinute;
  q.page.limit = static_cast<int>(OptInt(ctx.query, "limit").value_or(kDefaultContactPage));
  q.page.cursor = OptString(ctx.query, "cursor");
  ASSIGN_OR_RETURN(auto r, ctx.svc.cases.Trace(ctx.by(), PersonId(Int(ctx.path, "id")), q));
  // Written directly: nlohmann::json costs more than the whole query for a large page.
  const tracing::TraceResult& t = *r.result;
  std::string out;
  out.reserve(256 + (r.end - r.begin) * 240);
  out += "{\"person_id\":";
  AppendInt(out, r.person.value);
  out += ",\"from\":";
  AppendTime(out, r.from);
  out += ",\"to\":";
  AppendTime(out, r.to);
  out += ",\"min_overlap_minutes\":";
  AppendInt(out, r.min_overlap_ms / kMillisPerMinute);
  out += ",\"total\":";
  AppendInt(out, static_cast<int64_t>(t.items.size()));
  out += ",\"next_cursor\":";
  if (r.next_cursor.empty()) {
    out += "null";
  } else {
    out += '"' + r.next_cursor + '"';
  }
  out += ",\"items\":[";
  for (size_t i = r.begin; i < r.end; ++i) {
    const auto& item = t.items[i];
    if (i > r.begin) out += ',';
    out += "{\"person_id\":";
    AppendInt(out, item.person.value);
    out += ",\"hop\":";
    AppendInt(out, item.hop);
    out += ",\"via_person_id\":";
    AppendInt(out, item.via.value);
    out += ",\"exposure_start\":";
    AppendTime(out, item.exposure_start);
    int64_t total = 0;
    out += ",\"exposures\":[";
    bool first = true;
    for (const auto& e : t.ExposuresOf(i)) {
      total += e.minutes();
      out += first ? "{\"venue_id\":" : ",{\"venue_id\":";
      first = false;
      AppendInt(out, e.venue.value);
      out += ",\"start\":";
      AppendTime(out, e.start);
      out += ",\"end\":";
      AppendTime(out, e.end);
      out += ",\"minutes\":";
      AppendInt(out, e.minutes());
      out += '}';
    }
    out += "],\"total_minutes\":";
    AppendInt(out, total);
    out += ",\"chain\":[";
    auto chain = item.hop == 1 ? std::vector<PersonId>{t.origin, item.person} : t.Chain(i);
    for (size_t k = 0; k < chain.size(); ++k) {
      if (k) out += ',';
      AppendInt(out, chain[k].value);
    }
    out += "]}";
  }
  out += "]}";
  Response resp;
  resp.body = std::move(out);
  // The engine's share, for whoever measures from outside (the HTTP benchmark does).
  char timing[48];
  std::snprintf(timing, sizeof timing, "engine;dur=%.3f", r.engine_ms);
  resp.headers.emplace_back("Server-Timing", timing);
  return resp;
}

Schema TracedSchema() {
  return Schema::Object(
      {Required("person_id", Schema::Integer()), Required("hop", Schema::Integer(1, 3)),
       Required("via_person_id", Schema::Integer()), Required("exposure_start", Schema::Time()),
       Required("total_minutes", Schema::Integer()),
       Required("exposures", Schema::Array(ExposureSchema(), 100000)),
       Required("chain", Schema::Array(Schema::Integer(), 4))});
}

// Query 4: people present at an instant, or a day's visits, peak and hourly peaks.
Result<Response> Occupancy(Context& ctx) {
  ASSIGN_OR_RETURN(
      auto o, ctx.svc.tracing.VenueOccupancy(ctx.by(), VenueId(Int(ctx.path, "id")),
                                             OptInt(ctx.query, "at"), OptString(ctx.query, "day")));
  if (o.day) {
    const auto& d = *o.day;
    return JsonResponse({{"venue_id", o.venue.id.value},
                         {"day", o.day_text},
                         {"capacity", o.venue.capacity},
                         {"visits", d.distinct_visits},
                         {"peak", d.peak},
                         {"peak_at", d.peak ? Json(FormatRfc3339(d.peak_at)) : Json(nullptr)},
                         {"by_hour", d.by_hour}});
  }
  return JsonResponse({{"venue_id", o.venue.id.value},
                       {"at", FormatRfc3339(o.at)},
                       {"capacity", o.venue.capacity},
                       {"present", o.present}});
}

// Query 5: "was I where a case was, when they were infectious?" The answer names places and
// times, never the case.
Result<Response> ExposureCheck(Context& ctx) {
  ASSIGN_OR_RETURN(auto matches, ctx.svc.cases.ExposureCheck(ctx.by()));
  std::vector<VenueId> ids;
  for (const auto& m : matches) ids.push_back(m.venue);
  ASSIGN_OR_RETURN(auto names, VenueNames(ctx, ids));
  Json items = Json::array();
  for (const auto& m : matches) {
    items.push_back({{"venue_id", m.venue.value},
                     {"venue_name", names[m.venue.value]},
                     {"start", FormatRfc3339(m.start)},
                     {"end", FormatRfc3339(m.end)},
                     {"minutes", (m.end - m.start) / kMillisPerMinute}});
  }
  return JsonResponse({{"exposed", !matches.empty()}, {"items", items}});
}

}  // namespace

std::vector<Route> TracingRoutes() {
  using C = Capability;
  // Items are checked one by one by the import, so one bad item comes back in `rejected`
  // instead of refusing the whole upload.
  Schema batch_item = Schema::AnyObject().Doc(
      "{person_id, venue_id, time_in (RFC 3339), time_out (optional)}; an invalid item is rejected "
      "by its index");
  return {
      {.method = "POST",
       .path = "/api/v1/checkins",
       .operation = "createCheckin",
       .summary =
           "Check in at a venue: a citizen scans its poster; staff and devices name the person",
       .tag = "tracing",
       .access = Needs(C::kCheckIn, Scope::kSelfOrOrgUnit),
       .body = Schema::Object(
           {Optional("qr", Schema::String(200).Doc("the venue poster's QR text")),
            Optional("venue_id", Schema::Id()),
            Optional("person_id", Schema::Id().Doc("required for staff and devices")),
            Optional("time_in", Schema::Time())}),
       .response = CheckinSchema(),
       .status = 201,
       .handler = CreateCheckin},
      {.method = "POST",
       .path = "/api/v1/checkins/{id}/checkout",
       .operation = "checkout",
       .summary = "Check out",
       .tag = "tracing",
       .access = Needs(C::kCheckIn, Scope::kSelfOrOrgUnit),
       .body = Schema::Object({Optional("time_out", Schema::Time())}),
       .response = CheckinSchema(),
       .handler = Checkout,
       .resource = "checkin"},
      {.method = "POST",
       .path = "/api/v1/checkins/batch",
       .operation = "createCheckinBatch",
       .summary = "Many check-ins at once (venue scanners, gates); durable when answered",
       .tag = "tracing",
       .access = Needs(C::kIngestCheckins, Scope::kOrgUnit),
       .body = Schema::Object({Required("checkins", Schema::Array(batch_item, 10000)),
                               Optional("strict", Schema::Boolean().Doc("all or nothing"))}),
       .response = Schema::Object({Required("imported", Schema::Integer()),
                                   Required("rejected", RejectedSchema("index"))}),
       .status = 201,
       .handler = CreateCheckinBatch},
      {.method = "GET",
       .path = "/api/v1/people/{id}/checkins",
       .operation = "listPersonCheckins",
       .summary = "A person's check-ins within the retention period (a citizen: their own)",
       .tag = "tracing",
       .access = Needs(C::kReadCheckins, Scope::kSelfOrOrgUnit),
       .response = Items(CheckinSchema()),
       .handler = PersonCheckins,
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/people/{id}/contacts",
       .operation = "listPersonContacts",
       .summary =
           "Who shared a venue with this person (?from, to, depth 1-3, min_overlap_minutes): "
           "time-respecting hops under the policy's contact definition",
       .tag = "tracing",
       .access = Needs(C::kTrace, Scope::kOrgUnit),
       .query = {Optional("from", Schema::Time()), Optional("to", Schema::Time()),
                 Optional("depth", Schema::Integer(1, 3)),
                 Optional("min_overlap_minutes", Schema::Integer(0, 1440)),
                 Optional("limit", Schema::Integer(1, kMaxContactPage)
                                       .Doc("people per page, by (hop, person id); default 1000")),
                 Optional("cursor", Schema::String(40).Doc(
                                        "next_cursor of the previous page (pages of one answer)"))},
       .response = Schema::Object(
           {Required("person_id", Schema::Integer()), Required("from", Schema::Time()),
            Required("to", Schema::Time()), Required("min_overlap_minutes", Schema::Integer()),
            Required("total", Schema::Integer().Doc("people in the whole answer")),
            Required("next_cursor",
                     Schema::String().Nullable().Doc("null on the last page; else pass as cursor")),
            Required("items", Schema::Array(TracedSchema(), kMaxContactPage))}),
       .handler = PersonContacts,
       .resource = "person"},
      {.method = "GET",
       .path = "/api/v1/venues/{id}/occupancy",
       .operation = "getVenueOccupancy",
       .summary = "People present (?at) or a day's visits and peaks (?day=YYYY-MM-DD, UTC)",
       .tag = "tracing",
       .access = Needs(C::kReadOccupancy, Scope::kOrgUnit),
       .query = {Optional("at", Schema::Time()), Optional("day", Schema::Date())},
       .response = Schema::Object(
           {Required("venue_id", Schema::Integer()), Optional("at", Schema::Time()),
            Optional("day", Schema::Date()), Required("capacity", Schema::Integer()),
            Optional("present", Schema::Integer()), Optional("visits", Schema::Integer()),
            Optional("peak", Schema::Integer()), Optional("peak_at", Schema::Time().Nullable()),
            Optional("by_hour", Schema::Array(Schema::Integer(), 24))}),
       .handler = Occupancy,
       .resource = "venue"},
      {.method = "GET",
       .path = "/api/v1/me/exposure-check",
       .operation = "checkMyExposure",
       .summary = "Was I at a place at the same time as a case? (never says who)",
       .tag = "tracing",
       .access = Needs(C::kSelfCheck, Scope::kSelf),
       .response = Schema::Object(
           {Required("exposed", Schema::Boolean()),
            Required("items",
                     Schema::Array(Schema::Object({Required("venue_id", Schema::Integer()),
                                                   Required("venue_name", Schema::String()),
                                                   Required("start", Schema::Time()),
                                                   Required("end", Schema::Time()),
                                                   Required("minutes", Schema::Integer())}),
                                   10000))}),
       .handler = ExposureCheck},
  };
}

}  // namespace mekong::http
