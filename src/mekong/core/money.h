// Money is an ISO 4217 code and an integer count of minor units; never a double.
#pragma once

#include <cstdint>
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

// Minor-unit exponent for the currencies Mekong handles (shared/reference/domain.md), or an
// error for a code it does not know.
Result<int> MinorUnitDigits(std::string_view currency);
// Parses "12.50" in `currency` into minor units, refusing more decimals than the currency has.
Result<Money> ParseMoney(std::string_view currency, std::string_view amount);
// "12.50 MYR", "150000 VND": the ISO amount, for logs and receipts before locale formatting.
std::string FormatMoney(const Money& m);
// Splits `total` into `parts` amounts that differ by at most one minor unit and sum to `total`;
// the remainder goes to the first parts.
std::vector<Money> Allocate(const Money& total, int parts);

}  // namespace mekong
