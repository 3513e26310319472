#include "citations/citations_cli.h"

#include <fstream>
#include <iostream>

#include "app/cli_support.h"

#include "citations/citation_book.h"
#include "citations/dmv_book.h"

namespace civicdesk::citations {

int cmd_citations_import(App& app, const std::string& file, const std::string& format) {
  auto fmt = parse_issuance_format(format);
  if (!fmt) return report_cli_error(fmt.error());
  auto content = read_input_file(file, kMaxIssuanceFileBytes, "an issuance file");
  if (!content) return report_cli_error(content.error());
  auto r = app.citations().import_issuance(Actor::system("cli"), *content, *fmt);
  if (!r) return report_cli_error(r.error());
  std::cout << "citations import " << r->id << ": " << r->rows << " rows, " << r->accepted
            << " accepted (" << r->created << " new, " << r->skipped << " already stored), "
            << r->refused.size() << " refused\n";
  if (r->already_imported) std::cout << "already imported; nothing posted\n";
  std::cout << "fines charged: " << format_money(r->created_total) << "\n";
  for (const auto& p : r->refused)
    std::cout << "line " << p.line << ": " << p.field << ": " << p.message << "\n";
  for (const auto& p : r->warnings)
    std::cout << "warning: line " << p.line << ": " << p.field << ": " << p.message << "\n";
  return r->refused.empty() ? 0 : 3;
}

int cmd_citations_escalate(App& app, const std::string& date) {
  auto d = parse_date(date, "date");
  if (!d) return report_cli_error(d.error());
  // Plans first: a plan that broke today lets its citations escalate tonight.
  auto plans = app.citation_plans().check_plans(Actor::system("cli"), *d);
  if (!plans) return report_cli_error(plans.error());
  if (plans->kept || plans->defaulted)
    std::cout << "payment plans " << d->iso() << ": " << plans->kept << " kept, "
              << plans->defaulted << " defaulted (" << format_money(plans->reinstated)
              << " late fees reinstated)\n";
  auto r = app.citations().escalate(Actor::system("cli"), *d);
  if (!r) return report_cli_error(r.error());
  std::cout << "citations escalate " << r->as_of.iso() << ": " << r->steps_posted
            << " steps posted (" << r->penalties_posted << " penalties, "
            << format_money(r->penalty_total) << "), " << r->citations_examined
            << " citations examined";
  if (r->marked_paid) std::cout << ", " << r->marked_paid << " marked paid";
  std::cout << "\n";
  return 0;
}

int cmd_citations_notices(App& app, const std::string& date, const std::string& out) {
  auto d = parse_date(date, "date");
  if (!d) return report_cli_error(d.error());
  auto b = app.citation_notices().print_batch(Actor::system("cli"), *d, app.ledger().today());
  if (!b) return report_cli_error(b.error());
  std::cout << "notices " << b->batch_on << ": batch " << b->id << ", " << b->notice_count
            << " notices (" << format_money(b->total_due) << "), " << b->held_count
            << " held for an unknown owner" << (b->already_printed ? " (printed before)" : "")
            << "\n";
  if (b->notice_count == 0) return 0;
  auto pdf = app.citation_notices().batch_pdf(b->id);
  if (!pdf) return report_cli_error(pdf.error());
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << *pdf;
  file.close();
  if (!file) return report_cli_error(Error{ErrorCode::kStorage, "could not write " + out, "out"});
  std::cout << "wrote " << out << "\n";
  return 0;
}

// --- the DMV exchange (dmv_book.h) ------------------------------------------------------------

namespace {

// The file to `out`, or to stdout when no --out is given (the summary then goes to stderr).
int emit_file(const std::string& content, const std::string& out, const std::string& summary) {
  if (out.empty()) {
    std::cerr << summary;
    std::cout << content;
    return 0;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) return report_cli_error(Error{ErrorCode::kStorage, "could not write " + out, "out"});
  std::cout << summary << "wrote " << out << "\n";
  return 0;
}

DmvExchange dmv_exchange(App& app) {
  return DmvExchange(app.db(), app.ledger(), app.parties(), app.city(), app.clock());
}

}  // namespace

int cmd_citations_dmv_requests(App& app, const std::string& date, const std::string& out) {
  auto d = parse_date(date, "date");
  if (!d) return report_cli_error(d.error());
  auto f = dmv_exchange(app).write_owner_requests(Actor::system("cli"), *d);
  if (!f) return report_cli_error(f.error());
  return emit_file(f->content, out,
                   "dmv requests " + d->iso() + ": file " + std::to_string(f->summary.id) + ", " +
                       std::to_string(f->summary.records) + " plates" +
                       (f->already_written ? " (written before)" : "") + "\n");
}

int cmd_citations_dmv_responses(App& app, const std::string& file) {
  auto content = read_input_file(file, kMaxDmvFileBytes, "a DMV response file");
  if (!content) return report_cli_error(content.error());
  auto r = dmv_exchange(app).read_owner_responses(Actor::system("cli"), *content);
  if (!r) return report_cli_error(r.error());
  const auto& s = r->summary;
  std::cout << "dmv responses " << s.id << ": " << s.records << " records, " << s.found
            << " found (" << s.matched << " matched, " << s.created << " created), "
            << s.not_found << " not found, " << s.confidential << " confidential, "
            << s.out_of_state << " out of state; " << s.citations << " citations named, "
            << r->obligations_moved << " obligations moved\n";
  if (r->already_read) std::cout << "already read; nothing changed\n";
  for (const auto& p : r->problems)
    std::cout << "line " << p.line << ": " << p.field << ": " << p.message << "\n";
  return r->problems.empty() ? 0 : 3;
}

int cmd_citations_dmv_holds(App& app, const std::string& date, const std::string& out) {
  auto d = parse_date(date, "date");
  if (!d) return report_cli_error(d.error());
  auto f = dmv_exchange(app).write_hold_file(Actor::system("cli"), *d);
  if (!f) return report_cli_error(f.error());
  return emit_file(f->content, out,
                   "dmv holds " + d->iso() + ": file " + std::to_string(f->summary.id) + ", " +
                       std::to_string(f->summary.placed) + " to place, " +
                       std::to_string(f->summary.released) + " to release" +
                       (f->already_written ? " (written before)" : "") + "\n");
}

int cmd_citations_dmv_sandbox(const std::string& request_file, const std::string& date) {
  auto content = read_input_file(request_file, kMaxDmvFileBytes, "a DMV request file");
  if (!content) return report_cli_error(content.error());
  auto request = parse_request_file(*content);
  if (!request) return report_cli_error(request.error());
  CivilDate on = request->file.file_date;
  if (!date.empty()) {
    auto d = parse_date(date, "date");
    if (!d) return report_cli_error(d.error());
    on = *d;
  }
  auto response = sandbox_respond(*content, on);
  if (!response) return report_cli_error(response.error());
  std::cout << *response;
  return 0;
}

}  // namespace civicdesk::citations
