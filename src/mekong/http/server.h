// The HTTP/1.1 transport: Boost.Beast over Asio, keep-alive, WebSocket upgrades, request size
// and time limits, load shedding and graceful shutdown. It knows nothing of routes: it asks
// which lane a request belongs to, runs the handler there, and writes back what it returns.
//
// I/O threads parse and write; handlers run on bounded worker pools (message.h Lane), so a
// slow store or a flood of password hashing never stalls the sockets. Past the connection
// cap, or a full queue, the answer is 503 with Retry-After. Accept errors (file descriptors
// exhausted) back off instead of spinning.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "mekong/core/status.h"
#include "mekong/http/message.h"

namespace mekong::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 8080;  // 0 picks a free port (see Server::port)
  int threads = 0;  // I/O threads; 0: one per core
  int workers = 0;  // the normal lane's threads; 0: four per core (handlers wait on the store)
  int heavy_workers = 0;  // the heavy lane's; 0: one per core
  int max_queued = 512;   // requests waiting per lane before 503
  int max_connections = 10000;
  int64_t max_body_bytes = 1 << 20;
  int request_timeout_seconds = 30;
  int shutdown_grace_seconds = 10;
  std::string websocket_path = "/api/v1/ws";
};

struct ServerCallbacks {
  // On the I/O thread, cheap: which lane `req` runs on.
  std::function<Lane(const Request&)> classify;
  // On the lane's thread; must not throw.
  std::function<Response(Request&)> handle;
  // A WebSocket upgrade at `websocket_path`: the session, or null to refuse it (404).
  std::function<std::unique_ptr<SocketSession>(const Request&, std::shared_ptr<SocketPeer>)>
      open_socket;
  // Once, when shutdown begins (SIGINT, SIGTERM, Shutdown), with the moment by which running
  // handlers must have answered for their answers to be written: long work stops by then.
  std::function<void(std::chrono::steady_clock::time_point)> on_shutdown;
};

class Server {
 public:
  // Binds and listens; nothing is served until Run.
  static Result<std::unique_ptr<Server>> Listen(const ServerOptions& options,
                                                ServerCallbacks callbacks);
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
