#include "mekong/interop/cbor.h"

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "mekong/core/crypto.h"

namespace mekong::interop {

Cbor Cbor::Int(int64_t v) {
  Cbor c;
  c.kind_ = Kind::kInt;
  c.int_ = v;
  return c;
}
Cbor Cbor::Bytes(std::string v) {
  Cbor c;
  c.kind_ = Kind::kBytes;
  c.str_ = std::move(v);
  return c;
}
Cbor Cbor::Text(std::string v) {
  Cbor c = Bytes(std::move(v));
  c.kind_ = Kind::kText;
  return c;
}
Cbor Cbor::Array(std::vector<Cbor> items) {
  Cbor c;
  c.kind_ = Kind::kArray;
  c.items_ = std::move(items);
  return c;
}
Cbor Cbor::Map(std::vector<std::pair<Cbor, Cbor>> entries) {
  Cbor c;
  c.kind_ = Kind::kMap;
  c.entries_ = std::move(entries);
  return c;
}
Cbor Cbor::Tag(uint64_t tag, Cbor item) {
  Cbor c;
  c.kind_ = Kind::kTag;
  c.tag_ = tag;
  c.items_.push_back(std::move(item));
  return c;
}
Cbor Cbor::Bool(bool v) {
  Cbor c;
  c.kind_ = Kind::kBool;
  c.int_ = v;
  return c;
}
Cbor Cbor::Null() { return Cbor(); }
Cbor Cbor::Undefined() {
  Cbor c;
  c.kind_ = Kind::kUndefined;
  return c;
}
Cbor Cbor::Float(double v) {
  Cbor c;
  c.kind_ = Kind::kFloat;
  c.float_ = v;
  return c;
}

const std::vector<Cbor>& Cbor::array() const {
  static const auto* kEmpty = new std::vector<Cbor>();
  return kind_ == Kind::kArray ? items_ : *kEmpty;
}

const Cbor& Cbor::tagged() const {
  static const auto* kNull = new Cbor();
  return kind_ == Kind::kTag ? items_.front() : *kNull;
}

const Cbor* Cbor::Find(int64_t key) const {
  if (kind_ != Kind::kMap) return nullptr;
  for (const auto& [k, v] : entries_) {
    if (k.kind_ == Kind::kInt && k.int_ == key) return &v;
  }
  return nullptr;
}

const Cbor* Cbor::Find(std::string_view key) const {
  if (kind_ != Kind::kMap) return nullptr;
  for (const auto& [k, v] : entries_) {
    if (k.kind_ == Kind::kText && k.str_ == key) return &v;
  }
  return nullptr;
}

std::optional<int64_t> Cbor::AsSeconds() const {
  if (kind_ == Kind::kInt) return int_;
  if (kind_ == Kind::kFloat && std::isfinite(float_) && std::fabs(float_) < 1e15) {
    return static_cast<int64_t>(float_);
  }
  return std::nullopt;
}

bool Cbor::operator==(const Cbor& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::kInt:
    case Kind::kBool:
      return int_ == o.int_;
    case Kind::kFloat:
      return float_ == o.float_ || (std::isnan(float_) && std::isnan(o.float_));
    case Kind::kBytes:
    case Kind::kText:
      return str_ == o.str_;
    case Kind::kArray:
      return items_ == o.items_;
    case Kind::kMap:
      return entries_ == o.entries_;
    case Kind::kTag:
      return tag_ == o.tag_ && items_ == o.items_;
    default:
      return true;
  }
}

// --- encoding --------------------------------------------------------------------------------

namespace {

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i) & 0xff));
}

void Head(std::string& out, int major, uint64_t v) {
  char m = static_cast<char>(major << 5);
  if (v < 24) {
    out.push_back(static_cast<char>(m | v));
  } else if (v <= 0xff) {
    out.push_back(static_cast<char>(m | 24));
    PutBigEndian(out, v, 1);
  } else if (v <= 0xffff) {
    out.push_back(static_cast<char>(m | 25));
    PutBigEndian(out, v, 2);
  } else if (v <= 0xffffffffULL) {
    out.push_back(static_cast<char>(m | 26));
    PutBigEndian(out, v, 4);
  } else {
    out.push_back(static_cast<char>(m | 27));
    PutBigEndian(out, v, 8);
  }
}

// The IEEE 754 half-precision bits of `d` when it holds `d` exactly.
std::optional<uint16_t> ToHalf(double d) {
  uint16_t sign = std::signbit(d) ? 0x8000 : 0;
  double a = std::fabs(d);
  if (std::isnan(d)) return 0x7e00;
  if (std::isinf(d)) return sign | 0x7c00;
  if (a == 0) return sign;
  if (a < 0x1p-14) {  // subnormal: mantissa * 2^-24
    double m = std::ldexp(a, 24);
    if (m != std::floor(m)) return std::nullopt;
    return static_cast<uint16_t>(sign | static_cast<uint16_t>(m));
  }
  int e = std::ilogb(a);  // a = 1.f * 2^e
  if (e > 15) return std::nullopt;
  double m = std::ldexp(a, 10 - e);  // 1024..2047 when 10 fraction bits suffice
  if (m != std::floor(m)) return std::nullopt;
  return static_cast<uint16_t>(sign | (e + 15) << 10 | (static_cast<uint16_t>(m) - 1024));
}

void EncodeFloat(std::string& out, double d) {
  if (auto half = ToHalf(d)) {
    out.push_back(static_cast<char>(0xf9));
    PutBigEndian(out, *half, 2);
    return;
  }
  float f = static_cast<float>(d);
  if (static_cast<double>(f) == d) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    out.push_back(static_cast<char>(0xfa));
    PutBigEndian(out, bits, 4);
    return;
  }
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  out.push_back(static_cast<char>(0xfb));
  PutBigEndian(out, bits, 8);
}

void Encode(std::string& out, const Cbor& v) {
  switch (v.kind()) {
    case Cbor::Kind::kInt:
      if (v.int_value() >= 0) {
        Head(out, 0, static_cast<uint64_t>(v.int_value()));
      } else {
        Head(out, 1, static_cast<uint64_t>(-(v.int_value() + 1)));
      }
      break;
    case Cbor::Kind::kBytes:
    case Cbor::Kind::kText:
      Head(out, v.kind() == Cbor::Kind::kBytes ? 2 : 3, v.bytes().size());
      out += v.bytes();
      break;
    case Cbor::Kind::kArray:
      Head(out, 4, v.array().size());
      for (const auto& i : v.array()) Encode(out, i);
      break;
    case Cbor::Kind::kMap:
      Head(out, 5, v.map().size());
      for (const auto& [k, val] : v.map()) {
        Encode(out, k);
        Encode(out, val);
      }
      break;
    case Cbor::Kind::kTag:
      Head(out, 6, v.tag());
      Encode(out, v.tagged());
      break;
    case Cbor::Kind::kBool:
      out.push_back(static_cast<char>(v.bool_value() ? 0xf5 : 0xf4));
      break;
    case Cbor::Kind::kNull:
      out.push_back(static_cast<char>(0xf6));
      break;
    case Cbor::Kind::kUndefined:
      out.push_back(static_cast<char>(0xf7));
      break;
    case Cbor::Kind::kFloat:
      EncodeFloat(out, v.float_value());
      break;
  }
}

// --- decoding --------------------------------------------------------------------------------

Status Truncated() { return Status::InvalidArgument("CBOR input is truncated"); }

// A recursive-descent decoder over borrowed bytes. Recursion is bounded by kMaxCborDepth, and
// nothing is reserved from a length the input claims: strings are checked against the bytes
// left, containers grow item by item (each item takes at least one byte).
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  size_t pos() const { return pos_; }

  Result<Cbor> Item(int depth) {
    if (depth > kMaxCborDepth) {
      return Status::InvalidArgument("CBOR nested deeper than " + std::to_string(kMaxCborDepth));
    }
    if (pos_ >= in_.size()) return Truncated();
    uint8_t initial = static_cast<uint8_t>(in_[pos_++]);
    int major = initial >> 5, ai = initial & 31;
    if (ai >= 28 && ai <= 30) {
      return Status::InvalidArgument("CBOR reserved additional information " + std::to_string(ai));
    }
    if (major == 7) return Simple(ai);
    bool indefinite = ai == 31;
    if (indefinite && (major == 0 || major == 1 || major == 6)) {
      return Status::InvalidArgument("CBOR indefinite length on an integer or tag");
    }
    uint64_t arg = 0;
    if (!indefinite) {
      ASSIGN_OR_RETURN(arg, Argument(ai));
    }
    switch (major) {
      case 0:
      case 1:
        if (arg > static_cast<uint64_t>(INT64_MAX)) {
          return Status::InvalidArgument("CBOR integer outside the int64 range");
        }
        return Cbor::Int(major == 0 ? static_cast<int64_t>(arg) : -1 - static_cast<int64_t>(arg));
      case 2:
      case 3: {
        std::string s;
        if (!indefinite) {
          ASSIGN_OR_RETURN(std::string_view whole, Take(arg));
          s = whole;
        }
        // An indefinite string is definite-length chunks of its own major type up to a break.
        while (indefinite && !AtBreak()) {
          if (pos_ >= in_.size()) return Truncated();
          uint8_t h = static_cast<uint8_t>(in_[pos_++]);
          if ((h >> 5) != major || (h & 31) == 31) {
            return Status::InvalidArgument("CBOR indefinite string chunk of the wrong type");
          }
          ASSIGN_OR_RETURN(uint64_t n, Argument(h & 31));
          ASSIGN_OR_RETURN(std::string_view chunk, Take(n));
          s += chunk;
        }
        return major == 2 ? Cbor::Bytes(std::move(s)) : Cbor::Text(std::move(s));
      }
      case 4: {
        if (!indefinite && arg > in_.size() - pos_) return Truncated();
        std::vector<Cbor> items;
        for (uint64_t i = 0; indefinite ? !AtBreak() : i < arg; ++i) {
          ASSIGN_OR_RETURN(Cbor item, Item(depth + 1));
          items.push_back(std::move(item));
        }
        return Cbor::Array(std::move(items));
      }
      case 5: {
        if (!indefinite && arg > (in_.size() - pos_) / 2) return Truncated();
        std::vector<std::pair<Cbor, Cbor>> entries;
        for (uint64_t i = 0; indefinite ? !AtBreak() : i < arg; ++i) {
          ASSIGN_OR_RETURN(Cbor k, Item(depth + 1));
          ASSIGN_OR_RETURN(Cbor v, Item(depth + 1));
          entries.emplace_back(std::move(k), std::move(v));
        }
        return Cbor::Map(std::move(entries));
      }
      default: {  // 6: a tag and its one item
        ASSIGN_OR_RETURN(Cbor item, Item(depth + 1));
        return Cbor::Tag(arg, std::move(item));
      }
    }
  }

 private:
  // True (and consumed) when the next byte is a break, which ends an indefinite-length item.
  bool AtBreak() {
    if (pos_ < in_.size() && static_cast<uint8_t>(in_[pos_]) == 0xff) {
      ++pos_;
      return true;
    }
    return false;
  }

  // The head's argument: `ai` itself below 24, else the 1, 2, 4 or 8 bytes that follow.
  Result<uint64_t> Argument(int ai) {
    if (ai < 24) return static_cast<uint64_t>(ai);
    if (ai > 27) return Status::InvalidArgument("CBOR bad additional information");
    ASSIGN_OR_RETURN(std::string_view b, Take(uint64_t{1} << (ai - 24)));
    uint64_t v = 0;
    for (char c : b) v = v << 8 | static_cast<uint8_t>(c);
    return v;
  }

  Result<std::string_view> Take(uint64_t n) {
    if (n > in_.size() - pos_) return Truncated();
    std::string_view s = in_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return s;
  }

  Result<Cbor> Simple(int ai) {
    switch (ai) {
      case 20:
        return Cbor::Bool(false);
      case 21:
        return Cbor::Bool(true);
      case 22:
        return Cbor::Null();
      case 23:
        return Cbor::Undefined();
      case 25: {
        ASSIGN_OR_RETURN(uint64_t h, Argument(25));
        // IEEE 754 half precision, as RFC 8949 Appendix D decodes it.
        int exp = static_cast<int>(h >> 10 & 0x1f);
        double mant = static_cast<double>(h & 0x3ff);
        double val = exp == 0    ? std::ldexp(mant, -24)
                     : exp != 31 ? std::ldexp(mant + 1024, exp - 25)
                     : mant == 0 ? INFINITY
                                 : NAN;
        return Cbor::Float(h & 0x8000 ? -val : val);
      }
      case 26: {
        ASSIGN_OR_RETURN(uint64_t bits, Argument(26));
        uint32_t b32 = static_cast<uint32_t>(bits);
        float f;
        std::memcpy(&f, &b32, 4);
        return Cbor::Float(f);
      }
      case 27: {
        ASSIGN_OR_RETURN(uint64_t bits, Argument(27));
        double d;
        std::memcpy(&d, &bits, 8);
        return Cbor::Float(d);
      }
      case 31:
        return Status::InvalidArgument("CBOR break outside an indefinite-length item");
      default:
        return Status::InvalidArgument("CBOR simple value " + std::to_string(ai) +
                                       " is not supported");
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
};

using Json = nlohmann::json;

Result<Json> ToJson(const Cbor& v, int depth) {
  if (depth > kMaxCborDepth) {
    return Status::InvalidArgument("CBOR nested deeper than " + std::to_string(kMaxCborDepth));
  }
  switch (v.kind()) {
    case Cbor::Kind::kInt:
      return Json(v.int_value());
    case Cbor::Kind::kFloat: {
      double d = v.float_value();
      if (!std::isfinite(d)) return Json(nullptr);
      return Json(d);
    }
    case Cbor::Kind::kText:
      return Json(v.bytes());
    case Cbor::Kind::kBytes:
      return Json(Base64UrlEncode(v.bytes()));
    case Cbor::Kind::kBool:
      return Json(v.bool_value());
    case Cbor::Kind::kNull:
    case Cbor::Kind::kUndefined:
      return Json(nullptr);
    case Cbor::Kind::kTag:
      return ToJson(v.tagged(), depth + 1);
    case Cbor::Kind::kArray: {
      Json a = Json::array();
      for (const auto& i : v.array()) {
        ASSIGN_OR_RETURN(Json j, ToJson(i, depth + 1));
        a.push_back(std::move(j));
      }
      return a;
    }
    case Cbor::Kind::kMap: {
      Json o = Json::object();
      for (const auto& [k, val] : v.map()) {
        std::string key;
        if (k.kind() == Cbor::Kind::kText) {
          key = k.bytes();
        } else if (k.kind() == Cbor::Kind::kInt) {
          key = std::to_string(k.int_value());
        } else {
          // Any other key as its CBOR bytes: linear in size. (Dumping it as JSON text escaped
          // quotes again at each level of nesting, doubling the size per level: found by
          // fuzz_cbor.)
          key = "cbor:" + Base64UrlEncode(EncodeCbor(k));
        }
        ASSIGN_OR_RETURN(Json j, ToJson(val, depth + 1));
        o[key] = std::move(j);
      }
      return o;
    }
  }
  return Json(nullptr);
}

Result<Cbor> FromJson(const Json& j, int depth) {
  if (depth > kMaxCborDepth) {
    return Status::InvalidArgument("JSON nested deeper than " + std::to_string(kMaxCborDepth));
  }
  switch (j.type()) {
    case Json::value_t::object: {
      std::vector<std::pair<Cbor, Cbor>> entries;
      for (const auto& [k, v] : j.items()) {
        ASSIGN_OR_RETURN(Cbor value, FromJson(v, depth + 1));
        entries.emplace_back(Cbor::Text(k), std::move(value));
      }
      return Cbor::Map(std::move(entries));
    }
    case Json::value_t::array: {
      std::vector<Cbor> items;
      for (const auto& v : j) {
        ASSIGN_OR_RETURN(Cbor item, FromJson(v, depth + 1));
        items.push_back(std::move(item));
      }
      return Cbor::Array(std::move(items));
    }
    case Json::value_t::string:
      return Cbor::Text(j.get<std::string>());
    case Json::value_t::boolean:
      return Cbor::Bool(j.get<bool>());
    case Json::value_t::number_integer:
      return Cbor::Int(j.get<int64_t>());
    case Json::value_t::number_unsigned:
      if (j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return Cbor::Float(j.get<double>());
      return Cbor::Int(j.get<int64_t>());
    case Json::value_t::number_float:
      return Cbor::Float(j.get<double>());
    default:
      return Cbor::Null();
  }
}

}  // namespace

std::string EncodeCbor(const Cbor& v) {
  std::string out;
  Encode(out, v);
  return out;
}

Result<Cbor> DecodeCbor(std::string_view bytes) {
  size_t consumed = 0;
  ASSIGN_OR_RETURN(Cbor v, DecodeCborPrefix(bytes, &consumed));
  if (consumed != bytes.size()) {
    return Status::InvalidArgument(std::to_string(bytes.size() - consumed) +
                                   " trailing bytes after the CBOR item");
  }
  return v;
}

Result<Cbor> DecodeCborPrefix(std::string_view bytes, size_t* consumed) {
  Decoder d(bytes);
  ASSIGN_OR_RETURN(Cbor v, d.Item(0));
  *consumed = d.pos();
  return v;
}

Result<std::string> CborToJson(const Cbor& v) {
  ASSIGN_OR_RETURN(Json j, ToJson(v, 0));
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Cbor> JsonToCbor(std::string_view json_text) {
  Json j = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("not valid JSON");
  return FromJson(j, 0);
}

}  // namespace mekong::interop
