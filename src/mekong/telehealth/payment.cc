#include "mekong/telehealth/payment.h"

#include "mekong/core/text.h"

namespace mekong::telehealth {

namespace {

Result<PaymentConfirmation> Accept(const PaymentRequest& r, std::string_view what) {
  if (r.method != "cash" && r.method != "bank_transfer")
    return Status::InvalidArgument("the counter takes cash or bank_transfer", "method");
  if (r.amount.minor <= 0) return Status::InvalidArgument("must be positive", "amount");
  if (r.reference.size() > 100 || HasControlCharacter(r.reference))
    return Status::InvalidArgument("must be at most 100 printable bytes", "reference");
  if (r.method == "bank_transfer" && r.reference.empty())
    return Status::InvalidArgument("a bank transfer needs its reference", "reference");
  std::string ref = "counter-" + std::string(what) + "-" + std::to_string(r.invoice);
  if (!r.reference.empty()) ref += "-" + r.reference;
  return PaymentConfirmation{ref};
}

}  // namespace

Result<PaymentConfirmation> CounterProvider::Charge(const PaymentRequest& request) {
  return Accept(request, "payment");
}

Result<PaymentConfirmation> CounterProvider::Refund(const PaymentRequest& request) {
  return Accept(request, "refund");
}

}  // namespace mekong::telehealth
