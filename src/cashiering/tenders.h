// Tenders at the counter and the change due. Pure.
//
// Rules: the tenders must cover the cart total; only cash may exceed what is left to pay (the
// excess is change); a check, money order, card or ACH payment may not be written for more than
// what is left (no cash back). Cash-only customers may pay only in cash. A card tender carries
// only the gateway's token, brand and last four digits — never the card number.
#pragma once

#include <string>
#include <vector>

#include "core/money.h"
#include "core/result.h"

namespace civicdesk::cashiering {

struct Tender {
  std::string kind;  // cash | check | money_order | card | ach
  Money amount;      // for cash: what the customer handed over
  std::string check_number;
  std::string bank;
  std::string payer;
  std::string micr;        // optional MICR line from a check reader (routing, account, number)
  std::string card_token;  // the gateway's token
  std::string card_brand;
  std::string card_last4;
  std::string ach_last4;
};

struct TenderOutcome {
  Money applied_total;   // equals the cart total
  Money change_due;      // cash handed back
  std::vector<Money> applied;  // per tender, what it pays (cash net of change)
};

// Checks each tender (errors name "tenders[i].field") and computes what each applies and the
// change. Cards must already be authorised by the gateway (token present).
[[nodiscard]] Result<TenderOutcome> settle(const std::vector<Tender>& tenders, Money cart_total,
                                           bool cash_only);

}  // namespace civicdesk::cashiering
