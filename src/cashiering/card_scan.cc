#include "cashiering/card_scan.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include "cashiering/card_numbers.h"

namespace civicdesk::cashiering {
namespace {

bool is_letter(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}
bool is_digit(char ch) {
  return ch >= '0' && ch <= '9';
}

std::string mask(const std::string& digits) {
  return digits.substr(0, 6) + std::string(digits.size() - 10, '*') +
         digits.substr(digits.size() - 4);
}

// ISO/IEC 7812: the first digit of a card number is its major industry. Payment cards start with
// 2-6 (Mastercard 2-series, Amex/JCB/Diners, Visa, Mastercard/Maestro, Discover/UnionPay); UATP
// airline cards start with 1 and have 15 digits. 0, 7, 8 and 9 (petroleum, health, national) are
// not cards a City's gateway takes. Without this, any 16-digit integer passing Luhn — one in ten
// microsecond timestamps (1795696025906605) — reads as a card number.
bool issued_by_a_card_scheme(const std::string& digits) {
  const char first = digits.front();
  if (first == '1') return digits.size() == 15;
  return first >= '2' && first <= '6';
}

}  // namespace

std::vector<CardFinding> find_card_numbers(std::string_view text, bool join_short_groups) {
  std::vector<CardFinding> out;
  std::string run;
  std::size_t start = 0;
  bool after_letter = false;
  std::size_t group = 0;     // digits since the last separator
  bool short_group = false;  // a group before a separator had fewer than 3 digits
  for (std::size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : '\0';
    if (is_digit(c)) {
      if (run.empty()) {
        start = i;
        after_letter = i > 0 && is_letter(text[i - 1]);
        short_group = false;
        group = 0;
      }
      run.push_back(c);
      ++group;
    } else if ((c == ' ' || c == '-') && !run.empty() && i + 1 < text.size() &&
               is_digit(text[i + 1])) {
      // People group a card number in fours (Amex 4-6-5); digits one or two at a time between
      // blanks are lists of small numbers (PostgreSQL writes constants as "[ 32 0 0 9 ... ]").
      if (group < 3 && !join_short_groups) short_group = true;
      group = 0;
      continue;
    } else {
      bool in_word = after_letter || is_letter(c);
      if (!in_word && !short_group && run.size() >= 13 && run.size() <= 19 &&
          issued_by_a_card_scheme(run) && luhn_valid(run))
        out.push_back({start, mask(run), run});
      run.clear();
    }
  }
  return out;
}

namespace {

// Calls on_file(path) for every regular file under each path; false when one cannot be read.
template <class OnFile>
bool walk(const std::vector<std::string>& paths, std::ostream& err, OnFile on_file) {
  namespace fs = std::filesystem;
  bool ok = true;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (auto it = fs::recursive_directory_iterator(
               path, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec)) ok = on_file(it->path()) && ok;
      if (ec) {
        err << path << ": " << ec.message() << "\n";
        ok = false;
      }
    } else if (fs::is_regular_file(path, ec)) {
      ok = on_file(path) && ok;
    } else {
      err << path << ": no such file or directory\n";
      ok = false;
    }
  }
  return ok;
}

// The whole file, or nullopt (reported) when it cannot be read.
std::optional<std::string> read_all(const std::filesystem::path& p, std::ostream& err) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    err << p.string() << ": cannot read\n";
    return std::nullopt;
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(p, ec);
  std::string content(ec ? 0 : size, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<std::size_t>(in.gcount()));
  return content;
}

}  // namespace

int cmd_pci_scan(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err,
                 const std::vector<std::string>& baselines) {
  namespace fs = std::filesystem;
  std::set<std::string> known;
  bool readable = walk(baselines, err, [&](const fs::path& p) {
    auto content = read_all(p, err);
    if (!content) return false;
    for (auto& f : find_card_numbers(*content)) known.insert(std::move(f.digits));
    return true;
  });
  std::uint64_t files = 0, bytes = 0, found = 0;
  readable = walk(paths, err,
                  [&](const fs::path& p) {
                    auto content = read_all(p, err);
                    if (!content) return false;
                    ++files;
                    bytes += content->size();
                    for (const auto& f : find_card_numbers(*content)) {
                      if (known.contains(f.digits)) continue;
                      ++found;
                      out << p.string() << ":" << f.offset << ": possible card number " << f.masked
                          << "\n";
                    }
                    return true;
                  }) &&
             readable;
  out << "pci scan: " << files << " file(s), " << bytes << " bytes, " << found
      << " possible card number(s)\n";
  if (!readable) return 2;
  return found > 0 ? 1 : 0;
}

}  // namespace civicdesk::cashiering
