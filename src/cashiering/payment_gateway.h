// The card payment gateway, as an interface, and the sandbox gateway shipped for tests and demos.
//
// civicdesk never sees a card number: the card terminal (or the browser's hosted field) hands
// the number to the gateway and gives civicdesk a token. civicdesk stores only that token, the
// brand and the last four digits (PCI DSS scope reduction; see docs/SAFETY.md promise 6).
//
// Every charge carries a `reference` chosen by civicdesk (derived from the request's
// Idempotency-Key), and a gateway must treat a second charge with the same reference as the same
// charge (never charge twice). A charge whose answer does not arrive in time is kUnknown: the
// money may or may not have moved, so civicdesk never guesses — it records the card as unknown
// and a reconciler asks the gateway later with lookup(reference).
//
// Implementations are thread-safe. The functions never throw; a gateway that cannot be reached
// answers kUnknown.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/result.h"

namespace civicdesk::cashiering {

struct CardInfo {
  std::string brand;  // visa | mastercard | amex | discover | card
  std::string last4;
};

struct CardCharge {
  std::string token;
  Money amount;
  std::string reference;  // idempotent at the gateway
};

enum class CardStatus { kApproved, kDeclined, kUnknown };
std::string_view to_string(CardStatus s);

struct CardResult {
  CardStatus status = CardStatus::kUnknown;
  std::string authorization;  // the gateway's approval code when approved
  std::string message;        // the gateway's words, for the cashier
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;
  // The brand and last four digits behind a token; kInvalidInput naming "card_token" when the
  // gateway does not know it.
  [[nodiscard]] virtual Result<CardInfo> describe(const std::string& token) = 0;
  // Authorises and captures. kUnknown when no answer came back in time.
  virtual CardResult charge(const CardCharge& charge) = 0;
  // What happened to the charge with this reference: kApproved (it went through), kDeclined
  // (it did not, or never arrived), or kUnknown (the gateway still cannot say).
  virtual CardResult lookup(const CardCharge& charge) = 0;
  // Voids an approved charge (same day, before settlement); kApproved when voided.
  virtual CardResult void_charge(const CardCharge& charge) = 0;
};

// The sandbox: tokens come from test card numbers, and the number decides what happens.
//   4111111111111111 (visa), 5555555555554444 (mastercard), 378282246310005 (amex),
//   6011111111111117 (discover), and any other Luhn-valid number: approved
//   4000000000000002: declined
//   4000000000009995: the answer times out (unknown); lookup later finds it approved
//   4000000000000119: the answer times out (unknown); lookup later finds it declined
// By amount, for any token: cents ending .91 declined, .92 timeout then approved, .93 timeout
// then declined. set_reachable(false) makes every call answer kUnknown (a gateway outage).
// lookup() answers from what this sandbox saw: a reference it never charged is declined.
// A token holds the brand, last four and behaviour in letters: "tok_sbx_visa_1111_approve_…" —
// never a card number.
class SandboxGateway final : public PaymentGateway {
 public:
  // The token a card terminal would hand over for a test card number; kInvalidInput unless the
  // number is 13–19 digits passing the Luhn check. The number is not kept anywhere.
  [[nodiscard]] static Result<std::string> tokenize(std::string_view card_number);

  Result<CardInfo> describe(const std::string& token) override;
  CardResult charge(const CardCharge& charge) override;
  CardResult lookup(const CardCharge& charge) override;
  CardResult void_charge(const CardCharge& charge) override;

  void set_reachable(bool reachable);
  // How many times a charge with this reference reached the gateway, and whether the sandbox
  // settled it (approved and not voided) — lets tests prove nothing was charged twice.
  int charges_seen(const std::string& reference) const;
  bool captured(const std::string& reference) const;

 private:
  enum class Behaviour { kApprove, kDecline, kTimeoutApproved, kTimeoutDeclined };
  static Result<Behaviour> behaviour(const CardCharge& charge);
  static std::string authorization_for(const std::string& reference);

  mutable std::mutex mutex_;
  bool reachable_ = true;
  std::map<std::string, int> seen_;       // reference → charges received
  std::map<std::string, bool> captured_;  // reference → approved and not voided
};

}  // namespace civicdesk::cashiering
