#include "mekong/http/server.h"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "mekong/core/log.h"

namespace mekong::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string ErrorJson(std::string_view code, std::string_view message) {
  return std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" + std::string(message) +
         R"(","field":null}})";
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  // Shutdown state (the grace timer) is touched only on this strand.
  net::strand<net::io_context::executor_type> control{ioc.get_executor()};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  net::steady_timer grace_timer{control};
  std::atomic<bool> stopping{false};

  class Session;
  std::mutex sessions_mu;
  std::map<Session*, std::weak_ptr<Session>> sessions;

  class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(tcp::socket socket, Impl& server) : stream_(std::move(socket)), server_(server) {}
    ~Session() {
      std::lock_guard lock(server_.sessions_mu);
      server_.sessions.erase(this);
      // The last connection gone during shutdown: no need to wait out the grace period.
      if (server_.stopping && server_.sessions.empty()) {
        net::post(server_.control, [&s = server_] { s.grace_timer.cancel(); });
      }
    }

    void Start() {
      {
        std::lock_guard lock(server_.sessions_mu);
        server_.sessions[this] = weak_from_this();
      }
      net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::Read, shared_from_this()));
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
      bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::OnRead, shared_from_this()));
    }

    void OnRead(beast::error_code ec, size_t) {
      if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted || ec == beast::error::timeout ||
          ec == net::error::connection_reset || ec == net::error::eof) {
        return Close();
      }
      if (ec == bhttp::error::body_limit) {
        return SendError(413, "payload_too_large",
                         "request body exceeds " + std::to_string(server_.options.max_body_bytes) + " bytes");
      }
      if (ec == bhttp::error::header_limit) return SendError(431, "header_too_large", "request headers too large");
      if (ec) return SendError(400, "bad_request", "malformed HTTP request");

      busy_ = true;
      const auto& req = parser_->get();
      Request r;
      r.method = std::string(req.method_string());
      std::string_view target(req.target().data(), req.target().size());
      size_t q = target.find('?');
      // The path stays encoded: the router splits it into segments first and decodes each, so
      // an encoded "/" (%2F) can never reach another route.
      r.path = std::string(target.substr(0, q));
      std::string decoded;
      bool ok = PercentDecode(r.path, false, &decoded);
      if (ok && q != std::string_view::npos) ok = ParseQuery(target.substr(q + 1), &r.query);
      if (!ok) return SendError(400, "invalid_argument", "malformed percent-encoding in the URL");
      r.body = req.body();
      r.content_type = std::string(req[bhttp::field::content_type]);
      r.authorization = std::string(req[bhttp::field::authorization]);
      r.api_key = std::string(req["X-Api-Key"]);
      r.if_none_match = std::string(req[bhttp::field::if_none_match]);
      keep_alive_ = req.keep_alive();
      Response out = server_.handler(r);
      Write(out);
    }

    void SendError(int status, std::string_view code, const std::string& message) {
      busy_ = true;
      keep_alive_ = false;
      linger_ = true;
      Response r;
      r.status = status;
      r.body = ErrorJson(code, message);
      Write(r);
    }

    void Write(const Response& out) {
      res_ = {};
      res_.version(11);
      res_.result(static_cast<unsigned>(out.status));
      res_.set(bhttp::field::server, "mekong");
      res_.set(bhttp::field::content_type, out.content_type);
      for (const auto& [k, v] : out.headers) res_.set(k, v);
      res_.body() = out.body;
      bool keep = keep_alive_ && !server_.stopping;
      res_.keep_alive(keep);
      res_.prepare_payload();
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
      stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](beast::error_code ec, size_t n) {
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
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    bhttp::response<bhttp::string_body> res_;
    bool busy_ = false;
    bool keep_alive_ = false;
    bool linger_ = false;
    std::array<char, 16384> discard_;
    size_t discarded_ = 0;
  };

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;  // shutting down
        log::Warn("http_accept_failed", {{"error", ec.message()}});
      } else {
        std::make_shared<Session>(std::move(socket), *this)->Start();
      }
      Accept();
    });
  }

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    log::Info("http_shutdown", {{"grace_seconds", std::to_string(options.shutdown_grace_seconds)}});
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel(ec);
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(sessions_mu);
      for (auto& [_, weak] : sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    if (live.empty()) return;
    // Requests still running after the grace period are abandoned.
    grace_timer.expires_after(std::chrono::seconds(options.shutdown_grace_seconds));
    grace_timer.async_wait([this](beast::error_code e) {
      if (!e) ioc.stop();
    });
    for (auto& s : live) s->CloseIfIdle();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Listen(const ServerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  beast::error_code ec;
  auto address = net::ip::make_address(options.address, ec);
  if (ec) return Status::InvalidArgument("not an IP address: " + options.address, "listen");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + options.address + ":" + std::to_string(options.port) + ": " +
                               ec.message());
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](beast::error_code ec, int) {
    if (!ec) net::post(s.control, [&s] { s.BeginShutdown(); });
  });
  s.Accept();
  int n = s.options.threads > 0 ? s.options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int i = 1; i < n; ++i) pool.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : pool) t.join();
  log::Info("http_stopped");
}

void Server::Shutdown() {
  net::post(impl_->control, [this] { impl_->BeginShutdown(); });
}

}  // namespace mekong::http
