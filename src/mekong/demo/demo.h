// The demo region: Quang Ninh province with its 13 district-level units and 177 communes,
// venues, residents and foreigners, a week of check-ins, a hospital, a lab, a handful of
// confirmed cases (confirmed through the real case workflow) and one account per role; and the
// telehealth partner network: Bãi Cháy hospital and a partner hospital in Nanning (in a unit
// "CN-GX" of its own, Asia/Shanghai) with two experts taking bookings, fees and a CNY->VND rate.
// Deterministic for a given seed and `now`.
#pragma once

#include <string>
#include <vector>

#include "mekong/core/status.h"
#include "mekong/store/database.h"

namespace mekong::demo {

struct Options {
  uint64_t seed = 20261123;
  int venues = 300;
  int people = 3000;
  int days = 7;
  int cases = 5;
};

struct Account {
  std::string username, password, role, org_unit, note;
};

struct Summary {
  int org_units = 0, venues = 0, people = 0, checkins = 0, cases = 0, contacts = 0;
  std::vector<Account> accounts;
  std::string device_api_key;  // for the demo gate device
};

// True when the registry holds no org unit yet.
Result<bool> IsEmpty(store::Database& db);
// Loads the region into an empty database migrated with registry, tracing, healthcode, cases
// and telehealth: the region in one transaction, then the partner network through
// telehealth::Service as the demo admin.
Result<Summary> Load(store::Database& db, int64_t now, const Options& options);
// The demo accounts with their passwords (fixed and public: this is demo data).
const std::vector<Account>& Accounts();

}  // namespace mekong::demo
