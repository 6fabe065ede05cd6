// Epidemic curves and the instantaneous reproduction number, Cori et al. (2013), "A new
// framework and software to estimate time-varying reproduction numbers during epidemics",
// Am J Epidemiol 178(9):1505-1512 (the method of R's EpiEstim). docs/epidemiology.md states the
// method, its assumptions and the worked examples the tests check. Pure: no store, no clock.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mekong::cases {

// The serial interval discretised as EpiEstim's discr_si does: w[k] for k = 0..max_days, from
// a gamma distribution offset by one day (mean - 1, sd); w[0] = 0. Not renormalised (as in
// EpiEstim): over a long horizon it sums to 1 and its mean is `mean_days`.
std::vector<double> DiscretiseSerialInterval(double mean_days, double sd_days, int max_days);

struct RtOptions {
  int window_days = 7;                  // tau: each estimate covers [t - tau + 1, t]
  double prior_mean = 5, prior_sd = 5;  // gamma prior on R (EpiEstim's default)
};

struct RtEstimate {
  int t_start = 0, t_end = 0;  // day indexes into the incidence series
  double mean = 0, sd = 0, lower = 0, median = 0, upper = 0;  // 95% credible interval
  double shape = 0, scale = 0;                                // of the gamma posterior
};

// Estimates for every window that ends at or after day `window_days` (EpiEstim's default
// t_start = 2..T-tau+1, 1-based) whose total infectiousness is positive. `incidence[t]` is the
// number of cases with onset on day t; `si[k]` the probability of a serial interval of k days.
std::vector<RtEstimate> EstimateRt(std::span<const int64_t> incidence, std::span<const double> si,
                                   const RtOptions& options = {});

// The regularised lower incomplete gamma function P(a, x) and the gamma quantile (shape, scale).
double GammaP(double a, double x);
double GammaQuantile(double p, double shape, double scale);

}  // namespace mekong::cases
