// libFuzzer target for scanline parsing (remittance/scanline.h) and mail-stub reading.
// Built with -DCIVICDESK_FUZZ=ON (libFuzzer with clang; else the standalone main below):
// build/fuzz/scanline_fuzz -max_len=80
//
// Invariants: never crashes; a scanline that parses is 21 digits that pass the Luhn test, and
// make_scanline of its account and amount gives the same digits back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "remittance/matching.h"
#include "remittance/scanline.h"

using namespace civicdesk::remittance;

#ifdef CIVICDESK_FUZZ_STANDALONE
#include <random>
namespace {
// A valid scanline, spaced as a scanner types it about half the time.
std::string random_seed_input(std::mt19937_64& rng) {
  std::string s = make_scanline(1 + static_cast<std::int64_t>(rng() % kMaxScanlineAccountNumber),
                                static_cast<std::int64_t>(rng() % 10'000'000));
  if (rng() % 2) s = s.substr(0, 10) + " " + s.substr(10, 10) + " " + s.substr(20);
  return s;
}
}  // namespace
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = parse_scanline(text);
  if (s) {
    if (s->digits.size() != kScanlineDigits || !luhn_valid(s->digits)) std::abort();
    if (make_scanline(s->account_number, s->amount_due_cents) != s->digits) std::abort();
  }
  (void)read_mail_stub(text, "", std::nullopt);
  (void)read_mail_stub("", text, std::nullopt);
  (void)read_lockbox_stub(text);
  (void)parse_account_number(text);
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
