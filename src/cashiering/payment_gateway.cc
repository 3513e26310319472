#include "cashiering/payment_gateway.h"

#include <vector>

#include "cashiering/card_numbers.h"
#include "security/crypto.h"

namespace civicdesk::cashiering {
namespace {

constexpr std::string_view kTokenPrefix = "tok_sbx_";

std::string brand_of(std::string_view digits) {
  if (digits.starts_with("4")) return "visa";
  if (digits.starts_with("34") || digits.starts_with("37")) return "amex";
  if (digits.starts_with("6011") || digits.starts_with("65")) return "discover";
  if (digits.size() >= 2 && digits[0] == '5' && digits[1] >= '1' && digits[1] <= '5')
    return "mastercard";
  return "card";
}

// Random letters only: a token must never look like a card number.
std::string random_letters(std::size_t n) {
  std::string hex = security::random_hex(n);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>('a' + (hex[i] % 16)));
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == sep)
      out.emplace_back();
    else
      out.back().push_back(c);
  }
  return out;
}

}  // namespace

std::string_view to_string(CardStatus s) {
  switch (s) {
    case CardStatus::kApproved:
      return "approved";
    case CardStatus::kDeclined:
      return "declined";
    case CardStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Result<std::string> SandboxGateway::tokenize(std::string_view card_number) {
  std::string digits;
  for (char c : card_number)
    if (c >= '0' && c <= '9')
      digits.push_back(c);
    else if (c != ' ' && c != '-')
      digits = "x";
  if (digits.size() < 13 || digits.size() > 19 || !luhn_valid(digits))
    return fail(Error::invalid("card_number", "not a valid card number"));
  std::string behaviour = digits == "4000000000000002"   ? "decline"
                          : digits == "4000000000009995" ? "timeoutapproved"
                          : digits == "4000000000000119" ? "timeoutdeclined"
                                                         : "approve";
  return std::string(kTokenPrefix) + brand_of(digits) + "_" + digits.substr(digits.size() - 4) +
         "_" + behaviour + "_" + random_letters(12);
}

Result<CardInfo> SandboxGateway::describe(const std::string& token) {
  auto parts = split(token, '_');
  // tok, sbx, brand, last4, behaviour, random
  if (!token.starts_with(kTokenPrefix) || parts.size() != 6 || parts[3].size() != 4)
    return fail(Error::invalid("card_token", "the gateway does not know this card token"));
  return CardInfo{parts[2], parts[3]};
}

Result<SandboxGateway::Behaviour> SandboxGateway::behaviour(const CardCharge& charge) {
  auto parts = split(charge.token, '_');
  if (!charge.token.starts_with(kTokenPrefix) || parts.size() != 6)
    return fail(Error::invalid("card_token", "the gateway does not know this card token"));
  switch (charge.amount.cents() % 100) {
    case 91:
      return Behaviour::kDecline;
    case 92:
      return Behaviour::kTimeoutApproved;
    case 93:
      return Behaviour::kTimeoutDeclined;
    default:
      break;
  }
  const std::string& b = parts[4];
  if (b == "decline") return Behaviour::kDecline;
  if (b == "timeoutapproved") return Behaviour::kTimeoutApproved;
  if (b == "timeoutdeclined") return Behaviour::kTimeoutDeclined;
  return Behaviour::kApprove;
}

std::string SandboxGateway::authorization_for(const std::string& reference) {
  std::string h = security::blake2b_hex(reference).substr(0, 6);
  for (auto& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "SBX" + h;
}

CardResult SandboxGateway::charge(const CardCharge& charge) {
  std::lock_guard lock(mutex_);
  if (!reachable_) return {CardStatus::kUnknown, "", "the gateway did not answer in time"};
  auto b = behaviour(charge);
  if (!b) return {CardStatus::kDeclined, "", b.error().message};
  ++seen_[charge.reference];
  switch (*b) {
    case Behaviour::kApprove:
      captured_[charge.reference] = true;
      return {CardStatus::kApproved, authorization_for(charge.reference), "approved"};
    case Behaviour::kDecline:
      return {CardStatus::kDeclined, "", "declined by the card issuer"};
    case Behaviour::kTimeoutApproved:
      captured_[charge.reference] = true;  // it went through; the answer was lost
      return {CardStatus::kUnknown, "", "the gateway did not answer in time"};
    case Behaviour::kTimeoutDeclined:
      return {CardStatus::kUnknown, "", "the gateway did not answer in time"};
  }
  return {CardStatus::kUnknown, "", ""};
}

CardResult SandboxGateway::lookup(const CardCharge& charge) {
  std::lock_guard lock(mutex_);
  if (!reachable_) return {CardStatus::kUnknown, "", "the gateway did not answer in time"};
  if (!seen_.contains(charge.reference))
    return {CardStatus::kDeclined, "", "the gateway has no charge with this reference"};
  if (captured_[charge.reference])
    return {CardStatus::kApproved, authorization_for(charge.reference), "approved"};
  return {CardStatus::kDeclined, "", "declined by the card issuer"};
}

CardResult SandboxGateway::void_charge(const CardCharge& charge) {
  std::lock_guard lock(mutex_);
  if (!reachable_) return {CardStatus::kUnknown, "", "the gateway did not answer in time"};
  captured_[charge.reference] = false;
  return {CardStatus::kApproved, authorization_for(charge.reference), "voided"};
}

void SandboxGateway::set_reachable(bool reachable) {
  std::lock_guard lock(mutex_);
  reachable_ = reachable;
}

int SandboxGateway::charges_seen(const std::string& reference) const {
  std::lock_guard lock(mutex_);
  auto it = seen_.find(reference);
  return it == seen_.end() ? 0 : it->second;
}

bool SandboxGateway::captured(const std::string& reference) const {
  std::lock_guard lock(mutex_);
  auto it = captured_.find(reference);
  return it != captured_.end() && it->second;
}

}  // namespace civicdesk::cashiering
