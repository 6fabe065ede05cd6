#include "wiring.h"

#include "mekong/demo/demo.h"

namespace mekong::app {

std::vector<const store::Module*> Modules() {
  return {&registry::kModule,  &tracing::kModule,  &healthcode::kModule, &cases::kModule,
          &outbox::kModule,    &command::kModule,  &telehealth::kModule, &outbreak::kModule,
          &documents::kModule, &screening::kModule};
}

cli::Services Services::ForCli() {
  return {*db,    clock,  config,     *registry, *tracing,
          *codes, *cases, *documents, *command,  *screening};
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
  s->tickets = std::make_unique<command::Tickets>(
      *s->db, s->clock,
      command::TicketOptions{int64_t{config.ticket_first_reply_minutes} * kMillisPerMinute,
                             int64_t{config.ticket_close_hours} * kMillisPerHour});
  s->meetings = std::make_unique<command::Meetings>(
      *s->db, s->clock,
      command::MeetingOptions{config.video_url_template,
                              int64_t{config.meeting_remind_minutes} * kMillisPerMinute});
  telehealth::ServiceOptions tele_options;
  tele_options.video_url_template = config.video_url_template;
  s->telehealth = std::make_unique<telehealth::Service>(*s->db, s->clock, tele_options);
  s->outbreak =
      std::make_unique<outbreak::Service>(*s->db, s->clock, *s->tracing, *s->codes, *s->cases);
  outbox::Options outbox_options;
  if (!config.smtp.empty()) {
    ASSIGN_OR_RETURN(outbox_options.email, outbox::SmtpChannel(config.smtp, config.mail_from));
  }
  if (!config.sms_gateway.empty()) {
    ASSIGN_OR_RETURN(outbox_options.sms, outbox::HttpSmsChannel(config.sms_gateway));
  }
  outbox_options.retry_base_ms = int64_t{config.outbox_retry_seconds} * 1000;
  outbox_options.max_attempts = config.outbox_max_attempts;
  s->outbox = std::make_unique<outbox::Outbox>(*s->db, s->clock, std::move(outbox_options));
  s->documents = std::make_unique<documents::Service>(*s->db, s->clock);
  s->screening = std::make_unique<screening::Service>(*s->db, s->clock);
  return s;
}

}  // namespace mekong::app
