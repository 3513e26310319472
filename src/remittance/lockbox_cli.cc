#include "remittance/lockbox_cli.h"

#include <iostream>

#include "app/cli_support.h"

#include "remittance/lockbox.h"
#include "remittance/mailroom.h"

namespace civicdesk::remittance {

int cmd_lockbox_import(App& app, const std::string& file) {
  auto content = read_input_file(file, kMaxLockboxFileBytes, "a lockbox file");
  if (!content) return report_cli_error(content.error());
  auto imported = app.mailroom().import_lockbox(Actor::system("cli"), *content);
  if (!imported) return report_cli_error(imported.error());
  const LockboxImport& i = *imported;
  std::cout << "lockbox import " << i.id << ": file " << i.file_id << " from " << i.origin
            << " dated " << i.file_date << " (" << i.batch_count << " batches, " << i.item_count
            << " items, " << format_money(i.total) << ")\n";
  if (i.already_imported) std::cout << "already imported; nothing posted\n";
  std::cout << "posted " << i.posted_count << " payments, " << format_money(i.posted_total) << " ("
            << i.posted_now << " by this run)\n";
  std::cout << "queued " << i.exception_count << " exceptions, " << format_money(i.exception_total)
            << "\n";
  return 0;
}

}  // namespace civicdesk::remittance
