// The one Mekong binary: the command line (src/mekong/cli) on the wiring of wiring.h.
#include <iostream>

#include "mekong/cli/cli.h"
#include "wiring.h"

int main(int argc, char** argv) {
  using namespace mekong;
  cli::Wiring wiring;
  wiring.with_services = [](const Config& config,
                            const std::function<int(cli::Services&)>& command) {
    auto s = app::Open(config, 4);
    if (!s.ok()) return cli::Fail(s.status());
    cli::Services view = (*s)->ForCli();
    return command(view);
  };
  wiring.serve = app::Serve;
  wiring.module_order = [] {
    std::vector<std::string> names;
    auto modules = app::Modules();
    auto order = store::MigrationOrder(modules);
    if (order.ok()) {
      for (const auto* m : *order) names.emplace_back(m->name);
    }
    return names;
  };
  return cli::Main(argc, argv, wiring);
}
