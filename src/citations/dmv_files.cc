#include "citations/dmv_files.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "citations/scofflaw.h"
#include "core/csv.h"

namespace civicdesk::citations {
namespace {

constexpr std::string_view kRequestType = "DMVRQ";
constexpr std::string_view kResponseType = "DMVRS";
constexpr std::string_view kHoldType = "DMVHD";
constexpr std::size_t kHeaderFields = 6;
constexpr std::size_t kRequestFields = 6;
constexpr std::size_t kResponseFields = 17;
constexpr std::size_t kHoldFields = 7;

// --- writing -----------------------------------------------------------------------------------

// One CSV field: line breaks become spaces (a record is one line), and a field holding a comma
// or a quote is quoted with quotes doubled (RFC 4180).
std::string field(std::string_view text) {
  std::string s(text);
  std::replace(s.begin(), s.end(), '\r', ' ');
  std::replace(s.begin(), s.end(), '\n', ' ');
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

void record(std::string& out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (auto f : fields) {
    if (!first) out += ',';
    out += field(f);
    first = false;
  }
  out += '\n';
}

std::string opt_iso(const std::optional<CivilDate>& d) {
  return d ? d->iso() : std::string();
}

void header(std::string& out, std::string_view type, const std::string& requester,
            const std::string& dmv_state, CivilDate date, std::int64_t id) {
  record(out, {"H", type, requester, dmv_state, date.iso(), std::to_string(id)});
}

void trailer(std::string& out, std::size_t count) {
  record(out, {"T", std::to_string(count)});
}

// --- reading: the header, detail and trailer records ---------------------------------------------

struct Detail {
  int line = 0;
  std::vector<std::string> fields;
};

struct Envelope {
  std::vector<std::string> header;
  std::vector<Detail> details;
  std::int64_t records = 0;  // detail records, readable or not
  std::vector<LineProblem> problems;
};

std::string at_line(int line, std::string_view message) {
  return "line " + std::to_string(line) + ": " + std::string(message);
}

Result<std::int64_t> parse_count(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 0)
    return fail(Error::invalid("count", "not a whole number"));
  return n;
}

Result<void> read_header(const std::vector<std::string>& f, int line, std::string_view type) {
  if (f.empty() || f[0] != "H")
    return fail(
        Error::invalid("header", at_line(line, "the file starts with a header record (H)")));
  if (f.size() != kHeaderFields)
    return fail(Error::invalid("header",
                               at_line(line, "a header has " + std::to_string(kHeaderFields) +
                                                 " fields, this one " + std::to_string(f.size()))));
  if (f[1] != type)
    return fail(Error::invalid(
        "header", at_line(line, "this is a " + f[1] + " file, not " + std::string(type))));
  return {};
}

Result<Envelope> read_envelope(std::string_view text, std::string_view type) {
  if (text.size() > kMaxDmvFileBytes)
    return fail(ErrorCode::kTooLarge, "the file is larger than civicdesk reads at once", "file");
  Envelope env;
  CsvReader reader(text);
  std::vector<std::string> f;
  bool have_header = false;
  int trailer_line = 0;
  std::int64_t trailer_count = -1;
  for (;;) {
    auto st = reader.next(&f);
    if (st == CsvReader::Status::kEnd) break;
    const int line = reader.line();
    if (trailer_line)
      return fail(Error::invalid("trailer", at_line(line, "a record after the trailer (line " +
                                                              std::to_string(trailer_line) + ")")));
    if (st == CsvReader::Status::kError) {
      if (!have_header || reader.fatal())
        return fail(Error::invalid(have_header ? "file" : "header", at_line(line, reader.error())));
      ++env.records;
      env.problems.push_back({line, "record", reader.error(), ""});
      continue;
    }
    if (!have_header) {
      CD_TRY(read_header(f, line, type));
      env.header = f;
      have_header = true;
      continue;
    }
    if (f[0] == "T") {
      trailer_line = line;
      auto n = f.size() == 2 ? parse_count(f[1]) : parse_count("");
      if (!n)
        return fail(
            Error::invalid("trailer", at_line(line, "the trailer is T,<number of D records>")));
      trailer_count = *n;
      continue;
    }
    ++env.records;
    if (env.records > kMaxDmvRecords)
      return fail(ErrorCode::kTooLarge,
                  "more than " + std::to_string(kMaxDmvRecords) + " records in one file", "file");
    if (f[0] != "D") {
      env.problems.push_back(
          {line, "record_type", "record type '" + f[0] + "' is not H, D or T", ""});
      continue;
    }
    env.details.push_back({line, f});
  }
  if (!have_header) return fail(Error::invalid("header", "the file is empty"));
  if (!trailer_line)
    return fail(Error::invalid("trailer", "no trailer record (T): the file may be truncated"));
  if (trailer_count != env.records)
    return fail(Error::invalid(
        "trailer",
        at_line(trailer_line, "the trailer counts " + std::to_string(trailer_count) +
                                  " detail records, the file has " + std::to_string(env.records))));
  return env;
}

// A detail record's fields, checked one by one; the first bad one becomes the line's problem.
class Fields {
 public:
  Fields(const Detail& d, std::vector<LineProblem>& problems) : d_(d), problems_(problems) {}

  bool count(std::size_t want) {
    if (d_.fields.size() == want) return true;
    return problem("record", "a D record has " + std::to_string(want) + " fields, this one " +
                                 std::to_string(d_.fields.size()) +
                                 (d_.fields.size() < want ? " (truncated?)" : ""));
  }
  bool problem(std::string field, std::string message) {
    if (ok_) problems_.push_back({d_.line, std::move(field), std::move(message), ""});
    ok_ = false;
    return false;
  }
  const std::string& at(std::size_t i) const { return d_.fields[i]; }
  std::int64_t id(std::size_t i, const std::string& name) {
    auto n = parse_count(at(i));
    if (!n || *n == 0) problem(name, name + " is a positive whole number");
    return n ? *n : 0;
  }
  std::string text(std::size_t i, const std::string& name, std::size_t max, bool required) {
    std::string s = at(i);
    s.erase(s.begin(),
            std::find_if(s.begin(), s.end(), [](unsigned char c) { return !std::isspace(c); }));
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    if (required && s.empty()) problem(name, name + " is required");
    if (s.size() > max) problem(name, name + " is longer than " + std::to_string(max));
    return s;
  }
  std::string plate(std::size_t i) {
    std::string p = normalize_plate(at(i));
    if (p.empty() || p.size() > kMaxPlateLength)
      problem("plate", "plate is 1 to " + std::to_string(kMaxPlateLength) + " letters and digits");
    return p;
  }
  std::string state(std::size_t i, const std::string& name) {
    const std::string& s = at(i);
    if (s.size() != 2 || !std::isupper(static_cast<unsigned char>(s[0])) ||
        !std::isupper(static_cast<unsigned char>(s[1])))
      problem(name, name + " is a two-letter code such as CA");
    return s;
  }
  std::optional<CivilDate> date(std::size_t i, const std::string& name, bool required) {
    if (at(i).empty()) {
      if (required) problem(name, name + " is required");
      return std::nullopt;
    }
    auto d = parse_date(at(i), name);
    if (!d) {
      problem(name, name + " is a date YYYY-MM-DD");
      return std::nullopt;
    }
    return *d;
  }
  bool ok() const { return ok_; }

 private:
  const Detail& d_;
  std::vector<LineProblem>& problems_;
  bool ok_ = true;
};

bool zip_ok(std::string_view z) {
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  return (z.size() == 5 && digits(z)) ||
         (z.size() == 10 && z[5] == '-' && digits(z.substr(0, 5)) && digits(z.substr(6)));
}

Result<DmvMatch> parse_match(std::string_view code) {
  if (code == "F") return DmvMatch::kFound;
  if (code == "N") return DmvMatch::kNotFound;
  if (code == "C") return DmvMatch::kConfidential;
  if (code == "O") return DmvMatch::kOutOfState;
  return fail(Error::invalid("status", "unknown status '" + std::string(code) +
                                           "' (F found, N not found, C confidential, "
                                           "O out of state)"));
}

// The header's date and file id (the requester and state are read as written).
Result<std::pair<CivilDate, std::int64_t>> header_date_id(const std::vector<std::string>& h) {
  auto d = parse_date(h[4], "header");
  if (!d) return fail(Error::invalid("header", at_line(1, "the file date is YYYY-MM-DD")));
  auto id = parse_count(h[5]);
  if (!id) return fail(Error::invalid("header", at_line(1, "the file id is a whole number")));
  return std::pair{*d, *id};
}

void read_found(Fields& f, DmvResponseLine& r) {
  r.owner_type = f.at(5);
  if (r.owner_type != "I" && r.owner_type != "B")
    f.problem("owner_type", "owner_type is I (individual) or B (business)");
  r.owner_name = f.text(6, "owner_name", kMaxDmvNameLength, true);
  if (r.owner_type == "I" && r.owner_name.find(',') == std::string::npos)
    f.problem("owner_name", "an individual's name is LAST,FIRST");
  r.co_owner_name = f.text(7, "co_owner_name", kMaxDmvNameLength, false);
  r.address_line1 = f.text(8, "address_line1", kMaxDmvNameLength, true);
  r.address_line2 = f.text(9, "address_line2", kMaxDmvNameLength, false);
  r.city = f.text(10, "city", kMaxDmvNameLength, true);
  r.state = f.state(11, "state");
  r.zip = f.at(12);
  if (!zip_ok(r.zip)) f.problem("zip", "zip is 95501 or 95501-1234");
  r.make = f.text(13, "make", kMaxVehicleTextLength, false);
  r.vin = f.text(14, "vin", kMaxVinLength, false);
  r.registration_expires_on = f.date(15, "registration_expires_on", false);
  r.owner_since = f.date(16, "owner_since", true);
}

}  // namespace

std::string_view to_code(DmvMatch m) {
  switch (m) {
    case DmvMatch::kFound:
      return "F";
    case DmvMatch::kNotFound:
      return "N";
    case DmvMatch::kConfidential:
      return "C";
    case DmvMatch::kOutOfState:
      return "O";
  }
  return "N";
}

std::string_view to_string(DmvMatch m) {
  switch (m) {
    case DmvMatch::kFound:
      return "found";
    case DmvMatch::kNotFound:
      return "not_found";
    case DmvMatch::kConfidential:
      return "confidential";
    case DmvMatch::kOutOfState:
      return "out_of_state";
  }
  return "not_found";
}

std::string_view to_code(HoldAction a) {
  return a == HoldAction::kPlace ? "P" : "R";
}

std::string write_request_file(const DmvRequestFile& f) {
  std::string out;
  header(out, kRequestType, f.requester, f.dmv_state, f.file_date, f.file_id);
  for (const auto& l : f.lines)
    record(out, {"D", std::to_string(l.request_id), l.plate, l.plate_state, l.citation_number,
                 l.violation_on.iso()});
  trailer(out, f.lines.size());
  return out;
}

std::string write_response_file(const DmvResponseFile& f) {
  std::string out;
  header(out, kResponseType, f.requester, f.dmv_state, f.response_date, f.request_file_id);
  for (const auto& l : f.lines)
    record(out, {"D", std::to_string(l.request_id), l.plate, l.plate_state, to_code(l.status),
                 l.owner_type, l.owner_name, l.co_owner_name, l.address_line1, l.address_line2,
                 l.city, l.state, l.zip, l.make, l.vin, opt_iso(l.registration_expires_on),
                 opt_iso(l.owner_since)});
  trailer(out, f.lines.size());
  return out;
}

std::string write_hold_file(const DmvHoldFile& f) {
  std::string out;
  header(out, kHoldType, f.requester, f.dmv_state, f.file_date, f.file_id);
  for (const auto& l : f.lines)
    record(out, {"D", to_code(l.action), l.plate, l.plate_state, l.citation_number,
                 l.violation_on.iso(), format_plain(l.amount_due)});
  trailer(out, f.lines.size());
  return out;
}

Result<ParsedDmvRequest> parse_request_file(std::string_view text) {
  CD_ASSIGN(auto env, read_envelope(text, kRequestType));
  ParsedDmvRequest out;
  out.records = env.records;
  out.problems = std::move(env.problems);
  CD_ASSIGN(auto hd, header_date_id(env.header));
  out.file = {env.header[2], env.header[3], hd.first, hd.second, {}};
  for (const auto& d : env.details) {
    Fields f(d, out.problems);
    if (!f.count(kRequestFields)) continue;
    DmvRequestLine l;
    l.request_id = f.id(1, "request_id");
    l.plate = f.plate(2);
    l.plate_state = f.state(3, "plate_state");
    l.citation_number = f.text(4, "citation_number", kMaxCitationNumberLength, true);
    auto on = f.date(5, "violation_on", true);
    if (on) l.violation_on = *on;
    if (f.ok()) out.file.lines.push_back(std::move(l));
  }
  std::sort(out.problems.begin(), out.problems.end(),
            [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
  return out;
}

Result<ParsedDmvResponse> parse_response_file(std::string_view text) {
  CD_ASSIGN(auto env, read_envelope(text, kResponseType));
  ParsedDmvResponse out;
  out.records = env.records;
  out.problems = std::move(env.problems);
  CD_ASSIGN(auto hd, header_date_id(env.header));
  out.file = {env.header[2], env.header[3], hd.first, hd.second, {}};
  for (const auto& d : env.details) {
    Fields f(d, out.problems);
    if (!f.count(kResponseFields)) continue;
    DmvResponseLine r;
    r.line = d.line;
    r.request_id = f.id(1, "request_id");
    r.plate = f.plate(2);
    r.plate_state = f.state(3, "plate_state");
    auto status = parse_match(f.at(4));
    if (!status) {
      f.problem("status", status.error().message);
      continue;
    }
    r.status = *status;
    if (r.status == DmvMatch::kFound) read_found(f, r);
    if (f.ok()) out.file.lines.push_back(std::move(r));
  }
  std::sort(out.problems.begin(), out.problems.end(),
            [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
  return out;
}

Result<ParsedDmvHolds> parse_hold_file(std::string_view text) {
  CD_ASSIGN(auto env, read_envelope(text, kHoldType));
  ParsedDmvHolds out;
  out.records = env.records;
  out.problems = std::move(env.problems);
  CD_ASSIGN(auto hd, header_date_id(env.header));
  out.file = {env.header[2], env.header[3], hd.first, hd.second, {}};
  for (const auto& d : env.details) {
    Fields f(d, out.problems);
    if (!f.count(kHoldFields)) continue;
    DmvHoldLine l;
    if (f.at(1) != "P" && f.at(1) != "R") f.problem("action", "action is P (place) or R (release)");
    l.action = f.at(1) == "R" ? HoldAction::kRelease : HoldAction::kPlace;
    l.plate = f.plate(2);
    l.plate_state = f.state(3, "plate_state");
    l.citation_number = f.text(4, "citation_number", kMaxCitationNumberLength, true);
    auto on = f.date(5, "violation_on", true);
    if (on) l.violation_on = *on;
    auto amount = parse_money(f.at(6), "amount_due");
    if (!amount)
      f.problem("amount_due", "amount_due is an amount such as 87.00");
    else
      l.amount_due = *amount;
    if (f.ok()) out.file.lines.push_back(std::move(l));
  }
  return out;
}

std::pair<std::string, std::string> split_owner_name(std::string_view name) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return std::string(s);
  };
  auto comma = name.find(',');
  if (comma == std::string_view::npos) return {trim(name), ""};
  return {trim(name.substr(0, comma)), trim(name.substr(comma + 1))};
}

// --- the sandbox DMV -----------------------------------------------------------------------------

namespace {

std::uint64_t plate_hash(std::string_view state, std::string_view plate) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(state);
  mix(":");
  mix(plate);
  return h;
}

constexpr std::array<std::string_view, 16> kLast = {
    "GARCIA", "NGUYEN", "SMITH", "JOHNSON", "LOPEZ",  "KIM",      "PATEL", "CHEN",
    "WILSON", "MARTIN", "BROWN", "DAVIS",   "RIVERA", "ANDERSON", "LEE",   "TAYLOR"};
constexpr std::array<std::string_view, 16> kFirst = {
    "MARIA", "JAMES", "LINDA", "ROBERT", "ANA",   "DAVID",  "MEI",   "JOSE",
    "SARAH", "MINH",  "PRIYA", "THOMAS", "ELENA", "DANIEL", "GRACE", "OMAR"};
constexpr std::array<std::string_view, 12> kStreet = {
    "OAK ST",    "MAIN ST", "ELM AVE",  "HARBOR WAY", "PINE ST",     "3RD ST",
    "MAPLE AVE", "BAY RD",  "CEDAR LN", "MISSION ST", "SUNSET BLVD", "FOREST DR"};
struct Town {
  std::string_view city, zip;
};
constexpr std::array<Town, 6> kTown = {{{"RIVERTON", "95501"},
                                        {"RIVERTON", "95503"},
                                        {"EUREKA", "95501"},
                                        {"ARCATA", "95521"},
                                        {"FORTUNA", "95540"},
                                        {"MCKINLEYVILLE", "95519"}}};
constexpr std::array<std::string_view, 8> kMake = {"TOYT", "HOND", "FORD", "CHEV",
                                                   "NISS", "SUBA", "TSLA", "HYUN"};
constexpr std::array<std::string_view, 4> kFleet = {"RIVERTON FLEET LEASING", "BAYSIDE RENTALS INC",
                                                    "NORTH COAST PLUMBING", "HARBOR DELIVERY CO"};

std::string sandbox_vin(std::uint64_t h) {
  constexpr std::string_view kAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";  // no I, O, Q
  std::string vin;
  std::uint64_t x = h;
  for (int i = 0; i < 17; ++i) {
    vin += kAlphabet[x % kAlphabet.size()];
    x = x / kAlphabet.size() + (x << 7) + 0x9e3779b97f4a7c15ull;
  }
  return vin;
}

}  // namespace

DmvResponseLine sandbox_answer(const DmvRequestLine& q, std::string_view dmv_state) {
  DmvResponseLine r;
  r.request_id = q.request_id;
  r.plate = q.plate;
  r.plate_state = q.plate_state;
  const std::uint64_t h = plate_hash(q.plate_state, q.plate);
  if (q.plate_state != dmv_state) {
    r.status = DmvMatch::kOutOfState;
  } else if (q.plate.starts_with("NF") || h % 20 == 0) {
    r.status = DmvMatch::kNotFound;
  } else if (q.plate.starts_with("CF") || h % 20 == 1) {
    r.status = DmvMatch::kConfidential;
  } else {
    r.status = DmvMatch::kFound;
  }
  if (r.status != DmvMatch::kFound) return r;
  if (h % 10 == 9) {
    r.owner_type = "B";
    r.owner_name = kFleet[(h / 10) % kFleet.size()];
  } else {
    r.owner_type = "I";
    r.owner_name = std::string(kLast[(h >> 8) % kLast.size()]) + "," +
                   std::string(kFirst[(h >> 16) % kFirst.size()]);
    if ((h >> 24) % 5 == 0)
      r.co_owner_name = std::string(kLast[(h >> 8) % kLast.size()]) + "," +
                        std::string(kFirst[(h >> 28) % kFirst.size()]);
  }
  r.address_line1 = std::to_string(100 + (h >> 32) % 9800) + " " +
                    std::string(kStreet[(h >> 40) % kStreet.size()]);
  if ((h >> 44) % 4 == 0) r.address_line2 = "APT " + std::to_string(1 + (h >> 46) % 40);
  const Town& t = kTown[(h >> 50) % kTown.size()];
  r.city = t.city;
  r.state = std::string(dmv_state);
  r.zip = t.zip;
  r.make = kMake[(h >> 54) % kMake.size()];
  r.vin = sandbox_vin(h);
  // Held since a day in 2010-2019 (before any citation the demo issues), registered a year at
  // a time: the expiry is the owner-since anniversary after the violation.
  const CivilDate since = CivilDate{2010, 1, 1}.plus_days(static_cast<std::int64_t>(h % 3650));
  r.owner_since = since;
  CivilDate expiry{q.violation_on.year, since.month, since.day == 29 ? 28 : since.day};
  if (expiry <= q.violation_on) expiry.year += 1;
  r.registration_expires_on = expiry;
  return r;
}

Result<std::string> sandbox_respond(std::string_view request_text, CivilDate response_date) {
  CD_ASSIGN(auto parsed, parse_request_file(request_text));
  DmvResponseFile out;
  out.requester = parsed.file.requester;
  out.dmv_state = parsed.file.dmv_state;
  out.response_date = response_date;
  out.request_file_id = parsed.file.file_id;
  for (const auto& q : parsed.file.lines)
    out.lines.push_back(sandbox_answer(q, parsed.file.dmv_state));
  return write_response_file(out);
}

}  // namespace civicdesk::citations
