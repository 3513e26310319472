// `civicdesk lockbox import FILE`: imports a bank lockbox file (docs/formats/lockbox.md) as the
// system user and prints what it posted and what it queued for the exception queue:
//
//   lockbox import 3: file F1127A from BANK0001 dated 2026-11-27 (2 batches, 10 items, $1,234.56)
//   posted 8 payments, $1,000.00 (8 by this run)
//   queued 2 exceptions, $234.56
//
// Exit codes: 0 imported (or already imported: "already imported; nothing posted"), 2 the file
// is invalid (the message names the line and field), 1 anything else (cannot read the file,
// database error). Safe to run again after a crash: it resumes and never posts twice.
#pragma once

#include <string>

#include "app/app.h"

namespace civicdesk::remittance {

int cmd_lockbox_import(App& app, const std::string& file);

}  // namespace civicdesk::remittance

namespace civicdesk {
using remittance::cmd_lockbox_import;
}  // namespace civicdesk
