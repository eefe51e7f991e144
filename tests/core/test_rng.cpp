#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "gigsim/rng.hpp"

namespace gigsim {
namespace {

TEST(RandomStream, SameKeyAndCounterGiveSameNumbers) {
  RandomStream a(7, Stream::tasks, 42, 3);
  RandomStream b(7, Stream::tasks, 42, 3);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u32(), b.next_u32());
}

TEST(RandomStream, EveryPartOfTheKeyChangesTheNumbers) {
  const auto first = [](std::uint64_t seed, Stream s, std::uint32_t agent, std::uint32_t step) {
    RandomStream r(seed, s, agent, step);
    return r.uniform();
  };
  std::set<double> seen{first(7, Stream::tasks, 42, 3), first(8, Stream::tasks, 42, 3),
                        first(7, Stream::training, 42, 3), first(7, Stream::tasks, 43, 3),
                        first(7, Stream::tasks, 42, 4)};
  EXPECT_EQ(seen.size(), 5u);
}

TEST(RandomStream, UniformIsInsideTheOpenIntervalWithMeanOneHalf) {
  RandomStream r(1, Stream::tasks, 0, 0);
  const int n = 200'000;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // 5 standard errors of the mean of U(0,1): sd = 1/sqrt(12).
  EXPECT_NEAR(sum / n, 0.5, 5 * std::sqrt(1.0 / 12 / n));
}

// Poisson mean and variance at means on both sides of the inversion / PTRS switch.
class PoissonMoments : public ::testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MeanAndVarianceEqualTheRate) {
  const double lambda = GetParam();
  const int n = 100'000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    RandomStream r(99, Stream::tasks, static_cast<std::uint32_t>(i), 0);
    const double k = r.poisson(lambda);
    sum += k;
    sum_sq += k * k;
  }
  const double mean = sum / n;
  const double var = sum_sq / n - mean * mean;
  // Standard error of the mean is sqrt(lambda/n); of the variance about lambda*sqrt(2/n)
  // (plus a kurtosis term 1/lambda that is small here). Tolerances are 5 standard errors.
  EXPECT_NEAR(mean, lambda, 5 * std::sqrt(lambda / n));
  EXPECT_NEAR(var, lambda, 5 * lambda * std::sqrt((2.0 + 1.0 / lambda) / n));
}

INSTANTIATE_TEST_SUITE_P(Rates, PoissonMoments,
                         ::testing::Values(0.3, 4.0, 9.9, 10.0, 37.5, 400.0));

TEST(RandomStream, NormalHasZeroMeanUnitVariance) {
  RandomStream r(5, Stream::task_details, 0, 0);
  const int n = 200'000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double z = r.normal();
    sum += z;
    sum_sq += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 5 / std::sqrt(n));
  EXPECT_NEAR(sum_sq / n, 1.0, 5 * std::sqrt(2.0 / n));
}

}  // namespace
}  // namespace gigsim
