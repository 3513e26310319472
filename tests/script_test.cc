// Runs every tests/scripts/**/*.test on every backend: one gtest per (file, backend), named after
// the file (e.g. Scripts/ScriptTest.Runs/parties_sqlite), so a failure names its script.
//
// CIVICDESK_SCRIPT_RECORD=1 rewrites mismatching expected blocks with the actual output, on SQLite
// only, so PostgreSQL always checks what SQLite recorded. Review the diff before keeping it.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/app_fixture.h"
#include "tests/script_runner.h"

namespace civicdesk::testing {
namespace {
namespace fs = std::filesystem;

constexpr char kParamSeparator = '|';  // a test parameter is "backend|relative/path.test"

// From CIVICDESK_SOURCE_DIR (or the working directory) when it has the scripts; else next to
// this file, because ctest lists the tests from the build directory without that variable.
fs::path scripts_dir() {
  fs::path from_env = fs::path(source_dir()) / "tests" / "scripts";
  std::error_code ec;
  if (fs::is_directory(from_env, ec)) return from_env;
  return fs::path(__FILE__).parent_path() / "scripts";
}

// Every script under tests/scripts, sorted; a placeholder when none is found, so a wrong
// CIVICDESK_SOURCE_DIR fails loudly instead of running nothing.
std::vector<std::string> script_files() {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(scripts_dir(), ec), end; !ec && it != end;
       it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".test")
      out.push_back(fs::relative(it->path(), scripts_dir()).generic_string());
  std::sort(out.begin(), out.end());
  if (out.empty()) out.push_back("");
  return out;
}

std::vector<std::string> script_params() {
  std::vector<std::string> out;
  for (const auto& file : script_files())
    for (const auto& backend : test_backends()) out.push_back(backend + kParamSeparator + file);
  return out;
}

std::string param_name(const ::testing::TestParamInfo<std::string>& info) {
  std::size_t sep = info.param.find(kParamSeparator);
  std::string file = info.param.substr(sep + 1);
  if (file.ends_with(".test")) file.resize(file.size() - 5);
  if (file.empty()) file = "no_scripts_found";
  for (char& ch : file)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return file + "_" + info.param.substr(0, sep);
}

bool recording() {
  const char* v = std::getenv("CIVICDESK_SCRIPT_RECORD");
  return v && std::string(v) == "1";
}

class ScriptTest : public AppTest, public ScriptHost {
 protected:
  std::string backend() const { return GetParam().substr(0, GetParam().find(kParamSeparator)); }
  std::string file() const { return GetParam().substr(GetParam().find(kParamSeparator) + 1); }

  // AppTest::SetUp would take the whole parameter for the backend name.
  void SetUp() override {
    url_ = fresh_migrated_database_url(backend());
    ASSERT_FALSE(url_.empty());
    AppTest::restart();
  }

  ApiResult request(const std::string& method, const std::string& target, const std::string& body,
                    const Client& client, bool send_csrf) override {
    return call(method, target, body, client.cookie.empty() ? nullptr : &client, send_csrf);
  }

  // Keeps the time across the restart. clock_ points into the App being closed, so it is read
  // first and cleared (AppTest::restart would read it after the App is gone).
  Result<void> restart() override {
    Timestamp now = clock_->now_us();
    api_.reset();
    app_.reset();
    clock_ = nullptr;
    AppTest::restart();
    if (!app_) return fail(ErrorCode::kStorage, "App::open failed (see the failure above)");
    clock_->set_us(now);
    return {};
  }

  void advance_clock_us(Timestamp delta_us) override { clock_->advance_us(delta_us); }

  Result<void> create_user(const std::string& username, const std::string& role) override {
    CD_TRY(app_->users().create(Actor::system("script"),
                                {username, "Test " + username, role, kScriptPassword}));
    return {};
  }

  Result<audit::VerifyReport> verify_audit() override { return audit::verify(app_->db()); }
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_P(ScriptTest, Runs) {
  ASSERT_FALSE(file().empty()) << "no *.test files under " << scripts_dir()
                               << "; set CIVICDESK_SOURCE_DIR to the source tree";
  fs::path path = scripts_dir() / file();
  std::string text = read_text(path);
  ASSERT_FALSE(text.empty()) << "cannot read " << path;
  bool record = recording() && backend() == "sqlite";
  ScriptRun run = run_script(*this, "tests/scripts/" + file(), text, record);
  for (const auto& f : run.failures) ADD_FAILURE_AT(path.c_str(), f.line) << f.message;
  if (record && !run.failures.empty()) {
    std::ofstream(path, std::ios::binary) << run.recorded;
    std::cerr << "recorded actual output into " << path << "\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Scripts, ScriptTest, ::testing::ValuesIn(script_params()), param_name);

// --- the runner itself, against a host that answers from a table ---------------------------

class FakeHost : public ScriptHost {
 public:
  ApiResult request(const std::string& method, const std::string& target, const std::string&,
                    const Client&, bool) override {
    ApiResult r;
    r.status = method == "GET" ? 200 : 409;
    r.body = method == "GET"
                 ? boost::json::value{{"id", 7}, {"at", "2026-11-26T16:00:00Z"}, {"tags", {1, 2}}}
                 : boost::json::value{{"error", {{"code", "conflict"}, {"field", "version"}}}};
    last_target = target;
    return r;
  }
  Result<void> restart() override { return {}; }
  void advance_clock_us(Timestamp) override {}
  Result<void> create_user(const std::string&, const std::string&) override { return {}; }
  Result<audit::VerifyReport> verify_audit() override { return audit::VerifyReport{true, 3}; }
  std::string last_target;
};

TEST(ScriptRunner, MatchesPrettyJsonAndMasksVolatileKeys) {
  FakeHost host;
  std::string script =
      "GET /x\n----\n200\n{\n  \"id\": 7,\n  \"at\": \"*\",\n  \"tags\": [\n    1,\n    2\n  ]\n}\n"
      "\nlet id = $.id\nGET /parties/${id}\n----\nstatus 200\n";
  ScriptRun run = run_script(host, "t.test", script, false);
  EXPECT_TRUE(run.failures.empty()) << run.failures[0].message;
  EXPECT_EQ(host.last_target, "/parties/7");
}

TEST(ScriptRunner, ErrorCodeAndFieldAndAuditVerify) {
  FakeHost host;
  ScriptRun run =
      run_script(host, "t.test",
                 "POST /x {}\n----\nerror conflict version\n\naudit verify\n----\nok 3\n", false);
  EXPECT_TRUE(run.failures.empty()) << run.failures[0].message;
}

TEST(ScriptRunner, MismatchNamesFileAndLineAndRecordRewritesTheBlock) {
  FakeHost host;
  std::string script = "# c\nPOST /x {}\n----\nerror not_found\n\nGET /x\n";
  ScriptRun run = run_script(host, "t.test", script, true);
  ASSERT_EQ(run.failures.size(), 2u);
  EXPECT_EQ(run.failures[0].line, 2);
  EXPECT_NE(run.failures[0].message.find("t.test:2:"), std::string::npos);
  EXPECT_EQ(run.recorded,
            "# c\nPOST /x {}\n----\nerror conflict\n\nGET /x\n----\n200\n{\n  \"id\": 7,\n"
            "  \"at\": \"*\",\n  \"tags\": [\n    1,\n    2\n  ]\n}\n");
}

TEST(ScriptRunner, LoopsRepeatTheirBody) {
  FakeHost host;
  ScriptRun run = run_script(host, "t.test", "loop 3\nclock +14m\nendloop\nloop 0\n", false);
  ASSERT_EQ(run.failures.size(), 1u);
  EXPECT_EQ(run.failures[0].line, 4);
}

}  // namespace
}  // namespace civicdesk::testing
