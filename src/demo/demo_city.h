// A deterministic, realistic demo City for demos, tests and benchmarks: one user per role (named
// like the role, password "civicdesk-demo" — demo data only) and N parties with names, street
// addresses, phones and emails drawn from a seeded generator (same seed, same City, everywhere).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "app/app.h"

namespace civicdesk::demo {

inline constexpr const char* kDemoPassword = "civicdesk-demo";

struct DemoSummary {
  int users_created = 0;
  std::int64_t parties_created = 0;
};

// Deterministic generator (splitmix64): the same seed gives the same sequence on every platform.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::uint64_t below(std::uint64_t n) { return next() % n; }

 private:
  std::uint64_t state_;
};

// The i-th demo party for a seed (pure; used by the generator and by benchmarks' queries).
customers::PartyInput demo_party(Random& rng);

// Creates the demo users that don't exist yet and `parties` more parties, in batches, calling
// `progress(done, total)` after each batch.
[[nodiscard]] Result<DemoSummary> generate(
    App& app, std::int64_t parties, std::uint64_t seed,
    const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace civicdesk::demo
