#include "citations/citations_cli.h"

#include <iostream>

#include "app/cli_support.h"

#include "citations/citation_book.h"

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

}  // namespace civicdesk::citations
