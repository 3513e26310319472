// Bill PDFs: render N varied bills (default 10,000) one PDF each, as the bill page of the API
// does, and the same bills as print batches of 500 (one PDF per batch, as the mail house gets
// them). Target: >= 500 single-bill PDFs/s on one core. Pure CPU and memory, no database.
//
//   CIVICDESK_BENCH_BILLS=10000 build/bench/bill_pdf_bench
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_common.h"
#include "billing/bill_document.h"

namespace civicdesk::bench {
namespace {

// CPU seconds of this process (user + system): on a shared machine the wall clock also counts
// other people's work, so each row also reports PDFs per CPU second.
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

constexpr const char* kBench = "bill_pdf";

// Its own generator so the bills are the same on every platform and run.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::int64_t in(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
};

const char* const kFirst[] = {"Ana", "Bo", "Carmen", "Dev", "Elena", "Farid", "Grace", "Hiro"};
const char* const kLast[] = {"Ruiz", "Chen", "Okafor", "Patel", "Novak", "Haddad", "Kim", "Lee"};
const char* const kStreets[] = {"Elm St",           "Oak Ave",    "Chestnut St",
                                "Mountain View Rd", "Pioneer Ln", "Harbor Blvd"};
const char* const kMonths[] = {"Nov 25", "Dec 25", "Jan 26", "Feb 26", "Mar 26", "Apr 26",
                               "May 26", "Jun 26", "Jul 26", "Aug 26", "Sep 26", "Oct 26"};

billing::BillDocument make_bill(Rng& rng, std::int64_t i) {
  billing::BillDocument b;
  b.city.name = "City of Springfield Utilities";
  b.city.address = "100 Main St\nSpringfield, OR 97477";
  b.city.phone = "(555) 555-0100";
  b.city.pay_url = "https://pay.springfield.example/utility";
  b.city.remit_to = "City of Springfield\nPO Box 4400\nSpringfield, OR 97477-4400";
  b.account_number = 1000 + i;
  b.customer_name = std::string(kFirst[rng.in(0, 7)]) + " " + kLast[rng.in(0, 7)];
  const std::string street = std::to_string(rng.in(1, 9999)) + " " + kStreets[rng.in(0, 5)];
  b.mailing_address = street + (rng.in(0, 4) == 0 ? "\nApt " + std::to_string(rng.in(1, 40)) : "") +
                      "\nSpringfield, OR 97477";
  b.service_address = street;
  b.bill_date = CivilDate{2026, 11, 5};
  b.period_start = CivilDate{2026, 10, 1};
  b.period_end = CivilDate{2026, 10, 31};
  b.due_date = CivilDate{2026, 11, 25};
  const int meters = rng.in(0, 9) == 0 ? 2 : 1;
  std::int64_t usage = 0;
  for (int m = 0; m < meters; ++m) {
    const std::int64_t prev = rng.in(0, 90'000), used = rng.in(2, 40);
    const bool estimated = rng.in(0, 19) == 0;
    b.reads.push_back(billing::BillRead{"M-" + std::to_string(80'000 + i * 2 + m),
                                        CivilDate{2026, 9, 30}, prev, CivilDate{2026, 10, 31},
                                        prev + used, estimated, used * 1000});
    usage += used * 1000;
  }
  const int periods = static_cast<int>(rng.in(0, 12));  // new accounts have less history
  for (int p = 12 - periods; p < 12; ++p)
    b.history.push_back(
        billing::BillUsagePeriod{kMonths[p], rng.in(0, 40'000), rng.in(0, 19) == 0});
  std::int64_t total = 0;
  auto service = [&](const char* name, int lines) {
    billing::BillServiceCharges s{name, {}, Money::zero()};
    for (int l = 0; l < lines; ++l) {
      const std::int64_t cents = rng.in(100, 6'000);
      s.lines.push_back(billing::BillChargeLine{
          std::string(name) + " charge " + std::to_string(l + 1),
          l == 0 ? "base charge, 5/8\" meter"
                 : std::to_string(usage / 1000) + " CCF x $" + std::to_string(rng.in(2, 5)) + "." +
                       std::to_string(rng.in(10, 99)),
          Money::from_cents(cents)});
      s.subtotal = Money::from_cents(s.subtotal.cents() + cents);
    }
    total += s.subtotal.cents();
    b.charges.push_back(std::move(s));
  };
  service("Water", static_cast<int>(rng.in(2, 4)));
  service("Sewer", static_cast<int>(rng.in(1, 2)));
  if (rng.in(0, 3) != 0) service("Refuse", 1);
  if (rng.in(0, 2) != 0) service("Stormwater", 1);
  b.previous_balance = Money::from_cents(rng.in(0, 30'000));
  b.payments = rng.in(0, 5) == 0 ? Money::zero() : b.previous_balance;
  b.current_charges = Money::from_cents(total);
  const std::int64_t credit = rng.in(0, 49) == 0 ? rng.in(total + 1, total + 5'000) : 0;
  b.adjustments = Money::from_cents(-credit);
  b.amount_due =
      Money::from_cents(b.previous_balance.cents() - b.payments.cents() + total - credit);
  if (rng.in(0, 2) == 0) b.messages.push_back("Water rates change on January 1; see the insert.");
  if (rng.in(0, 4) == 0)
    b.messages.push_back(
        "Your usage is higher than the same period last year. Check for leaks: "
        "a running toilet can waste 200 gallons a day.");
  return b;
}

}  // namespace
}  // namespace civicdesk::bench

int main() {
  using namespace civicdesk;
  using namespace civicdesk::bench;
  const std::int64_t n = env_int("CIVICDESK_BENCH_BILLS", 10'000);
  std::printf("bill_pdf_bench: %u hardware threads; N = %" PRId64 " bills\n",
              std::thread::hardware_concurrency(), n);
  Rng rng{0x9E3779B97F4A7C15ull};
  std::vector<billing::BillDocument> bills;
  bills.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) bills.push_back(make_bill(rng, i));

  // Warm-up: the first render pays for libharu's and zint's one-time tables.
  for (int i = 0; i < 50 && i < n; ++i) must(billing::render_bill_pdf(bills[i]), "warm-up");

  // (a) one PDF per bill.
  std::vector<double> ms;
  ms.reserve(bills.size());
  std::size_t bytes = 0, pages_over_one = 0;
  const double cpu0 = cpu_seconds();
  const auto t0 = SteadyClock::now();
  for (const auto& b : bills) {
    const auto t = SteadyClock::now();
    std::string pdf = must(billing::render_bill_pdf(b), "render");
    ms.push_back(ms_since(t));
    bytes += pdf.size();
    if (pdf.find("/Count 1") == std::string::npos) ++pages_over_one;
  }
  const double total_ms = ms_since(t0);
  const double cpu_a = cpu_seconds() - cpu0;
  const double per_s = static_cast<double>(n) / (total_ms / 1000.0);
  add_row("(a) one PDF per bill", n, ms, per_s, ">= 500 PDFs/s", per_s >= 500 ? "PASS" : "MISS");
  std::printf("INFO|%s|(a) average size|%.1f KiB per PDF; %zu bills over one page\n", kBench,
              static_cast<double>(bytes) / static_cast<double>(n) / 1024.0, pages_over_one);
  std::printf("INFO|%s|(a) CPU|%.2f s: %.0f PDFs per CPU second\n", kBench, cpu_a,
              static_cast<double>(n) / cpu_a);

  // (b) print batches of 500 bills, one PDF each.
  constexpr std::size_t kBatch = 500;
  std::vector<double> batch_ms;
  std::size_t batch_bytes = 0;
  const double cpu1 = cpu_seconds();
  const auto t1 = SteadyClock::now();
  for (std::size_t first = 0; first < bills.size(); first += kBatch) {
    std::vector<billing::BillDocument> batch(
        bills.begin() + static_cast<std::ptrdiff_t>(first),
        bills.begin() + static_cast<std::ptrdiff_t>(std::min(bills.size(), first + kBatch)));
    const auto t = SteadyClock::now();
    std::string pdf = must(billing::render_bills_pdf(batch), "render batch");
    batch_ms.push_back(ms_since(t));
    batch_bytes += pdf.size();
  }
  const double batch_per_s = static_cast<double>(n) / (ms_since(t1) / 1000.0);
  const double cpu_b = cpu_seconds() - cpu1;
  add_row("(b) print batches of 500 (ms per batch)", n, batch_ms, batch_per_s);
  std::printf("INFO|%s|(b) average size|%.1f KiB per bill in a batch\n", kBench,
              static_cast<double>(batch_bytes) / static_cast<double>(n) / 1024.0);
  std::printf("INFO|%s|(b) CPU|%.2f s: %.0f bills per CPU second\n", kBench, cpu_b,
              static_cast<double>(n) / cpu_b);
  print_rows(kBench);
  return 0;
}
