// A small CBOR (RFC 8949) value type with an encoder and a defensive decoder: input comes from
// untrusted QR codes, so every length is checked against the bytes left before anything is
// allocated, and nesting is capped at kMaxCborDepth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::interop {

// An item inside more than this many containers (arrays, maps, tags) is an error, when decoding
// and when converting to or from JSON, so recursion stays bounded whatever the input.
inline constexpr int kMaxCborDepth = 32;

// One value. Integers are int64 (the decoder rejects the rest of CBOR's 65-bit range); text is
// kept as bytes, its UTF-8 unchecked. Check kind() first: the accessor of another kind is safe
// (an empty or zero value, never a crash) but meaningless.
class Cbor {
 public:
  enum class Kind { kInt, kBytes, kText, kArray, kMap, kTag, kBool, kNull, kUndefined, kFloat };

  Cbor() = default;  // null
  static Cbor Int(int64_t v);
  static Cbor Bytes(std::string v);
  static Cbor Text(std::string v);
  static Cbor Array(std::vector<Cbor> items);
  static Cbor Map(std::vector<std::pair<Cbor, Cbor>> entries);
  static Cbor Tag(uint64_t tag, Cbor item);
  static Cbor Bool(bool v);
  static Cbor Null();
  static Cbor Undefined();
  static Cbor Float(double v);

  Kind kind() const { return kind_; }
  int64_t int_value() const { return int_; }
  double float_value() const { return float_; }
  bool bool_value() const { return int_ != 0; }
  const std::string& bytes() const { return str_; }  // byte and text strings
  const std::vector<Cbor>& array() const;
  const std::vector<std::pair<Cbor, Cbor>>& map() const { return entries_; }
  uint64_t tag() const { return tag_; }
  const Cbor& tagged() const;

  // Map lookup by an integer or text key: the first match, or null when absent or not a map.
  const Cbor* Find(int64_t key) const;
  const Cbor* Find(std::string_view key) const;
  // A number of seconds, from an integer or a float (some EU DCC issuers write iat/exp as
  // floats; the fraction is dropped). Nullopt for other kinds and for non-finite floats or floats
  // beyond +-1e15, which no timestamp reaches.
  std::optional<int64_t> AsSeconds() const;

  bool operator==(const Cbor& o) const;

 private:
  Kind kind_ = Kind::kNull;
  int64_t int_ = 0;
  double float_ = 0;
  uint64_t tag_ = 0;
  std::string str_;
  std::vector<Cbor> items_;                     // array items, or the one tagged item
  std::vector<std::pair<Cbor, Cbor>> entries_;  // map entries in their order
};

// Deterministic encoding (RFC 8949 section 4.2.1) except that map entries keep their given
// order: definite lengths, shortest heads, and floats in the shortest of half, single or double
// precision that holds the value exactly (NaN as f97e00).
std::string EncodeCbor(const Cbor& v);
// Exactly one item; trailing bytes are an error. Accepts indefinite lengths and any float width.
Result<Cbor> DecodeCbor(std::string_view bytes);
// The first item of `bytes`; on success `*consumed` is its length in bytes, so a caller can walk
// a CBOR sequence (RFC 8742). On error `*consumed` is left as it was.
Result<Cbor> DecodeCborPrefix(std::string_view bytes, size_t* consumed);

// For display: maps become objects (integer keys as their decimal text, other non-text keys as
// "cbor:" + base64url of their encoding), byte strings base64url, tags give way to their content,
// undefined and non-finite floats become null. Invalid UTF-8 is replaced, not an error.
Result<std::string> CborToJson(const Cbor& v);
// Objects become maps with text keys, integers ints, other numbers floats (so do integers beyond
// int64). Object members come out sorted by key, as nlohmann::json keeps them. Invalid or too
// deeply nested JSON is InvalidArgument.
Result<Cbor> JsonToCbor(std::string_view json_text);

}  // namespace mekong::interop
