#include "wiring.h"

#include "mekong/demo/demo.h"

namespace mekong::app {

std::vector<const store::Module*> Modules() {
  return {&registry::kModule, &tracing::kModule,    &healthcode::kModule, &cases::kModule,
          &command::kModule,  &telehealth::kModule, &outbreak::kModule};
}

cli::Services Services::ForCli() {
  return {*db, clock, config, *registry, *tracing, *codes, *cases};
}

Result<std::unique_ptr<Services>> Open(const Config& config, int pool_size, bool for_server) {
  auto s = std::make_unique<Services>();
  s->config = config;
  ASSIGN_OR_RETURN(s->db, store::Open(config.db, pool_size));
  auto modules = Modules();
  RETURN_IF_ERROR(store::MigrateModules(*s->db, modules));
  s->registry =
      std::make_unique<registry::Service>(*s->db, s->clock, registry::ServiceOptions::From(config));
  auto tracing_options = tracing::ServiceOptions::From(config);
  tracing_options.write_snapshot = for_server;
  s->tracing = std::make_unique<tracing::Service>(*s->db, s->clock, tracing_options);
  s->codes = std::make_unique<healthcode::Service>(*s->db, s->clock,
                                                   healthcode::ServiceOptions::From(config));
  s->cases = std::make_unique<cases::Service>(*s->db, s->clock, *s->tracing, *s->codes);
  s->command = std::make_unique<command::Service>(*s->db, s->clock, *s->codes);
  s->dashboard = std::make_unique<command::Dashboard>(*s->db, s->clock);
  s->centre = std::make_unique<command::Centre>(*s->db, s->clock, *s->dashboard);
  s->tickets = std::make_unique<command::Tickets>(*s->db, s->clock);
  s->telehealth = std::make_unique<telehealth::Service>(*s->db, s->clock);
  s->outbreak =
      std::make_unique<outbreak::Service>(*s->db, s->clock, *s->tracing, *s->codes, *s->cases);
  return s;
}

}  // namespace mekong::app
