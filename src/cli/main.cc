// civicdesk: one binary, many subcommands (serve, migrate, demo, user, audit verify, routes).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "audit/audit_log.h"
#include "billing/billing_cli.h"
#include "billing/rates/rates_cli.h"
#include "cashiering/card_scan.h"
#include "demo/demo_city.h"
#include "http/api.h"
#include "http/server.h"
#include "ledger/ledger_check.h"
#include "remittance/lockbox_cli.h"
#include "citations/citations_cli.h"
#include "remittance/scanline.h"
#include "reports/journal_export.h"
#include "security/crypto.h"
#include "store/migrations.h"

using namespace civicdesk;

namespace {

int report(const Error& e) {
  std::cerr << "civicdesk: " << e.message;
  if (!e.field.empty()) std::cerr << " [" << e.field << "]";
  std::cerr << "\n";
  return e.code == ErrorCode::kInvalidInput ? 2 : 1;
}

Result<std::unique_ptr<App>> open_app(const AppOptions& o) {
  return App::open(o);
}

int cmd_serve(const AppOptions& o, const http::ServerOptions& so) {
  auto app = open_app(o);
  if (!app) return report(app.error());
  http::Api api(**app);
  http::Server server([&api](http::Request& r) { return api.handle(r); }, so);
  auto port = server.start();
  if (!port) return report(port.error());
  spdlog::info("civicdesk serving {} on http://{}:{}/ (store {})", (*app)->city().name, so.address,
               *port, (*app)->db().describe());
  std::cout << "civicdesk listening on http://" << so.address << ":" << *port << "/" << std::endl;
  server.run(true);
  spdlog::info("civicdesk stopped cleanly");
  return 0;
}

int cmd_migrate(const AppOptions& o) {
  auto db = store::open_database(o.db_url);
  if (!db) return report(db.error());
  auto applied = store::migrate(**db);
  if (!applied) return report(applied.error());
  auto v = store::schema_version(**db);
  if (!v) return report(v.error());
  std::cout << "applied " << applied->size() << " migration(s); schema version " << *v << "\n";
  return 0;
}

int cmd_demo(const AppOptions& o, std::int64_t parties, std::int64_t accounts, std::uint64_t seed) {
  auto app = open_app(o);
  if (!app) return report(app.error());
  auto summary =
      demo::generate(**app, parties, accounts, seed, [](std::int64_t done, std::int64_t total) {
        std::cerr << "\rparties " << done << "/" << total << std::flush;
      });
  std::cerr << "\n";
  if (!summary) return report(summary.error());
  std::cout << "demo City ready: " << summary->users_created << " users and "
            << summary->parties_created << " parties and " << summary->obligations_created
            << " obligations (utility bills, citations, dog licenses) created\n";
  if (summary->first_account > 0)
    std::cout << "a bill stub to key in the mail room: account " << summary->first_account
              << ", scanline "
              << remittance::make_scanline(summary->first_account, summary->first_account_due_cents)
              << "\n";
  return 0;
}

int cmd_audit_verify(const AppOptions& o) {
  auto db = store::open_database(o.db_url);
  if (!db) return report(db.error());
  auto rep = audit::verify(**db);
  if (!rep) return report(rep.error());
  if (rep->ok) {
    std::cout << "audit trail verified: " << rep->records << " records, chain intact\n";
    return 0;
  }
  std::cout << "audit trail BROKEN at record " << rep->first_bad_seq << ": " << rep->problem
            << "\n";
  return 3;
}

int cmd_ledger_check(const AppOptions& o) {
  auto db = store::open_database(o.db_url);
  if (!db) return report(db.error());
  auto rep = ledger::check(**db);
  if (!rep) return report(rep.error());
  if (rep->ok()) {
    std::cout << "ledger check: " << rep->entries << " entries, " << rep->lines
              << " lines; every balance agrees with the journal\n";
    return 0;
  }
  std::cout << "ledger check FAILED: " << rep->problems.size() << " disagreement(s)\n";
  for (const auto& p : rep->problems) std::cout << "  " << p << "\n";
  return 4;
}

int cmd_routes(const AppOptions& o) {
  auto app = open_app(o);
  if (!app) return report(app.error());
  http::Api api(**app);
  for (const auto& r : api.router().routes()) {
    std::string access = r.access == http::Access::kPublic     ? "public"
                         : r.access == http::Access::kSignedIn ? "signed-in"
                                                               : r.permission;
    std::cout << r.method << "\t" << r.pattern << "\t" << access << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (auto ok = security::init_crypto(); !ok) return report(ok.error());
  CLI::App cli{"civicdesk — one customer, one ledger, every City receivable"};
  cli.require_subcommand(1);
  AppOptions o;
  cli.add_option("--db", o.db_url, "store: sqlite:PATH or postgresql://...")->capture_default_str();
  cli.add_option("--config", o.config_path, "City configuration (YAML)")->capture_default_str();

  http::ServerOptions so;
  auto* serve = cli.add_subcommand("serve", "serve the API and web UI");
  serve->add_option("--address", so.address)->capture_default_str();
  serve->add_option("--port", so.port)->capture_default_str();
  serve->add_option("--web-root", o.web_root, "built web UI")->capture_default_str();
  serve->add_flag("--secure-cookies", o.secure_cookies, "__Host- Secure cookies (behind HTTPS)");
  serve->add_option("--workers", so.worker_threads, "handler threads (0: 8 per core)");

  auto* migrate = cli.add_subcommand("migrate", "apply database migrations");

  std::int64_t parties = 2000;
  std::uint64_t seed = 1;
  auto* demo = cli.add_subcommand("demo", "create the demo City's users and parties");
  demo->add_option("--parties", parties, "parties to add")->capture_default_str();
  std::int64_t accounts = demo::kDemoAccounts;
  demo->add_option("--accounts", accounts,
                   "how many of the new parties get a utility bill (some also a citation or a "
                   "dog license)")
      ->capture_default_str();
  demo->add_option("--seed", seed, "generator seed")->capture_default_str();

  auto* user = cli.add_subcommand("user", "manage staff users");
  user->require_subcommand(1);
  std::string username, display_name, role, password;
  auto* user_add = user->add_subcommand("add", "create a user");
  user_add->add_option("username", username)->required();
  user_add->add_option("--name", display_name)->required();
  user_add->add_option("--role", role)->required();
  user_add->add_option("--password", password)->required();
  auto* user_list = user->add_subcommand("list", "list users");

  auto* audit_cmd = cli.add_subcommand("audit", "audit trail");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "verify the hash chain");

  auto* ledger_cmd = cli.add_subcommand("ledger", "the ledger");
  ledger_cmd->require_subcommand(1);
  auto* ledger_check = ledger_cmd->add_subcommand(
      "check", "recompute every balance from the journal; exit 4 if anything disagrees");
  std::string export_date, export_out;
  auto* ledger_export = ledger_cmd->add_subcommand(
      "export", "write one day's journal as CSV for the City's general-ledger system");
  ledger_export->add_option("--date", export_date, "posting date, YYYY-MM-DD")->required();
  ledger_export->add_option("--out", export_out, "file to write (default: standard output)");

  rates::RatesBillArgs rates_bill_args;
  auto* rates_cmd = cli.add_subcommand("rates", "water rate tariffs (OWRS)");
  rates_cmd->require_subcommand(1);
  auto* rates_bill = rates_cmd->add_subcommand(
      "bill", "one customer's bill under an OWRS tariff: each line and the total");
  rates_bill->add_option("--owrs", rates_bill_args.owrs_path, "OWRS tariff (YAML)")->required();
  rates_bill->add_option("--class", rates_bill_args.customer_class, "customer class")->required();
  rates_bill->add_option("--usage-ccf", rates_bill_args.usage_ccf, "usage in CCF, e.g. 27.3")
      ->required();
  rates_bill->add_option("--meter-size", rates_bill_args.meter_size, "meter size, e.g. 5/8\"");
  rates_bill->add_option("--set", rates_bill_args.set, "KEY=VALUE customer input (repeatable)")
      ->allow_extra_args(false);
  rates_bill->add_option("--proration", rates_bill_args.proration_factor,
                         "period length / standard period (default 1)");
  rates_bill->add_option("--compare-owrs", rates_bill_args.compare_owrs,
                         "what-if: also bill under this proposed tariff");
  rates_bill->add_flag("--json", rates_bill_args.json, "print JSON");

  auto* lockbox_cmd = cli.add_subcommand("lockbox", "bank lockbox files");
  lockbox_cmd->require_subcommand(1);
  std::string lockbox_file;
  auto* lockbox_import = lockbox_cmd->add_subcommand(
      "import", "post a lockbox file; queue what does not match; safe to run again");
  lockbox_import->add_option("file", lockbox_file, "the bank's lockbox file")->required();

  auto* citations_cmd = cli.add_subcommand("citations", "parking citations");
  citations_cmd->require_subcommand(1);
  std::string citations_file, citations_format = "civicdesk", citations_date;
  auto* citations_import = citations_cmd->add_subcommand(
      "import", "import an issuance file; prints accepted/refused counts; safe to run again");
  citations_import->add_option("file", citations_file, "the issuance file (CSV)")->required();
  citations_import->add_option("--format", citations_format, "civicdesk (default), sf or nyc");
  auto* citations_escalate = citations_cmd->add_subcommand(
      "escalate", "the nightly escalation: post every step due on the date, each once");
  citations_escalate->add_option("--date", citations_date, "YYYY-MM-DD")->required();
  std::string dmv_date, dmv_out, dmv_file;
  auto* citations_dmv_requests = citations_cmd->add_subcommand(
      "dmv-requests", "write the registered-owner request file for the state DMV (the same "
                      "file again for a date written before)");
  citations_dmv_requests->add_option("--date", dmv_date, "YYYY-MM-DD")->required();
  citations_dmv_requests->add_option("--out", dmv_out, "the file to write (default: stdout)");
  auto* citations_dmv_responses = citations_cmd->add_subcommand(
      "dmv-responses", "read the DMV's response file: name owners, move their citations' money; "
                       "safe to run again");
  citations_dmv_responses->add_option("file", dmv_file, "the DMV's response file")->required();
  auto* citations_dmv_holds = citations_cmd->add_subcommand(
      "dmv-holds", "write the registration holds to place and to release (the same file again "
                   "for a date written before)");
  citations_dmv_holds->add_option("--date", dmv_date, "YYYY-MM-DD")->required();
  citations_dmv_holds->add_option("--out", dmv_out, "the file to write (default: stdout)");
  auto* citations_dmv_sandbox = citations_cmd->add_subcommand(
      "dmv-sandbox", "answer a DMV request file as the sandbox DMV (demos and tests)");
  citations_dmv_sandbox->add_option("file", dmv_file, "the request file")->required();
  citations_dmv_sandbox->add_option("--date", dmv_date, "the response date (default: the "
                                                        "request's)");
  std::string notices_date, notices_out;
  auto* citations_notices = citations_cmd->add_subcommand(
      "notices", "print the delinquency notices batch of a date as one PDF; the same batch again "
                 "when the date was printed before");
  citations_notices->add_option("--date", notices_date, "YYYY-MM-DD")->required();
  citations_notices->add_option("--out", notices_out, "the PDF file to write")->required();

  auto* billing_cmd = cli.add_subcommand("billing", "utility billing: meter reads");
  billing_cmd->require_subcommand(1);
  std::string billing_route, billing_out, billing_file;
  auto* billing_export = billing_cmd->add_subcommand(
      "route-export", "write a read route for the handheld devices, in walk order (CSV)");
  billing_export->add_option("--route", billing_route, "the route code")->required();
  billing_export->add_option("--out", billing_out, "the CSV file to write")->required();
  auto* billing_import = billing_cmd->add_subcommand(
      "reads-import", "import the handheld results; prints accepted/exception/refused counts and "
                      "each refused line; safe to run again");
  billing_import->add_option("file", billing_file, "the results file (CSV)")->required();
  std::string run_cycle, run_period_end, penalties_date;
  auto* billing_run = billing_cmd->add_subcommand(
      "run", "bill a cycle through a period end (resumes its unfinished run; progress on stderr)");
  billing_run->add_option("--cycle", run_cycle, "the cycle code")->required();
  billing_run->add_option("--period-end", run_period_end, "YYYY-MM-DD")->required();
  auto* billing_penalties = billing_cmd->add_subcommand(
      "penalties", "assess late penalties on bills past due + grace days (once per bill)");
  billing_penalties->add_option("--date", penalties_date, "YYYY-MM-DD")->required();
  std::string bill_notices_date, bill_notices_out;
  auto* billing_notices = billing_cmd->add_subcommand(
      "notices", "late and shut-off notices for a mailing date as one PDF (resumes an "
                 "unfinished batch; the same batch again when the date was run before)");
  billing_notices->add_option("--date", bill_notices_date, "YYYY-MM-DD")->required();
  billing_notices->add_option("--out", bill_notices_out, "the PDF file to write")->required();

  auto* pci_cmd = cli.add_subcommand("pci", "card-data checks (PCI DSS)");
  pci_cmd->require_subcommand(1);
  std::vector<std::string> pci_paths;
  auto* pci_scan = pci_cmd->add_subcommand(
      "scan", "look through files (database, WAL, logs, exports) for stored card numbers");
  pci_scan->add_option("paths", pci_paths, "files or directories")->required();
  std::vector<std::string> pci_baselines;
  pci_scan
      ->add_option("--baseline", pci_baselines,
                   "numbers also found here are not reported (e.g. a pristine PostgreSQL "
                   "data directory)")
      ->allow_extra_args(false);

  auto* routes = cli.add_subcommand("routes", "print every API route and who may call it");

  CLI11_PARSE(cli, argc, argv);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");

  if (*serve) return cmd_serve(o, so);
  if (*migrate) return cmd_migrate(o);
  if (*demo) return cmd_demo(o, parties, accounts, seed);
  if (*audit_verify) return cmd_audit_verify(o);
  if (*routes) return cmd_routes(o);
  if (*pci_scan) return cashiering::cmd_pci_scan(pci_paths, std::cout, std::cerr, pci_baselines);
  if (*rates_bill) return rates::cmd_rates_bill(rates_bill_args);
  if (*lockbox_import) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    return cmd_lockbox_import(**app, lockbox_file);
  }
  if (*citations_dmv_sandbox) return citations::cmd_citations_dmv_sandbox(dmv_file, dmv_date);
  if (*citations_dmv_requests || *citations_dmv_responses || *citations_dmv_holds) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    if (*citations_dmv_requests)
      return citations::cmd_citations_dmv_requests(**app, dmv_date, dmv_out);
    if (*citations_dmv_holds) return citations::cmd_citations_dmv_holds(**app, dmv_date, dmv_out);
    return citations::cmd_citations_dmv_responses(**app, dmv_file);
  }
  if (*citations_import || *citations_escalate) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    if (*citations_import)
      return citations::cmd_citations_import(**app, citations_file, citations_format);
    return citations::cmd_citations_escalate(**app, citations_date);
  }
  if (*citations_notices) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    return citations::cmd_citations_notices(**app, notices_date, notices_out);
  }
  if (*billing_notices) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    return billing::cmd_billing_notices(**app, bill_notices_date, bill_notices_out);
  }
  if (*billing_run || *billing_penalties) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    if (*billing_run) return billing::cmd_billing_run(**app, run_cycle, run_period_end);
    return billing::cmd_billing_penalties(**app, penalties_date);
  }
  if (*billing_export || *billing_import) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    if (*billing_export)
      return billing::cmd_billing_route_export(**app, billing_route, billing_out);
    return billing::cmd_billing_reads_import(**app, billing_file);
  }
  if (*ledger_check) return cmd_ledger_check(o);
  if (*ledger_export)
    return reports::cmd_ledger_export(o.db_url, export_date, export_out, std::cout, std::cerr);
  if (*user_add || *user_list) {
    auto app = open_app(o);
    if (!app) return report(app.error());
    if (*user_add) {
      auto u = (*app)->users().create(Actor::system(), {username, display_name, role, password});
      if (!u) return report(u.error());
      std::cout << "created user " << u->username << " (" << u->role << ")\n";
      return 0;
    }
    auto users = (*app)->users().list();
    if (!users) return report(users.error());
    for (const auto& u : *users)
      std::cout << u.username << "\t" << u.role << "\t" << (u.disabled ? "disabled" : "active")
                << "\t" << u.display_name << "\n";
    return 0;
  }
  return 0;
}
