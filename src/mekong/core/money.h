// Money is an ISO 4217 code and an integer count of minor units; never a double. Exchange rates
// are exact decimals; conversion rounds half to even once, and splitting an amount allocates
// the remainder, so no minor unit is ever created or lost.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mekong/core/status.h"

namespace mekong {

struct Money {
  std::string currency;  // ISO 4217 alphabetic code, e.g. "VND"
  int64_t minor = 0;     // amount in minor units (VND has none: 1 = one dong)
  bool operator==(const Money&) const = default;
};

// Minor-unit exponent for the currencies Mekong handles (shared/reference/domain.md), or
// invalid_argument naming `field` for a code it does not know.
Result<int> MinorUnitDigits(std::string_view currency, std::string_view field = "currency");
// Parses "12.50" in `currency` into minor units, refusing more decimals than the currency has
// (field "amount"), and an unknown currency (field "currency"). Digits are required before the
// point and after it ("1." and ".5" are refused); an optional leading '-'.
Result<Money> ParseMoney(std::string_view currency, std::string_view amount);
// "12.50 MYR", "150000 VND": the ISO amount, for logs and receipts before locale formatting.
std::string FormatMoney(const Money& m);
// "12.50", "150000", "-3.05": the amount as decimal text with the currency's minor digits, as
// ParseMoney reads it back (the API's JSON carries money this way, never as a number).
std::string FormatAmount(const Money& m);
// The sum or difference of two amounts in one currency: invalid_argument on different
// currencies or on overflow.
Result<Money> AddMoney(const Money& a, const Money& b);
Result<Money> SubtractMoney(const Money& a, const Money& b);

// Splits `total` into `parts` amounts that differ by at most one minor unit and sum to `total`;
// the remainder goes to the first parts.
std::vector<Money> Allocate(const Money& total, int parts);
// Splits `total` in proportion to `weights` (each >= 0, not all 0): every part is its share
// rounded down, and the minor units left over go one each to the parts with the largest
// remainders (ties: the earlier part). The parts always sum to `total`.
Result<std::vector<Money>> AllocateByWeights(const Money& total, std::span<const int64_t> weights);

// An exchange rate: one major unit of `from` buys `units / 10^scale` major units of `to`
// ("1 CNY = 3512.75 VND" is {CNY, VND, 351275, 2}). Exact: parsed from decimal text, never a
// double.
struct ExchangeRate {
  std::string from, to;  // ISO 4217 codes
  int64_t units = 0;     // > 0
  int scale = 0;         // decimal places of `units`, 0..12
  bool operator==(const ExchangeRate&) const = default;
};

// Parses a positive decimal rate ("3512.75", "0.000284") of at most 18 significant digits and
// 12 decimal places; both currencies must be known. invalid_argument naming "rate", "from" or
// "to".
Result<ExchangeRate> ParseRate(std::string_view from, std::string_view to, std::string_view rate);
// The rate as decimal text, trailing zeros kept to its scale ("3512.75").
std::string FormatRate(const ExchangeRate& rate);

// `amount` (in rate.from) in rate.to, rounded half to even to rate.to's minor unit.
// invalid_argument when the currencies do not match the rate or the result overflows.
Result<Money> Convert(const Money& amount, const ExchangeRate& rate);

// n / d rounded half to even (d != 0). Exposed for tests.
__int128 DivideHalfEven(__int128 n, __int128 d);

}  // namespace mekong
