// Health, metrics and the API's own description.
#include "mekong/http/codec.h"

namespace mekong::http {

std::vector<Route> SystemRoutes(App& app) {
  return {
      {.method = "GET",
       .path = "/healthz",
       .operation = "getHealth",
       .summary = "Liveness and store reachability",
       .tag = "system",
       .access = Public(),
       .response = Schema::Object({Required("status", Schema::Enum({"ok"}))}),
       .lane = Lane::kInline,
       .handler = [](Context& ctx) -> Result<Response> {
         RETURN_IF_ERROR(ctx.svc.db.Query("SELECT 1"));
         return JsonResponse({{"status", "ok"}});
       }},
      {.method = "GET",
       .path = "/metrics",
       .operation = "getMetrics",
       .summary = "Prometheus metrics: requests by route, the contact engine, the change feed",
       .tag = "system",
       .access = Public(),
       .response_type = "text/plain",
       .lane = Lane::kInline,
       .handler = [&app](Context& ctx) -> Result<Response> {
         Response r;
         r.content_type = "text/plain; version=0.0.4";
         r.body = app.metrics().Render();
         r.body +=
             ProcessMetrics(ctx.svc.db.dialect() == store::Dialect::kSqlite ? "sqlite" : "postgres",
                            ctx.svc.db.pool_stats());
         auto engine = ctx.svc.tracing.engine_stats();
         r.body +=
             "# HELP mekong_engine_checkins Check-ins held by the contact engine.\n"
             "# TYPE mekong_engine_checkins gauge\nmekong_engine_checkins " +
             std::to_string(engine.checkins) +
             "\n# HELP mekong_engine_bytes Heap bytes of the contact engine's index.\n"
             "# TYPE mekong_engine_bytes gauge\nmekong_engine_bytes " +
             std::to_string(engine.bytes) +
             "\n# HELP mekong_feed_position The change-feed sequence the contact engine has "
             "applied.\n"
             "# TYPE mekong_feed_position gauge\nmekong_feed_position " +
             std::to_string(ctx.svc.tracing.feed_position()) + "\n";
         return r;
       }},
      {.method = "GET",
       .path = "/api/v1/openapi.json",
       .operation = "getOpenApi",
       .summary = "This document",
       .tag = "system",
       .access = Public(),
       .lane = Lane::kInline,
       .handler = [&app](Context&) -> Result<Response> {
         Response r;
         r.body = app.OpenApi();
         r.headers.emplace_back("Cache-Control", "no-cache");
         return r;
       }},
  };
}

}  // namespace mekong::http
