#include "mekong/registry/testing.h"

#include "mekong/store/testing.h"

namespace mekong::registry::testing {

Result<std::unique_ptr<World>> World::Make(std::vector<const store::Module*> modules, int64_t now) {
  auto w = std::unique_ptr<World>(new World());
  w->now_ = now;
  ASSIGN_OR_RETURN(w->url_, store::testing::NewDatabaseUrl());
  ASSIGN_OR_RETURN(w->db_, store::Open(w->url_, 4));
  modules.push_back(&kModule);
  RETURN_IF_ERROR(store::MigrateModules(*w->db_, modules));
  store::Executor& ex = *w->db_;
  ASSIGN_OR_RETURN(w->province, CreateOrgUnit(ex, {std::nullopt, "province", "Province", "P"}));
  ASSIGN_OR_RETURN(w->district_a,
                   CreateOrgUnit(ex, {w->province.id, "district", "District A", "P-A"}));
  ASSIGN_OR_RETURN(w->district_b,
                   CreateOrgUnit(ex, {w->province.id, "district", "District B", "P-B"}));
  ASSIGN_OR_RETURN(w->commune_a1,
                   CreateOrgUnit(ex, {w->district_a.id, "commune", "Commune A1", "P-A-1"}));
  ASSIGN_OR_RETURN(w->commune_a2,
                   CreateOrgUnit(ex, {w->district_a.id, "commune", "Commune A2", "P-A-2"}));
  ASSIGN_OR_RETURN(w->commune_b1,
                   CreateOrgUnit(ex, {w->district_b.id, "commune", "Commune B1", "P-B-1"}));
  return w;
}

Result<std::unique_ptr<store::Database>> World::OpenAgain(int pool_size) const {
  return store::Open(url_, pool_size);
}

Result<Person> World::AddPerson(const OrgUnit& unit, std::string language) {
  int n = ++next_;
  Person p;
  p.full_name = "Person " + std::to_string(n);
  p.document_type = "passport";
  p.document_number = "T" + std::to_string(n);
  p.nationality = "VN";
  p.language = std::move(language);
  p.org_unit = unit.id;
  return CreatePerson(*db_, p, now_);
}

Result<Venue> World::AddVenue(const OrgUnit& unit, int64_t default_stay_minutes, int64_t capacity) {
  Venue v;
  v.name = "Venue " + std::to_string(++next_);
  v.kind = "restaurant";
  v.capacity = capacity;
  v.org_unit = unit.id;
  v.default_stay_minutes = default_stay_minutes;
  return CreateVenue(*db_, v, now_);
}

Result<Caller> World::As(Role role, const OrgUnit& unit, std::optional<PersonId> person) {
  std::string name = std::string(RoleName(role)) + "." + std::to_string(++next_);
  // A user row without a password (it never logs in): hashing one costs a third of a second.
  std::optional<int64_t> pid;
  if (person) pid = person->value;
  ASSIGN_OR_RETURN(
      auto r,
      db_->Query("INSERT INTO app_user (username, password_hash, role, org_unit_id, person_id, "
                 "created_at) VALUES (?, '', ?, ?, ?, ?) RETURNING id",
                 {name, RoleName(role), unit.id.value, pid, now_}));
  Caller c;
  c.user = UserId(r.Int(0, 0));
  c.username = name;
  c.role = role;
  c.org_unit = unit.id;
  c.org_path = unit.path;
  c.person = person;
  return c;
}

}  // namespace mekong::registry::testing
