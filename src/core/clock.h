// Time as a parameter: the domain never reads the wall clock itself.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace civicdesk {

// Microseconds since the Unix epoch, UTC.
using Timestamp = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now_us() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now_us() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// For tests: time moves only when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start_us) : now_(start_us) {}
  Timestamp now_us() const override { return now_.load(); }
  void advance_us(Timestamp delta) { now_ += delta; }
  void set_us(Timestamp t) { now_ = t; }

 private:
  std::atomic<Timestamp> now_;
};

inline constexpr Timestamp kMicrosPerSecond = 1'000'000;

}  // namespace civicdesk
