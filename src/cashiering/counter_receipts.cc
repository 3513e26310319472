// Receipts: rebuilt from the stored transaction every time, so a reprint says what the first
// print said (plus VOID once voided); printing sends the ESC/POS bytes to the drawer's printer.
#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "cashiering/counter.h"
#include "cashiering/counter_store.h"
#include "cashiering/printer.h"

namespace civicdesk::cashiering {
using namespace detail;

namespace {

Result<std::int64_t> transaction_of(store::Connection& c, const ReceiptRef& ref) {
  CD_ASSIGN(auto rows, c.query("SELECT t.id FROM counter_transactions t JOIN drawers d ON d.id = "
                               "t.drawer_id WHERE d.code = ? AND t.receipt_number = ?",
                               {ref.drawer_code, ref.number}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no receipt " + receipt_label(ref.drawer_code, ref.number),
                "number");
  return rows[0].integer(0);
}

}  // namespace

Result<ReceiptView> Counter::receipt(const ReceiptRef& ref) {
  return db_.read<ReceiptView>([&](store::Connection& c) -> Result<ReceiptView> {
    CD_ASSIGN(auto id, transaction_of(c, ref));
    CD_ASSIGN(auto txn, load_transaction(c, id));
    CD_ASSIGN(auto s, load_session(c, txn.session_id));
    ReceiptView v;
    v.city_name = city_.name;
    v.office = s.office;
    v.drawer_code = txn.drawer_code;
    v.label = txn.receipt;
    v.number = txn.receipt_number;
    v.issued_local = tz_.format_local(txn.posted_us);
    v.cashier = s.cashier_name;
    v.status = txn.status;
    v.void_reason = txn.void_reason;
    for (const auto& it : txn.items)
      v.items.push_back({it.party_name, it.party_id, it.obligation_id, it.description, it.amount,
                         it.balance_left.value_or(Money::zero())});
    for (const auto& t : txn.tenders) {
      std::string label = tender_text(t.tender);
      if (!t.card_authorization.empty()) label += " auth " + t.card_authorization;
      v.tenders.push_back({label, t.tender.amount});
    }
    v.total = txn.total;
    v.change = txn.change;
    return v;
  });
}

Result<void> Counter::print_receipt(const Actor& actor, const ReceiptRef& ref) {
  CD_ASSIGN(auto view, receipt(ref));
  CD_ASSIGN(auto drawer, db_.read<Drawer>([&](store::Connection& c) {
    return load_drawer(c, ref.drawer_code);
  }));
  CD_TRY(send_to_printer(drawer.printer, receipt_escpos(view)));
  return db_.write<void>([&](store::Connection& c) -> Result<void> {
    CD_TRY(
        c.exec("INSERT INTO receipt_prints (drawer_id, receipt_number, printer, printed_us, "
               "printed_by) VALUES (?, ?, ?, ?, ?)",
               {drawer.id, ref.number, drawer.printer, clock_.now_us(), actor.user_id.value}));
    return audit::append(
        c, actor, clock_.now_us(),
        {"receipt.print", "receipt", view.label, std::nullopt,
         boost::json::serialize(boost::json::object{{"printer", drawer.printer}})});
  });
}

}  // namespace civicdesk::cashiering
