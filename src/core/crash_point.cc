#include "core/crash_point.h"

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <string>

#include "core/assert.h"

namespace civicdesk {
namespace {

constexpr const char* kCrashAtVariable = "CIVICDESK_CRASH_AT";

struct CrashTarget {
  std::string name;  // empty: no crash requested
  std::int64_t hit = 1;
};

CrashTarget parse_target(const char* spec) {
  if (!spec || !*spec) return {};
  std::string_view s(spec);
  std::size_t colon = s.rfind(':');
  if (colon == std::string_view::npos) return {std::string(s), 1};
  std::string_view count = s.substr(colon + 1);
  std::int64_t hit = 0;
  auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), hit);
  CD_ASSERT(ec == std::errc() && end == count.data() + count.size() && hit >= 1 &&
            "CIVICDESK_CRASH_AT must be NAME or NAME:K with K >= 1");
  return {std::string(s.substr(0, colon)), hit};
}

// Function-local static: initialized once, thread-safe, on first use.
const CrashTarget& target() {
  static const CrashTarget t = parse_target(std::getenv(kCrashAtVariable));
  return t;
}

std::atomic<std::int64_t> reached_total{0};
std::atomic<std::int64_t> reached_target{0};

}  // namespace

void crash_point(std::string_view name) {
  reached_total.fetch_add(1, std::memory_order_relaxed);
  const CrashTarget& t = target();
  if (t.name.empty() || name != t.name) return;
  if (reached_target.fetch_add(1) + 1 == t.hit) std::raise(SIGKILL);
}

std::int64_t crash_points_reached() {
  return reached_total.load();
}

}  // namespace civicdesk
