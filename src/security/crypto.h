// Thin wrappers over libsodium: argon2id password hashes, random tokens, BLAKE2b digests.
// sodium_init() is called once by init_crypto(); every function asserts it ran.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::security {

// Must be called once at start (main, test main). Returns an error if libsodium cannot start.
[[nodiscard]] Result<void> init_crypto();

// Argon2id (libsodium's interactive limits); the result embeds salt and parameters.
[[nodiscard]] Result<std::string> hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& stored_hash);
// Burns the same time as a verify, so unknown usernames cannot be told apart by timing.
void verify_dummy_password(std::string_view password);

// Tests only: libsodium's minimum argon2id cost, so suites that create many users stay fast.
// Never called by the server or the CLI; production hashes always use the interactive cost.
void use_minimum_password_cost_for_tests();

// `bytes` random bytes as lowercase hex (a 128-bit token is 16 bytes).
std::string random_hex(std::size_t bytes);

// BLAKE2b-256 of the input, lowercase hex.
std::string blake2b_hex(std::string_view data);

// Constant-time comparison of two strings of equal length; false when lengths differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace civicdesk::security
