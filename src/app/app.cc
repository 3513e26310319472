#include "app/app.h"

#include "store/migrations.h"

namespace civicdesk {

Result<std::unique_ptr<App>> App::open(const AppOptions& options, std::unique_ptr<Clock> clock) {
  std::unique_ptr<App> app(new App());
  app->options_ = options;
  CD_ASSIGN(app->city_, load_city_config(options.config_path));
  CD_ASSIGN(app->db_, store::open_database(options.db_url));
  CD_TRY(store::migrate(*app->db_));
  app->clock_ = clock ? std::move(clock) : std::make_unique<SystemClock>();
  app->users_ = std::make_unique<security::UserDirectory>(*app->db_, app->city_, *app->clock_);
  app->sessions_ = std::make_unique<security::SessionStore>(*app->db_, *app->users_, app->city_,
                                                           *app->clock_);
  app->parties_ = std::make_unique<customers::PartyBook>(*app->db_, *app->clock_);
  CD_ASSIGN(auto tz, TimeZone::load(app->city_.time_zone));
  app->tz_ = std::make_unique<TimeZone>(std::move(tz));
  app->ledger_ = std::make_unique<ledger::Ledger>(*app->db_, app->city_, *app->tz_, *app->clock_);
  app->counter_ = std::make_unique<cashiering::Counter>(*app->db_, app->city_, *app->tz_,
                                                        *app->clock_, *app->ledger_);
  app->mailroom_ = std::make_unique<remittance::MailRoom>(*app->db_, *app->ledger_, app->city_,
                                                          *app->clock_);
  app->citations_ = std::make_unique<citations::CitationBook>(
      *app->db_, *app->ledger_, *app->parties_, app->city_, *app->clock_);
  app->billing_ =
      std::make_unique<billing::UtilityBook>(*app->db_, app->city_, *app->clock_, *app->tz_);
  app->citation_notices_ = std::make_unique<citations::NoticeBook>(
      *app->db_, app->city_, *app->clock_, app->citations_->calendar());
  app->citation_plans_ = std::make_unique<citations::PlanBook>(
      *app->db_, *app->ledger_, app->city_, *app->clock_, app->citations_->calendar());
  // A citation paid in full at the counter, by mail or lockbox is paid in the same commit
  // (docs/decisions/008-settlement-hook.md).
  app->ledger_->on_settlement([book = app->citations_.get()](store::Connection& c,
                                                             const Actor& actor,
                                                             const std::vector<std::int64_t>& ids) {
    return book->settle_within(c, actor, ids);
  });
  return app;
}

}  // namespace civicdesk
