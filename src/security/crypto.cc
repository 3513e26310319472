#include "security/crypto.h"

#include <sodium.h>

#include <atomic>

#include "core/assert.h"

namespace civicdesk::security {
namespace {
std::atomic<bool> g_ready{false};
std::atomic<bool> g_minimum_cost{false};

}  // namespace

Result<void> init_crypto() {
  if (sodium_init() < 0) return fail(ErrorCode::kInternal, "libsodium failed to initialise");
  g_ready = true;
  return {};
}

Result<std::string> hash_password(std::string_view password) {
  CD_ASSERT(g_ready);
  char out[crypto_pwhash_STRBYTES];
  bool min = g_minimum_cost.load();
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        min ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        min ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return fail(ErrorCode::kInternal, "out of memory while hashing a password");
  return std::string(out);
}

bool verify_password(std::string_view password, const std::string& stored_hash) {
  CD_ASSERT(g_ready);
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

void verify_dummy_password(std::string_view password) {
  static const std::string dummy = [] {
    auto h = hash_password("civicdesk-no-such-user-dummy");
    CD_ASSERT(h.has_value());
    return *h;
  }();
  (void)verify_password(password, dummy);
}

void use_minimum_password_cost_for_tests() { g_minimum_cost = true; }

std::string random_hex(std::size_t bytes) {
  CD_ASSERT(g_ready);
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(bytes * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), bytes);
  out.pop_back();
  return out;
}

std::string blake2b_hex(std::string_view data) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  std::string out(sizeof digest * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), digest, sizeof digest);
  out.pop_back();
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace civicdesk::security
