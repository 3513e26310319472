#include "billing/handheld_file.h"

#include <charconv>
#include <map>

#include "core/csv.h"

namespace civicdesk::billing {
namespace {

constexpr std::string_view kExportColumns[] = {
    "route",         "sequence",         "account_number", "service_address",
    "meter_serial",  "meter_size",       "dials",          "unit",
    "previous_read", "previous_read_on", "low_read",       "high_read",
    "read_value",    "read_on",          "read_by",        "note"};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string opt_number(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string();
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return s.substr(i);
}

// One data row into `out`; false with a problem added when a field is bad.
bool parse_row(const std::vector<std::string>& fields,
               const std::map<std::string, std::size_t>& col, int line, ReadResultLine* out,
               std::vector<LineProblem>* problems) {
  auto get = [&](const char* name) -> std::string {
    auto it = col.find(name);
    return it == col.end() || it->second >= fields.size() ? std::string()
                                                          : trim(fields[it->second]);
  };
  auto problem = [&](std::string field, std::string message) {
    problems->push_back({line, std::move(field), std::move(message)});
    return false;
  };
  out->line = line;
  out->meter_serial = get("meter_serial");
  if (out->meter_serial.empty()) return problem("meter_serial", "is required");
  const auto value = parse_int(get("read_value"));
  if (!value || *value < 0) return problem("read_value", "must be a whole number of 0 or more");
  out->read_value = *value;
  auto date = parse_date(get("read_on"), "read_on");
  if (!date) return problem("read_on", "must be a date YYYY-MM-DD");
  out->read_on = *date;
  if (const std::string acct = get("account_number"); !acct.empty()) {
    const auto n = parse_int(acct);
    if (!n || *n <= 0) return problem("account_number", "must be a number");
    out->account_number = *n;
  }
  out->reader = get("read_by");
  out->note = get("note");
  if (out->note.size() > kMaxReadNoteLength || out->reader.size() > kMaxReadNoteLength)
    return problem(out->note.size() > kMaxReadNoteLength ? "note" : "read_by",
                   "is longer than " + std::to_string(kMaxReadNoteLength));
  return true;
}

}  // namespace

std::string format_route_export(const std::vector<RouteExportRow>& rows) {
  std::string out;
  for (std::size_t i = 0; i < std::size(kExportColumns); ++i)
    out += (i ? "," : "") + std::string(kExportColumns[i]);
  out += "\n";
  for (const RouteExportRow& r : rows) {
    out += csv_field(r.route) + "," + std::to_string(r.sequence) + "," +
           std::to_string(r.account_number) + "," + csv_field(r.service_address) + "," +
           csv_field(r.meter_serial) + "," + csv_field(r.meter_size) + "," +
           std::to_string(r.dials) + "," + r.unit + "," + std::to_string(r.previous_read) + "," +
           r.previous_read_on.iso() + "," + opt_number(r.low_read) + "," + opt_number(r.high_read) +
           ",,,,\n";
  }
  return out;
}

Result<ParsedReadFile> parse_read_results(std::string_view content) {
  CsvReader reader(content);
  std::vector<std::string> fields;
  if (reader.next(&fields) != CsvReader::Status::kRecord)
    return fail(Error::invalid("file", "the file has no header line"));
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < fields.size(); ++i) col[trim(fields[i])] = i;
  for (const char* required : {"meter_serial", "read_value", "read_on"})
    if (!col.contains(required))
      return fail(Error::invalid("file", std::string("the header has no ") + required +
                                             " column (docs/formats/meter-reads.md)"));
  ParsedReadFile out;
  for (;;) {
    const auto status = reader.next(&fields);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kError) {
      out.problems.push_back({reader.line(), "line", reader.error()});
      if (reader.fatal()) break;
      continue;
    }
    if (++out.rows > static_cast<std::int64_t>(kMaxReadFileLines))
      return fail(Error::invalid("file", "more than " + std::to_string(kMaxReadFileLines) +
                                             " rows; split the file by route"));
    const auto it = col.find("read_value");
    if (it->second >= fields.size() || trim(fields[it->second]).empty()) {
      ++out.unread;
      continue;
    }
    ReadResultLine line;
    if (parse_row(fields, col, reader.line(), &line, &out.problems))
      out.reads.push_back(std::move(line));
  }
  return out;
}

}  // namespace civicdesk::billing
