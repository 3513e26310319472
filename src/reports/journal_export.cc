#include "reports/journal_export.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "core/money.h"

namespace civicdesk::reports {
namespace {

constexpr std::string_view kHeader =
    "posting_date,entry_id,entry_kind,account,fund,debit,credit,memo\r\n";

void append_row(std::string& csv, const store::Row& r) {
  csv += csv_field(r.text(0));
  csv += ',' + std::to_string(r.integer(1));
  csv += ',' + csv_field(r.text(2));
  csv += ',' + csv_field(r.text(3));
  csv += ',' + csv_field(r.text(4));
  csv += ',' + format_plain(Money::from_cents(r.integer(5)));
  csv += ',' + format_plain(Money::from_cents(r.integer(6)));
  csv += ',' + csv_field(r.text(7));
  csv += "\r\n";
}

int report_error(const Error& e, std::ostream& err) {
  err << "civicdesk: " << e.message;
  if (!e.field.empty()) err << " [" << e.field << "]";
  err << "\n";
  return e.code == ErrorCode::kInvalidInput ? 2 : 1;
}

Result<void> write_file(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    f.flush();
    if (!f) return fail(ErrorCode::kUnavailable, "could not write " + tmp, "--out");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return fail(ErrorCode::kUnavailable, "could not rename " + tmp + ": " + ec.message(), "--out");
  return {};
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

Result<std::string> journal_csv(store::Database& db, CivilDate date) {
  return db.read<std::string>([&](store::Connection& c) -> Result<std::string> {
    // journal_entries_date finds the day's entries; journal_lines_entry their lines.
    CD_ASSIGN(auto rows,
              c.query("SELECT e.posting_date, e.id, e.kind, l.account, l.fund, l.debit_cents, "
                      "l.credit_cents, e.memo FROM journal_entries e "
                      "JOIN journal_lines l ON l.entry_id = e.id WHERE e.posting_date = ? "
                      "ORDER BY e.id, l.id LIMIT ?",
                      {date.iso(), kMaxJournalExportLines + 1}));
    if (rows.size() > static_cast<std::size_t>(kMaxJournalExportLines))
      return fail(ErrorCode::kTooLarge, "the journal for " + date.iso() + " has more than " +
                                            std::to_string(kMaxJournalExportLines) + " lines");
    std::string csv(kHeader);
    csv.reserve(kHeader.size() + rows.size() * 100);
    for (const auto& r : rows) append_row(csv, r);
    return csv;
  });
}

int cmd_ledger_export(const std::string& db_url, const std::string& date,
                      const std::string& out_path, std::ostream& out, std::ostream& err) {
  auto day = parse_date(date, "--date");
  if (!day) return report_error(day.error(), err);
  auto db = store::open_database(db_url);
  if (!db) return report_error(db.error(), err);
  auto csv = journal_csv(**db, *day);
  if (!csv) return report_error(csv.error(), err);
  if (out_path.empty() || out_path == "-") {
    out << *csv << std::flush;
    return out ? 0 : 1;
  }
  if (auto ok = write_file(out_path, *csv); !ok) return report_error(ok.error(), err);
  return 0;
}

}  // namespace civicdesk::reports
