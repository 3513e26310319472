// Row readers and loaders shared by utility_book.cc (records) and read_book.cc (reads). Private
// to the billing context: every function runs inside the caller's transaction.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "billing/utility_book.h"
#include "core/actor.h"
#include "store/db.h"

namespace civicdesk::billing::detail {

store::Value opt_date(const std::optional<CivilDate>& d);
[[nodiscard]] Result<std::optional<CivilDate>> read_opt_date(const store::Row& row, std::size_t i);

[[nodiscard]] Result<UtilityAccount> load_account(store::Connection& c, std::int64_t number);
[[nodiscard]] Result<Premise> load_premise(store::Connection& c, std::int64_t id);
// The account's services, oldest first (every one, stopped or not).
// The account's refuse carts, oldest first (every one, stopped or not).
[[nodiscard]] Result<std::vector<RefuseCart>> load_carts(store::Connection& c,
                                                         std::int64_t account_id);
[[nodiscard]] Result<std::vector<Service>> load_services(store::Connection& c,
                                                         std::int64_t account_id);
[[nodiscard]] Result<std::vector<InstalledMeter>> load_installs(store::Connection& c,
                                                                std::int64_t account_id);
// The meter installed for the account (not removed): by serial, or the only one when `serial`
// is "". kInvalidInput naming "meter_serial" when ambiguous or not installed for the account,
// kUnprocessable when none is installed.
[[nodiscard]] Result<InstalledMeter> current_meter(store::Connection& c,
                                                   const UtilityAccount& account,
                                                   const std::string& serial);
// The meter with this serial and its open install (any account). kNotFound naming the field.
[[nodiscard]] Result<InstalledMeter> installed_by_serial(store::Connection& c,
                                                         const std::string& serial);

// The last accepted read on the meter, as the base of the next (read_validation.h).
[[nodiscard]] Result<std::optional<PriorRead>> prior_read(store::Connection& c,
                                                          std::int64_t meter_id);
// The account's accepted periods (reads with days > 0), newest first, at most kHistoryPeriods.
[[nodiscard]] Result<std::vector<PeriodUsage>> load_history(store::Connection& c,
                                                            std::int64_t account_id);

// Columns of kReadSelect, read by read_record.
extern const char* const kReadSelect;
[[nodiscard]] Result<ReadRecord> read_record(const store::Row& row);

struct NewRead {
  std::int64_t meter_id = 0, install_id = 0, account_id = 0;
  CivilDate read_on;
  std::int64_t value = 0;
  std::string kind, source, status;
  ReadDecision decision;
  std::string reader, note;
  std::optional<std::int64_t> replaces_read_id;
};
[[nodiscard]] Result<std::int64_t> insert_read(store::Connection& c, const Actor& actor,
                                               Timestamp now_us, const NewRead& r);

[[nodiscard]] Result<void> audit(store::Connection& c, const Actor& actor, Timestamp now_us,
                                 const std::string& action, const std::string& entity,
                                 std::int64_t id, const boost::json::object& after);

}  // namespace civicdesk::billing::detail
