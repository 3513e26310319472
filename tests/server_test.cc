// The real HTTP server over loopback: limits on header and body size, keep-alive, request ids,
// and a graceful stop that lets an in-flight request finish.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/limits.h"
#include "http/server.h"

namespace civicdesk::http {
namespace {

class Socket {
 public:
  explicit Socket(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Socket() { ::close(fd_); }
  bool connected() const { return connected_; }
  void send_all(const std::string& data) {
    for (std::size_t sent = 0; sent < data.size();) {
      auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close early (e.g. body too large)
      sent += static_cast<std::size_t>(n);
    }
  }
  // Reads one response (headers + Content-Length body).
  std::string read_response() {
    std::string buf;
    char chunk[4096];
    for (;;) {
      auto header_end = buf.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        auto cl = buf.find("Content-Length: ");
        std::size_t len = cl == std::string::npos ? 0 : std::stoul(buf.substr(cl + 16));
        if (buf.size() >= header_end + 4 + len) {
          std::string out = buf.substr(0, header_end + 4 + len);
          return out;
        }
      }
      auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return buf;
      buf.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

int status_of(const std::string& response) {
  return response.size() > 12 ? std::stoi(response.substr(9, 3)) : 0;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(RequestHandler handler) {
    ServerOptions o;
    o.port = 0;
    o.io_threads = 2;
    o.worker_threads = 4;
    server_ = std::make_unique<Server>(std::move(handler), o);
    auto port = server_->start();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    thread_ = std::thread([this] { server_->run(false); });
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  std::unique_ptr<Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
};

Response echo(Request& r) {
  Response resp;
  resp.body = "{\"path\":\"" + r.path + "\",\"bytes\":" + std::to_string(r.body.size()) + "}";
  return resp;
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start(echo);
  Socket s(port_);
  ASSERT_TRUE(s.connected());
  for (int i = 0; i < 3; ++i) {
    s.send_all("GET /api/v1/x?i=" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n");
    std::string resp = s.read_response();
    EXPECT_EQ(status_of(resp), 200) << resp;
    EXPECT_NE(resp.find("\"path\":\"/api/v1/x\""), std::string::npos);
  }
}

TEST_F(ServerTest, BodyAtTheLimitIsReadAndOnePastIsRefused) {
  start(echo);
  auto post = [&](std::size_t n) {
    Socket s(port_);
    s.send_all("POST /api/v1/x HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
               "Content-Length: " + std::to_string(n) + "\r\n\r\n" + std::string(n, 'a'));
    return s.read_response();
  };
  std::string ok = post(kMaxRequestBodyBytes);
  EXPECT_EQ(status_of(ok), 200);
  EXPECT_NE(ok.find("\"bytes\":" + std::to_string(kMaxRequestBodyBytes)), std::string::npos);
  std::string refused = post(kMaxRequestBodyBytes + 1);
  EXPECT_EQ(status_of(refused), 413) << refused.substr(0, 200);
  EXPECT_NE(refused.find("too_large"), std::string::npos);
}

TEST_F(ServerTest, OversizedHeadersAreRefused) {
  start(echo);
  Socket s(port_);
  s.send_all("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(kMaxHeaderBytes, 'h') +
             "\r\n\r\n");
  EXPECT_EQ(status_of(s.read_response()), 431);
}

TEST_F(ServerTest, MalformedRequestLineDropsTheConnection) {
  start(echo);
  Socket s(port_);
  s.send_all("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(status_of(s.read_response()), 0);
}

TEST_F(ServerTest, StopLetsInFlightRequestsFinish) {
  std::atomic<bool> entered{false};
  start([&](Request& r) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return echo(r);
  });
  Socket s(port_);
  s.send_all("GET /api/v1/slow HTTP/1.1\r\nHost: t\r\n\r\n");
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->stop();
  std::string resp = s.read_response();
  EXPECT_EQ(status_of(resp), 200) << resp;
  EXPECT_NE(resp.find("Connection: close"), std::string::npos) << resp;
  thread_.join();
  Socket late(port_);
  EXPECT_FALSE(late.connected());
}

}  // namespace
}  // namespace civicdesk::http
