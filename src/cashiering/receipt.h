// A counter receipt: what it says, as plain lines (42 columns, the width of 80 mm thermal
// paper), as ESC/POS bytes with the drawer kick, and as a PDF (cashiering/receipt_pdf.h). The
// same lines print everywhere, so a reprint says exactly what the first print said. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/result.h"

namespace civicdesk::cashiering {

struct ReceiptItem {
  std::string party_name;
  std::int64_t party_id = 0;
  std::int64_t obligation_id = 0;  // 0: applied to the account by the City's rules
  std::string description;         // "Utility bill #12 (utility:1001)"
  Money paid;
  Money balance_left;  // the obligation's (or, with none named, the party's) balance after
};

struct ReceiptTender {
  std::string label;  // "Cash", "Check #1042 (First Bank)", "VISA ****1111 auth SBX1A2B3C"
  Money amount;       // what was handed over
};

struct ReceiptView {
  std::string city_name;
  std::string office;
  std::string drawer_code;
  std::string label;  // "CH-1-000042"
  std::int64_t number = 0;
  std::string issued_local;  // "2026-11-26 08:15:02 PST"
  std::string cashier;
  std::string status;  // posted | voided
  std::string void_reason;
  std::vector<ReceiptItem> items;
  std::vector<ReceiptTender> tenders;
  Money total;
  Money change;
};

// The receipt's text, one string per printed line (at most 42 columns each).
std::vector<std::string> receipt_lines(const ReceiptView& r);
// ESC/POS: initialise, the lines (the header centred, the total and change large), feed, cut,
// and the drawer-kick pulse (the drawer opens when the receipt prints).
std::string receipt_escpos(const ReceiptView& r);
// The PDF bytes (libharu, Courier, one page per 60 lines). kInternal on a libharu failure.
[[nodiscard]] Result<std::string> receipt_pdf(const ReceiptView& r);

}  // namespace civicdesk::cashiering
