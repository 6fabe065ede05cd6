// Payment providers: where money actually moves. The service records what a provider
// confirmed; the provider never touches the store. Cash or a bank transfer at a hospital's
// counter is built in; a card acquirer implements the same interface later.
#pragma once

#include <string>
#include <string_view>

#include "mekong/core/money.h"
#include "mekong/core/status.h"

namespace mekong::telehealth {

struct PaymentRequest {
  int64_t invoice = 0;
  Money amount;           // > 0, in the invoice's currency
  std::string method;     // what the provider offers: "cash", "bank_transfer", "card"
  std::string reference;  // what the payer or the counter gave (a transfer's reference)
};

struct PaymentConfirmation {
  std::string reference;  // the provider's reference, stored with the payment
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  virtual std::string_view name() const = 0;
  // Takes the payment, or says why not (invalid_argument naming the field, unavailable).
  // Called inside the service's transaction: an implementation that calls out over the network
  // must instead record a pending payment and confirm it later (not built yet).
  virtual Result<PaymentConfirmation> Charge(const PaymentRequest& request) = 0;
  virtual Result<PaymentConfirmation> Refund(const PaymentRequest& request) = 0;
};

// Cash or bank transfer at the hospital's counter: the cashier saw the money, so it is
// confirmed at once. A bank transfer needs the transfer's reference.
class CounterProvider final : public PaymentProvider {
 public:
  std::string_view name() const override { return "counter"; }
  Result<PaymentConfirmation> Charge(const PaymentRequest& request) override;
  Result<PaymentConfirmation> Refund(const PaymentRequest& request) override;
};

}  // namespace mekong::telehealth
