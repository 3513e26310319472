// Receivables for the demo City, so a CSR can run a day at the counter and a clerk can key a mail
// batch straight after `civicdesk demo`: the first parties of a run get a utility bill (its
// account number is the one printed on the stub's scanline), some a parking citation, some a
// dog license — three kinds of obligation with different funds and allocation priorities.
#include <algorithm>
#include <string>

#include "demo/demo_city.h"
#include "ledger/ledger.h"

namespace civicdesk::demo {
namespace {

ledger::ChargeRequest utility_bill(std::int64_t party, std::int64_t account, Random& rng,
                                   CivilDate due) {
  ledger::ChargeRequest r;
  r.party_id = party;
  r.account_ref = "utility:" + std::to_string(account);
  r.kind = "utility_bill";
  r.description = "Utility bill, account " + std::to_string(account);
  r.due_date = due;
  const auto cents = [&](std::int64_t lo, std::int64_t span) {
    return Money::from_cents(
        lo + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(span))));
  };
  r.lines = {{"Water: service charge and usage", "4000-WATER", cents(2500, 9000)},
             {"Sewer service", "4000-SEWER", cents(1800, 4000)},
             {"Refuse collection (64-gallon cart)", "4000-REFUSE", Money::from_cents(3245)},
             {"Stormwater fee", "4000-STORMWATER", Money::from_cents(650)}};
  r.source_ref = "demo:bill:" + std::to_string(account);
  return r;
}

ledger::ChargeRequest citation(std::int64_t party, std::int64_t n, CivilDate due) {
  ledger::ChargeRequest r;
  r.party_id = party;
  r.account_ref = "citation:DEMO" + std::to_string(n);
  r.kind = "citation";
  r.description = "Parking citation DEMO" + std::to_string(n) + " (expired meter)";
  r.due_date = due;
  r.lines = {{"Fine: expired meter", "4000-PARKING", Money::from_cents(n % 2 == 0 ? 8500 : 9600)}};
  r.source_ref = "demo:citation:" + std::to_string(n);
  return r;
}

ledger::ChargeRequest dog_license(std::int64_t party, std::int64_t n, CivilDate due) {
  ledger::ChargeRequest r;
  r.party_id = party;
  r.account_ref = "license:DOG-" + std::to_string(n);
  r.kind = "license";
  r.description = "Dog license DOG-" + std::to_string(n) + " (altered, one year)";
  r.due_date = due;
  r.lines = {{"Dog license fee", "4000-GENERAL", Money::from_cents(2000)}};
  r.source_ref = "demo:license:" + std::to_string(n);
  return r;
}

}  // namespace

Result<std::int64_t> seed_receivables(App& app, const Actor& actor, std::int64_t after_party_id,
                                      std::int64_t accounts, std::uint64_t seed) {
  if (accounts <= 0) return 0;
  // The first `accounts` parties created by this run (ids above the ones there before).
  CD_ASSIGN(auto ids, app.db().read<std::vector<std::int64_t>>(
                          [&](store::Connection& c) -> Result<std::vector<std::int64_t>> {
                            CD_ASSIGN(
                                auto rows,
                                c.query("SELECT id FROM parties WHERE id > ? ORDER BY id LIMIT ?",
                                        {after_party_id, accounts}));
                            std::vector<std::int64_t> out;
                            for (const auto& r : rows) out.push_back(r.integer(0));
                            return out;
                          }));
  const CivilDate today = app.ledger().today();
  const CivilDate due = today.plus_days(14);
  const CivilDate past_due = today.plus_days(-10);
  Random rng(seed ^ 0x5eed'b111ULL);
  std::int64_t made = 0;
  for (std::int64_t party : ids) {
    // Account numbers follow the party id so re-running the demo never reuses one.
    const std::int64_t account = 1000 + party;
    CD_TRY(app.ledger().charge(actor, utility_bill(party, account, rng, due)));
    ++made;
    if (party % 3 == 0) {
      CD_TRY(app.ledger().charge(actor, citation(party, party, past_due)));
      ++made;
    }
    if (party % 5 == 0) {
      CD_TRY(app.ledger().charge(actor, dog_license(party, party, due)));
      ++made;
    }
  }
  return made;
}

}  // namespace civicdesk::demo
