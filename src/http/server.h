// The HTTP server (Boost.Beast): keep-alive, limits on header and body size, read/write timeouts,
// a thread pool for handlers (they block on the database) separate from the I/O threads, and a
// graceful stop — on SIGTERM/SIGINT it stops accepting, lets in-flight requests finish, then
// returns. This is the only file that includes Beast.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include <functional>

#include "http/message.h"

namespace civicdesk::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 picks a free port
  int io_threads = 0;          // 0: one per core
  int worker_threads = 0;      // 0: 8 per core (handlers wait on the database)
  int timeout_seconds = 30;    // read and write timeouts
};

// What the server calls for each request (Api::handle in production); runs on a worker thread.
using RequestHandler = std::function<Response(Request&)>;

class Server {
 public:
  Server(RequestHandler handler, ServerOptions options);
  ~Server();
  // Binds and listens; returns the port actually bound.
  [[nodiscard]] Result<unsigned short> start();
  // Serves until stop() or SIGTERM/SIGINT (when handle_signals), then drains and returns.
  void run(bool handle_signals);
  // Graceful: stop accepting, finish in-flight requests, then make run() return. Thread-safe.
  void stop();

  struct Impl;  // public so the connection class in server.cc can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace civicdesk::http
