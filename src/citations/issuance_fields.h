// Internal to the issuance parsers (issuance_import.cc, issuance_adapters.cc): the header map,
// the CSV loop shared by every layout, and field conversions. Not part of the citations
// contract.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "citations/issuance_import.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk::citations::detail {

std::string_view trim(std::string_view text);
std::string upper(std::string_view text);

// Column positions by name, from a header record.
class ColumnMap {
 public:
  // kInvalidInput (field "header") for a missing required column, a repeated column, or, with
  // `refuse_unknown`, a column in neither `required` nor `allowed`. Empty header names are
  // ignored (the SF file's unnamed index column).
  [[nodiscard]] Result<void> init(const std::vector<std::string>& header,
                                  const std::vector<std::string_view>& required,
                                  const std::vector<std::string_view>& allowed,
                                  bool refuse_unknown);
  // The trimmed value of `column` in `fields`, empty when the column is absent.
  std::string_view get(const std::vector<std::string>& fields, std::string_view column) const;
  std::size_t width() const { return width_; }

 private:
  std::vector<std::pair<std::string, std::size_t>> index_;
  std::size_t width_ = 0;
};

// "YYYY-MM-DD", optionally followed by 'T' or ' ' and "HH:MM" or "HH:MM:SS" (seconds dropped).
// kInvalidInput naming `field`.
[[nodiscard]] Result<std::pair<CivilDate, std::optional<int>>> parse_local_date_time(
    std::string_view text, std::string_view field);

// An amount written on a citation: empty → nullopt; else non-negative money.
[[nodiscard]] Result<std::optional<Money>> parse_fine(std::string_view text,
                                                      std::string_view field);

// Reads a whole file in one layout: checks the size, maps the header, then calls `map` for each
// record with the right number of fields (which fills the record or returns a field error).
using RecordMapper =
    std::function<Result<void>(const std::vector<std::string>&, const ColumnMap&, IssuanceRecord*)>;
[[nodiscard]] Result<ParsedIssuance> parse_layout(std::string_view text,
                                                  const std::vector<std::string_view>& required,
                                                  const std::vector<std::string_view>& allowed,
                                                  bool refuse_unknown, const RecordMapper& map);

}  // namespace civicdesk::citations::detail
