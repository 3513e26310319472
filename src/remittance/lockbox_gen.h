// A generator of large, valid lockbox files for benchmarks and soak tests.
//
// generate_lockbox_file(seed, items, accounts) returns a file (docs/formats/lockbox.md) of
// `items` payments in batches of kGeneratedBatchSize, each paying account number 1..`accounts`
// (uniform) the amount due on its stub ($10.00..$300.00), with a valid scanline. The same seed
// gives byte-for-byte the same file on every platform (its own 64-bit generator, no <random>
// distributions). To have every item match, create one open obligation per account with
// account_ref remittance::account_ref_for(n) ("utility:<n>") for n in 1..accounts.
//
// Pure, thread-safe. items in 1..kMaxLockboxItems and accounts in 1..kMaxScanlineAccountNumber
// (asserted: benchmark code passes constants).
#pragma once

#include <cstdint>
#include <string>

#include "remittance/lockbox.h"

namespace civicdesk::remittance {

inline constexpr int kGeneratedBatchSize = 500;

std::string generate_lockbox_file(std::uint64_t seed, std::int64_t items, std::int64_t accounts);

// The parsed form, for tests that want to change a field before formatting.
LockboxFile generate_lockbox(std::uint64_t seed, std::int64_t items, std::int64_t accounts);

}  // namespace civicdesk::remittance
