#include "remittance/lockbox_cli.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "remittance/lockbox.h"
#include "remittance/mailroom.h"

namespace civicdesk::remittance {
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
  if (size > kMaxLockboxFileBytes)
    return fail(ErrorCode::kTooLarge, path + " is larger than a lockbox file may be", "file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot open " + path, "file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int cmd_lockbox_import(App& app, const std::string& file) {
  auto content = read_file(file);
  if (!content) return report(content.error());
  auto imported = app.mailroom().import_lockbox(Actor::system("cli"), *content);
  if (!imported) return report(imported.error());
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
