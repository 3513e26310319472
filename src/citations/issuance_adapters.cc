// Adapters for two public citation data sets, read as published (see issuance_import.h and the
// READMEs beside the files in ../shared/testdata). Each maps its columns onto IssuanceRecord and
// leaves the City's rules to check_issuance. Columns these files have that civicdesk does not
// keep are ignored (SF: the unnamed index, Violation_Description, Date_Added, geom, Zip_Code;
// NYC: Violation Description); unknown extra columns are ignored too, since the publishers add
// columns over time.
#include <charconv>

#include "citations/issuance_fields.h"
#include "citations/issuance_import.h"
#include "citations/scofflaw.h"

namespace civicdesk::citations {
namespace {

using detail::trim;
using detail::upper;

// SFMTA: Citation_Issued_DateTime is ISO 8601 local time without a zone ("2022-08-26T17:56:00");
// Fine_Amount is a decimal with one place ("99.0"). Numbers may carry a series prefix or suffix
// ("PD36917473", "10055264T"); plates and states are empty on some citations.
Result<void> map_sf(const std::vector<std::string>& f, const detail::ColumnMap& c,
                    IssuanceRecord* r) {
  r->citation_number = upper(c.get(f, "Citation_Number"));
  CD_ASSIGN(const auto when,
            detail::parse_local_date_time(c.get(f, "Citation_Issued_DateTime"), "issued_at"));
  r->issued_on = when.first;
  r->issued_minute = when.second;
  r->violation_code = upper(c.get(f, "Violation"));
  r->location = c.get(f, "Citation_Location");
  r->plate = normalize_plate(c.get(f, "Vehicle_Plate"));
  r->plate_state = upper(c.get(f, "Vehicle_Plate_State"));
  CD_ASSIGN(r->fine, detail::parse_fine(c.get(f, "Fine_Amount"), "fine"));
  return {};
}

// "10/5/2016": month and day not zero-padded.
Result<CivilDate> parse_us_date(std::string_view text, std::string_view field) {
  int parts[3] = {0, 0, 0};
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) {
    const std::size_t end = i < 2 ? text.find('/', at) : text.size();
    if (end == std::string_view::npos || end == at) break;
    const auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + end, parts[i]);
    if (ec != std::errc() || ptr != text.data() + end) break;
    at = end + 1;
    if (i == 2 && is_valid_date(parts[2], parts[0], parts[1]))
      return CivilDate{parts[2], parts[0], parts[1]};
  }
  return fail(ErrorCode::kInvalidInput, "\"" + std::string(text) + "\" is not a date (M/D/YYYY)",
              std::string(field));
}

// NYC DOF: no time, location, fine or officer in the extract. "BLANKPLATE" is NYC's word for a
// vehicle without a plate and state "99" for an unknown state: both become empty. Plate type
// and body type have no civicdesk column and go into the notes.
Result<void> map_nyc(const std::vector<std::string>& f, const detail::ColumnMap& c,
                     IssuanceRecord* r) {
  r->citation_number = upper(c.get(f, "Summons Number"));
  CD_ASSIGN(r->issued_on, parse_us_date(c.get(f, "Issue Date"), "issued_at"));
  r->violation_code = upper(c.get(f, "Violation Code"));
  const std::string plate = normalize_plate(c.get(f, "Plate ID"));
  r->plate = plate == "BLANKPLATE" ? "" : plate;
  const std::string state = upper(c.get(f, "Registration State"));
  r->plate_state = state == "99" ? "" : state;
  r->make = upper(c.get(f, "Vehicle Make"));
  const std::string_view plate_type = c.get(f, "Plate Type");
  const std::string_view body = c.get(f, "Vehicle Body Type");
  if (!plate_type.empty()) r->notes = "plate type " + std::string(plate_type);
  if (!body.empty()) r->notes += (r->notes.empty() ? "" : "; ") + ("body " + std::string(body));
  return {};
}

}  // namespace

Result<ParsedIssuance> parse_sf_citations(std::string_view text) {
  return detail::parse_layout(
      text,
      {"Citation_Number", "Citation_Issued_DateTime", "Violation", "Citation_Location",
       "Vehicle_Plate_State", "Vehicle_Plate", "Fine_Amount"},
      {}, false, map_sf);
}

Result<ParsedIssuance> parse_nyc_tickets(std::string_view text) {
  return detail::parse_layout(
      text, {"Summons Number", "Plate ID", "Registration State", "Issue Date", "Violation Code"},
      {}, false, map_nyc);
}

}  // namespace civicdesk::citations
