#include "mekong/http/schema.h"

#include <cstdlib>

#include "mekong/core/text.h"
#include "mekong/core/time.h"

namespace mekong::http {

namespace {

std::string Name(const std::string& path) { return path.empty() ? "body" : path; }

std::string Child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int month = std::atoi(s.substr(5, 2).c_str()), day = std::atoi(s.substr(8, 2).c_str());
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

const std::vector<Field>& NoFields() {
  static const std::vector<Field> kNone;
  return kNone;
}

}  // namespace

Schema Schema::String(size_t max_len) {
  Schema s;
  s.kind_ = Kind::kString;
  s.max_len_ = max_len;
  return s;
}

Schema Schema::Text(size_t max_len) {
  Schema s = String(max_len);
  s.kind_ = Kind::kText;
  return s;
}

Schema Schema::Integer(int64_t min, int64_t max) {
  Schema s;
  s.kind_ = Kind::kInteger;
  s.min_ = min;
  s.max_ = max;
  return s;
}

Schema Schema::Id() {
  Schema s = Integer(1, INT64_MAX);
  s.id_ = true;
  return s;
}

Schema Schema::Number(double min, double max) {
  Schema s;
  s.kind_ = Kind::kNumber;
  s.min_number_ = min;
  s.max_number_ = max;
  return s;
}

Schema Schema::Boolean() {
  Schema s;
  s.kind_ = Kind::kBoolean;
  return s;
}

Schema Schema::Time() {
  Schema s;
  s.kind_ = Kind::kTime;
  return s;
}

Schema Schema::Date() {
  Schema s;
  s.kind_ = Kind::kDate;
  return s;
}

Schema Schema::Enum(std::vector<std::string> values) {
  Schema s;
  s.kind_ = Kind::kEnum;
  s.values_ = std::make_shared<const std::vector<std::string>>(std::move(values));
  return s;
}

Schema Schema::Array(Schema items, size_t max_items) {
  Schema s;
  s.kind_ = Kind::kArray;
  s.max_len_ = max_items;
  s.items_ = std::make_shared<const Schema>(std::move(items));
  return s;
}

Schema Schema::Object(std::vector<Field> fields) {
  Schema s;
  s.kind_ = Kind::kObject;
  s.fields_ = std::make_shared<const std::vector<Field>>(std::move(fields));
  return s;
}

Schema Schema::AnyObject() {
  Schema s;
  s.kind_ = Kind::kAnyObject;
  return s;
}

Schema& Schema::Doc(std::string description) {
  doc_ = std::move(description);
  return *this;
}

Schema& Schema::Nullable() {
  nullable_ = true;
  return *this;
}

const std::vector<Field>& Schema::fields() const { return fields_ ? *fields_ : NoFields(); }

Status Schema::Decode(Json& value, const std::string& path) const {
  return Walk(value, path, true);
}

Status Schema::Check(const Json& value, const std::string& path) const {
  Json copy = value;  // Walk decodes in place only for requests; a response is never changed
  return Walk(copy, path, false);
}

Status Schema::Walk(Json& value, const std::string& path, bool request) const {
  auto bad = [&](std::string why) { return Status::InvalidArgument(std::move(why), Name(path)); };
  if (value.is_null()) {
    if (nullable_ && !request) return Status::Ok();
    return bad("must not be null");
  }
  switch (kind_) {
    case Kind::kString:
    case Kind::kText: {
      if (!value.is_string()) return bad("must be a string");
      const auto& s = value.get_ref<const std::string&>();
      if (s.size() > max_len_) return bad("longer than " + std::to_string(max_len_) + " bytes");
      // NUL would be cut off by PostgreSQL; other control characters corrupt logs and exports.
      if (request && HasControlCharacter(s, kind_ == Kind::kText)) {
        return bad(kind_ == Kind::kText ? "holds a control character"
                                        : "holds a control character or a line break");
      }
      return Status::Ok();
    }
    case Kind::kInteger: {
      if (!value.is_number_integer())
        return bad(id_ ? "must be a positive integer id" : "must be an integer");
      if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(INT64_MAX)) {
        return bad("must be between " + std::to_string(min_) + " and " + std::to_string(max_));
      }
      int64_t n = value.get<int64_t>();
      if (n < min_ || n > max_) {
        if (id_) return bad("must be a positive integer id");
        return bad("must be between " + std::to_string(min_) + " and " + std::to_string(max_));
      }
      return Status::Ok();
    }
    case Kind::kNumber: {
      if (!value.is_number()) return bad("must be a number");
      double d = value.get<double>();
      if (!(d >= min_number_ && d <= max_number_)) {
        return bad("must be between " + std::to_string(min_number_) + " and " +
                   std::to_string(max_number_));
      }
      return Status::Ok();
    }
    case Kind::kBoolean:
      return value.is_boolean() ? Status::Ok() : bad("must be true or false");
    case Kind::kTime: {
      if (!value.is_string())
        return bad("must be an RFC 3339 timestamp string, such as 2026-12-01T09:30:00+07:00");
      auto t = ParseRfc3339(value.get_ref<const std::string&>());
      if (!t.ok()) return bad(t.status().message());
      if (request) value = *t;
      return Status::Ok();
    }
    case Kind::kDate:
      if (!value.is_string() || !IsDate(value.get_ref<const std::string&>()))
        return bad("must be a date, YYYY-MM-DD");
      return Status::Ok();
    case Kind::kEnum: {
      if (value.is_string()) {
        for (const auto& v : *values_) {
          if (v == value.get_ref<const std::string&>()) return Status::Ok();
        }
      }
      std::string list;
      for (const auto& v : *values_) list += (list.empty() ? "" : ", ") + v;
      return bad("must be one of " + list);
    }
    case Kind::kArray: {
      if (!value.is_array()) return bad("must be an array");
      if (value.size() > max_len_)
        return bad("holds more than " + std::to_string(max_len_) + " items");
      for (size_t i = 0; i < value.size(); ++i) {
        RETURN_IF_ERROR(
            items_->Walk(value[i], Name(path) + "[" + std::to_string(i) + "]", request));
      }
      return Status::Ok();
    }
    case Kind::kObject: {
      if (!value.is_object())
        return bad(path.empty() ? "request body must be a JSON object" : "must be a JSON object");
      for (const auto& [k, _] : value.items()) {
        bool known = false;
        for (const Field& f : fields()) known |= f.name == k;
        if (!known)
          return Status::InvalidArgument(request ? "unknown field" : "is not declared",
                                         Child(path, k));
      }
      for (const Field& f : fields()) {
        auto it = value.find(f.name);
        if (it == value.end() || (it->is_null() && request)) {
          if (f.required) return Status::InvalidArgument("is required", Child(path, f.name));
          if (it != value.end()) value.erase(it);  // null in a request means absent
          continue;
        }
        RETURN_IF_ERROR(f.schema.Walk(*it, Child(path, f.name), request));
      }
      return Status::Ok();
    }
    case Kind::kAnyObject:
      return value.is_object() ? Status::Ok() : bad("must be a JSON object");
  }
  return Status::Ok();
}

Result<Json> Schema::FromText(const std::string& text, const std::string& name) const {
  auto bad = [&](std::string why) { return Status::InvalidArgument(std::move(why), name); };
  if (!ValidUtf8(text)) return bad("is not valid UTF-8");
  Json value;
  switch (kind_) {
    case Kind::kInteger: {
      bool negative = !text.empty() && text[0] == '-';
      std::string digits = negative ? text.substr(1) : text;
      if (digits.empty() || digits.size() > 18 ||
          digits.find_first_not_of("0123456789") != std::string::npos) {
        return bad(id_ ? "must be a positive integer id" : "must be an integer");
      }
      value = std::strtoll(text.c_str(), nullptr, 10);
      break;
    }
    case Kind::kNumber: {
      char* end = nullptr;
      double d = std::strtod(text.c_str(), &end);
      if (text.empty() || *end) return bad("must be a number");
      value = d;
      break;
    }
    case Kind::kBoolean:
      if (text != "true" && text != "false") return bad("must be true or false");
      value = text == "true";
      break;
    default:
      value = text;
  }
  RETURN_IF_ERROR(Decode(value, name));
  return value;
}

Json Schema::ToOpenApi() const {
  Json j;
  switch (kind_) {
    case Kind::kString:
    case Kind::kText:
      j = {{"type", "string"}, {"maxLength", max_len_}};
      break;
    case Kind::kInteger:
      j = {{"type", "integer"}, {"format", "int64"}};
      if (min_ != INT64_MIN) j["minimum"] = min_;
      if (max_ != INT64_MAX) j["maximum"] = max_;
      break;
    case Kind::kNumber:
      j = {{"type", "number"}, {"minimum", min_number_}, {"maximum", max_number_}};
      break;
    case Kind::kBoolean:
      j = {{"type", "boolean"}};
      break;
    case Kind::kTime:
      j = {{"type", "string"}, {"format", "date-time"}};
      break;
    case Kind::kDate:
      j = {{"type", "string"}, {"format", "date"}};
      break;
    case Kind::kEnum:
      j = {{"type", "string"}, {"enum", *values_}};
      break;
    case Kind::kArray:
      j = {{"type", "array"}, {"items", items_->ToOpenApi()}, {"maxItems", max_len_}};
      break;
    case Kind::kObject: {
      Json props = Json::object(), required = Json::array();
      for (const Field& f : fields()) {
        props[f.name] = f.schema.ToOpenApi();
        if (f.required) required.push_back(f.name);
      }
      j = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
      if (!required.empty()) j["required"] = required;
      break;
    }
    case Kind::kAnyObject:
      j = {{"type", "object"}};
      break;
  }
  if (!doc_.empty()) j["description"] = doc_;
  if (nullable_) j["nullable"] = true;
  return j;
}

}  // namespace mekong::http
