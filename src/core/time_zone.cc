#include "core/time_zone.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

namespace civicdesk {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
// No real zone is more than 26 hours from UTC; anything beyond is a corrupt file.
constexpr std::int64_t kMaxOffsetSeconds = 26 * 3600;
// The largest zoneinfo file is about 4 KiB; a cap keeps a wrong path from reading a huge file.
constexpr std::size_t kMaxTzifBytes = 256 * 1024;
constexpr std::size_t kMaxZoneNameLength = 255;

using Rule = TimeZone::PosixRule;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

std::unexpected<Error> bad_zone(std::string_view name, std::string message) {
  return fail(ErrorCode::kInvalidInput,
              "time zone \"" + std::string(name) + "\" " + std::move(message), "time_zone");
}

// IANA names are ASCII letters, digits and "/_+-" (e.g. "America/Port-au-Prince", "Etc/GMT+5").
// Refusing ".." and a leading "/" keeps the name inside the zoneinfo directory.
Result<void> check_zone_name(std::string_view name) {
  if (name.empty()) return bad_zone(name, "is empty");
  if (name.size() > kMaxZoneNameLength) return bad_zone(name.substr(0, 40), "is too long");
  if (name.front() == '/') return bad_zone(name, "must not start with \"/\"");
  if (name.find("..") != std::string_view::npos) return bad_zone(name, "must not contain \"..\"");
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '_' || c == '+' || c == '-';
    if (!ok) return bad_zone(name, "has a character no IANA time zone name has");
  }
  return {};
}

// --- TZif (RFC 8536) ---------------------------------------------------------------------------

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool has(std::uint64_t n) const { return n <= bytes_.size() - pos_; }
  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::int64_t be(int width) {  // big-endian two's-complement integer of 4 or 8 bytes
    std::uint64_t v = 0;
    for (int i = 0; i < width; ++i) v = (v << 8) | u8();
    if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
  }
  std::string_view take(std::size_t n) {
    const std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(std::uint64_t n) { pos_ += static_cast<std::size_t>(n); }
  bool at_end() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct TzifHeader {
  char version = 0;
  std::uint64_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  std::uint64_t data_size(int time_size) const {
    return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

bool read_header(ByteReader& in, TzifHeader* h) {
  if (!in.has(44) || in.take(4) != "TZif") return false;
  h->version = static_cast<char>(in.u8());
  in.skip(15);
  std::uint64_t* counts[] = {&h->isutcnt, &h->isstdcnt, &h->leapcnt,
                             &h->timecnt, &h->typecnt,  &h->charcnt};
  for (std::uint64_t* c : counts) *c = static_cast<std::uint32_t>(in.be(4));
  const bool version_ok = h->version == 0 || (h->version >= '2' && h->version <= '9');
  return version_ok && h->typecnt >= 1 && h->typecnt <= 256 && h->charcnt >= 1 &&
         (h->isutcnt == 0 || h->isutcnt == h->typecnt) &&
         (h->isstdcnt == 0 || h->isstdcnt == h->typecnt);
}

struct TzifData {
  std::vector<std::int64_t> transitions;
  std::vector<std::uint8_t> transition_types;
  struct Type {
    std::int64_t offset;
    bool is_dst;
    std::string abbr;
  };
  std::vector<Type> types;
};

// Reads one data block; the header was checked and the reader holds data_size bytes.
bool read_block(ByteReader& in, const TzifHeader& h, int time_size, TzifData* out) {
  for (std::uint64_t i = 0; i < h.timecnt; ++i) {
    out->transitions.push_back(in.be(time_size));
    if (i > 0 && out->transitions[i] <= out->transitions[i - 1]) return false;
  }
  for (std::uint64_t i = 0; i < h.timecnt; ++i) {
    out->transition_types.push_back(in.u8());
    if (out->transition_types.back() >= h.typecnt) return false;
  }
  std::vector<std::pair<std::int64_t, std::uint8_t>> raw;  // offset, designation index
  std::vector<bool> dst;
  for (std::uint64_t i = 0; i < h.typecnt; ++i) {
    const std::int64_t offset = in.be(4);
    const std::uint8_t is_dst = in.u8();
    const std::uint8_t index = in.u8();
    if (offset > kMaxOffsetSeconds || offset < -kMaxOffsetSeconds || is_dst > 1) return false;
    if (index >= h.charcnt) return false;
    raw.emplace_back(offset, index);
    dst.push_back(is_dst == 1);
  }
  const std::string_view chars = in.take(static_cast<std::size_t>(h.charcnt));
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string_view rest = chars.substr(raw[i].second);
    out->types.push_back({raw[i].first, dst[i], std::string(rest.substr(0, rest.find('\0')))});
  }
  in.skip(h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);  // leap seconds ignored
  return true;
}

// The footer of a v2+ file: "\n" POSIX-TZ "\n"; it may be empty.
bool read_footer(ByteReader& in, std::string* footer) {
  if (!in.has(1) || in.u8() != '\n') return false;
  while (in.has(1)) {
    const char c = static_cast<char>(in.u8());
    if (c == '\n') return true;
    *footer += c;
  }
  return false;
}

Result<std::string> read_zone_file(const std::string& path, std::string_view name) {
  std::error_code ignored;
  std::ifstream file(path, std::ios::binary);
  if (!std::filesystem::is_regular_file(path, ignored) || !file) {  // e.g. "America", a folder
    return bad_zone(name, "is not a known time zone (no file " + path + ")");
  }
  std::string bytes;
  char buffer[4096];
  while (file.read(buffer, sizeof buffer) || file.gcount() > 0) {
    bytes.append(buffer, static_cast<std::size_t>(file.gcount()));
    if (bytes.size() > kMaxTzifBytes) return bad_zone(name, "file is too large to be TZif");
  }
  if (file.bad()) return fail(ErrorCode::kUnavailable, "could not read " + path, "time_zone");
  return bytes;
}

// --- POSIX TZ rules ----------------------------------------------------------------------------

class RuleReader {
 public:
  explicit RuleReader(std::string_view s) : s_(s) {}
  bool at_end() const { return pos_ == s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  bool consume(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // A designation: three or more letters, or "<...>" of letters, digits, '+' and '-'.
  bool abbr(std::string* out) {
    const bool quoted = consume('<');
    while (!at_end()) {
      const char c = peek();
      const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      const bool extra = quoted && ((c >= '0' && c <= '9') || c == '+' || c == '-');
      if (!alpha && !extra) break;
      *out += c;
      ++pos_;
    }
    return out->size() >= 3 && (!quoted || consume('>'));
  }
  // [+-]hh[:mm[:ss]] in seconds; hours at most `max_hours`.
  bool hms(int max_hours, std::int64_t* out) {
    const bool negative = consume('-');
    if (!negative) consume('+');
    std::int64_t parts[3] = {0, 0, 0};
    for (int p = 0; p < 3; ++p) {
      if (p > 0 && !consume(':')) break;
      if (!number(p == 0 ? 3 : 2, &parts[p])) return false;
    }
    if (parts[0] > max_hours || parts[1] > 59 || parts[2] > 59) return false;
    *out = (parts[0] * 3600 + parts[1] * 60 + parts[2]) * (negative ? -1 : 1);
    return true;
  }
  bool number(int max_digits, std::int64_t* out) {
    int digits = 0;
    *out = 0;
    while (digits < max_digits && peek() >= '0' && peek() <= '9') {
      *out = *out * 10 + (s_[pos_++] - '0');
      ++digits;
    }
    return digits > 0;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

bool read_when(RuleReader& in, Rule::When* when) {
  std::int64_t a = 0, b = 0, c = 0;
  if (in.consume('M')) {
    if (!in.number(2, &a) || !in.consume('.') || !in.number(1, &b) || !in.consume('.') ||
        !in.number(1, &c) || a < 1 || a > 12 || b < 1 || b > 5 || c > 6) {
      return false;
    }
    *when = {Rule::When::Kind::kMonthWeekDay,
             static_cast<int>(a),
             static_cast<int>(b),
             static_cast<int>(c),
             0,
             7200};
  } else if (in.consume('J')) {
    if (!in.number(3, &a) || a < 1 || a > 365) return false;
    *when = {Rule::When::Kind::kJulianNoLeap, 0, 0, 0, static_cast<int>(a), 7200};
  } else {
    if (!in.number(3, &a) || a > 365) return false;
    *when = {Rule::When::Kind::kJulianZero, 0, 0, 0, static_cast<int>(a), 7200};
  }
  // RFC 8536 extends POSIX: the time may be negative and up to 167 hours.
  return !in.consume('/') || in.hms(167, &when->time_seconds);
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Days since the epoch of the day a rule names in `year`.
std::int64_t rule_day(const Rule::When& w, int year) {
  const std::int64_t jan1 = CivilDate{year, 1, 1}.days_since_epoch();
  switch (w.kind) {
    case Rule::When::Kind::kJulianNoLeap:
      return jan1 + w.day - 1 + (is_leap(year) && w.day >= 60 ? 1 : 0);
    case Rule::When::Kind::kJulianZero:
      return jan1 + w.day;
    case Rule::When::Kind::kMonthWeekDay:
      break;
  }
  const CivilDate first{year, w.month, 1};
  int day = 1 + (w.weekday - first.weekday() + 7) % 7 + (w.week - 1) * 7;
  while (!is_valid_date(year, w.month, day)) day -= 7;  // week 5 means "the last"
  return first.days_since_epoch() + day - 1;
}

std::string two_digits(std::int64_t v) {
  return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
}

}  // namespace

Result<TimeZone::PosixRule> TimeZone::parse_posix_rule(std::string_view text) {
  const auto bad = [&](std::string why) {
    return fail(ErrorCode::kInvalidInput,
                "POSIX time zone rule \"" + std::string(text) + "\" " + why, "time_zone");
  };
  RuleReader in(text);
  PosixRule rule;
  std::int64_t offset = 0;
  if (!in.abbr(&rule.std_abbr) || !in.hms(24, &offset)) return bad("has no valid standard time");
  rule.std_offset = -offset;  // POSIX counts hours west of Greenwich
  if (in.at_end()) return rule;
  std::string dst;
  if (!in.abbr(&dst)) return bad("has an invalid daylight-time name");
  rule.dst_abbr = dst;
  rule.dst_offset = rule.std_offset + 3600;
  if (!in.at_end() && in.peek() != ',') {
    if (!in.hms(24, &offset)) return bad("has an invalid daylight-time offset");
    rule.dst_offset = -offset;
  }
  if (in.at_end()) {  // no dates given: the US rule, as glibc assumes
    rule.start = {PosixRule::When::Kind::kMonthWeekDay, 3, 2, 0, 0, 7200};
    rule.end = {PosixRule::When::Kind::kMonthWeekDay, 11, 1, 0, 0, 7200};
    return rule;
  }
  if (!in.consume(',') || !read_when(in, &rule.start) || !in.consume(',') ||
      !read_when(in, &rule.end) || !in.at_end()) {
    return bad("has invalid daylight-time dates");
  }
  return rule;
}

Result<TimeZone> TimeZone::from_posix(std::string_view name, std::string_view rule) {
  CD_ASSIGN(PosixRule parsed, parse_posix_rule(rule));
  TimeZone tz;
  tz.name_ = std::string(name);
  tz.types_.push_back({parsed.std_offset, false, parsed.std_abbr});
  tz.footer_ = std::move(parsed);
  return tz;
}

TimeZone TimeZone::utc() {
  TimeZone tz;
  tz.name_ = "UTC";
  tz.types_.push_back({0, false, "UTC"});
  return tz;
}

Result<TimeZone> TimeZone::from_tzif(std::string_view name, std::string_view bytes) {
  ByteReader in(bytes);
  TzifHeader header;
  if (!read_header(in, &header) || !in.has(header.data_size(4))) {
    return bad_zone(name, "file is not valid TZif");
  }
  TzifData data;
  if (header.version == 0) {  // version 1: 32-bit times, no footer
    if (!read_block(in, header, 4, &data)) return bad_zone(name, "file has invalid TZif data");
  } else {
    in.skip(header.data_size(4));
    if (!read_header(in, &header) || !in.has(header.data_size(8)) ||
        !read_block(in, header, 8, &data)) {
      return bad_zone(name, "file has invalid TZif version 2+ data");
    }
  }
  TimeZone tz;
  tz.name_ = std::string(name);
  std::string footer;
  if (header.version != 0) {
    if (!read_footer(in, &footer)) return bad_zone(name, "file has no TZif footer");
    if (!footer.empty()) {
      CD_ASSIGN(tz.footer_, parse_posix_rule(footer));
    }
  }
  tz.transitions_ = std::move(data.transitions);
  tz.transition_types_ = std::move(data.transition_types);
  for (auto& t : data.types) tz.types_.push_back({t.offset, t.is_dst, std::move(t.abbr)});
  return tz;
}

Result<TimeZone> TimeZone::load(std::string_view iana_name, std::string_view zoneinfo_dir) {
  CD_TRY(check_zone_name(iana_name));
  const std::string path = std::string(zoneinfo_dir) + "/" + std::string(iana_name);
  CD_ASSIGN(const std::string bytes, read_zone_file(path, iana_name));
  return from_tzif(iana_name, bytes);
}

bool TimeZone::footer_is_dst(std::int64_t t) const {
  const PosixRule& r = *footer_;
  if (!r.dst_abbr) return false;
  const int year = CivilDate::from_days(floor_div(t + r.std_offset, kSecondsPerDay)).year;
  // Start is given in standard wall time, end in daylight wall time.
  const std::int64_t start =
      rule_day(r.start, year) * kSecondsPerDay + r.start.time_seconds - r.std_offset;
  const std::int64_t end =
      rule_day(r.end, year) * kSecondsPerDay + r.end.time_seconds - r.dst_offset;
  if (start < end) return t >= start && t < end;  // northern hemisphere
  return !(t >= end && t < start);                // southern: DST spans the new year
}

TimeZone::LocalType TimeZone::type_at(std::int64_t t) const {
  const bool after_last = transitions_.empty() || t >= transitions_.back();
  if (footer_ && after_last) {
    const bool dst = footer_is_dst(t);
    return {dst ? footer_->dst_offset : footer_->std_offset, dst,
            dst ? *footer_->dst_abbr : footer_->std_abbr};
  }
  if (transitions_.empty() || t < transitions_.front()) return types_.front();
  const auto next = std::upper_bound(transitions_.begin(), transitions_.end(), t);
  const auto index = static_cast<std::size_t>(std::distance(transitions_.begin(), next) - 1);
  return types_[transition_types_[index]];
}

std::int64_t TimeZone::utc_offset_seconds(std::int64_t unix_seconds) const {
  return type_at(unix_seconds).offset;
}

std::string TimeZone::abbreviation(std::int64_t unix_seconds) const {
  return type_at(unix_seconds).abbr;
}

CivilDate TimeZone::local_date(std::int64_t unix_seconds) const {
  const std::int64_t local = unix_seconds + utc_offset_seconds(unix_seconds);
  return CivilDate::from_days(floor_div(local, kSecondsPerDay));
}

std::string TimeZone::format_local(std::int64_t unix_us) const {
  const std::int64_t seconds = floor_div(unix_us, 1'000'000);
  const LocalType type = type_at(seconds);
  const std::int64_t local = seconds + type.offset;
  const std::int64_t days = floor_div(local, kSecondsPerDay);
  const std::int64_t of_day = local - days * kSecondsPerDay;
  return CivilDate::from_days(days).iso() + " " + two_digits(of_day / 3600) + ":" +
         two_digits(of_day / 60 % 60) + ":" + two_digits(of_day % 60) + " " + type.abbr;
}

std::int64_t TimeZone::local_midnight_utc(CivilDate date) const {
  const std::int64_t midnight = date.days_since_epoch() * kSecondsPerDay;  // as if UTC
  // Offsets that could be in effect near local midnight; a candidate t = midnight - offset is
  // right when that offset is the one in effect at t.
  const std::int64_t before = utc_offset_seconds(midnight - 2 * kSecondsPerDay);
  const std::int64_t after = utc_offset_seconds(midnight + 2 * kSecondsPerDay);
  const std::int64_t candidates[] = {before, after, utc_offset_seconds(midnight - before),
                                     utc_offset_seconds(midnight - after)};
  std::int64_t best = std::numeric_limits<std::int64_t>::max();
  for (std::int64_t offset : candidates) {
    const std::int64_t t = midnight - offset;
    if (utc_offset_seconds(t) == offset) best = std::min(best, t);
  }
  if (best != std::numeric_limits<std::int64_t>::max()) return best;
  // Midnight was skipped by a spring-forward: the day starts at the first instant whose local
  // time is on or after midnight, found by bisection across the gap.
  std::int64_t lo = midnight - std::max(before, after);
  std::int64_t hi = midnight - std::min(before, after);
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (mid + utc_offset_seconds(mid) >= midnight) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

}  // namespace civicdesk
