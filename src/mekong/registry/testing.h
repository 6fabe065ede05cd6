// Test support for every module above the registry: a fresh database (on the backend named by
// MEKONG_TEST_BACKEND, store/testing.h) migrated for the modules a test names, with a small
// org-unit tree, and helpers for people, venues and callers. One set-up instead of a copy in
// each _test.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mekong/registry/access.h"
#include "mekong/registry/registry.h"
#include "mekong/store/module.h"

namespace mekong::registry::testing {

class World {
 public:
  // The registry's module is always migrated; `modules` adds the others a test needs (their
  // dependencies first is not required: migration orders them).
  static Result<std::unique_ptr<World>> Make(std::vector<const store::Module*> modules = {},
                                             int64_t now = 0);

  store::Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  // Another handle on the same database, as another process would have.
  Result<std::unique_ptr<store::Database>> OpenAgain(int pool_size = 2) const;

  // A province with two districts; district A has communes A1 and A2, district B has B1.
  OrgUnit province, district_a, district_b, commune_a1, commune_a2, commune_b1;

  Result<Person> AddPerson(const OrgUnit& unit, std::string language = "vi");
  Result<Venue> AddVenue(const OrgUnit& unit, int64_t default_stay_minutes = 60,
                         int64_t capacity = 50);
  // A caller with `role` in `unit` (a user row exists, so access-log entries name it).
  Result<Caller> As(Role role, const OrgUnit& unit, std::optional<PersonId> person = std::nullopt);

 private:
  std::string url_;
  std::unique_ptr<store::Database> db_;
  int64_t now_ = 0;
  int next_ = 0;
};

}  // namespace mekong::registry::testing
