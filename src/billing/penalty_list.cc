#include "billing/penalty_list.h"

namespace civicdesk::billing {

Result<std::vector<PenaltyRecord>> list_penalties(store::Database& db, const PenaltyQuery& q) {
  std::string where;
  store::Params params;
  if (q.assessed_on) {
    where += "p.assessed_on = ?";
    params.push_back(q.assessed_on->iso());
  }
  if (q.account_number) {
    where += where.empty() ? "b.account_number = ?" : " AND b.account_number = ?";
    params.push_back(*q.account_number);
  }
  if (where.empty())
    return fail(Error::invalid("as_of", "give the date assessed (as_of) or an account"));
  params.push_back(std::int64_t{kMaxPenaltiesListed});
  return db.read<std::vector<PenaltyRecord>>(
      [&](store::Connection& c) -> Result<std::vector<PenaltyRecord>> {
        CD_ASSIGN(auto rows,
                  c.query("SELECT p.id, p.bill_id, b.account_number, pa.display_name, "
                          "b.due_date, p.obligation_id, p.amount_cents, p.assessed_on, "
                          "p.created_by_name FROM bill_penalties p JOIN bills b ON b.id = "
                          "p.bill_id JOIN parties pa ON pa.id = b.party_id WHERE " +
                              where + " ORDER BY p.id DESC LIMIT ?",
                          params));
        std::vector<PenaltyRecord> out;
        for (const auto& r : rows) {
          PenaltyRecord p;
          p.id = r.integer(0);
          p.bill_id = r.integer(1);
          p.account_number = r.integer(2);
          p.party_name = r.text(3);
          CD_ASSIGN(p.bill_due_date, parse_date(r.text(4), "due_date"));
          p.obligation_id = r.integer(5);
          p.amount = Money::from_cents(r.integer(6));
          CD_ASSIGN(p.assessed_on, parse_date(r.text(7), "assessed_on"));
          p.assessed_by = r.text(8);
          out.push_back(std::move(p));
        }
        return out;
      });
}

}  // namespace civicdesk::billing
