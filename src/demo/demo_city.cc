#include "demo/demo_city.h"

#include <fmt/format.h>
#include <array>

#include "core/limits.h"

namespace civicdesk::demo {
namespace {

constexpr std::array kFirst = {
    "Maria",     "James",     "Linda",    "Robert",    "Patricia", "Michael",   "Jennifer",
    "David",     "Elizabeth", "William",  "Barbara",   "Richard",  "Susan",     "Joseph",
    "Jessica",   "Thomas",    "Sarah",    "Carlos",    "Karen",    "Daniel",    "Nancy",
    "Matthew",   "Lisa",      "Anthony",  "Betty",     "Mark",     "Sandra",    "Jose",
    "Ashley",    "Kevin",     "Dorothy",  "Brian",     "Kimberly", "George",    "Emily",
    "Timothy",   "Donna",     "Ronald",   "Michelle",  "Jason",    "Carol",     "Edward",
    "Amanda",    "Jeffrey",   "Melissa",  "Ryan",      "Deborah",  "Jacob",     "Stephanie",
    "Gary",      "Rebecca",   "Nicholas", "Laura",     "Eric",     "Helen",     "Jonathan",
    "Sharon",    "Stephen",   "Cynthia",  "Larry",     "Kathleen", "Justin",    "Amy",
    "Scott",     "Shirley",   "Brandon",  "Angela",    "Benjamin", "Anna",      "Samuel",
    "Ruth",      "Gregory",   "Brenda",   "Alexander", "Pamela",   "Frank",     "Nicole",
    "Patrick",   "Katherine", "Raymond",  "Virginia",  "Jack",     "Catherine", "Dennis",
    "Christine", "Jerry",     "Samantha", "Tyler",     "Debra",    "Aaron",     "Janet",
    "Juan",      "Rachel",    "Luis",     "Carolyn",   "Wei",      "Mei",       "Hiroshi",
    "Yuki",      "Priya",     "Arjun",    "Fatima",    "Omar",     "Nguyen",    "Thi",
    "Olga",      "Ivan",      "Chloe",    "Mateo",     "Sofia",    "Diego"};
constexpr std::array kLast = {
    "Smith",    "Johnson",   "Williams",   "Brown",     "Jones",    "Garcia",   "Miller",
    "Davis",    "Rodriguez", "Martinez",   "Hernandez", "Lopez",    "Gonzalez", "Wilson",
    "Anderson", "Thomas",    "Taylor",     "Moore",     "Jackson",  "Martin",   "Lee",
    "Perez",    "Thompson",  "White",      "Harris",    "Sanchez",  "Clark",    "Ramirez",
    "Lewis",    "Robinson",  "Walker",     "Young",     "Allen",    "King",     "Wright",
    "Scott",    "Torres",    "Nguyen",     "Hill",      "Flores",   "Green",    "Adams",
    "Nelson",   "Baker",     "Hall",       "Rivera",    "Campbell", "Mitchell", "Carter",
    "Roberts",  "Gomez",     "Phillips",   "Evans",     "Turner",   "Diaz",     "Parker",
    "Cruz",     "Edwards",   "Collins",    "Reyes",     "Stewart",  "Morris",   "Morales",
    "Murphy",   "Cook",      "Rogers",     "Gutierrez", "Ortiz",    "Morgan",   "Cooper",
    "Peterson", "Bailey",    "Reed",       "Kelly",     "Howard",   "Ramos",    "Kim",
    "Cox",      "Ward",      "Richardson", "Watson",    "Brooks",   "Chavez",   "Wood",
    "James",    "Bennett",   "Gray",       "Mendoza",   "Ruiz",     "Hughes",   "Price",
    "Alvarez",  "Castillo",  "Sanders",    "Patel",     "Myers",    "Long",     "Ross",
    "Foster",   "Jimenez",   "Chen",       "Wang",      "Tanaka",   "Okafor",   "Kowalski",
    "Novak",    "Schmidt",   "Muller",     "O'Brien",   "Sullivan", "Nakamura", "Singh",
    "Haddad",   "Petrov",    "Johansson"};
constexpr std::array kStreets = {
    "Oak",      "Maple",    "Cedar",      "Pine",      "Elm",       "Willow",    "Walnut",
    "Chestnut", "Sycamore", "Redwood",    "Magnolia",  "Juniper",   "Aspen",     "Birch",
    "Spruce",   "Laurel",   "Main",       "Church",    "Mill",      "River",     "Lake",
    "Hill",     "Park",     "Washington", "Lincoln",   "Jefferson", "Madison",   "Franklin",
    "Adams",    "Monroe",   "Harbor",     "Bay",       "Ocean",     "Mountain",  "Valley",
    "Meadow",   "Orchard",  "Vineyard",   "Mission",   "Sierra",    "Canyon",    "Mesa",
    "Vista",    "Alder",    "Cypress",    "Poplar",    "Hawthorne", "Linden",    "Hickory",
    "Dogwood",  "Locust",   "Beech",      "Fir",       "Sequoia",   "Manzanita", "Buckeye",
    "Olive",    "Palm",     "Acacia",     "Eucalyptus"};
constexpr std::array kSuffixes = {"St", "Ave", "Blvd", "Dr", "Ln", "Ct", "Way", "Pl", "Rd"};
constexpr std::array kBusinessWords = {"Riverton", "Valley",  "Sunrise",   "Pacific",
                                       "Golden",   "Summit",  "Evergreen", "Harbor",
                                       "Redwood",  "Cascade", "Pioneer",   "Mission"};
constexpr std::array kBusinessKinds = {"Bakery",
                                       "Auto Repair",
                                       "Dental Group",
                                       "Plumbing",
                                       "Landscaping",
                                       "Cafe",
                                       "Market",
                                       "Hardware",
                                       "Laundry",
                                       "Pharmacy",
                                       "Construction",
                                       "Property Management",
                                       "Veterinary Clinic",
                                       "Bookstore",
                                       "Florist"};
constexpr std::array kZips = {"95501", "95502", "95503", "95521", "95524", "95525", "95540"};
constexpr std::array kDomains = {"example.org", "example.com", "example.net", "mail.example.org"};

struct DemoUser {
  const char* username;
  const char* name;
};
constexpr std::array kUsers = {DemoUser{"csr1", "Casey Rivera (CSR I)"},
                               DemoUser{"csr2", "Jordan Lee (CSR II)"},
                               DemoUser{"csr3", "Morgan Patel (CSR III)"},
                               DemoUser{"supervisor", "Alex Kim (Supervisor)"},
                               DemoUser{"finance", "Taylor Chen (Finance)"},
                               DemoUser{"auditor", "Riley Novak (Auditor)"},
                               DemoUser{"admin", "Sam Okafor (Administrator)"},
                               DemoUser{"field", "Drew Garcia (Field)"}};

template <class A>
const char* pick(Random& rng, const A& arr) {
  return arr[rng.below(arr.size())];
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::erase(s, '\'');
  return s;
}

Result<int> ensure_users(App& app, const Actor& actor) {
  CD_ASSIGN(auto existing, app.users().list());
  int created = 0;
  for (const auto& u : kUsers) {
    bool have = std::any_of(existing.begin(), existing.end(),
                            [&](const auto& e) { return e.username == u.username; });
    if (have) continue;
    // Front-line staff work the Customer Service queues; finance staff the Finance ones.
    std::string department = std::string(u.username).starts_with("csr") ? "CS"
                             : std::string(u.username) == "finance"     ? "FIN"
                                                                        : "";
    CD_TRY(app.users().create(actor, {u.username, u.name, u.username, kDemoPassword, department}));
    ++created;
  }
  return created;
}

}  // namespace

std::uint64_t Random::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

customers::PartyInput demo_party(Random& rng) {
  customers::PartyInput p;
  bool business = rng.below(10) == 0;
  p.first_name = pick(rng, kFirst);
  p.last_name = pick(rng, kLast);
  if (business) {
    p.kind = "business";
    p.business_name = std::string(pick(rng, kBusinessWords)) + " " + pick(rng, kBusinessKinds);
  }
  customers::Address a;
  a.line1 =
      fmt::format("{} {} {}", 100 + rng.below(9800), pick(rng, kStreets), pick(rng, kSuffixes));
  if (rng.below(6) == 0) a.line2 = fmt::format("Apt {}", 1 + rng.below(40));
  a.city = "Riverton";
  a.state = "CA";
  a.postal_code = pick(rng, kZips);
  p.addresses.push_back(a);
  p.phones.push_back({rng.below(3) ? "mobile" : "home",
                      fmt::format("(555) {:03}-{:04}", 200 + rng.below(800), rng.below(10000))});
  if (rng.below(4) != 0) {
    std::string local = business ? lower(p.business_name.substr(0, p.business_name.find(' ')))
                                 : lower(p.first_name) + "." + lower(p.last_name);
    p.emails.push_back({fmt::format("{}{}@{}", local, rng.below(1000), pick(rng, kDomains))});
    p.contact_preference = rng.below(2) ? "email" : "mail";
  }
  p.preferred_language = rng.below(5) == 0 ? "es" : "en";
  return p;
}

Result<DemoSummary> generate(App& app, std::int64_t parties, std::int64_t accounts,
                             std::uint64_t seed,
                             const std::function<void(std::int64_t, std::int64_t)>& progress) {
  if (parties < 0 || parties > kMaxDemoParties)
    return fail(Error::invalid("parties",
                               "parties must be between 0 and " + std::to_string(kMaxDemoParties)));
  Actor actor = Actor::system("demo");
  DemoSummary out;
  CD_ASSIGN(out.users_created, ensure_users(app, actor));
  CD_TRY(app.counter().seed_demo(actor));
  // Continue the sequence after the parties already there, so re-running adds new people.
  CD_ASSIGN(auto existing, app.db().read<std::int64_t>([](store::Connection& c) {
    return c.query_int("SELECT COUNT(*) FROM parties");
  }));
  CD_ASSIGN(auto last_id, app.db().read<std::int64_t>([](store::Connection& c) {
    return c.query_int("SELECT COALESCE(MAX(id), 0) FROM parties");
  }));
  Random rng(seed);
  for (std::int64_t i = 0; i < existing; ++i) (void)demo_party(rng);
  constexpr std::int64_t kBatch = 5000;
  for (std::int64_t done = 0; done < parties;) {
    std::vector<customers::PartyInput> batch;
    for (std::int64_t i = 0; i < kBatch && done + i < parties; ++i) {
      auto valid = customers::validate(demo_party(rng));
      if (!valid) return std::unexpected(valid.error());
      batch.push_back(std::move(*valid));
    }
    CD_TRY(app.parties().create_many(actor, batch));
    done += static_cast<std::int64_t>(batch.size());
    out.parties_created = done;
    if (progress) progress(done, parties);
  }
  CD_ASSIGN(out.obligations_created, seed_receivables(app, actor, last_id, accounts, seed));
  CD_ASSIGN(out.utility_accounts_created,
            seed_utility_accounts(app, actor, last_id, accounts, seed));
  if (out.obligations_created > 0) {
    CD_ASSIGN(auto first, app.db().read<std::int64_t>([&](store::Connection& c) {
      return c.query_int("SELECT COALESCE(MIN(id), 0) FROM parties WHERE id > ?", {last_id});
    }));
    out.first_account = 1000 + first;
    CD_ASSIGN(out.first_account_due_cents, app.db().read<std::int64_t>([&](store::Connection& c) {
      return c.query_int("SELECT balance_cents FROM obligations WHERE account_ref = ?",
                         {"utility:" + std::to_string(out.first_account)});
    }));
  }
  return out;
}

}  // namespace civicdesk::demo
