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
  std::int64_t obligations_created = 0;
  std::int64_t first_account = 0;  // a utility account number with a bill, for the mail-room demo
  std::int64_t first_account_due_cents = 0;
  std::int64_t utility_accounts_created = 0;  // premises, accounts, meters and a year of reads
};

// How many parties of each run get demo receivables by default (a bill; some a citation or a
// license).
inline constexpr std::int64_t kDemoAccounts = 150;

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

// Gives the first `accounts` parties with ids above `after_party_id` a utility bill (account
// 1000 + party id), every third a past-due parking citation and every fifth a dog license.
// Returns the number of obligations created.
[[nodiscard]] Result<std::int64_t> seed_receivables(App& app, const Actor& actor,
                                                    std::int64_t after_party_id,
                                                    std::int64_t accounts, std::uint64_t seed);

// Gives the same parties as seed_receivables a premise at their address, a utility account with
// the bill's number (1000 + party id), water/sewer/refuse and a meter with twelve months of reads,
// on cycles C1/C2 and routes R01/R02 (demo/demo_billing.cc). Returns the accounts opened.
[[nodiscard]] Result<std::int64_t> seed_utility_accounts(App& app, const Actor& actor,
                                                         std::int64_t after_party_id,
                                                         std::int64_t accounts,
                                                         std::uint64_t seed);

// Creates the demo users that don't exist yet and `parties` more parties, in batches, calling
// `progress(done, total)` after each batch; then receivables for the first `accounts` of them.
[[nodiscard]] Result<DemoSummary> generate(
    App& app, std::int64_t parties, std::int64_t accounts, std::uint64_t seed,
    const std::function<void(std::int64_t, std::int64_t)>& progress = {});

}  // namespace civicdesk::demo
