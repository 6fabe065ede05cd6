// A small CBOR (RFC 8949) value type with an encoder and a defensive decoder: input comes from
// untrusted QR codes, so every length is checked against the bytes left and nesting is capped.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mekong/core/status.h"

namespace mekong::interop {

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
  const std::vector<Cbor>& array() const { return items_; }
  const std::vector<std::pair<Cbor, Cbor>>& map() const { return entries_; }
  uint64_t tag() const { return tag_; }
  const Cbor& tagged() const { return items_.front(); }

  // Map lookup by an integer or text key; null when absent or not a map.
  const Cbor* Find(int64_t key) const;
  const Cbor* Find(std::string_view key) const;
  // A number of seconds, from an integer or a float (some issuers write iat/exp as floats).
  std::optional<int64_t> AsSeconds() const;

  bool operator==(const Cbor& o) const;

 private:
  Kind kind_ = Kind::kNull;
  int64_t int_ = 0;
  double float_ = 0;
  uint64_t tag_ = 0;
  std::string str_;
  std::vector<Cbor> items_;                    // array items, or the one tagged item
  std::vector<std::pair<Cbor, Cbor>> entries_;  // map entries in their order
};

// Definite lengths and shortest heads; map entries keep their given order.
std::string EncodeCbor(const Cbor& v);
// Exactly one item; trailing bytes are an error.
Result<Cbor> DecodeCbor(std::string_view bytes);

// For display: maps become objects (non-text keys as their decimal or JSON text), byte strings
// base64url, tags are dropped in favour of their content.
Result<std::string> CborToJson(const Cbor& v);
// Objects become maps with text keys, integers ints, other numbers floats.
Result<Cbor> JsonToCbor(std::string_view json_text);

}  // namespace mekong::interop
