// Errors are values: Status for operations without a result, Result<T> for those with one.
// The codes follow abseil's canonical set; http/ maps them to HTTP statuses in one table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mekong {

enum class Code {
  kOk,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  // `field` names the input that was wrong (a JSON key, a CLI flag, a CSV column), if any.
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string msg, std::string field = {}) {
    return {Code::kInvalidArgument, std::move(msg), std::move(field)};
  }
  static Status NotFound(std::string msg, std::string field = {}) {
    return {Code::kNotFound, std::move(msg), std::move(field)};
  }
  static Status AlreadyExists(std::string msg, std::string field = {}) {
    return {Code::kAlreadyExists, std::move(msg), std::move(field)};
  }
  static Status PermissionDenied(std::string msg) {
    return {Code::kPermissionDenied, std::move(msg)};
  }
  static Status Unauthenticated(std::string msg) {
    return {Code::kUnauthenticated, std::move(msg)};
  }
  static Status FailedPrecondition(std::string msg, std::string field = {}) {
    return {Code::kFailedPrecondition, std::move(msg), std::move(field)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {Code::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

// Holds either a value or a non-OK Status. Access to value() on an error aborts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const& {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // By value on a temporary (`RETURN_IF_ERROR(tx.Exec(...).status())`): a reference into a
  // Result that dies at the end of the expression would leave the caller a freed message.
  Status status() && { return ok() ? Status() : std::get<Status>(std::move(v_)); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

namespace internal {
inline const Status& AsStatus(const Status& s) { return s; }
template <typename T>
const Status& AsStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

}  // namespace mekong

#define MK_CONCAT_INNER(a, b) a##b
#define MK_CONCAT(a, b) MK_CONCAT_INNER(a, b)

// The expression's value is held (a temporary Result lives to the end of the block) before its
// status is inspected.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    auto&& mk_value_ = (expr);                           \
    if (!::mekong::internal::AsStatus(mk_value_).ok()) { \
      return ::mekong::internal::AsStatus(mk_value_);    \
    }                                                    \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(MK_CONCAT(mk_result_, __LINE__), lhs, expr)
