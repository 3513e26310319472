#include "billing/service.h"

namespace civicdesk::billing {
namespace {
constexpr std::string_view kKindNames[] = {"water", "sewer", "refuse", "stormwater"};
}  // namespace

std::string_view to_string(ServiceKind k) {
  return kKindNames[static_cast<int>(k)];
}

Result<ServiceKind> parse_service_kind(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < std::size(kKindNames); ++i)
    if (text == kKindNames[i]) return static_cast<ServiceKind>(i);
  return fail(Error::invalid(std::string(field), "service is water, sewer, refuse or stormwater"));
}

Result<void> check_new_service(const std::vector<Service>& existing, ServiceKind kind,
                               const std::string& rate_class, CivilDate started_on,
                               CivilDate account_opened_on) {
  if (rate_class.empty()) return fail(Error::invalid("rate_class", "is required"));
  if (rate_class.size() > kMaxRateClassLength)
    return fail(
        Error::invalid("rate_class", "is longer than " + std::to_string(kMaxRateClassLength)));
  if (started_on < account_opened_on)
    return fail(
        ErrorCode::kUnprocessable,
        "a service cannot start before the account opened (" + account_opened_on.iso() + ")",
        "started_on");
  for (const Service& s : existing) {
    if (s.kind != kind) continue;
    // Overlap: the old one is open, or stops after the new one starts.
    if (!s.stopped_on || *s.stopped_on > started_on)
      return fail(ErrorCode::kConflict,
                  "the account already has " + std::string(to_string(kind)) + " service from " +
                      s.started_on.iso() + "; stop it first",
                  "kind");
  }
  return {};
}

Result<void> check_stop(const Service& s, CivilDate stop_on) {
  if (s.stopped_on)
    return fail(
        ErrorCode::kUnprocessable,
        std::string(to_string(s.kind)) + " service already stopped on " + s.stopped_on->iso(),
        "stopped_on");
  if (stop_on < s.started_on)
    return fail(ErrorCode::kUnprocessable,
                "a service cannot stop before it started (" + s.started_on.iso() + ")",
                "stopped_on");
  return {};
}

}  // namespace civicdesk::billing
