#include "mekong/http/server.h"

#include <array>
#include <atomic>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "mekong/core/crypto.h"
#include "mekong/core/log.h"

namespace mekong::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string ErrorJson(std::string_view code, std::string_view message) {
  return std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" +
         std::string(message) + R"(","field":null}})";
}

int Cores() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// A fixed set of threads draining a bounded queue of tasks.
class WorkerPool {
 public:
  WorkerPool(int threads, int max_queued) : max_queued_(static_cast<size_t>(max_queued)) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
  }

  // False when the queue is full (the caller answers 503) or the pool is stopping.
  bool TryPost(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
  }

  size_t queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

  // Lets queued and running tasks finish for up to `grace`; threads still busy after it are
  // left to the process's exit (a query that ignores its deadline must not hold shutdown).
  void Stop(std::chrono::milliseconds grace) {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    std::unique_lock lock(mu_);
    idle_cv_.wait_for(lock, grace, [&] { return queue_.empty() && running_ == 0; });
    bool stuck = running_ > 0 || !queue_.empty();
    lock.unlock();
    for (auto& t : threads_) {
      if (stuck) {
        t.detach();
      } else if (t.joinable()) {
        t.join();
      }
    }
    if (stuck) log::Warn("http_workers_abandoned", {{"grace_ms", std::to_string(grace.count())}});
  }

 private:
  void Run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left
        task = std::move(queue_.front());
        queue_.pop_front();
        ++running_;
      }
      task();
      {
        std::lock_guard lock(mu_);
        --running_;
      }
      idle_cv_.notify_all();
    }
  }

  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_, idle_cv_;
  std::deque<std::function<void()>> queue_;
  int running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Copies the headers the app reads.
Request ToRequest(const bhttp::request<bhttp::string_body>& req, const std::string& peer,
                  bool* ok) {
  Request r;
  r.method = std::string(req.method_string());
  std::string_view target(req.target().data(), req.target().size());
  size_t q = target.find('?');
  // The path stays encoded: the router splits it into segments first and decodes each, so an
  // encoded "/" (%2F) can never reach another route.
  r.path = std::string(target.substr(0, q));
  std::string decoded;
  *ok = PercentDecode(r.path, false, &decoded);
  if (*ok && q != std::string_view::npos) *ok = ParseQuery(target.substr(q + 1), &r.query);
  r.body = req.body();
  r.content_type = std::string(req[bhttp::field::content_type]);
  r.authorization = std::string(req[bhttp::field::authorization]);
  r.api_key = std::string(req["X-Api-Key"]);
  r.if_none_match = std::string(req[bhttp::field::if_none_match]);
  r.accept_encoding = std::string(req[bhttp::field::accept_encoding]);
  r.accept_language = std::string(req[bhttp::field::accept_language]);
  r.origin = std::string(req[bhttp::field::origin]);
  r.access_control_request_method = std::string(req[bhttp::field::access_control_request_method]);
  std::string id(req["X-Request-Id"]);
  bool sane =
      !id.empty() && id.size() <= 64 &&
      id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
          std::string::npos;
  r.request_id = sane ? id : HexEncode(RandomBytes(8));
  r.client_address = peer;
  return r;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  ServerCallbacks callbacks;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  // Shutdown state (the grace timer) and accept back-off are touched only on this strand.
  net::strand<net::io_context::executor_type> control{ioc.get_executor()};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer grace_timer{control};
  net::steady_timer accept_timer{control};
  std::atomic<bool> stopping{false};
  std::unique_ptr<WorkerPool> normal, heavy;
  std::chrono::milliseconds accept_backoff{0};
  std::chrono::steady_clock::time_point last_accept_log{};
  int64_t accept_failures = 0;

  class Session;
  class Socket;
  std::mutex sessions_mu;
  std::map<void*, std::function<void()>> closers;  // every live connection's CloseIfIdle
  std::atomic<int> connections{0};

  void Forget(void* key) {
    std::lock_guard lock(sessions_mu);
    closers.erase(key);
    --connections;
    // The last connection gone during shutdown: no need to wait out the grace period.
    if (stopping && closers.empty()) net::post(control, [this] { grace_timer.cancel(); });
  }
  void Remember(void* key, std::function<void()> closer) {
    std::lock_guard lock(sessions_mu);
    closers[key] = std::move(closer);
  }

  // A WebSocket connection: reads text messages for the app's session, writes what it sends.
  class Socket : public std::enable_shared_from_this<Socket> {
   public:
    Socket(tcp::socket socket, Impl& server) : ws_(std::move(socket)), server_(server) {}
    ~Socket() { server_.Forget(this); }

    void Start(bhttp::request<bhttp::string_body> req, Request app_req) {
      server_.Remember(this, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->Close();
      });
      ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
      ws_.read_message_max(64 * 1024);
      ws_.async_accept(req, [self = shared_from_this(),
                             app_req = std::move(app_req)](beast::error_code ec) mutable {
        if (ec) return;
        self->session_ = self->server_.callbacks.open_socket(app_req, std::make_shared<Peer>(self));
        if (!self->session_) return self->Close();
        self->Read();
      });
    }

    void Send(std::string text) {
      net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
        if (self->outbox_.size() > 1000) return;  // a reader this far behind loses messages
        self->outbox_.push_back(std::move(text));
        if (self->outbox_.size() == 1) self->WriteNext();
      });
    }

    void Close() {
      net::post(ws_.get_executor(), [self = shared_from_this()] {
        if (self->closed_) return;
        self->closed_ = true;
        self->ws_.async_close(websocket::close_code::going_away, [self](beast::error_code) {});
      });
    }

   private:
    class Peer final : public SocketPeer {
     public:
      explicit Peer(std::weak_ptr<Socket> s) : s_(std::move(s)) {}
      void Send(std::string text) override {
        if (auto s = s_.lock()) s->Send(std::move(text));
      }
      void Close() override {
        if (auto s = s_.lock()) s->Close();
      }

     private:
      std::weak_ptr<Socket> s_;
    };

    void Read() {
      ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) {
          if (self->session_) self->session_->OnClose();
          self->session_.reset();
          return;
        }
        std::string text = beast::buffers_to_string(self->buffer_.data());
        self->buffer_.consume(self->buffer_.size());
        self->session_->OnMessage(text);
        self->Read();
      });
    }

    void WriteNext() {
      ws_.text(true);
      ws_.async_write(net::buffer(outbox_.front()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        self->outbox_.pop_front();
                        if (ec) return;
                        if (!self->outbox_.empty()) self->WriteNext();
                      });
    }

    websocket::stream<beast::tcp_stream> ws_;
    Impl& server_;
    beast::flat_buffer buffer_;
    std::unique_ptr<SocketSession> session_;
    std::deque<std::string> outbox_;
    bool closed_ = false;
  };

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(tcp::socket socket, Impl& server) : stream_(std::move(socket)), server_(server) {
      beast::error_code ec;
      auto ep = stream_.socket().remote_endpoint(ec);
      if (!ec) peer_ = ep.address().to_string();
    }
    ~Session() {
      if (!upgraded_) server_.Forget(this);
    }

    void Start() {
      server_.Remember(this, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->CloseIfIdle();
      });
      net::dispatch(stream_.get_executor(),
                    beast::bind_front_handler(&Session::Read, shared_from_this()));
    }

    // Answers 503 and closes: the server holds as many connections as it will.
    void Refuse() {
      server_.Remember(this, [] {});
      net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        self->SendError(503, "unavailable", "the server has too many connections; retry shortly",
                        "1");
      });
    }

    // Closes the connection unless a request is being served; that one closes after its reply.
    void CloseIfIdle() {
      net::post(stream_.get_executor(), [self = shared_from_this()] {
        if (!self->busy_) self->Close();
      });
    }

   private:
    void Read() {
      if (server_.stopping) return Close();
      parser_.emplace();
      parser_->body_limit(server_.options.max_body_bytes);
      parser_->header_limit(16 * 1024);
      stream_.expires_after(std::chrono::seconds(server_.options.request_timeout_seconds));
      bhttp::async_read(stream_, buffer_, *parser_,
                        beast::bind_front_handler(&Session::OnRead, shared_from_this()));
    }

    void OnRead(beast::error_code ec, size_t) {
      if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
          ec == beast::error::timeout || ec == net::error::connection_reset ||
          ec == net::error::eof) {
        return Close();
      }
      if (ec == bhttp::error::body_limit) {
        return SendError(
            413, "payload_too_large",
            "request body exceeds " + std::to_string(server_.options.max_body_bytes) + " bytes");
      }
      if (ec == bhttp::error::header_limit)
        return SendError(431, "header_too_large", "request headers too large");
      if (ec) return SendError(400, "bad_request", "malformed HTTP request");

      busy_ = true;
      auto req = parser_->release();
      bool ok = true;
      Request r = ToRequest(req, peer_, &ok);
      if (!ok) return SendError(400, "invalid_argument", "malformed percent-encoding in the URL");
      keep_alive_ = req.keep_alive();
      if (websocket::is_upgrade(req)) {
        if (r.path != server_.options.websocket_path || !server_.callbacks.open_socket) {
          return SendError(404, "not_found",
                           "no WebSocket here; use " + server_.options.websocket_path);
        }
        // The socket takes the connection over; this session ends without closing it.
        upgraded_ = true;
        server_.Forget(this);
        ++server_.connections;
        std::make_shared<Socket>(stream_.release_socket(), server_)
            ->Start(std::move(req), std::move(r));
        return;
      }
      Lane lane = server_.callbacks.classify(r);
      if (lane == Lane::kInline) {
        Response out = server_.callbacks.handle(r);
        return Write(std::move(out));
      }
      WorkerPool& pool = lane == Lane::kHeavy ? *server_.heavy : *server_.normal;
      auto self = shared_from_this();
      bool queued = pool.TryPost([self, r = std::move(r)]() mutable {
        Response out = self->server_.callbacks.handle(r);
        net::post(self->stream_.get_executor(),
                  [self, out = std::move(out)]() mutable { self->Write(std::move(out)); });
      });
      if (!queued) {
        keep_alive_ = true;
        Response busy;
        busy.status = 503;
        busy.body = ErrorJson("unavailable", "the server is busy; retry shortly");
        busy.headers.emplace_back("Retry-After", "1");
        Write(std::move(busy));
      }
    }

    void SendError(int status, std::string_view code, const std::string& message,
                   const char* retry_after = nullptr) {
      busy_ = true;
      keep_alive_ = false;
      linger_ = true;
      Response r;
      r.status = status;
      r.body = ErrorJson(code, message);
      if (retry_after) r.headers.emplace_back("Retry-After", retry_after);
      Write(std::move(r));
    }

    void Write(Response out) {
      res_ = {};
      res_.version(11);
      res_.result(static_cast<unsigned>(out.status));
      res_.set(bhttp::field::server, "mekong");
      res_.set(bhttp::field::content_type, out.content_type);
      for (const auto& [k, v] : out.headers) res_.set(k, v);
      size_t length = out.body.size();
      if (!out.head_only) res_.body() = std::move(out.body);
      bool keep = keep_alive_ && !server_.stopping;
      res_.keep_alive(keep);
      res_.prepare_payload();
      if (out.head_only) res_.content_length(length);
      stream_.expires_after(std::chrono::seconds(server_.options.request_timeout_seconds));
      bhttp::async_write(stream_, res_,
                         beast::bind_front_handler(&Session::OnWrite, shared_from_this(), keep));
    }

    void OnWrite(bool keep_alive, beast::error_code ec, size_t) {
      busy_ = false;
      if (!ec && linger_) return Linger();
      if (ec || !keep_alive) return Close();
      Read();
    }

    // After refusing a request mid-body, the client may still be sending: closing at once would
    // reset the connection before it reads our answer. Stop writing, then read and discard
    // what arrives (bounded in bytes and time) until the client closes.
    void Linger() {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      stream_.expires_after(std::chrono::seconds(5));
      Discard();
    }

    void Discard() {
      stream_.async_read_some(net::buffer(discard_),
                              [self = shared_from_this()](beast::error_code ec, size_t n) {
                                self->discarded_ += n;
                                if (ec || self->discarded_ > (64u << 20)) return self->Close();
                                self->Discard();
                              });
    }

    void Close() {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.socket().close(ec);
    }

    beast::tcp_stream stream_;
    Impl& server_;
    std::string peer_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::string_body> res_;
    bool busy_ = false;
    bool keep_alive_ = false;
    bool linger_ = false;
    bool upgraded_ = false;
    std::array<char, 16384> discard_;
    size_t discarded_ = 0;
  };

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;  // shutting down
        return net::post(control, [this, ec] { AcceptFailed(ec); });
      }
      accept_backoff = std::chrono::milliseconds(0);
      int now_open = ++connections;
      auto session = std::make_shared<Session>(std::move(socket), *this);
      if (now_open > options.max_connections) {
        session->Refuse();
      } else {
        session->Start();
      }
      Accept();
    });
  }

  // Out of file descriptors (or another transient failure): waiting is the only cure, and
  // the log says so once in a while rather than a million times a second.
  void AcceptFailed(beast::error_code ec) {
    ++accept_failures;
    auto now = std::chrono::steady_clock::now();
    if (now - last_accept_log > std::chrono::seconds(10)) {
      log::Warn("http_accept_failed",
                {{"error", ec.message()}, {"failures", std::to_string(accept_failures)}});
      last_accept_log = now;
      accept_failures = 0;
    }
    accept_backoff = std::min(std::max(accept_backoff * 2, std::chrono::milliseconds(10)),
                              std::chrono::milliseconds(1000));
    accept_timer.expires_after(accept_backoff);
    accept_timer.async_wait([this](beast::error_code e) {
      if (!e && acceptor.is_open()) Accept();
    });
  }

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    log::Info("http_shutdown", {{"grace_seconds", std::to_string(options.shutdown_grace_seconds)}});
    beast::error_code ec;
    acceptor.close(ec);
    accept_timer.cancel();
    signals.cancel(ec);
    if (callbacks.on_shutdown) {
      // Handlers that stop a little before the grace ends still get their answers written.
      auto grace = std::chrono::milliseconds(1000 * int64_t{options.shutdown_grace_seconds});
      callbacks.on_shutdown(std::chrono::steady_clock::now() + grace -
                            std::min(grace / 2, std::chrono::milliseconds(1000)));
    }
    std::vector<std::function<void()>> live;
    {
      std::lock_guard lock(sessions_mu);
      for (auto& [_, close] : closers) live.push_back(close);
    }
    if (live.empty()) return;
    // Requests still running after the grace period are abandoned.
    grace_timer.expires_after(std::chrono::seconds(options.shutdown_grace_seconds));
    grace_timer.async_wait([this](beast::error_code e) {
      if (!e) ioc.stop();
    });
    for (auto& close : live) close();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Listen(const ServerOptions& options,
                                               ServerCallbacks callbacks) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->callbacks = std::move(callbacks);
  beast::error_code ec;
  auto address = net::ip::make_address(options.address, ec);
  if (ec) return Status::InvalidArgument("not an IP address: " + options.address, "listen");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + options.address + ":" +
                               std::to_string(options.port) + ": " + ec.message());
  }
  int workers = options.workers > 0 ? options.workers : 4 * Cores();
  int heavy = options.heavy_workers > 0 ? options.heavy_workers : Cores();
  impl->normal = std::make_unique<WorkerPool>(workers, options.max_queued);
  impl->heavy = std::make_unique<WorkerPool>(heavy, std::max(8, options.max_queued / 8));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](beast::error_code ec, int) {
    if (!ec) net::post(s.control, [&s] { s.BeginShutdown(); });
  });
  s.Accept();
  int n = s.options.threads > 0 ? s.options.threads : Cores();
  std::vector<std::thread> pool;
  for (int i = 1; i < n; ++i) pool.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : pool) t.join();
  // Whatever still runs on a worker had its grace; the process is leaving.
  auto grace = std::chrono::milliseconds(200);
  s.normal->Stop(grace);
  s.heavy->Stop(grace);
  log::Info("http_stopped");
}

void Server::Shutdown() {
  net::post(impl_->control, [this] { impl_->BeginShutdown(); });
}

}  // namespace mekong::http
