#include "billing/billing_cli.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "app/cli_support.h"
#include "billing/bill_run.h"
#include "billing/notice_book.h"

namespace civicdesk::billing {

int cmd_billing_route_export(App& app, const std::string& route, const std::string& out) {
  auto csv = app.billing().export_route(route);
  if (!csv) return report_cli_error(csv.error());
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << *csv;
  file.close();
  if (!file) return report_cli_error(Error::invalid("out", "could not write " + out));
  const auto lines = std::count(csv->begin(), csv->end(), '\n');
  std::cout << "billing route-export " << route << ": " << (lines - 1) << " meters written to "
            << out << "\n";
  return 0;
}

int cmd_billing_reads_import(App& app, const std::string& file) {
  auto content = read_input_file(file, kMaxReadFileBytes, "a meter-read file");
  if (!content) return report_cli_error(content.error());
  auto r = app.billing().import_reads(Actor::system("cli"), *content);
  if (!r) return report_cli_error(r.error());
  std::cout << "billing reads-import: " << r->rows << " rows, " << r->accepted << " accepted, "
            << r->exceptions << " exceptions, " << r->skipped << " already stored, " << r->unread
            << " not read, " << r->refused.size() << " refused\n";
  for (const auto& p : r->refused)
    std::cout << "line " << p.line << ": " << p.field << ": " << p.message << "\n";
  return r->refused.empty() ? 0 : 3;
}

namespace {

billing::BillRun bill_runs(App& app) {
  return billing::BillRun(app.db(), app.city(), app.clock(), app.time_zone(), app.ledger());
}

// "[#########...........] 4500/10000  billed 4400  exceptions 90  skipped 10" on one line.
void draw_progress(const BillRunView& v) {
  constexpr int kWidth = 30;
  const std::int64_t total = std::max<std::int64_t>(v.accounts, 1);
  const int filled = static_cast<int>(std::min<std::int64_t>(v.done() * kWidth / total, kWidth));
  std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
            << v.done() << "/" << v.accounts << "  billed " << v.billed << "  exceptions "
            << v.exceptions << "  skipped " << v.skipped << std::flush;
}

}  // namespace

int cmd_billing_run(App& app, const std::string& cycle, const std::string& period_end) {
  auto runs = bill_runs(app);
  auto v = runs.start_run(Actor::system("cli"), cycle, period_end, draw_progress);
  if (!v) {
    std::cerr << "\n";
    return report_cli_error(v.error());
  }
  draw_progress(*v);
  std::cerr << "\n";
  std::cout << "billing run " << v->id << " " << v->cycle_code << " through " << v->period_end.iso()
            << ": " << v->accounts << " accounts, " << v->billed << " billed, " << v->exceptions
            << " exceptions, " << v->skipped << " already billed, total " << format_plain(v->total)
            << "\n";
  for (const auto& e : v->exception_list)
    std::cout << "exception " << e.account_number << " " << e.reason_code << ": " << e.reason
              << "\n";
  return v->exceptions == 0 ? 0 : 3;
}

int cmd_billing_penalties(App& app, const std::string& date) {
  auto runs = bill_runs(app);
  auto r = runs.assess_penalties(Actor::system("cli"), date);
  if (!r) return report_cli_error(r.error());
  std::cout << "billing penalties " << r->as_of.iso() << ": " << r->assessed << " assessed, total "
            << format_plain(r->total) << ", " << r->skipped_dispute << " in dispute, "
            << r->skipped_arrangement << " under a payment arrangement\n";
  return 0;
}

int cmd_billing_notices(App& app, const std::string& date, const std::string& out) {
  NoticeBook book(app.db(), app.city(), app.clock(), app.time_zone());
  auto v = book.run(Actor::system("cli"), date, [](const NoticeBatchView& p) {
    std::cerr << "\r" << p.accounts << " accounts, " << p.late << " late, " << p.shutoff
              << " shut-off" << std::flush;
  });
  std::cerr << "\n";
  if (!v) return report_cli_error(v.error());
  std::cout << "billing notices " << v->mailed_on.iso() << " (batch " << v->id
            << (v->already_run ? ", run before" : "") << "): " << v->accounts << " accounts, "
            << v->late << " late notices, " << v->shutoff
            << " shut-off notices, skipped: " << v->held_no_shutoff << " no_shutoff, "
            << v->held_in_dispute << " in_dispute, " << v->held_payment_arrangement
            << " payment_arrangement, " << v->held_below_minimum << " below_minimum, "
            << v->held_account_closed << " account_closed; " << v->brought_current
            << " brought current";
  if (v->notices() == 0) {
    std::cout << "; no notices, no file written\n";
    return 0;
  }
  auto pdf = book.batch_pdf(v->id);
  if (!pdf) return report_cli_error(pdf.error());
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << *pdf;
  file.close();
  if (!file) return report_cli_error(Error::invalid("out", "could not write " + out));
  std::cout << "; written to " << out << "\n";
  return 0;
}

}  // namespace civicdesk::billing
