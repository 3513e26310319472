#include "cashiering/printer.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "cashiering/counter_rules.h"

namespace civicdesk::cashiering {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Error unavailable(std::string_view address, const std::string& why) {
  return Error::make(ErrorCode::kUnavailable,
                     "the receipt printer at " + std::string(address) + " " + why, "printer");
}

bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = ::poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n == 1 && (p.revents & (events | POLLERR | POLLHUP)) != 0;
}

Result<void> connect_with_timeout(int fd, const addrinfo* ai, std::string_view address,
                                  int timeout_ms) {
  int flags = ::fcntl(fd, F_GETFL, 0);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return fail(unavailable(address, "refused the connection"));
    if (!wait_for(fd, POLLOUT, timeout_ms)) return fail(unavailable(address, "did not answer"));
    int so_error = 0;
    socklen_t len = sizeof so_error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (so_error != 0)
      return fail(unavailable(address, std::string("is unreachable: ") + std::strerror(so_error)));
  }
  return {};
}

}  // namespace

Result<void> send_to_printer(std::string_view address, std::string_view bytes, int timeout_ms) {
  CD_TRY(validate_printer(address));
  if (address.empty())
    return fail(Error::make(ErrorCode::kUnprocessable, "this drawer has no receipt printer set",
                            "printer"));
  auto colon = address.rfind(':');
  std::string host(address.substr(0, colon)), port(address.substr(colon + 1));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || !found)
    return fail(unavailable(address, "could not be found"));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
  Fd sock;
  sock.fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (sock.fd < 0) return fail(unavailable(address, "could not be reached (no socket)"));
  CD_TRY(connect_with_timeout(sock.fd, found, address, timeout_ms));
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    if (!wait_for(sock.fd, POLLOUT, timeout_ms))
      return fail(unavailable(address, "stopped taking data"));
    ssize_t n = ::send(sock.fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return fail(unavailable(address, "closed the connection"));
    sent += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace civicdesk::cashiering
