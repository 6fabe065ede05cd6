// Small cryptographic helpers over OpenSSL and libsodium. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mekong/core/status.h"

namespace mekong {

// Cryptographically secure random bytes.
std::string RandomBytes(size_t n);
// A random token for sessions and API keys: 32 random bytes, base64url without padding.
std::string RandomToken();

std::string Sha256(std::string_view data);                            // 32 raw bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string HexEncode(std::string_view bytes, bool upper = false);
Result<std::string> HexDecode(std::string_view hex);
// RFC 4648 base64: the URL alphabet without padding (tokens, JWS), or the standard one with
// padding (certificates, PEM).
std::string Base64UrlEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Either alphabet, padding optional; anything else is an error.
Result<std::string> Base64Decode(std::string_view text);

// Argon2id password hashing (libsodium's crypto_pwhash_str, interactive limits). The hash string
// holds its own salt and parameters.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);

}  // namespace mekong
