// Counter-based random numbers (Random123 Philox4x32-10).
//
// Every draw is a pure function of (run seed, purpose stream, agent id, step, position in the
// stream). No generator state is shared between threads or carried across agents, so results do not
// depend on thread count, scheduling or the order in which agents are visited. A mechanism that is
// switched on draws from its own stream and leaves every other stream's numbers unchanged.
#pragma once

#include <Random123/philox.h>

#include <math.h>  // lgamma_r (POSIX)
#include <array>

#include <cmath>
#include <cstdint>

namespace gigsim {

// Purpose streams. Values are part of the reproducibility contract: never renumber, only append.
enum class Stream : std::uint32_t {
  init_worker = 1,
  init_platforms = 2,
  init_membership = 3,
  init_pool_membership = 4,
  init_employee_sharing = 5,
  init_distance = 6,
  init_node = 7,
  tasks = 10,
  task_details = 11,
  sector_choice = 12,
  training = 20,
  sickness = 30,
  demand_shock = 40,       // keyed by (sector, month)
  employer_demand = 50,    // employee-sharing pool: keyed by (employer, week)
  wise_sales = 51,         // keyed by (WISE, week)
  wise_hiring = 52,        // keyed by (WISE, week)
  wise_transition = 53,    // keyed by (worker, week)
  membership_review = 60,  // umbrella cooperative membership decisions: (worker, week)
  sweep_design = 100,      // sweep designs (keyed by the sweep seed, not a run seed)
};

// SplitMix64 finaliser: a bijective mixer used to derive keys from tuples (never seed + i).
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
constexpr std::uint64_t hash_combine(std::uint64_t a, std::uint64_t b) {
  return mix64(a ^ mix64(b + 0x632BE59BD9B4E019ULL));
}

class RandomStream {
 public:
  // The key is derived from the run seed alone; stream, agent and step go into the counter.
  // A substream (below 256) splits one (stream, agent, step) further, e.g. by work round; each
  // substream has 2^24 blocks of four numbers.
  RandomStream(std::uint64_t seed, Stream stream, std::uint32_t agent, std::uint32_t step,
               std::uint32_t substream = 0) {
    const std::uint64_t k = hash_combine(seed, 0x676967'73696dULL);  // "gigsim"
    key_ = {{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32)}};
    ctr_ = {{agent, step, static_cast<std::uint32_t>(stream), substream << 24}};
  }

  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return block_.v[used_++];
  }

  // Uniform on the open interval (0, 1) with 53 random bits.
  double uniform() {
    const std::uint64_t hi = next_u32();
    const std::uint64_t lo = next_u32();
    const std::uint64_t bits = ((hi << 32) | lo) >> 11;
    return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
  }

  // Uniform on (0, 1) from a single 32-bit draw: for per-task draws where 32 bits suffice.
  double uniform32() { return (static_cast<double>(next_u32()) + 0.5) * 0x1.0p-32; }

  bool bernoulli(double p) { return uniform() < p; }

  // Standard normal by Box-Muller; the second variate of each pair is kept for the next call.
  double normal() {
    if (has_spare_normal_) {
      has_spare_normal_ = false;
      return spare_normal_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 2.0 * 3.14159265358979323846 * uniform();
    spare_normal_ = radius * std::sin(angle);
    has_spare_normal_ = true;
    return radius * std::cos(angle);
  }

  double exponential(double mean) { return -mean * std::log(uniform()); }

  // Gamma(shape, 1) by Marsaglia & Tsang, "A simple method for generating gamma variables",
  // ACM TOMS 26(3), 2000; shapes below 1 use the boost Gamma(shape+1) * U^(1/shape).
  double gamma(double shape) {
    if (shape < 1) return gamma(shape + 1) * std::pow(uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
    }
  }

  // Beta with the given mean and standard deviation (needs sd^2 < mean (1 - mean)); sd = 0 gives
  // the mean itself.
  double beta_mean_sd(double mean, double sd) {
    if (sd <= 0 || mean <= 0 || mean >= 1) return mean;
    const double concentration = mean * (1 - mean) / (sd * sd) - 1;
    const double x = gamma(mean * concentration);
    const double y = gamma((1 - mean) * concentration);
    return x / (x + y);
  }

  // Uniform integer in [0, n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * n) >> 32);
  }

  // Binomial(n, p) by inversion (one uniform): for the small n of a worker's weekly batch.
  // Exact in distribution; p >= 0.5 uses the mirror image so the search stays short.
  std::uint32_t binomial(std::uint32_t n, double p) {
    if (n == 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (p > 0.5) return n - binomial(n, 1 - p);
    const double odds = p / (1 - p);
    double prob = std::exp(static_cast<double>(n) * std::log1p(-p));  // P(0)
    double cdf = prob;
    const double u = uniform32();
    std::uint32_t k = 0;
    while (u > cdf && k < n) {
      prob *= odds * static_cast<double>(n - k) / static_cast<double>(k + 1);
      ++k;
      cdf += prob;
    }
    return k;
  }

  // Poisson variate. Inversion for small means; Hormann's PTRS transformed rejection
  // (W. Hormann, "The transformed rejection method for generating Poisson random variables",
  // Insurance: Mathematics and Economics 12, 1993) for means of 10 and above.
  std::uint32_t poisson(double mean) {
    if (!(mean > 0)) return 0;
    if (mean < 10) {
      double p = std::exp(-mean);
      double cdf = p;
      const double u = uniform32();
      std::uint32_t k = 0;
      while (u > cdf && k < kInverseTableSize - 1) {
        ++k;
        p *= mean * kInverse[k];  // mean / k without a division
        cdf += p;
      }
      return k;
    }
    const double slam = std::sqrt(mean);
    const double loglam = std::log(mean);
    const double b = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const double u = uniform() - 0.5;
      const double v = uniform();
      const double us = 0.5 - std::fabs(u);
      const double k = std::floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return static_cast<std::uint32_t>(k);
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
          -mean + k * loglam - log_factorial(k)) {
        return static_cast<std::uint32_t>(k);
      }
    }
  }

 private:
  // log(k!) by lgamma_r: std::lgamma writes the global signgam, a data race between threads
  // (found by the ThreadSanitizer tier).
  static double log_factorial(double k) {
    int sign = 0;
    return ::lgamma_r(k + 1, &sign);
  }

  // 1/k for the Poisson inversion search; means below 10 stop far below 64 (P(k >= 64) < 1e-30).
  static constexpr int kInverseTableSize = 64;
  static constexpr std::array<double, kInverseTableSize> kInverse = [] {
    std::array<double, kInverseTableSize> table{};
    for (int k = 1; k < kInverseTableSize; ++k) table[static_cast<std::size_t>(k)] = 1.0 / k;
    return table;
  }();

  void refill() {
    block_ = philox_(ctr_, key_);
    ++ctr_.v[3];
    used_ = 0;
  }

  r123::Philox4x32 philox_;
  r123::Philox4x32::ctr_type ctr_;
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type block_{};
  int used_ = 4;
  double spare_normal_ = 0;
  bool has_spare_normal_ = false;
};

}  // namespace gigsim
