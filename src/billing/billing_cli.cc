#include "billing/billing_cli.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "app/cli_support.h"

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

}  // namespace civicdesk::billing
