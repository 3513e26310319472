#include "tests/script_runner.h"

#include <array>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

namespace civicdesk::testing {
namespace json = boost::json;
namespace {

// Values that change from run to run (or between backends) and so are shown as "*".
constexpr std::array<std::string_view, 6> kVolatileKeys = {
    "created_at", "updated_at", "at", "last_login_at", "request_id", "csrf_token"};
constexpr std::array<std::string_view, 5> kMethods = {"GET", "POST", "PATCH", "PUT", "DELETE"};
constexpr std::string_view kSeparator = "----";
constexpr std::string_view kNoCsrf = "nocsrf";
constexpr std::string_view kKey = "key";  // `key K POST ...` sends Idempotency-Key: K

// --- text helpers --------------------------------------------------------------------------

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::string trim_right(std::string_view s) {
  std::size_t e = s.find_last_not_of(" \t\r");
  return e == std::string_view::npos ? std::string() : std::string(s.substr(0, e + 1));
}

bool is_blank(const std::string& s) {
  return trim(s).empty();
}
bool is_comment(const std::string& s) {
  return trim(s).starts_with('#');
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.ends_with('\r')) line.pop_back();
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string join(const std::vector<std::string>& lines, std::string_view indent = "") {
  std::string out;
  for (const auto& l : lines) out += std::string(indent) + l + "\n";
  return out;
}

bool is_volatile(std::string_view key) {
  for (auto k : kVolatileKeys)
    if (k == key) return true;
  return false;
}

void pretty_into(const json::value& v, int indent, std::string& out) {
  std::string pad(indent + 2, ' ');
  if (v.is_object() && !v.as_object().empty()) {
    out += "{\n";
    const auto& o = v.as_object();
    std::size_t i = 0;
    for (const auto& kv : o) {
      out += pad + json::serialize(json::string(kv.key())) + ": ";
      if (is_volatile(kv.key()) && !kv.value().is_null())
        out += "\"*\"";
      else
        pretty_into(kv.value(), indent + 2, out);
      out += ++i < o.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "}";
  } else if (v.is_array() && !v.as_array().empty()) {
    out += "[\n";
    const auto& a = v.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      out += pad;
      pretty_into(a[i], indent + 2, out);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out += std::string(indent, ' ') + "]";
  } else {
    out += json::serialize(v);
  }
}

// `$`, `$.key`, `$.items[0].id`: the value as text (strings unquoted).
Result<std::string> json_path(const json::value& root, std::string_view path) {
  auto bad = [&](std::string why) {
    return fail(Error::invalid("let", "path " + std::string(path) + ": " + why));
  };
  if (!path.starts_with('$')) return bad("must start with $");
  const json::value* v = &root;
  for (std::size_t i = 1; i < path.size();) {
    if (path[i] == '.') {
      std::size_t end = path.find_first_of(".[", i + 1);
      std::string key(path.substr(i + 1, end - i - 1));
      const json::value* next = v->is_object() ? v->as_object().if_contains(key) : nullptr;
      if (!next) return bad("no key '" + key + "'");
      v = next;
      i = end == std::string_view::npos ? path.size() : end;
    } else if (path[i] == '[') {
      std::size_t end = path.find(']', i);
      std::size_t index = 0;
      auto [ptr, ec] = std::from_chars(path.data() + i + 1, path.data() + end, index);
      if (end == std::string_view::npos || ec != std::errc() || ptr != path.data() + end)
        return bad("bad index");
      const json::value* next = v->is_array() ? v->as_array().if_contains(index) : nullptr;
      if (!next) return bad("no element " + std::to_string(index));
      v = next;
      i = end + 1;
    } else {
      return bad("expected . or [ at offset " + std::to_string(i));
    }
  }
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

Result<Timestamp> parse_clock_step(const std::string& step) {
  static const std::map<char, Timestamp> kUnitsUs = {{'s', kMicrosPerSecond},
                                                     {'m', 60 * kMicrosPerSecond},
                                                     {'h', 3600 * kMicrosPerSecond},
                                                     {'d', 86400 * kMicrosPerSecond}};
  Timestamp n = 0;
  auto unit = step.empty() ? kUnitsUs.end() : kUnitsUs.find(step.back());
  if (step.size() < 3 || step[0] != '+' || unit == kUnitsUs.end())
    return fail(Error::invalid("clock", "write clock +N with a unit s, m, h or d"));
  auto [ptr, ec] = std::from_chars(step.data() + 1, step.data() + step.size() - 1, n);
  if (ec != std::errc() || ptr != step.data() + step.size() - 1 || n < 1)
    return fail(Error::invalid("clock", "bad clock step " + step));
  return n * unit->second;
}

// --- parsing -------------------------------------------------------------------------------

struct Record {
  int line = 0;            // 1-based line of the command
  std::string command;     // the command line plus any continuation lines, joined by '\n'
  std::size_t end = 0;     // index of the first line after the command
  bool has_block = false;  // a `----` line follows the command
  std::size_t block_begin = 0, block_end = 0;  // expected lines: [begin, end)
  std::vector<std::string> expected;
};

bool is_request(const std::string& line) {
  auto words = split_words(line);
  if (words.size() > 2 && words[0] == kKey) words.erase(words.begin(), words.begin() + 2);
  if (!words.empty() && words[0] == kNoCsrf) words.erase(words.begin());
  if (words.empty()) return false;
  for (auto m : kMethods)
    if (words[0] == m) return true;
  return false;
}

// A request's JSON may continue on the lines after it, up to `----` or a blank line.
std::vector<Record> parse(const std::vector<std::string>& lines) {
  std::vector<Record> out;
  for (std::size_t i = 0; i < lines.size();) {
    if (is_blank(lines[i]) || is_comment(lines[i])) {
      ++i;
      continue;
    }
    Record r;
    r.line = static_cast<int>(i) + 1;
    r.command = trim(lines[i++]);
    if (is_request(r.command))
      while (i < lines.size() && !is_blank(lines[i]) && trim(lines[i]) != kSeparator)
        r.command += "\n" + trim(lines[i++]);
    r.end = i;
    if (i < lines.size() && trim(lines[i]) == kSeparator) {
      r.has_block = true;
      r.block_begin = ++i;
      while (i < lines.size() && !is_blank(lines[i])) r.expected.push_back(trim_right(lines[i++]));
      r.block_end = i;
    }
    out.push_back(std::move(r));
  }
  return out;
}

// --- running -------------------------------------------------------------------------------

class Runner {
 public:
  Runner(ScriptHost& host, std::string path, const std::string& text, bool record)
      : host_(host), path_(std::move(path)), lines_(split_lines(text)), record_(record) {
    records_ = parse(lines_);
    ends_with_newline_ = text.ends_with('\n');
  }

  ScriptRun run();

 private:
  struct Loop {
    std::size_t first = 0;  // index of the first record in the body
    std::int64_t remaining = 0;
  };

  bool step(std::size_t k, std::vector<Loop>& loops, std::size_t& next);
  bool execute(std::size_t k);
  bool run_request(std::size_t k, const std::string& command);
  bool sign_in_as(std::size_t k, const std::string& username);
  void check_audit(std::size_t k);
  bool let(std::size_t k, const std::vector<std::string>& words);
  void compare(std::size_t k, const std::vector<std::string>& actual,
               const std::vector<std::string>& shown, bool ok);
  void remember_session(const ApiResult& r);
  Result<std::string> substitute(const std::string& s) const;
  Result<std::vector<std::string>> expected_lines(const Record& r) const;
  bool failure(std::size_t k, const std::string& message);
  std::string recorded() const;

  ScriptHost& host_;
  std::string path_;
  std::vector<std::string> lines_;
  std::vector<Record> records_;
  bool record_;
  bool ends_with_newline_ = false;
  Client client_;
  ApiResult last_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, Client> sessions_;                    // by username, from `as`, for `use`
  std::map<std::size_t, std::vector<std::string>> rewrites_;  // record index → new block
  std::set<std::size_t> failed_;  // records already reported (a loop repeats them)
  ScriptRun out_;
};

ScriptRun Runner::run() {
  std::vector<Loop> loops;
  for (std::size_t k = 0; k < records_.size();) {
    std::size_t next = k + 1;
    if (!step(k, loops, next)) break;  // a setup step failed: what follows would only cascade
    k = next;
  }
  if (!loops.empty()) failure(loops.back().first - 1, "loop without endloop");
  if (record_) out_.recorded = recorded();
  return std::move(out_);
}

// Runs record k, or moves through a loop; false stops the script.
bool Runner::step(std::size_t k, std::vector<Loop>& loops, std::size_t& next) {
  auto words = split_words(records_[k].command);
  if (words[0] == "loop") {
    std::int64_t n = 0;
    if (words.size() != 2 ||
        std::from_chars(words[1].data(), words[1].data() + words[1].size(), n).ec != std::errc() ||
        n < 1)
      return failure(k, "write loop N with N >= 1");
    loops.push_back({k + 1, n});
    return true;
  }
  if (words[0] == "endloop") {
    if (loops.empty()) return failure(k, "endloop without loop");
    if (--loops.back().remaining > 0)
      next = loops.back().first;
    else
      loops.pop_back();
    return true;
  }
  return execute(k);
}

bool Runner::execute(std::size_t k) {
  const Record& r = records_[k];
  auto command = substitute(r.command);
  if (!command) return failure(k, command.error().message);
  auto words = split_words(command->substr(0, command->find('\n')));
  if (words.empty()) return failure(k, "the command is empty after substitution");
  const std::string& verb = words[0];
  if (is_request(*command)) return run_request(k, *command);
  if (verb == "audit" && words.size() == 2 && words[1] == "verify") {
    check_audit(k);
    return true;
  }
  if (r.has_block) return failure(k, "'" + verb + "' takes no expected output");
  if (verb == "user" && words.size() == 3) {
    auto made = host_.create_user(words[1], words[2]);
    return made ? true : failure(k, "cannot create user: " + made.error().message);
  }
  if (verb == "as" && words.size() == 2) return sign_in_as(k, words[1]);
  if (verb == "use" && words.size() == 2) {
    auto it = sessions_.find(words[1]);
    if (it == sessions_.end()) return failure(k, "no session for " + words[1] + " (use `as`)");
    client_ = it->second;
    return true;
  }
  if (verb == "anonymous" && words.size() == 1) {
    client_ = {};
    return true;
  }
  if (verb == "restart" && words.size() == 1) {
    auto reopened = host_.restart();
    return reopened ? true : failure(k, "cannot reopen: " + reopened.error().message);
  }
  if (verb == "clock" && words.size() == 2) {
    auto delta = parse_clock_step(words[1]);
    if (!delta) return failure(k, delta.error().message);
    host_.advance_clock_us(*delta);
    return true;
  }
  if (verb == "let") return let(k, words);
  return failure(k, "unknown or malformed command: " + r.command);
}

bool Runner::run_request(std::size_t k, const std::string& command) {
  std::string first = command.substr(0, command.find('\n'));
  std::string rest = command.size() > first.size() ? command.substr(first.size() + 1) : "";
  auto words = split_words(first);
  Client client = client_;
  if (words.size() > 2 && words[0] == kKey) {
    client.idempotency_key = words[1];
    words.erase(words.begin(), words.begin() + 2);
  }
  bool send_csrf = words[0] != kNoCsrf;
  if (!send_csrf) words.erase(words.begin());
  if (words.size() < 2) return failure(k, "a request needs a method and a path");
  std::size_t path_at = first.find(words[1], first.find(words[0]) + words[0].size());
  std::string body = trim(first.substr(path_at + words[1].size()));
  if (!rest.empty()) body += (body.empty() ? "" : "\n") + rest;
  last_ = host_.request(words[0], words[1], body, client, send_csrf);
  remember_session(last_);
  auto expected = expected_lines(records_[k]);
  if (!expected) return failure(k, expected.error().message);
  std::vector<std::string> full = split_lines(render_response(last_));
  const std::vector<std::string>& e = *expected;
  std::vector<std::string> shown = full;  // what record mode writes, in the block's own form
  bool ok = false;
  if (!e.empty() && (e[0].starts_with("error ") || e[0].starts_with("status "))) {
    auto w = split_words(e[0]);
    bool is_error = last_.status >= 400 && !last_.error_code().empty();
    if (w[0] == "status") {
      ok = e.size() == 1 && w.size() == 2 && w[1] == std::to_string(last_.status);
      shown = {"status " + std::to_string(last_.status)};
    } else {
      ok = e.size() == 1 && w.size() <= 3 && is_error && last_.error_code() == w[1] &&
           (w.size() < 3 || last_.error_field() == w[2]);
      if (is_error)
        shown = {"error " + last_.error_code() + (w.size() == 3 ? " " + last_.error_field() : "")};
    }
  } else {
    ok = e == full;
  }
  compare(k, full, shown, ok);
  return true;
}

bool Runner::sign_in_as(std::size_t k, const std::string& username) {
  json::object body{{"username", username}, {"password", kScriptPassword}};
  last_ = host_.request("POST", "/api/v1/session", json::serialize(body), client_, true);
  remember_session(last_);
  if (last_.status != 200) return failure(k, "sign-in as " + username + " refused: " + last_.raw);
  sessions_[username] = client_;
  return true;
}

void Runner::check_audit(std::size_t k) {
  auto report = host_.verify_audit();
  std::string actual = !report      ? "error " + report.error().message
                       : report->ok ? "ok " + std::to_string(report->records)
                                    : "broken " + std::to_string(report->first_bad_seq);
  auto expected = expected_lines(records_[k]);
  if (!expected) {
    failure(k, expected.error().message);
    return;
  }
  compare(k, {actual}, {actual}, *expected == std::vector<std::string>{actual});
}

bool Runner::let(std::size_t k, const std::vector<std::string>& words) {
  if (words.size() != 4 || words[2] != "=") return failure(k, "write let NAME = $.path");
  auto value = json_path(last_.body, words[3]);
  if (!value) return failure(k, value.error().message + " in " + last_.raw);
  vars_[words[1]] = *value;
  return true;
}

// Reports a mismatch (once per record) and, in record mode, keeps `shown` to write back.
void Runner::compare(std::size_t k, const std::vector<std::string>& actual,
                     const std::vector<std::string>& shown, bool ok) {
  const Record& r = records_[k];
  if (ok) return;
  if (record_) rewrites_[k] = shown;
  if (!r.has_block) {
    failure(k, "no expected output (add ---- and the output)\nactual:\n" + join(actual, "  "));
    return;
  }
  auto expected = expected_lines(r);
  failure(k, "expected:\n" + join(expected ? *expected : r.expected, "  ") + "actual:\n" +
                 join(actual, "  "));
}

// Keeps the session cookie it is given. Unlike a browser it ignores the clearing cookie sent at
// sign-out, so the next request replays the old token and shows whether the server ended it.
void Runner::remember_session(const ApiResult& r) {
  for (const auto& [name, value] : r.headers)
    if (name == "Set-Cookie" && value.find("Max-Age=0") == std::string::npos)
      client_.cookie = value.substr(0, value.find(';'));
  if (r.body.is_object())
    if (const auto* csrf = r.body.as_object().if_contains("csrf_token"); csrf && csrf->is_string())
      client_.csrf = std::string(csrf->as_string());
}

Result<std::string> Runner::substitute(const std::string& s) const {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t open = s.find("${", i);
    if (open == std::string::npos) {
      out += s.substr(i);
      break;
    }
    std::size_t close = s.find('}', open);
    if (close == std::string::npos) return fail(Error::invalid("${", "unclosed ${ in: " + s));
    std::string name = s.substr(open + 2, close - open - 2);
    auto it = vars_.find(name);
    if (it == vars_.end()) return fail(Error::invalid(name, "unknown variable ${" + name + "}"));
    out += s.substr(i, open - i) + it->second;
    i = close + 1;
  }
  return out;
}

Result<std::vector<std::string>> Runner::expected_lines(const Record& r) const {
  std::vector<std::string> out;
  for (const auto& line : r.expected) {
    CD_ASSIGN(auto s, substitute(line));
    out.push_back(std::move(s));
  }
  return out;
}

// Always returns false, so `return failure(...)` stops the script after a failed setup step.
bool Runner::failure(std::size_t k, const std::string& message) {
  if (!failed_.insert(k).second) return false;
  const Record& r = records_[k];
  out_.failures.push_back(
      {r.line, path_ + ":" + std::to_string(r.line) + ": " + r.command + "\n" + message});
  return false;
}

std::string Runner::recorded() const {
  std::vector<std::string> out;
  std::size_t next = 0;  // first line of lines_ not yet copied
  auto copy_to = [&](std::size_t end) {
    for (; next < end; ++next) out.push_back(lines_[next]);
  };
  for (const auto& [k, block] : rewrites_) {
    const Record& r = records_[k];
    if (r.has_block) {
      copy_to(r.block_begin);
      next = r.block_end;
    } else {
      copy_to(r.end);
      out.emplace_back(kSeparator);
    }
    out.insert(out.end(), block.begin(), block.end());
    if (!r.has_block && r.end < lines_.size() && !is_blank(lines_[r.end])) out.emplace_back();
  }
  copy_to(lines_.size());
  std::string text = join(out);
  if (!ends_with_newline_ && !text.empty()) text.pop_back();
  return text;
}

}  // namespace

std::string pretty_json(const json::value& value) {
  std::string out;
  pretty_into(value, 0, out);
  return out;
}

std::string render_response(const ApiResult& response) {
  std::string out = std::to_string(response.status);
  if (!response.body.is_null())
    out += "\n" + pretty_json(response.body);
  else if (!response.raw.empty())
    out += "\n" + response.raw;
  return out;
}

ScriptRun run_script(ScriptHost& host, const std::string& path, const std::string& text,
                     bool record) {
  return Runner(host, path, text, record).run();
}

}  // namespace civicdesk::testing
