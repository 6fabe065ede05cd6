// The reproduction number against worked examples (docs/epidemiology.md derives each figure).
#include "mekong/cases/epi.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace mekong::cases {
namespace {

TEST(GammaTest, QuantilesMatchClosedFormsAndChiSquareTables) {
  // Shape 1 is the exponential: q(p) = -ln(1 - p).
  EXPECT_NEAR(GammaQuantile(0.975, 1, 1), -std::log(0.025), 1e-9);
  EXPECT_NEAR(GammaQuantile(0.025, 1, 1), -std::log(0.975), 1e-9);
  EXPECT_NEAR(GammaQuantile(0.5, 1, 5), 5 * std::log(2.0), 1e-9);
  // Gamma(k/2, 2) is chi-square with k degrees of freedom (tables: 4 df 0.484419 / 11.143287,
  // 10 df 3.246973 / 20.483177).
  EXPECT_NEAR(GammaQuantile(0.025, 2, 2), 0.484419, 1e-5);
  EXPECT_NEAR(GammaQuantile(0.975, 2, 2), 11.143287, 1e-5);
  EXPECT_NEAR(GammaQuantile(0.025, 5, 2), 3.246973, 1e-5);
  EXPECT_NEAR(GammaQuantile(0.975, 5, 2), 20.483177, 1e-5);
  EXPECT_NEAR(GammaP(3, 2), 1 - std::exp(-2.0) * (1 + 2 + 2), 1e-12);
}

TEST(SerialIntervalTest, DiscretisationKeepsTheMeanAndSumsToOne) {
  for (auto [mean, sd] : {std::pair{4.7, 2.9}, std::pair{2.6, 1.5}, std::pair{8.4, 3.8}}) {
    auto w = DiscretiseSerialInterval(mean, sd, 120);
    EXPECT_EQ(w[0], 0.0);
    double sum = std::accumulate(w.begin(), w.end(), 0.0), m = 0;
    for (size_t k = 0; k < w.size(); ++k) m += k * w[k];
    EXPECT_NEAR(sum, 1.0, 1e-6) << mean;
    EXPECT_NEAR(m, mean, 1e-4) << mean;
    for (double x : w) EXPECT_GE(x, 0.0);
  }
}

TEST(RtTest, DoublingEveryDayWithAOneDaySerialIntervalIsTwo) {
  // I = 1, 2, 4, ..., 128; every infection is passed on exactly one day later (w[1] = 1);
  // weekly windows of 2 days. The last window (days 6 and 7) saw 64 + 128 = 192 cases against
  // infectiousness 32 + 64 = 96; with EpiEstim's prior Gamma(1, 5) the posterior is
  // Gamma(shape 193, scale 1 / (1/5 + 96)): mean 193 / 96.2 = 2.00624.
  std::vector<int64_t> incidence = {1, 2, 4, 8, 16, 32, 64, 128};
  std::vector<double> si = {0, 1};
  RtOptions o;
  o.window_days = 2;
  auto r = EstimateRt(incidence, si, o);
  ASSERT_EQ(r.size(), 6u);  // windows starting on days 1..6
  EXPECT_EQ(r.front().t_start, 1);
  EXPECT_EQ(r.front().t_end, 2);
  // First window: 2 + 4 = 6 cases against 1 + 2 = 3: Gamma(7, 1/3.2), mean 2.1875.
  EXPECT_NEAR(r.front().mean, 7 / 3.2, 1e-12);
  EXPECT_NEAR(r.front().sd, std::sqrt(7.0) / 3.2, 1e-12);
  EXPECT_NEAR(r.back().shape, 193, 1e-12);
  EXPECT_NEAR(r.back().mean, 193 / 96.2, 1e-12);
  EXPECT_NEAR(r.back().sd, std::sqrt(193.0) / 96.2, 1e-12);
  // The credible interval of a gamma this peaked is close to mean +- 1.96 sd, a little to the
  // right (positive skew).
  EXPECT_GT(r.back().lower, 1.72);
  EXPECT_LT(r.back().lower, 1.75);
  EXPECT_GT(r.back().upper, 2.28);
  EXPECT_LT(r.back().upper, 2.31);
  EXPECT_LT(r.back().median, r.back().mean);
}

TEST(RtTest, ConstantIncidenceIsOneAndNoInfectiousnessGivesNoEstimate) {
  // 30 days: the last window (days 23-29) has all but about 1e-3 of the serial interval
  // behind it, so the posterior mean (1 + 70) / (1/5 + 70 * 0.999) is within 0.02 of 1.
  std::vector<int64_t> flat(30, 10);
  auto si = DiscretiseSerialInterval(4.7, 2.9, 30);
  auto r = EstimateRt(flat, si);
  ASSERT_FALSE(r.empty());
  // Late windows have the whole serial interval behind them: R close to 1.
  EXPECT_NEAR(r.back().mean, 1.0, 0.02);
  std::vector<int64_t> none(10, 0);
  EXPECT_TRUE(EstimateRt(none, si).empty());
}

}  // namespace
}  // namespace mekong::cases
