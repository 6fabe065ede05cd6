// Health-code verification speed, beside its physical limit (one ECDSA P-256 verify with
// OpenSSL) in the same run. Single-threaded: the figures are per core.
//
//   build/bench/verify_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include "mekong/core/time.h"
#include "mekong/healthcode/credential.h"
#include "mekong/interop/base45.h"
#include "mekong/interop/cbor.h"
#include "mekong/interop/cose.h"
#include "mekong/interop/keys.h"
#include "mekong/interop/zlib_codec.h"
#include "mekong/outbox/outbox.h"
#include "mekong/registry/registry.h"
#include "mekong/store/database.h"

namespace mekong {
namespace {

struct Fixture {
  std::vector<std::string> codes;
  healthcode::TrustBundle bundle;
  int64_t now = 0;
};

const Fixture& Codes() {
  static Fixture f = [] {
    Fixture out;
    out.now = SystemClock().NowMillis();
    auto db = std::move(store::Open(":memory:", 1)).value();
    const store::Module* modules[] = {&registry::kModule, &outbox::kModule, &healthcode::kModule};
    (void)store::MigrateModules(*db, modules);
    auto unit = registry::CreateOrgUnit(*db, {std::nullopt, "province", "Quảng Ninh", "VN-QN"});
    for (int i = 0; i < 256; ++i) {
      registry::Person p{.full_name = "P" + std::to_string(i),
                         .document_type = "passport",
                         .document_number = "B" + std::to_string(i),
                         .nationality = "VN",
                         .language = "vi",
                         .org_unit = unit->id};
      auto person = registry::CreatePerson(*db, p, out.now);
      healthcode::Credential c;
      (void)db->Transact([&](store::Executor& tx) -> Status {
        ASSIGN_OR_RETURN(c, healthcode::Issue(tx, person->id, "VN-QN", out.now, kMillisPerDay));
        return Status::Ok();
      });
      out.codes.push_back(c.text);
    }
    out.bundle = std::move(healthcode::LoadBundle(*db, out.now)).value();
    return out;
  }();
  return f;
}

void BM_VerifyHealthCode(benchmark::State& state) {
  const Fixture& f = Codes();
  size_t i = 0, valid = 0;
  for (auto _ : state) {
    auto v = healthcode::Verify({f.codes[i++ % f.codes.size()]}, f.bundle, f.now);
    valid += v.valid;
  }
  if (static_cast<int64_t>(valid) != state.iterations())
    state.SkipWithError("a code did not verify");
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyHealthCode);

// The decoding half alone: Base45, inflate, COSE and CWT parsing.
void BM_DecodeOnly(benchmark::State& state) {
  const Fixture& f = Codes();
  size_t i = 0;
  for (auto _ : state) {
    const std::string& t = f.codes[i++ % f.codes.size()];
    auto raw = interop::Base45Decode(std::string_view(t).substr(4));
    auto cose = interop::Inflate(*raw, 8192);
    auto msg = interop::ParseCoseSign1(*cose);
    benchmark::DoNotOptimize(interop::DecodeCbor(msg->payload));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeOnly);

// The physical limit: one ECDSA P-256 / SHA-256 verification of a message of the same size.
void BM_OpenSslP256Verify(benchmark::State& state) {
  auto key = interop::PrivateKey::GenerateP256();
  std::string message(120, 'x');
  std::string sig = *key->SignEs256(message);
  interop::PublicKey pub = key->Public();
  for (auto _ : state) benchmark::DoNotOptimize(pub.VerifyEs256(message, sig));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OpenSslP256Verify);

}  // namespace
}  // namespace mekong

BENCHMARK_MAIN();
