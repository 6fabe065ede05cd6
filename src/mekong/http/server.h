// The HTTP/1.1 transport: Boost.Beast over Asio, keep-alive, a thread pool, request size and
// time limits, and graceful shutdown. It knows nothing of routes; it hands each request to one
// function and writes back what that returns.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "mekong/core/status.h"
#include "mekong/http/message.h"

namespace mekong::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 8080;  // 0 picks a free port (see Server::port)
  int threads = 0;  // 0: one per core
  int64_t max_body_bytes = 1 << 20;
  int request_timeout_seconds = 30;
  int shutdown_grace_seconds = 10;
};

class Server {
 public:
  // Called on a pool thread for every request; must not throw.
  using Handler = std::function<Response(Request&)>;

  // Binds and listens; nothing is served until Run.
  static Result<std::unique_ptr<Server>> Listen(const ServerOptions& options, Handler handler);
  ~Server();

  int port() const;
  // Serves until SIGINT or SIGTERM (or Shutdown), then stops accepting, lets in-flight requests
  // finish (up to the grace period), closes idle connections and returns.
  void Run();
  // Starts the same graceful shutdown from any thread.
  void Shutdown();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mekong::http
