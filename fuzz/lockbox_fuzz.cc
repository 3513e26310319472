// libFuzzer target for the lockbox parser (remittance/lockbox.h) and the stub reading of every
// detail it accepts. Built with -DCIVICDESK_FUZZ=ON (libFuzzer with clang; else the standalone
// main at the end, which `make test` runs as lockbox_fuzz_smoke):
//
//   build/fuzz/lockbox_fuzz -max_len=4096 tests/data/lockbox
//
// Invariants checked on every input: the parser returns a value or an error naming a line or
// the file (never crashes, never asserts); a parsed file's items add up to its totals, and
// formatting it and parsing that again gives the same counts and totals.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "remittance/lockbox.h"
#include "remittance/matching.h"

using namespace civicdesk::remittance;

#ifdef CIVICDESK_FUZZ_STANDALONE
#include <random>
#include "remittance/lockbox_gen.h"
namespace {
// A small valid file (1..20 items over 50 accounts), some of whose scanlines a mutation breaks.
std::string random_seed_input(std::mt19937_64& rng) {
  return generate_lockbox_file(rng(), 1 + static_cast<std::int64_t>(rng() % 20), 50);
}
}  // namespace
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = parse_lockbox(text);
  if (!file) {
    const std::string& f = file.error().field;
    if (f != "file" && f.rfind("line ", 0) != 0) std::abort();
    return 0;
  }
  std::int64_t total = 0, count = 0;
  for (const auto& b : file->batches) {
    std::int64_t batch_total = 0;
    for (const auto& i : b.items) {
      batch_total += i.amount_cents;
      (void)read_lockbox_stub(i.scanline);
    }
    if (batch_total != b.total_cents) std::abort();
    total += batch_total;
    count += static_cast<std::int64_t>(b.items.size());
  }
  if (total != file->total_cents || count != file->item_count) std::abort();
  auto again = parse_lockbox(format_lockbox(*file));
  if (!again || again->total_cents != file->total_cents || again->item_count != file->item_count)
    std::abort();
  return 0;
}

#ifdef CIVICDESK_FUZZ_STANDALONE
// Without libFuzzer (GCC, or clang without it): `NAME FILE...` runs each file once;
// `NAME --random N SEED` runs N seeded inputs; `NAME --mutate N SEED FILE...` runs N seeded
// mutations of the files. A failing seed reproduces exactly. (Same interface as formula_fuzz.)
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace {

std::string read_all(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

// Up to 8 edits: set, insert or erase bytes, favouring characters that matter to the format.
std::string mutate(std::string input, std::mt19937_64& rng) {
  const std::string alphabet = "0123456789 \n\r15679ABZ?";
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !input.empty(); ++e) {
    const std::size_t at = rng() % input.size();
    const char c =
        rng() % 8 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    switch (rng() % 4) {
      case 0:
        input[at] = c;
        break;
      case 1:
        input.insert(input.begin() + static_cast<long>(at), c);
        break;
      case 2:
        input.erase(at, 1 + rng() % 4);
        break;
      default:
        if (rng() % 4 == 0) input.resize(at);
        break;
    }
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "--random") {
    const long runs = std::strtol(argv[2], nullptr, 10);
    std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
    for (long i = 0; i < runs; ++i) run(mutate(random_seed_input(rng), rng));
    return 0;
  }
  if (argc >= 5 && std::string_view(argv[1]) == "--mutate") {
    const long runs = std::strtol(argv[2], nullptr, 10);
    std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
    std::vector<std::string> seeds;
    for (int i = 4; i < argc; ++i) seeds.push_back(read_all(argv[i]));
    for (long i = 0; i < runs; ++i) run(mutate(seeds[rng() % seeds.size()], rng));
    return 0;
  }
  for (int i = 1; i < argc; ++i) run(read_all(argv[i]));
  return 0;
}
#endif
