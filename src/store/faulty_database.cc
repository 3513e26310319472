#include "store/faulty_database.h"

#include <optional>

#include "core/assert.h"

namespace civicdesk::store {
namespace {

using FaultPlan = FaultyDatabase::FaultPlan;

// Counts this call; returns the timing when it is the one chosen to fail.
std::optional<FaultTiming> take_fault(FaultPlan& plan) {
  std::int64_t call = plan.calls.fetch_add(1) + 1;
  std::int64_t target = plan.fail_at.load();
  if (target == 0 || call != target) return std::nullopt;
  // Only one caller can win the exchange, so a fault fires once even under races.
  if (!plan.fail_at.compare_exchange_strong(target, 0)) return std::nullopt;
  plan.injected.fetch_add(1);
  return plan.timing.load();
}

std::unexpected<Error> injected_fault() {
  return fail(ErrorCode::kStorage, "injected fault", "faulty_database");
}

class FaultyConnection final : public Connection {
 public:
  FaultyConnection(std::shared_ptr<Database> inner, ConnectionHandle handle,
                   std::shared_ptr<FaultPlan> plan)
      : inner_(std::move(inner)),
        handle_(std::move(handle)),
        plan_(std::move(plan)),
        conn_(&*handle_) {}

  Dialect dialect() const override { return inner_->dialect(); }
  bool healthy() const override { return conn_->healthy(); }

  Result<std::int64_t> exec(std::string_view sql, const Params& params) override {
    return guarded<std::int64_t>([&] { return handle_->exec(sql, params); });
  }
  Result<Rows> query(std::string_view sql, const Params& params) override {
    return guarded<Rows>([&] { return handle_->query(sql, params); });
  }
  Result<void> exec_script(std::string_view sql) override {
    return guarded<void>([&] { return handle_->exec_script(sql); });
  }
  Result<void> commit() override {
    return guarded<void>([&] { return handle_->commit(); });
  }
  Result<void> begin_write() override { return handle_->begin_write(); }
  Result<void> begin_read() override { return handle_->begin_read(); }
  void rollback() override { handle_->rollback(); }

 private:
  template <class T, class F>
  Result<T> guarded(F&& call) {
    std::optional<FaultTiming> fault = take_fault(*plan_);
    if (fault == FaultTiming::kBeforeCall) return injected_fault();
    Result<T> out = call();
    if (fault == FaultTiming::kAfterCall) return injected_fault();
    return out;
  }

  // Declared first so it is destroyed last: the handle returns its connection to inner_.
  std::shared_ptr<Database> inner_;
  ConnectionHandle handle_;
  std::shared_ptr<FaultPlan> plan_;
  const Connection* conn_;  // the wrapped connection, owned by handle_
};

}  // namespace

FaultyDatabase::FaultyDatabase(std::shared_ptr<Database> inner)
    : inner_(std::move(inner)), plan_(std::make_shared<FaultPlan>()) {
  CD_ASSERT(inner_ != nullptr);
}

void FaultyDatabase::fail_call(std::int64_t n, FaultTiming timing) {
  CD_ASSERT(n >= 1);
  plan_->timing.store(timing);
  plan_->fail_at.store(plan_->calls.load() + n);
}

void FaultyDatabase::clear_fault() {
  plan_->fail_at.store(0);
}

Result<std::unique_ptr<Connection>> FaultyDatabase::open_connection() {
  auto handle = inner_->acquire();
  if (!handle) return std::unexpected(handle.error());
  return std::unique_ptr<Connection>(
      std::make_unique<FaultyConnection>(inner_, std::move(*handle), plan_));
}

}  // namespace civicdesk::store
