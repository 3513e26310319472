// Moving an obligation's open balance to another party (Ledger::reassign_within, ledger.h).
//
// Why an entry and not just a new party_id: a party's receivable is the sum of the receivable
// journal lines that name it (ledger_check.cc recomputes it that way), so the obligation's open
// balance must leave the old party's receivable and join the new one's in the journal itself.
// Each open charge line gets Dr 1200-F (new party) / Cr 1200-F (old party) on the same
// obligation and line: the line's and the obligation's balances move by zero, the fund balances,
// and the stored party balances follow from the lines (write_entry) like any other entry.
#include <boost/json.hpp>

#include "ledger/ledger.h"
#include "ledger/posting.h"

namespace civicdesk::ledger {
using namespace detail;
namespace json = boost::json;

Result<std::int64_t> Ledger::reassign_within(store::Connection& c, const Actor& actor,
                                             std::int64_t obligation_id, std::int64_t new_party_id,
                                             const std::string& reason) {
  if (reason.empty()) return fail(Error::invalid("reason", "say why the obligation moves"));
  CD_ASSIGN(auto o, load_obligation(c, obligation_id));
  if (o.party_id == new_party_id) return std::int64_t{0};
  CD_TRY(party_exists(c, new_party_id));
  if (o.status != "open" || !o.balance.is_positive())
    return fail(ErrorCode::kUnprocessable,
                "obligation " + std::to_string(o.id) + " is " + o.status +
                    ": nothing is owed on it to move",
                "obligation_id");
  JournalEntry e;
  e.kind = EntryKind::kTransfer;
  e.party_id = new_party_id;
  e.memo = "Obligation " + std::to_string(o.id) + " (" + money_text(o.balance.cents()) +
           " owed) moved from party " + std::to_string(o.party_id) + " to party " +
           std::to_string(new_party_id) + ": " + reason;
  if (e.memo.size() > 500) e.memo.resize(500);
  for (const auto& l : o.lines) {
    if (!l.balance.is_positive()) continue;
    const std::string account = fund_account(kReceivable, l.fund);
    e.lines.push_back({account, l.fund, l.balance, Money(), new_party_id, o.id, l.id, 0});
    e.lines.push_back({account, l.fund, Money(), l.balance, o.party_id, o.id, l.id, 0});
  }
  Posting p{c, city_, actor, clock_.now_us(), today()};
  CD_ASSIGN(auto entry_id, write_entry(p, e, ""));
  CD_TRY(c.exec("UPDATE obligations SET party_id = ? WHERE id = ?", {new_party_id, o.id}));
  CD_TRY(audit_entry(p, "ledger.reassign", "obligation", o.id,
                     json::serialize(json::object{{"id", o.id},
                                                  {"from_party_id", o.party_id},
                                                  {"to_party_id", new_party_id},
                                                  {"balance", format_plain(o.balance)},
                                                  {"entry_id", entry_id},
                                                  {"reason", reason}})));
  return entry_id;
}

}  // namespace civicdesk::ledger
