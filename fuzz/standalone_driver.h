// The standalone driver shared by the fuzz targets built without libFuzzer (GCC, or clang
// without it). Include it at the end of a target that defines LLVMFuzzerTestOneInput and
// `std::string random_seed_input(std::mt19937_64&)` in an anonymous namespace.
#pragma once

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
