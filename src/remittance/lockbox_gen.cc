#include "remittance/lockbox_gen.h"

#include "core/assert.h"
#include "remittance/scanline.h"

namespace civicdesk::remittance {
namespace {

// SplitMix64: tiny, fast, and the same everywhere.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [lo, hi] for test data (modulo bias is irrelevant here).
  std::int64_t in(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
};

}  // namespace

LockboxFile generate_lockbox(std::uint64_t seed, std::int64_t items, std::int64_t accounts) {
  CD_ASSERT(items >= 1 && items <= kMaxLockboxItems);
  CD_ASSERT(accounts >= 1 && accounts <= kMaxScanlineAccountNumber);
  SplitMix64 rng{seed};
  LockboxFile f;
  f.destination = "RIVERTON";
  f.origin = "BANK0001";
  f.file_date = CivilDate{2026, 11, 27};
  f.file_time_hhmm = 600;
  f.file_id = "G" + std::to_string(seed % 1'000'000'000);
  for (std::int64_t done = 0; done < items;) {
    LockboxBatch b;
    b.number = static_cast<int>(f.batches.size()) + 1;
    b.lockbox = "0012345";
    b.deposit_date = f.file_date;
    for (int seq = 1; seq <= kGeneratedBatchSize && done < items; ++seq, ++done) {
      std::int64_t account = rng.in(1, accounts);
      std::int64_t due = rng.in(1000, 30000);
      LockboxItem i;
      i.batch = b.number;
      i.seq = seq;
      i.amount_cents = due;
      i.check_number = std::to_string(rng.in(100, 99999));
      i.scanline = make_scanline(account, due);
      i.payer = "PAYER " + std::to_string(account);
      b.total_cents += due;
      b.items.push_back(std::move(i));
    }
    f.item_count += static_cast<std::int64_t>(b.items.size());
    f.total_cents += b.total_cents;
    f.batches.push_back(std::move(b));
  }
  return f;
}

std::string generate_lockbox_file(std::uint64_t seed, std::int64_t items, std::int64_t accounts) {
  return format_lockbox(generate_lockbox(seed, items, accounts));
}

}  // namespace civicdesk::remittance
