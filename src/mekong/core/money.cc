#include "mekong/core/money.h"

#include <array>
#include <utility>

namespace mekong {

Result<int> MinorUnitDigits(std::string_view c) {
  static constexpr std::array<std::pair<std::string_view, int>, 12> kTable = {{
      {"CNY", 2}, {"VND", 0}, {"THB", 2}, {"MYR", 2}, {"IDR", 2}, {"PHP", 2},
      {"SGD", 2}, {"LAK", 2}, {"KHR", 2}, {"MMK", 2}, {"BND", 2}, {"USD", 2},
  }};
  for (const auto& [code, digits] : kTable) {
    if (code == c) return digits;
  }
  return Status::InvalidArgument("unsupported currency '" + std::string(c) + "'", "currency");
}

Result<Money> ParseMoney(std::string_view currency, std::string_view amount) {
  ASSIGN_OR_RETURN(int digits, MinorUnitDigits(currency));
  auto bad = [&] { return Status::InvalidArgument("not an amount: '" + std::string(amount) + "'", "amount"); };
  bool negative = !amount.empty() && amount[0] == '-';
  if (negative) amount.remove_prefix(1);
  if (amount.empty()) return bad();
  int64_t whole = 0, frac = 0;
  int frac_digits = -1;
  for (char ch : amount) {
    if (ch == '.') {
      if (frac_digits >= 0) return bad();
      frac_digits = 0;
    } else if (ch >= '0' && ch <= '9') {
      if (frac_digits >= 0) {
        if (++frac_digits > digits) {
          return Status::InvalidArgument(std::string(currency) + " has " + std::to_string(digits) +
                                             " decimal places",
                                         "amount");
        }
        frac = frac * 10 + (ch - '0');
      } else {
        if (whole > (INT64_MAX / 100 - 9) / 10) return bad();
        whole = whole * 10 + (ch - '0');
      }
    } else {
      return bad();
    }
  }
  if (frac_digits == 0) return bad();
  for (int i = std::max(frac_digits, 0); i < digits; ++i) frac *= 10;
  int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  int64_t minor = whole * scale + frac;
  return Money{std::string(currency), negative ? -minor : minor};
}

std::string FormatMoney(const Money& m) {
  auto digits = MinorUnitDigits(m.currency);
  int d = digits.ok() ? *digits : 0;
  int64_t scale = 1;
  for (int i = 0; i < d; ++i) scale *= 10;
  uint64_t abs = m.minor < 0 ? 0 - static_cast<uint64_t>(m.minor) : static_cast<uint64_t>(m.minor);
  std::string s = (m.minor < 0 ? "-" : "") + std::to_string(abs / scale);
  if (d > 0) {
    std::string frac = std::to_string(abs % scale);
    s += "." + std::string(d - frac.size(), '0') + frac;
  }
  return s + " " + m.currency;
}

std::vector<Money> Allocate(const Money& total, int parts) {
  std::vector<Money> out;
  if (parts <= 0) return out;
  int64_t base = total.minor / parts;
  int64_t rem = total.minor % parts;  // same sign as total
  for (int i = 0; i < parts; ++i) {
    int64_t extra = i < (rem < 0 ? -rem : rem) ? (rem < 0 ? -1 : 1) : 0;
    out.push_back({total.currency, base + extra});
  }
  return out;
}

}  // namespace mekong
