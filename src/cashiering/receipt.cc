#include "cashiering/receipt.h"

#include "cashiering/escpos.h"

namespace civicdesk::cashiering {
namespace {

constexpr std::size_t kWidth = 42;

std::string fit(const std::string& s) {
  return s.size() <= kWidth ? s : s.substr(0, kWidth);
}

}  // namespace

std::vector<std::string> receipt_lines(const ReceiptView& r) {
  std::vector<std::string> out;
  out.push_back(fit(r.city_name));
  out.push_back(fit(r.office));
  out.push_back(fit("Receipt " + r.label));
  out.push_back(fit(r.issued_local));
  out.push_back(fit("Cashier: " + r.cashier));
  if (r.status == "voided") {
    out.push_back("*** VOID ***");
    if (!r.void_reason.empty()) out.push_back(fit("Reason: " + r.void_reason));
  }
  out.push_back(std::string(kWidth, '-'));
  for (const auto& it : r.items) {
    out.push_back(fit(it.party_name + " (#" + std::to_string(it.party_id) + ")"));
    out.push_back(columns("  " + it.description, format_money(it.paid), kWidth));
    out.push_back(columns("  Balance left", format_money(it.balance_left), kWidth));
  }
  out.push_back(std::string(kWidth, '-'));
  out.push_back(columns("TOTAL", format_money(r.total), kWidth));
  for (const auto& t : r.tenders) out.push_back(columns(t.label, format_money(t.amount), kWidth));
  out.push_back(columns("CHANGE", format_money(r.change), kWidth));
  out.push_back("");
  out.push_back("Thank you.");
  return out;
}

std::string receipt_escpos(const ReceiptView& r) {
  auto lines = receipt_lines(r);
  EscPos p;
  p.center(true);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (i == 0)
      p.bold_line(l);
    else if (i == 5 && l.starts_with("***"))
      p.big_line(l);
    else if (l.starts_with("TOTAL") || l.starts_with("CHANGE"))
      p.big_line(l);
    else
      p.line(l);
    if (i == 4) p.center(false);
  }
  p.feed(4).cut().kick_drawer();
  return p.bytes();
}

}  // namespace civicdesk::cashiering
