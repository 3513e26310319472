#include "citations/citations_cli.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "citations/citation_book.h"

namespace civicdesk::citations {
namespace {

int report(const Error& e) {
  std::cerr << "civicdesk: " << e.message;
  if (!e.field.empty()) std::cerr << " [" << e.field << "]";
  std::cerr << "\n";
  return e.code == ErrorCode::kInvalidInput || e.code == ErrorCode::kTooLarge ? 2 : 1;
}

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::kNotFound, "cannot read " + path + ": " + ec.message(), "file");
  if (size > kMaxIssuanceFileBytes)
    return fail(ErrorCode::kTooLarge, path + " is larger than an issuance file may be", "file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot open " + path, "file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int cmd_citations_import(App& app, const std::string& file, const std::string& format) {
  auto fmt = parse_issuance_format(format);
  if (!fmt) return report(fmt.error());
  auto content = read_file(file);
  if (!content) return report(content.error());
  auto r = app.citations().import_issuance(Actor::system("cli"), *content, *fmt);
  if (!r) return report(r.error());
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
  if (!d) return report(d.error());
  auto r = app.citations().escalate(Actor::system("cli"), *d);
  if (!r) return report(r.error());
  std::cout << "citations escalate " << r->as_of.iso() << ": " << r->steps_posted
            << " steps posted (" << r->penalties_posted << " penalties, "
            << format_money(r->penalty_total) << "), " << r->citations_examined
            << " citations examined";
  if (r->marked_paid) std::cout << ", " << r->marked_paid << " marked paid";
  std::cout << "\n";
  return 0;
}

}  // namespace civicdesk::citations
