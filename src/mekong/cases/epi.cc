#include "mekong/cases/epi.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mekong::cases {

namespace {

// Lower regularised incomplete gamma by its series (x < a + 1).
double SeriesP(double a, double x) {
  double sum = 1.0 / a, term = sum;
  for (int n = 1; n < 10000; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * 1e-16) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Upper regularised incomplete gamma by its continued fraction (x >= a + 1), Lentz's method.
double FractionQ(double a, double x) {
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 10000; ++i) {
    double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < 1e-16) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

double GammaCdf(double x, double shape, double scale) {
  if (x <= 0) return 0;
  return GammaP(shape, x / scale);
}

}  // namespace

double GammaP(double a, double x) {
  if (x <= 0) return 0;
  if (x < a + 1) return SeriesP(a, x);
  return 1 - FractionQ(a, x);
}

double GammaQuantile(double p, double shape, double scale) {
  if (p <= 0) return 0;
  if (p >= 1) return std::numeric_limits<double>::infinity();
  double lo = 0, hi = std::max(1.0, shape) * scale;
  while (GammaCdf(hi, shape, scale) < p) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; ++i) {
    double mid = (lo + hi) / 2;
    (GammaCdf(mid, shape, scale) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

std::vector<double> DiscretiseSerialInterval(double mu, double sigma, int max_days) {
  // EpiEstim's discr_si: the serial interval minus one day is gamma with mean mu - 1, sd sigma.
  const double a = ((mu - 1) / sigma) * ((mu - 1) / sigma);
  const double b = sigma * sigma / (mu - 1);
  auto F = [](double k, double shape, double scale) { return GammaCdf(k, shape, scale); };
  std::vector<double> w(static_cast<size_t>(std::max(0, max_days)) + 1, 0.0);
  for (int k = 0; k <= max_days; ++k) {
    double r = k * F(k, a, b) + (k - 2) * F(k - 2, a, b) - 2 * (k - 1) * F(k - 1, a, b);
    r += a * b * (2 * F(k - 1, a + 1, b) - F(k - 2, a + 1, b) - F(k, a + 1, b));
    w[k] = std::max(0.0, r);
  }
  return w;
}

std::vector<RtEstimate> EstimateRt(std::span<const int64_t> incidence, std::span<const double> si,
                                   const RtOptions& options) {
  const int T = static_cast<int>(incidence.size());
  const int tau = std::max(1, options.window_days);
  // Total infectiousness: lambda[t] = sum over k >= 1 of I[t - k] w[k].
  std::vector<double> lambda(T, 0.0);
  for (int t = 0; t < T; ++t) {
    for (int k = 1; k <= t && k < static_cast<int>(si.size()); ++k) {
      lambda[t] += static_cast<double>(incidence[t - k]) * si[k];
    }
  }
  const double prior_shape =
      (options.prior_mean / options.prior_sd) * (options.prior_mean / options.prior_sd);
  const double prior_scale = options.prior_sd * options.prior_sd / options.prior_mean;
  std::vector<RtEstimate> out;
  // EpiEstim's default windows: t_start = 2 .. T - tau + 1 (1-based), i.e. 1 .. T - tau here.
  for (int start = 1; start + tau - 1 < T; ++start) {
    int end = start + tau - 1;
    double cases = 0, infectiousness = 0;
    for (int s = start; s <= end; ++s) {
      cases += static_cast<double>(incidence[s]);
      infectiousness += lambda[s];
    }
    if (infectiousness <= 0) continue;
    RtEstimate e;
    e.t_start = start;
    e.t_end = end;
    e.shape = prior_shape + cases;
    e.scale = 1 / (1 / prior_scale + infectiousness);
    e.mean = e.shape * e.scale;
    e.sd = std::sqrt(e.shape) * e.scale;
    e.lower = GammaQuantile(0.025, e.shape, e.scale);
    e.median = GammaQuantile(0.5, e.shape, e.scale);
    e.upper = GammaQuantile(0.975, e.shape, e.scale);
    out.push_back(e);
  }
  return out;
}

}  // namespace mekong::cases
