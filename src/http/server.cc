#include "http/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>

#include "core/limits.h"
#include "http/json_util.h"
#include "security/crypto.h"

namespace civicdesk::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

struct Server::Impl {
  RequestHandler handler;
  ServerOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::unique_ptr<asio::thread_pool> workers;
  std::atomic<int> in_flight{0};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> next_request{0};
  std::string id_prefix;

  Impl(RequestHandler h, ServerOptions o) : handler(std::move(h)), options(std::move(o)) {}
  void accept();
  void drain();
  std::optional<asio::steady_timer> drain_timer;
  std::string request_id() { return id_prefix + std::to_string(++next_request); }
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(kMaxHeaderBytes));
    parser_->body_limit(kMaxRequestBodyBytes);
    stream_.expires_after(std::chrono::seconds(server_.options.timeout_seconds));
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
      bool body = ec == bhttp::error::body_limit;
      Response r = error_response(Error::make(
          ErrorCode::kTooLarge,
          body ? "the request body is larger than " + std::to_string(kMaxRequestBodyBytes) + " bytes"
               : "the request headers are larger than " + std::to_string(kMaxHeaderBytes) + " bytes",
          body ? "body" : "headers"));
      if (!body) r.status = 431;
      server_.in_flight++;
      write(std::move(r), 11, false);
      return;
    }
    if (ec) return;  // closed, timed out or malformed: drop the connection
    auto req = parser_->release();
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.request_id = server_.request_id();
    beast::error_code ep;
    auto endpoint = stream_.socket().remote_endpoint(ep);
    r.client = ep ? "unknown" : endpoint.address().to_string();
    for (const auto& field : req) r.headers[std::string(field.name_string())] = std::string(field.value());
    r.body = std::move(req.body());
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();
    server_.in_flight++;
    auto self = shared_from_this();
    if (!parse_target(r.target, r.path, r.query)) {
      write(error_response(Error::invalid("target", "malformed URL")), version, false);
      return;
    }
    asio::post(*server_.workers, [self, r = std::move(r), keep_alive, version]() mutable {
      auto started = std::chrono::steady_clock::now();
      Response resp = self->server_.handler(r);
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started).count();
      spdlog::info("req={} {} {} {} {}us", r.request_id, r.method, r.path, resp.status, us);
      asio::post(self->stream_.get_executor(), [self, resp = std::move(resp), keep_alive,
                                                version]() mutable {
        self->write(std::move(resp), version, keep_alive);
      });
    });
  }

  void write(Response r, unsigned version, bool keep_alive) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(r.status), version);
    if (!r.content_type.empty()) res->set(bhttp::field::content_type, r.content_type);
    for (auto& [k, v] : r.headers) res->insert(k, v);
    res->body() = std::move(r.body);
    keep_alive = keep_alive && !server_.stopping;
    res->keep_alive(keep_alive);
    res->prepare_payload();
    stream_.expires_after(std::chrono::seconds(server_.options.timeout_seconds));
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res, keep_alive](beast::error_code ec,
                                                                    std::size_t) {
                         self->server_.in_flight--;
                         if (ec || !keep_alive) {
                           beast::error_code ignored;
                           self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                           return;
                         }
                         self->read();
                       });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
};

}  // namespace

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping && ec != asio::error::operation_aborted) accept();
      return;
    }
    std::make_shared<Connection>(std::move(socket), *this)->start();
    if (!stopping) accept();
  });
}

// Polls until in-flight requests have written their answers, then stops the I/O threads.
void Server::Impl::drain() {
  if (in_flight.load() == 0) {
    ioc.stop();
    return;
  }
  if (!drain_timer) drain_timer.emplace(ioc);
  drain_timer->expires_after(std::chrono::milliseconds(10));
  drain_timer->async_wait([this](beast::error_code) { drain(); });
}

Server::Server(RequestHandler handler, ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(options))) {}

Server::~Server() {
  if (impl_->workers) impl_->workers->join();
}

Result<unsigned short> Server::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return fail(Error::invalid("address", "not an IP address: " + impl_->options.address));
  tcp::endpoint endpoint{address, impl_->options.port};
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(ErrorCode::kUnavailable, "cannot listen on " + impl_->options.address + ":" +
                                             std::to_string(impl_->options.port) + ": " +
                                             ec.message());
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  int workers = impl_->options.worker_threads ? impl_->options.worker_threads : 8 * cores;
  impl_->workers = std::make_unique<asio::thread_pool>(workers);
  impl_->id_prefix = security::random_hex(4) + "-";
  impl_->accept();
  return a.local_endpoint().port();
}

void Server::run(bool handle_signals) {
  asio::signal_set signals(impl_->ioc);
  if (handle_signals) {
    signals.add(SIGTERM);
    signals.add(SIGINT);
    signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) stop();
    });
  }
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  int n = impl_->options.io_threads ? impl_->options.io_threads : static_cast<int>(cores);
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  if (impl_->stopping.exchange(true)) return;
  spdlog::info("stopping: no new connections; finishing {} in-flight requests",
               impl_->in_flight.load());
  asio::post(impl_->ioc, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    impl_->drain();
  });
}

}  // namespace civicdesk::http
