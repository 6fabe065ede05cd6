// Transmission chains: who likely infected whom, as edges between cases, from tracing (a
// contact who became a case: the venue and time of the exposure) or entered by hand; clusters
// and events that group cases; and the graph of a case's or a cluster's chain.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mekong/cases/cases.h"

namespace mekong::cases {

struct Transmission {
  int64_t id = 0;
  CaseId from, to;     // infector, infectee
  std::string source;  // a contact's source ("tracing", "household", ...) or "manual"
  std::optional<VenueId> venue;
  std::optional<int64_t> at;  // when the exposure began
  std::string note;
  int64_t created_at = 0;
  std::optional<UserId> created_by;
};

// One edge; already_exists when the pair is known, invalid_argument for a case infecting itself.
Result<Transmission> AddTransmission(store::Executor& ex, const Transmission& in, int64_t now);
// Edges touching any of `cases`.
Result<std::vector<Transmission>> TransmissionsOf(store::Executor& ex,
                                                  std::span<const CaseId> cases);

struct Cluster {
  int64_t id = 0;
  std::string name;
  std::string kind = "cluster";  // "cluster" or "event" (a wedding, a market day)
  OrgUnitId org_unit;
  std::string org_path;
  std::optional<VenueId> venue;
  std::optional<int64_t> start, end;
  std::string note;
  int64_t created_at = 0;
  std::vector<CaseId> cases;
};
Result<Cluster> CreateCluster(store::Executor& ex, const Cluster& in, int64_t now);
Result<Cluster> GetCluster(store::Executor& ex, int64_t id);
Result<std::vector<Cluster>> ListClusters(store::Executor& ex, const std::string& under_path,
                                          int limit, int offset);
// Adds cases to a cluster (those already in it are left as they are).
Status AddToCluster(store::Executor& ex, int64_t cluster, std::span<const CaseId> cases);

struct Graph {
  std::vector<Case> nodes;
  std::vector<Transmission> edges;
  bool truncated = false;  // more than `max_nodes` cases are connected
};
// Every case connected to `c` through edges in either direction, up to `max_nodes`.
Result<Graph> ChainOfCase(store::Executor& ex, CaseId c, int max_nodes = 1000);
// A cluster's cases and everything connected to them.
Result<Graph> ChainOfCluster(store::Executor& ex, int64_t cluster, int max_nodes = 1000);

}  // namespace mekong::cases
