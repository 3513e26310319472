#include "citations/issuance_import.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "citations/issuance_fields.h"
#include "citations/scofflaw.h"
#include "core/csv.h"

namespace civicdesk::citations {
namespace detail {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

Result<void> ColumnMap::init(const std::vector<std::string>& header,
                             const std::vector<std::string_view>& required,
                             const std::vector<std::string_view>& allowed, bool refuse_unknown) {
  width_ = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name(trim(header[i]));
    if (name.empty()) continue;
    const bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                       std::find(allowed.begin(), allowed.end(), name) != allowed.end();
    if (!known && refuse_unknown)
      return fail(ErrorCode::kInvalidInput, "line 1: unknown column \"" + name + "\"", "header");
    for (const auto& [seen, at] : index_)
      if (seen == name)
        return fail(ErrorCode::kInvalidInput, "line 1: column \"" + name + "\" appears twice",
                    "header");
    index_.emplace_back(name, i);
  }
  for (std::string_view name : required) {
    if (std::none_of(index_.begin(), index_.end(), [&](const auto& e) { return e.first == name; }))
      return fail(ErrorCode::kInvalidInput,
                  "line 1: the header has no column \"" + std::string(name) + "\"", "header");
  }
  return {};
}

std::string_view ColumnMap::get(const std::vector<std::string>& fields,
                                std::string_view column) const {
  for (const auto& [name, at] : index_)
    if (name == column) return at < fields.size() ? trim(fields[at]) : std::string_view{};
  return {};
}

namespace {

bool two_digits(std::string_view text, std::size_t at, int* value) {
  if (at + 2 > text.size()) return false;
  const auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + 2, *value);
  return ec == std::errc() && end == text.data() + at + 2;
}

}  // namespace

Result<std::pair<CivilDate, std::optional<int>>> parse_local_date_time(std::string_view text,
                                                                       std::string_view field) {
  auto bad = [&] {
    return fail(ErrorCode::kInvalidInput,
                "\"" + std::string(text) + "\" is not a date and time (YYYY-MM-DDTHH:MM)",
                std::string(field));
  };
  if (text.size() < 10) return bad();
  auto date = parse_date(text.substr(0, 10), field);
  if (!date) return fail(date.error());
  if (text.size() == 10) return std::pair{*date, std::optional<int>{}};
  int hour = 0, minute = 0, second = 0;
  if ((text[10] != 'T' && text[10] != ' ') || !two_digits(text, 11, &hour) || text.size() < 16 ||
      text[13] != ':' || !two_digits(text, 14, &minute))
    return bad();
  if (text.size() != 16 && (text.size() != 19 || text[16] != ':' || !two_digits(text, 17, &second)))
    return bad();
  if (hour > 23 || minute > 59 || second > 59) return bad();
  return std::pair{*date, std::optional<int>{hour * 60 + minute}};
}

Result<std::optional<Money>> parse_fine(std::string_view text, std::string_view field) {
  if (text.empty()) return std::optional<Money>{};
  CD_ASSIGN(const Money fine, parse_money(text, field));
  if (fine.is_negative())
    return fail(ErrorCode::kInvalidInput, "a fine cannot be negative", std::string(field));
  return std::optional<Money>{fine};
}

Result<ParsedIssuance> parse_layout(std::string_view text,
                                    const std::vector<std::string_view>& required,
                                    const std::vector<std::string_view>& allowed,
                                    bool refuse_unknown, const RecordMapper& map) {
  if (text.size() > kMaxIssuanceFileBytes)
    return fail(ErrorCode::kTooLarge,
                "the file is larger than " + std::to_string(kMaxIssuanceFileBytes) + " bytes",
                "file");
  CsvReader reader(text);
  std::vector<std::string> fields;
  const auto first = reader.next(&fields);
  if (first == CsvReader::Status::kEnd)
    return fail(ErrorCode::kInvalidInput, "the file is empty (it needs a header line)", "file");
  if (first == CsvReader::Status::kError)
    return fail(ErrorCode::kInvalidInput, "line 1: " + reader.error(), "header");
  ColumnMap columns;
  CD_TRY(columns.init(fields, required, allowed, refuse_unknown));
  ParsedIssuance parsed;
  for (auto status = reader.next(&fields); status != CsvReader::Status::kEnd;
       status = reader.next(&fields)) {
    if (++parsed.rows > kMaxIssuanceRecords)
      return fail(ErrorCode::kTooLarge,
                  "the file has more than " + std::to_string(kMaxIssuanceRecords) + " records",
                  "file");
    if (status == CsvReader::Status::kError) {
      if (reader.fatal())
        return fail(ErrorCode::kInvalidInput,
                    "line " + std::to_string(reader.line()) + ": " + reader.error(), "file");
      parsed.errors.push_back({reader.line(), "record", reader.error(), ""});
      continue;
    }
    if (fields.size() != columns.width()) {
      parsed.errors.push_back({reader.line(), "record",
                               "expected " + std::to_string(columns.width()) + " fields, found " +
                                   std::to_string(fields.size()),
                               ""});
      continue;
    }
    IssuanceRecord record;
    record.line = reader.line();
    if (auto mapped = map(fields, columns, &record); !mapped) {
      parsed.errors.push_back(
          {reader.line(), mapped.error().field, mapped.error().message, record.citation_number});
      continue;
    }
    parsed.records.push_back(std::move(record));
  }
  return parsed;
}

}  // namespace detail

namespace {

using detail::trim;
using detail::upper;

const std::vector<std::string_view> kRequiredColumns = {
    "citation_number", "issued_at",   "location",  "violation_code",
    "plate",           "plate_state", "officer_id"};
const std::vector<std::string_view> kOptionalColumns = {"fine", "make",      "color",
                                                        "vin",  "device_id", "notes"};

Result<void> map_own_layout(const std::vector<std::string>& fields,
                            const detail::ColumnMap& columns, IssuanceRecord* r) {
  r->citation_number = upper(columns.get(fields, "citation_number"));
  CD_ASSIGN(const auto when,
            detail::parse_local_date_time(columns.get(fields, "issued_at"), "issued_at"));
  if (!when.second)
    return fail(ErrorCode::kInvalidInput, "the time of issue is missing (YYYY-MM-DDTHH:MM)",
                "issued_at");
  r->issued_on = when.first;
  r->issued_minute = when.second;
  r->location = columns.get(fields, "location");
  r->violation_code = upper(columns.get(fields, "violation_code"));
  CD_ASSIGN(r->fine, detail::parse_fine(columns.get(fields, "fine"), "fine"));
  r->plate = normalize_plate(columns.get(fields, "plate"));
  r->plate_state = upper(columns.get(fields, "plate_state"));
  r->make = upper(columns.get(fields, "make"));
  r->color = upper(columns.get(fields, "color"));
  r->vin = upper(columns.get(fields, "vin"));
  r->officer_id = columns.get(fields, "officer_id");
  r->device_id = columns.get(fields, "device_id");
  r->notes = columns.get(fields, "notes");
  return {};
}

bool all_alnum(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

std::unexpected<Error> refuse(std::string field, std::string message) {
  return fail(ErrorCode::kInvalidInput, std::move(message), std::move(field));
}

Result<void> check_number(const IssuanceRecord& r, const CitationRules& rules) {
  if (r.citation_number.empty()) return refuse("citation_number", "the citation number is missing");
  CD_TRY(check_length(r.citation_number, kMaxCitationNumberLength, "citation_number"));
  if (!all_alnum(r.citation_number))
    return refuse("citation_number", "a citation number is letters and digits only");
  if (!check_digit_ok(rules.check_digit, r.citation_number))
    return refuse("citation_number", "citation number " + r.citation_number +
                                         " fails its check digit (" +
                                         std::string(to_string(rules.check_digit)) + ")");
  return {};
}

Result<void> check_vehicle(const IssuanceRecord& r) {
  CD_TRY(check_length(r.plate, kMaxPlateLength, "plate"));
  if (!all_alnum(r.plate)) return refuse("plate", "a plate is letters and digits only");
  if (!r.plate_state.empty() && (r.plate_state.size() != 2 || !all_alnum(r.plate_state) ||
                                 r.plate_state[0] < 'A' || r.plate_state[1] < 'A'))
    return refuse("plate_state", "a plate state is two letters (\"CA\")");
  CD_TRY(check_length(r.make, kMaxVehicleTextLength, "make"));
  CD_TRY(check_length(r.color, kMaxVehicleTextLength, "color"));
  CD_TRY(check_length(r.vin, kMaxVinLength, "vin"));
  if (!all_alnum(r.vin)) return refuse("vin", "a VIN is letters and digits only");
  return {};
}

// The rules other than the number; the scheduled fine when the record passes.
Result<Money> check_record(const IssuanceRecord& r, const CitationRules& rules,
                           const IssuanceChecks& checks) {
  if (checks.today < r.issued_on)
    return refuse("issued_at",
                  "issued on " + r.issued_on.iso() + ", after today (" + checks.today.iso() + ")");
  if (checks.require_location && r.location.empty())
    return refuse("location", "the location is missing (VC 40202)");
  CD_TRY(check_length(r.location, kMaxLocationLength, "location"));
  if (r.violation_code.empty()) return refuse("violation_code", "the violation code is missing");
  CD_TRY(check_length(r.violation_code, kMaxViolationCodeLength, "violation_code"));
  CD_ASSIGN(const Money fine, scheduled_fine(rules, r.violation_code, r.issued_on));
  CD_TRY(check_vehicle(r));
  if (checks.require_officer && r.officer_id.empty())
    return refuse("officer_id", "the officer is missing (VC 40202)");
  CD_TRY(check_length(r.officer_id, kMaxOfficerIdLength, "officer_id"));
  CD_TRY(check_length(r.device_id, kMaxOfficerIdLength, "device_id"));
  CD_TRY(check_length(r.notes, kMaxIssuanceNotesLength, "notes"));
  return fine;
}

void add_warnings(const IssuanceRecord& r, Money fine, std::vector<LineProblem>* warnings) {
  if (r.fine && *r.fine != fine)
    warnings->push_back({r.line, "fine",
                         "the citation says " + format_money(*r.fine) + "; the schedule for " +
                             r.violation_code + " on " + r.issued_on.iso() + " is " +
                             format_money(fine) + ", which is charged",
                         r.citation_number});
  if (r.plate.empty() && r.vin.empty())
    warnings->push_back({r.line, "plate",
                         "no plate and no VIN: the registered owner cannot be looked up",
                         r.citation_number});
  else if (!r.plate.empty() && r.plate_state.empty())
    warnings->push_back({r.line, "plate_state",
                         "no plate state: the registered owner cannot be looked up",
                         r.citation_number});
}

bool by_line(const LineProblem& a, const LineProblem& b) {
  return a.line < b.line;
}

}  // namespace

Result<ParsedIssuance> parse_issuance_csv(std::string_view text) {
  return detail::parse_layout(text, kRequiredColumns, kOptionalColumns, true, map_own_layout);
}

Result<ParsedIssuance> read_issuance_csv(std::istream& in) {
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxIssuanceFileBytes)
      return fail(ErrorCode::kTooLarge,
                  "the file is larger than " + std::to_string(kMaxIssuanceFileBytes) + " bytes",
                  "file");
  }
  if (in.bad()) return fail(ErrorCode::kUnavailable, "could not read the file", "file");
  return parse_issuance_csv(text);
}

IssuanceReport check_issuance(ParsedIssuance parsed, const CitationRules& rules,
                              const IssuanceChecks& checks) {
  IssuanceReport report;
  report.rows = parsed.rows;
  report.refused = std::move(parsed.errors);
  std::unordered_map<std::string, int> first_line;  // citation number → its first line
  first_line.reserve(parsed.records.size());
  for (IssuanceRecord& r : parsed.records) {
    auto refused = [&](const Error& e) {
      report.refused.push_back({r.line, e.field, e.message, r.citation_number});
    };
    if (auto ok = check_number(r, rules); !ok) {
      refused(ok.error());
      continue;
    }
    if (auto [it, inserted] = first_line.try_emplace(r.citation_number, r.line); !inserted) {
      refused(Error::invalid(
          "citation_number",
          "citation " + r.citation_number + " is also on line " + std::to_string(it->second)));
      continue;
    }
    auto fine = check_record(r, rules, checks);
    if (!fine) {
      refused(fine.error());
      continue;
    }
    add_warnings(r, *fine, &report.warnings);
    report.accepted.push_back({std::move(r), *fine});
  }
  std::stable_sort(report.refused.begin(), report.refused.end(), by_line);
  return report;
}

Reimport compare_with_existing(const IssuanceRecord& incoming, const IssuanceRecord* existing) {
  if (existing == nullptr) return Reimport::kNew;
  IssuanceRecord a = incoming;
  IssuanceRecord b = *existing;
  a.line = b.line = 0;
  return a == b ? Reimport::kSame : Reimport::kConflict;
}

}  // namespace civicdesk::citations
