#include "mekong/store/module.h"

#include <functional>
#include <map>
#include <string>

namespace mekong::store {

Result<std::vector<const Module*>> MigrationOrder(std::span<const Module* const> modules) {
  std::map<std::string_view, const Module*> by_name;
  for (const Module* m : modules) by_name[m->name] = m;
  std::vector<const Module*> order;
  std::map<std::string_view, int> state;  // 1 visiting, 2 done
  // Depth-first over a handful of modules: the depth is bounded by the module count.
  std::function<Status(const Module*)> visit = [&](const Module* m) -> Status {
    int& s = state[m->name];
    if (s == 2) return Status::Ok();
    if (s == 1)
      return Status::FailedPrecondition("modules depend on each other in a cycle through " +
                                        std::string(m->name));
    s = 1;
    for (std::string_view dep : m->depends_on) {
      auto it = by_name.find(dep);
      if (it == by_name.end()) {
        return Status::FailedPrecondition("module " + std::string(m->name) + " depends on " +
                                          std::string(dep) + ", which is not wired");
      }
      RETURN_IF_ERROR(visit(it->second));
    }
    state[m->name] = 2;
    order.push_back(m);
    return Status::Ok();
  };
  for (const Module* m : modules) RETURN_IF_ERROR(visit(m));
  return order;
}

Status MigrateModules(Database& db, std::span<const Module* const> modules) {
  ASSIGN_OR_RETURN(auto order, MigrationOrder(modules));
  const Module& own = StoreModule();
  if (order.empty() || order.front() != &own) order.insert(order.begin(), &own);
  for (const Module* m : order) {
    if (m == &own && m != order.front()) continue;
    for (const Schema& s : m->schemas) RETURN_IF_ERROR(db.Migrate(s.name, s.migrations));
    if (m->seed) RETURN_IF_ERROR(m->seed(db));
  }
  return Status::Ok();
}

}  // namespace mekong::store
