#include "mekong/cases/chains.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "mekong/registry/registry.h"

namespace mekong::cases {

namespace {

constexpr const char* kEdgeCols =
    "id, from_case_id, to_case_id, source, venue_id, at, note, created_at, created_by";

Transmission EdgeFrom(const store::Rows& r, size_t i) {
  Transmission t;
  t.id = r.Int(i, 0);
  t.from = CaseId(r.Int(i, 1));
  t.to = CaseId(r.Int(i, 2));
  t.source = r.Text(i, 3);
  if (!r.IsNull(i, 4)) t.venue = VenueId(r.Int(i, 4));
  t.at = r.OptInt(i, 5);
  t.note = r.Text(i, 6);
  t.created_at = r.Int(i, 7);
  if (!r.IsNull(i, 8)) t.created_by = UserId(r.Int(i, 8));
  return t;
}

Result<Graph> Connected(store::Executor& ex, std::vector<CaseId> seeds, int max_nodes) {
  Graph g;
  std::set<int64_t> seen;
  std::map<int64_t, Transmission> edges;
  std::vector<CaseId> frontier;
  for (auto c : seeds) {
    if (seen.insert(c.value).second) frontier.push_back(c);
  }
  while (!frontier.empty()) {
    ASSIGN_OR_RETURN(auto found, TransmissionsOf(ex, frontier));
    frontier.clear();
    for (const auto& e : found) {
      edges.emplace(e.id, e);
      for (CaseId c : {e.from, e.to}) {
        if (seen.count(c.value)) continue;
        if (static_cast<int>(seen.size()) >= max_nodes) {
          g.truncated = true;
          continue;
        }
        seen.insert(c.value);
        frontier.push_back(c);
      }
    }
  }
  std::vector<CaseId> ids;
  for (int64_t id : seen) ids.push_back(CaseId(id));
  ASSIGN_OR_RETURN(g.nodes, GetCases(ex, ids));
  for (auto& [id, e] : edges) {
    if (seen.count(e.from.value) && seen.count(e.to.value)) g.edges.push_back(e);
  }
  return g;
}

}  // namespace

Result<Transmission> AddTransmission(store::Executor& ex, const Transmission& in, int64_t now) {
  if (in.from == in.to) return Status::InvalidArgument("a case cannot infect itself", "to_case_id");
  RETURN_IF_ERROR(GetCase(ex, in.from).status().code() == Code::kNotFound
                      ? Status::NotFound("no case " + std::to_string(in.from.value), "from_case_id")
                      : Status::Ok());
  RETURN_IF_ERROR(GetCase(ex, in.to).status().code() == Code::kNotFound
                      ? Status::NotFound("no case " + std::to_string(in.to.value), "to_case_id")
                      : Status::Ok());
  if (in.note.size() > 500) return Status::InvalidArgument("longer than 500 bytes", "note");
  if (in.at && *in.at > now) return Status::InvalidArgument("is in the future", "at");
  if (in.venue) {
    auto v = registry::GetVenue(ex, *in.venue);
    if (!v.ok()) return Status::NotFound("no venue " + std::to_string(in.venue->value), "venue_id");
  }
  ASSIGN_OR_RETURN(auto dup, ex.Query("SELECT id FROM transmission WHERE from_case_id = ? AND "
                                      "to_case_id = ?",
                                      {in.from.value, in.to.value}));
  if (!dup.empty()) {
    return Status::AlreadyExists("case " + std::to_string(in.from.value) + " -> " +
                                     std::to_string(in.to.value) + " is already recorded",
                                 "to_case_id");
  }
  std::optional<int64_t> venue, by;
  if (in.venue) venue = in.venue->value;
  if (in.created_by && in.created_by->value) by = in.created_by->value;
  ASSIGN_OR_RETURN(
      auto r, ex.Query("INSERT INTO transmission (from_case_id, to_case_id, source, venue_id, at, "
                       "note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       {in.from.value, in.to.value, in.source.empty() ? "manual" : in.source, venue,
                        in.at, in.note, now, by}));
  Transmission t = in;
  t.id = r.Int(0, 0);
  if (t.source.empty()) t.source = "manual";
  t.created_at = now;
  return t;
}

Result<std::vector<Transmission>> TransmissionsOf(store::Executor& ex,
                                                  std::span<const CaseId> cases) {
  std::vector<Transmission> out;
  constexpr size_t kChunk = 250;
  for (size_t at = 0; at < cases.size(); at += kChunk) {
    size_t n = std::min(kChunk, cases.size() - at);
    store::Params p;
    for (int twice = 0; twice < 2; ++twice) {
      for (size_t k = 0; k < n; ++k) p.push_back(cases[at + k].value);
    }
    ASSIGN_OR_RETURN(
        auto r,
        ex.Query(std::string("SELECT ") + kEdgeCols + " FROM transmission WHERE from_case_id IN " +
                     store::InList(n) + " OR to_case_id IN " + store::InList(n) + " ORDER BY id",
                 p));
    for (size_t i = 0; i < r.size(); ++i) out.push_back(EdgeFrom(r, i));
  }
  return out;
}

Result<Cluster> CreateCluster(store::Executor& ex, const Cluster& in, int64_t now) {
  if (in.name.empty() || in.name.size() > 200)
    return Status::InvalidArgument("must be 1 to 200 bytes", "name");
  if (in.kind != "cluster" && in.kind != "event")
    return Status::InvalidArgument("must be cluster or event", "kind");
  if (in.note.size() > 1000) return Status::InvalidArgument("longer than 1000 bytes", "note");
  if (in.start && in.end && *in.end < *in.start)
    return Status::InvalidArgument("is before start", "end");
  auto unit = registry::GetOrgUnit(ex, in.org_unit);
  if (!unit.ok())
    return Status::NotFound("no org unit " + std::to_string(in.org_unit.value), "org_unit_id");
  std::optional<int64_t> venue;
  if (in.venue) {
    auto v = registry::GetVenue(ex, *in.venue);
    if (!v.ok()) return Status::NotFound("no venue " + std::to_string(in.venue->value), "venue_id");
    venue = in.venue->value;
  }
  ASSIGN_OR_RETURN(
      auto r, ex.Query("INSERT INTO case_cluster (name, kind, org_unit_id, org_path, venue_id, "
                       "start_at, end_at, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id",
                       {in.name, in.kind, in.org_unit.value, unit->path, venue, in.start, in.end,
                        in.note, now}));
  int64_t id = r.Int(0, 0);
  RETURN_IF_ERROR(AddToCluster(ex, id, in.cases));
  return GetCluster(ex, id);
}

Status AddToCluster(store::Executor& ex, int64_t cluster, std::span<const CaseId> cases) {
  for (size_t i = 0; i < cases.size(); ++i) {
    auto c = GetCase(ex, cases[i]);
    if (!c.ok()) {
      return Status::NotFound("no case " + std::to_string(cases[i].value),
                              "case_ids[" + std::to_string(i) + "]");
    }
    RETURN_IF_ERROR(ex.Exec("INSERT INTO case_cluster_member (cluster_id, case_id) VALUES (?, ?) "
                            "ON CONFLICT DO NOTHING",
                            {cluster, cases[i].value})
                        .status());
  }
  return Status::Ok();
}

Result<Cluster> GetCluster(store::Executor& ex, int64_t id) {
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id, name, kind, org_unit_id, org_path, venue_id, "
                                    "start_at, end_at, note, created_at FROM case_cluster WHERE "
                                    "id = ?",
                                    {id}));
  if (r.empty()) return Status::NotFound("no cluster " + std::to_string(id), "id");
  Cluster c;
  c.id = r.Int(0, 0);
  c.name = r.Text(0, 1);
  c.kind = r.Text(0, 2);
  c.org_unit = OrgUnitId(r.Int(0, 3));
  c.org_path = r.Text(0, 4);
  if (!r.IsNull(0, 5)) c.venue = VenueId(r.Int(0, 5));
  c.start = r.OptInt(0, 6);
  c.end = r.OptInt(0, 7);
  c.note = r.Text(0, 8);
  c.created_at = r.Int(0, 9);
  ASSIGN_OR_RETURN(auto m, ex.Query("SELECT case_id FROM case_cluster_member WHERE cluster_id = ? "
                                    "ORDER BY case_id",
                                    {id}));
  for (size_t i = 0; i < m.size(); ++i) c.cases.push_back(CaseId(m.Int(i, 0)));
  return c;
}

Result<std::vector<Cluster>> ListClusters(store::Executor& ex, const std::string& under_path,
                                          int limit, int offset) {
  store::Params p;
  const std::string under = store::UnderPath(ex, "org_path", under_path, &p);
  p.push_back(limit);
  p.push_back(offset);
  ASSIGN_OR_RETURN(auto r, ex.Query("SELECT id FROM case_cluster WHERE " + under +
                                        " ORDER BY id DESC LIMIT ? OFFSET ?",
                                    p));
  std::vector<Cluster> out;
  for (size_t i = 0; i < r.size(); ++i) {
    ASSIGN_OR_RETURN(auto c, GetCluster(ex, r.Int(i, 0)));
    out.push_back(std::move(c));
  }
  return out;
}

Result<Graph> ChainOfCase(store::Executor& ex, CaseId c, int max_nodes) {
  RETURN_IF_ERROR(GetCase(ex, c));
  return Connected(ex, {c}, max_nodes);
}

Result<Graph> ChainOfCluster(store::Executor& ex, int64_t cluster, int max_nodes) {
  ASSIGN_OR_RETURN(auto c, GetCluster(ex, cluster));
  return Connected(ex, c.cases, max_nodes);
}

}  // namespace mekong::cases
