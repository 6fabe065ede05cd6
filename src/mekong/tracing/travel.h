// Travel: trips (a flight, train, bus or ferry on one date) and their passengers with seats, from
// carriers' manifests or the API; and co-travellers of a case, which plain SQL answers in
// milliseconds (a person takes few trips, a trip has a few hundred passengers).
//
// Co-travellers (domain defaults; SORMAS uses two rows for aircraft): on the same trip, in the
// same carriage when both carriages are known, else within `rows` seat rows when both rows are
// known, else counted anyway (a passenger without a seat on the manifest could have sat anywhere).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/ids.h"
#include "mekong/core/status.h"
#include "mekong/store/database.h"
#include "mekong/tracing/checkins.h"
#include "mekong/tracing/import.h"

namespace mekong::tracing {

// Travel's tables are part of the tracing module (checkins.h kModule).
std::span<const store::Migration> TravelMigrations();

struct Trip {
  int64_t id = 0;
  std::string mode;          // flight, train, bus, ferry
  std::string carrier;       // "VN", "LAO RAILWAY"
  std::string service;       // "VN921", "D887"
  std::string service_date;  // YYYY-MM-DD, as the carrier dates it
  std::string origin, destination;
  int64_t departure = 0, arrival = 0;
  int64_t passengers = 0;
};

struct Seat {
  std::optional<int64_t> row;
  std::string letter;        // "" when unknown
  std::string carriage;      // "" when unknown
  std::string Text() const;  // "12C", "carriage 5, 12C", "" when unknown
};

// "12C" or "3" (row only) or "" (unknown); upper-cases the letter. InvalidArgument otherwise.
Result<Seat> ParseSeat(std::string_view seat, std::string_view carriage);

// The co-traveller rule above: "same_carriage", "within_rows", "seat_unknown", or nullopt.
std::optional<std::string> CoTravelReason(const Seat& a, const Seat& b, int max_rows_apart);

struct NewTrip {
  std::string mode, carrier, service, service_date, origin, destination;
  int64_t departure = 0;
  std::optional<int64_t> arrival;
};
// already_exists when the carrier, service and date are taken.
Result<Trip> CreateTrip(store::Executor& ex, const NewTrip& in, int64_t now, const Limits& limits);
Result<Trip> GetTrip(store::Executor& ex, int64_t id);

struct Passenger {
  PersonId person;
  Seat seat;
};
// Adds or re-seats passengers (a re-sent manifest changes nothing else).
Status PutPassengers(store::Executor& ex, int64_t trip, const std::vector<Passenger>& passengers);

struct PersonTrip {
  Trip trip;
  Seat seat;
};
// Trips that overlapped [from, to), by departure.
Result<std::vector<PersonTrip>> PersonTrips(store::Executor& ex, PersonId person, int64_t from,
                                            int64_t to);

struct CoTraveller {
  PersonId person;
  Trip trip;
  Seat seat, case_seat;
  std::optional<int64_t> rows_apart;
  std::string reason;
  bool operator==(const CoTraveller& o) const {
    return person == o.person && trip.id == o.trip.id && reason == o.reason;
  }
};
// Everyone who shared a trip with `person` that departed before `to` and arrived after `from`,
// by the rule above; ordered by person, then departure.
Result<std::vector<CoTraveller>> CoTravellers(store::Executor& ex, PersonId person, int64_t from,
                                              int64_t to, int max_rows_apart);

// A carrier's manifest: CSV with a header, or NDJSON, one passenger per line, keys
//   mode, carrier, service, service_date (optional: the departure's UTC date), origin,
//   destination, departure, arrival (optional), seat (optional, "12C"), carriage (optional),
//   and person_id or document_number (with nationality when the number alone is ambiguous).
// Trips are found or created by carrier, service and date. Bad lines are listed by number;
// with `strict` nothing is written if any line is bad. Durable when this returns.
struct TravelImportResult {
  int64_t passengers = 0;
  int64_t trips_created = 0;
  std::vector<Rejected> rejected;
};
Result<TravelImportResult> ImportManifest(store::Database& db, std::string_view text,
                                          ImportFormat format, bool strict, int64_t now,
                                          const Limits& limits);

// Deletes trips (and their passengers) that arrived before `cutoff`; returns how many trips.
Result<int64_t> DeleteTripsEndedBefore(store::Executor& ex, int64_t cutoff);

}  // namespace mekong::tracing
