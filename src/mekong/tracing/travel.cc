#include "mekong/tracing/travel.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "mekong/core/time.h"
#include "mekong/registry/registry.h"

namespace mekong::tracing {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE trip (
  id {id},
  mode TEXT NOT NULL,
  carrier TEXT NOT NULL,
  service TEXT NOT NULL,
  service_date TEXT NOT NULL,
  origin TEXT NOT NULL,
  destination TEXT NOT NULL,
  departure BIGINT NOT NULL,
  arrival BIGINT NOT NULL,
  UNIQUE (carrier, service, service_date),
  CHECK (arrival >= departure)
);
CREATE INDEX trip_arrival ON trip (arrival);
CREATE TABLE trip_passenger (
  trip_id BIGINT NOT NULL REFERENCES trip (id),
  person_id BIGINT NOT NULL REFERENCES person (id),
  seat_row BIGINT,
  seat_letter TEXT NOT NULL,
  carriage TEXT NOT NULL,
  PRIMARY KEY (trip_id, person_id)
);
CREATE INDEX trip_passenger_person ON trip_passenger (person_id);
)sql"},
};

constexpr const char* kTripColumns =
    "t.id, t.mode, t.carrier, t.service, t.service_date, t.origin, t.destination, t.departure, "
    "t.arrival";
constexpr int64_t kMaxTripMs = 48 * kMillisPerHour;
const std::set<std::string> kModes = {"flight", "train", "bus", "ferry"};

Trip TripFrom(const store::Rows& r, size_t i, size_t c = 0) {
  return {r.Int(i, c),      r.Text(i, c + 1), r.Text(i, c + 2), r.Text(i, c + 3), r.Text(i, c + 4),
          r.Text(i, c + 5), r.Text(i, c + 6), r.Int(i, c + 7),  r.Int(i, c + 8),  0};
}

Seat SeatFrom(const store::Rows& r, size_t i, size_t c) {
  return {r.OptInt(i, c), r.Text(i, c + 1), r.Text(i, c + 2)};
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

bool IsDate(std::string_view d) {
  return d.size() == 10 && d[4] == '-' && d[7] == '-' &&
         ParseRfc3339(std::string(d) + "T00:00:00Z").ok();
}

// Checks a new trip's fields; the field named in the error is the one to fix.
Status CheckTrip(NewTrip& t, int64_t now, const Limits& limits) {
  if (!kModes.count(t.mode))
    return Status::InvalidArgument("must be flight, train, bus or ferry", "mode");
  for (auto [value, field] :
       {std::pair{&t.carrier, "carrier"}, std::pair{&t.service, "service"},
        std::pair{&t.origin, "origin"}, std::pair{&t.destination, "destination"}}) {
    *value = Upper(*value);
    if (value->empty() || value->size() > 40)
      return Status::InvalidArgument("must be 1 to 40 characters", field);
  }
  if (t.departure > now + limits.max_future_skew_ms)
    return Status::InvalidArgument("is in the future", "departure");
  if (t.departure < now - limits.retention_ms) {
    return Status::InvalidArgument("is older than the retention period", "departure");
  }
  int64_t arrival = t.arrival.value_or(t.departure);
  if (arrival < t.departure) return Status::InvalidArgument("is before departure", "arrival");
  if (arrival - t.departure > kMaxTripMs)
    return Status::InvalidArgument("makes the trip longer than 48 hours", "arrival");
  if (t.service_date.empty()) t.service_date = FormatRfc3339(t.departure).substr(0, 10);
  if (!IsDate(t.service_date))
    return Status::InvalidArgument("must be a date, YYYY-MM-DD", "service_date");
  return Status::Ok();
}

}  // namespace

std::span<const store::Migration> TravelMigrations() { return kMigrations; }

std::string Seat::Text() const {
  std::string s = row ? std::to_string(*row) + letter : "";
  if (!carriage.empty()) return "carriage " + carriage + (s.empty() ? "" : ", " + s);
  return s;
}

Result<Seat> ParseSeat(std::string_view seat, std::string_view carriage) {
  Seat out;
  if (carriage.size() > 10)
    return Status::InvalidArgument("must be at most 10 characters", "carriage");
  out.carriage = Upper(carriage);
  if (seat.empty()) return out;
  size_t digits = 0;
  while (digits < seat.size() && std::isdigit(static_cast<unsigned char>(seat[digits]))) ++digits;
  std::string_view letters = seat.substr(digits);
  bool letters_ok = letters.size() <= 2 && std::all_of(letters.begin(), letters.end(), [](char c) {
                      return std::isalpha(static_cast<unsigned char>(c));
                    });
  if (digits == 0 || digits > 3 || !letters_ok) {
    return Status::InvalidArgument("must be a row number and an optional letter, such as 12C",
                                   "seat");
  }
  out.row = std::stoll(std::string(seat.substr(0, digits)));
  if (*out.row == 0) return Status::InvalidArgument("row numbers start at 1", "seat");
  out.letter = Upper(letters);
  return out;
}

std::optional<std::string> CoTravelReason(const Seat& a, const Seat& b, int max_rows_apart) {
  if (!a.carriage.empty() && !b.carriage.empty()) {
    if (a.carriage == b.carriage) return "same_carriage";
    return std::nullopt;
  }
  if (a.row && b.row) {
    if (std::abs(*a.row - *b.row) <= max_rows_apart) return "within_rows";
    return std::nullopt;
  }
  return "seat_unknown";
}

Result<Trip> CreateTrip(store::Executor& ex, const NewTrip& given, int64_t now,
                        const Limits& limits) {
  NewTrip t = given;
  RETURN_IF_ERROR(CheckTrip(t, now, limits));
  ASSIGN_OR_RETURN(
      auto dup,
      ex.Query("SELECT id FROM trip WHERE carrier = ? AND service = ? AND service_date = ?",
               {t.carrier, t.service, t.service_date}));
  if (!dup.empty()) {
    return Status::AlreadyExists(
        t.carrier + " " + t.service + " on " + t.service_date + " is trip " + dup.Text(0, 0),
        "service");
  }
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query("INSERT INTO trip (mode, carrier, service, service_date, origin, destination, "
               "departure, arrival) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
               {t.mode, t.carrier, t.service, t.service_date, t.origin, t.destination, t.departure,
                t.arrival.value_or(t.departure)}));
  return GetTrip(ex, r.Int(0, 0));
}

Result<Trip> GetTrip(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kTripColumns +
                   ", (SELECT COUNT(*) FROM trip_passenger p WHERE p.trip_id = t.id) FROM trip t "
                   "WHERE t.id = ?",
               {id}));
  if (r.empty()) return Status::NotFound("no trip " + std::to_string(id), "id");
  Trip t = TripFrom(r, 0);
  t.passengers = r.Int(0, 9);
  return t;
}

Status PutPassengers(store::Executor& ex, int64_t trip, const std::vector<Passenger>& passengers) {
  store::Params values;
  for (const Passenger& x : passengers) {
    values.insert(values.end(), {trip, x.person.value, x.seat.row, x.seat.letter, x.seat.carriage});
  }
  // A re-sent passenger gets the new seat.
  return store::InsertRows(
      ex, "INSERT INTO trip_passenger (trip_id, person_id, seat_row, seat_letter, carriage)", 5,
      values, 200,
      " ON CONFLICT (trip_id, person_id) DO UPDATE SET seat_row = excluded.seat_row, "
      "seat_letter = excluded.seat_letter, carriage = excluded.carriage");
}

Result<std::vector<PersonTrip>> PersonTrips(store::Executor& ex, PersonId person, int64_t from,
                                            int64_t to) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kTripColumns +
                   ", p.seat_row, p.seat_letter, p.carriage FROM trip_passenger p JOIN trip t ON "
                   "t.id = p.trip_id WHERE p.person_id = ? AND t.arrival >= ? AND t.departure < ? "
                   "ORDER BY t.departure, t.id",
               {person.value, from, to}));
  std::vector<PersonTrip> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back({TripFrom(r, i), SeatFrom(r, i, 9)});
  return out;
}

Result<std::vector<CoTraveller>> CoTravellers(store::Executor& ex, PersonId person, int64_t from,
                                              int64_t to, int max_rows_apart) {
  ASSIGN_OR_RETURN(
      auto r,
      ex.Query(std::string("SELECT ") + kTripColumns +
                   ", c.seat_row, c.seat_letter, c.carriage, o.person_id, o.seat_row, "
                   "o.seat_letter, o.carriage FROM trip_passenger c JOIN trip t ON t.id = "
                   "c.trip_id JOIN trip_passenger o ON o.trip_id = c.trip_id AND o.person_id <> "
                   "c.person_id WHERE c.person_id = ? AND t.arrival >= ? AND t.departure < ? "
                   "ORDER BY o.person_id, t.departure, t.id",
               {person.value, from, to}));
  std::vector<CoTraveller> out;
  for (size_t i = 0; i < r.size(); ++i) {
    Seat mine = SeatFrom(r, i, 9), theirs = SeatFrom(r, i, 13);
    auto reason = CoTravelReason(mine, theirs, max_rows_apart);
    if (!reason) continue;
    CoTraveller c{PersonId(r.Int(i, 12)), TripFrom(r, i), theirs, mine, std::nullopt, *reason};
    if (mine.row && theirs.row) c.rows_apart = std::abs(*mine.row - *theirs.row);
    out.push_back(std::move(c));
  }
  return out;
}

Result<TravelImportResult> ImportManifest(store::Database& db, std::string_view text,
                                          ImportFormat format, bool strict, int64_t now,
                                          const Limits& limits) {
  TravelImportResult result;
  RecordReader reader(
      text, format,
      {"mode", "carrier", "service", "service_date", "origin", "destination", "departure",
       "arrival", "seat", "carriage", "person_id", "document_number", "nationality"},
      {"mode", "carrier", "service", "origin", "destination", "departure"});
  using Key = std::tuple<std::string, std::string, std::string>;  // carrier, service, date
  std::map<Key, NewTrip> trips;                                   // as the file first gives them
  std::map<Key, int> first_line;
  struct Line {
    int line;
    Key trip;
    PersonId person;
    Seat seat;
  };
  std::vector<Line> lines;
  std::set<std::pair<Key, int64_t>> seen;
  Record rec;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&rec, &result.rejected));
    if (!more) break;
    auto value = [&](const char* key) { return rec.values[reader.Index(key)]; };
    auto reject = [&](std::string field, std::string why) {
      result.rejected.push_back({rec.line, std::move(field), std::move(why)});
    };
    NewTrip t{value("mode"),
              value("carrier"),
              value("service"),
              value("service_date"),
              value("origin"),
              value("destination"),
              0,
              std::nullopt};
    auto dep = ParseRfc3339(value("departure"));
    if (!dep.ok()) {
      reject("departure", dep.status().message());
      continue;
    }
    t.departure = *dep;
    if (!value("arrival").empty()) {
      auto arr = ParseRfc3339(value("arrival"));
      if (!arr.ok()) {
        reject("arrival", arr.status().message());
        continue;
      }
      t.arrival = *arr;
    }
    if (Status s = CheckTrip(t, now, limits); !s.ok()) {
      reject(s.field(), s.message());
      continue;
    }
    Key key{t.carrier, t.service, t.service_date};
    auto [it, fresh] = trips.emplace(key, t);
    if (!fresh && (it->second.origin != t.origin || it->second.destination != t.destination ||
                   it->second.departure != t.departure || it->second.mode != t.mode)) {
      reject("service", "contradicts line " + std::to_string(first_line[key]) +
                            " about the same trip (mode, origin, destination or departure)");
      continue;
    }
    if (fresh) first_line[key] = rec.line;
    auto seat = ParseSeat(value("seat"), value("carriage"));
    if (!seat.ok()) {
      reject(seat.status().field(), seat.status().message());
      continue;
    }
    int64_t person = 0;
    if (!value("person_id").empty()) {
      if (!ParseId(value("person_id"), &person)) {
        reject("person_id", "must be a positive integer");
        continue;
      }
      auto known = registry::GetPerson(db, PersonId(person));
      if (!known.ok() && known.status().code() != Code::kNotFound) return known.status();
      if (!known.ok()) {
        reject("person_id", "no such person");
        continue;
      }
    } else if (!value("document_number").empty()) {
      ASSIGN_OR_RETURN(auto holders, registry::FindByDocument(db, value("document_number"),
                                                              Upper(value("nationality"))));
      if (holders.empty()) {
        reject("document_number", "no registered person holds this document");
        continue;
      }
      if (holders.size() > 1) {
        reject("nationality", "needed: more than one person holds this document number");
        continue;
      }
      person = holders[0].id.value;
    } else {
      reject("person_id", "give person_id or document_number");
      continue;
    }
    if (!seen.insert({key, person}).second) {
      reject("", "lists this passenger on this trip again");
      continue;
    }
    lines.push_back({rec.line, key, PersonId(person), *seat});
  }
  std::sort(result.rejected.begin(), result.rejected.end(),
            [](const Rejected& a, const Rejected& b) { return a.line < b.line; });
  if (strict && !result.rejected.empty()) return result;

  RETURN_IF_ERROR(db.Transact([&](store::Executor& tx) -> Status {
    std::map<Key, std::vector<Passenger>> by_trip;
    for (const Line& l : lines) by_trip[l.trip].push_back({l.person, l.seat});
    for (auto& [key, passengers] : by_trip) {
      const NewTrip& t = trips[key];
      ASSIGN_OR_RETURN(
          auto r,
          tx.Query("SELECT id, origin, destination, departure FROM trip WHERE carrier = ? AND "
                   "service = ? AND service_date = ?",
                   {t.carrier, t.service, t.service_date}));
      int64_t id = 0;
      if (r.empty()) {
        ASSIGN_OR_RETURN(Trip made, CreateTrip(tx, t, now, limits));
        id = made.id;
        ++result.trips_created;
      } else {
        id = r.Int(0, 0);
      }
      RETURN_IF_ERROR(PutPassengers(tx, id, passengers));
      result.passengers += static_cast<int64_t>(passengers.size());
    }
    return Status::Ok();
  }));
  return result;
}

Result<int64_t> DeleteTripsEndedBefore(store::Executor& ex, int64_t cutoff) {
  RETURN_IF_ERROR(
      ex.Exec("DELETE FROM trip_passenger WHERE trip_id IN (SELECT id FROM trip WHERE arrival < ?)",
              {cutoff})
          .status());
  return ex.Exec("DELETE FROM trip WHERE arrival < ?", {cutoff});
}

}  // namespace mekong::tracing
