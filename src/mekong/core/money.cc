#include "mekong/core/money.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <utility>

namespace mekong {

namespace {

using i128 = __int128;

i128 Pow10(int n) {
  i128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

bool FitsInt64(i128 v) {
  return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
}

}  // namespace

Result<int> MinorUnitDigits(std::string_view c, std::string_view field) {
  // ISO 4217 exponents (shared/reference/domain.md). Locale libraries show IDR, LAK and MMK
  // without decimals for cash; that is display only, the amounts keep two digits.
  static constexpr std::array<std::pair<std::string_view, int>, 12> kTable = {{
      {"CNY", 2},
      {"VND", 0},
      {"THB", 2},
      {"MYR", 2},
      {"IDR", 2},
      {"PHP", 2},
      {"SGD", 2},
      {"LAK", 2},
      {"KHR", 2},
      {"MMK", 2},
      {"BND", 2},
      {"USD", 2},
  }};
  for (const auto& [code, digits] : kTable) {
    if (code == c) return digits;
  }
  return Status::InvalidArgument("unsupported currency '" + std::string(c) + "'",
                                 std::string(field));
}

Result<Money> ParseMoney(std::string_view currency, std::string_view amount) {
  ASSIGN_OR_RETURN(int digits, MinorUnitDigits(currency));
  const std::string text(amount);
  auto bad = [&] { return Status::InvalidArgument("not an amount: '" + text + "'", "amount"); };
  const bool negative = !amount.empty() && amount[0] == '-';
  if (negative) amount.remove_prefix(1);
  const size_t dot = amount.find('.');
  std::string_view whole = amount.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : amount.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty())) return bad();
  for (std::string_view part : {whole, frac}) {
    for (char ch : part) {
      if (ch < '0' || ch > '9') return bad();
    }
  }
  if (frac.size() > static_cast<size_t>(digits)) {
    return Status::InvalidArgument(
        std::string(currency) + " has " + std::to_string(digits) + " decimal places", "amount");
  }
  if (whole.size() > 19) return Status::InvalidArgument("too large: '" + text + "'", "amount");
  i128 minor = 0;
  for (char ch : whole) minor = minor * 10 + (ch - '0');
  minor *= Pow10(digits);
  i128 f = 0;
  for (char ch : frac) f = f * 10 + (ch - '0');
  minor += f * Pow10(digits - static_cast<int>(frac.size()));
  if (negative) minor = -minor;
  if (!FitsInt64(minor)) return Status::InvalidArgument("too large: '" + text + "'", "amount");
  return Money{std::string(currency), static_cast<int64_t>(minor)};
}

std::string FormatMoney(const Money& m) { return FormatAmount(m) + " " + m.currency; }

std::string FormatAmount(const Money& m) {
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
  return s;
}

Result<Money> AddMoney(const Money& a, const Money& b) {
  if (a.currency != b.currency)
    return Status::InvalidArgument("cannot add " + b.currency + " to " + a.currency, "currency");
  int64_t sum;
  if (__builtin_add_overflow(a.minor, b.minor, &sum))
    return Status::InvalidArgument("the sum overflows", "amount");
  return Money{a.currency, sum};
}

Result<Money> SubtractMoney(const Money& a, const Money& b) {
  if (a.currency != b.currency)
    return Status::InvalidArgument("cannot subtract " + b.currency + " from " + a.currency,
                                   "currency");
  int64_t diff;
  if (__builtin_sub_overflow(a.minor, b.minor, &diff))
    return Status::InvalidArgument("the difference overflows", "amount");
  return Money{a.currency, diff};
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

Result<std::vector<Money>> AllocateByWeights(const Money& total, std::span<const int64_t> weights) {
  if (weights.empty()) return Status::InvalidArgument("no parts to allocate to", "weights");
  i128 sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] < 0)
      return Status::InvalidArgument("is negative", "weights[" + std::to_string(i) + "]");
    sum += weights[i];
  }
  if (sum == 0) return Status::InvalidArgument("all weights are zero", "weights");
  // Work on the magnitude and put the sign back, so a refund splits as its payment did.
  const bool negative = total.minor < 0;
  const i128 magnitude = negative ? -static_cast<i128>(total.minor) : total.minor;
  std::vector<i128> share(weights.size()), rest(weights.size());
  i128 given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const i128 exact = magnitude * weights[i];  // < 2^63 * 2^63: fits
    share[i] = exact / sum;
    rest[i] = exact % sum;
    given += share[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return rest[a] > rest[b]; });
  for (i128 left = magnitude - given, k = 0; left > 0; --left, ++k) {
    ++share[order[static_cast<size_t>(k) % order.size()]];
  }
  std::vector<Money> out;
  out.reserve(weights.size());
  for (i128 s : share) {
    out.push_back({total.currency, static_cast<int64_t>(negative ? -s : s)});
  }
  return out;
}

Result<ExchangeRate> ParseRate(std::string_view from, std::string_view to, std::string_view rate) {
  RETURN_IF_ERROR(MinorUnitDigits(from, "from"));
  RETURN_IF_ERROR(MinorUnitDigits(to, "to"));
  if (from == to) return Status::InvalidArgument("a rate converts between two currencies", "to");
  const std::string text(rate);
  auto bad = [&](std::string why) {
    return Status::InvalidArgument("'" + text + "' " + why, "rate");
  };
  const size_t dot = rate.find('.');
  std::string_view whole = rate.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : rate.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty()))
    return bad("is not a decimal rate");
  int64_t units = 0;
  int significant = 0;
  for (std::string_view part : {whole, frac}) {
    for (char ch : part) {
      if (ch < '0' || ch > '9') return bad("is not a decimal rate");
      if (units > 0 || ch != '0') ++significant;
      if (significant > 18) return bad("has more than 18 significant digits");
      units = units * 10 + (ch - '0');
    }
  }
  if (frac.size() > 12) return bad("has more than 12 decimal places");
  if (units == 0) return bad("must be greater than zero");
  return ExchangeRate{std::string(from), std::string(to), units, static_cast<int>(frac.size())};
}

std::string FormatRate(const ExchangeRate& rate) {
  std::string digits = std::to_string(rate.units);
  if (rate.scale == 0) return digits;
  if (digits.size() <= static_cast<size_t>(rate.scale))
    digits.insert(0, rate.scale + 1 - digits.size(), '0');
  digits.insert(digits.size() - rate.scale, ".");
  return digits;
}

__int128 DivideHalfEven(__int128 n, __int128 d) {
  if (d < 0) {
    n = -n;
    d = -d;
  }
  i128 q = n / d, r = n % d;  // truncated toward zero; r has n's sign
  const i128 twice = (r < 0 ? -r : r) * 2;
  if (twice > d || (twice == d && q % 2 != 0)) q += n < 0 ? -1 : 1;
  return q;
}

Result<Money> Convert(const Money& amount, const ExchangeRate& rate) {
  if (amount.currency != rate.from) {
    return Status::InvalidArgument("the rate converts " + rate.from + ", not " + amount.currency,
                                   "currency");
  }
  ASSIGN_OR_RETURN(int from_digits, MinorUnitDigits(rate.from));
  ASSIGN_OR_RETURN(int to_digits, MinorUnitDigits(rate.to));
  // to_minor = minor / 10^from_digits * units / 10^scale * 10^to_digits
  i128 n;
  if (__builtin_mul_overflow(static_cast<i128>(amount.minor), static_cast<i128>(rate.units), &n) ||
      __builtin_mul_overflow(n, Pow10(to_digits), &n)) {
    return Status::InvalidArgument("the converted amount overflows", "amount");
  }
  const i128 q = DivideHalfEven(n, Pow10(from_digits + rate.scale));
  if (!FitsInt64(q)) return Status::InvalidArgument("the converted amount overflows", "amount");
  return Money{rate.to, static_cast<int64_t>(q)};
}

}  // namespace mekong
