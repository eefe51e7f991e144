// Platform power: rating thresholds and deactivation (docs/ODD.md "Work and pay").
#include <gtest/gtest.h>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;

ScenarioSpec with_threshold(ScenarioSpec s, double rating, std::uint32_t min_reviews) {
  s.platforms[0].deactivation_rating = rating;
  s.platforms[0].deactivation_min_reviews = min_reviews;
  return s;
}

TEST(Deactivation, WorkersBelowTheThresholdLoseTheRegistrationForGood) {
  const ScenarioSpec spec = with_threshold(busy_market(2000, 50), 0.45, 10);
  Simulation sim(spec, ExecutionContext{2});
  const std::uint32_t N = spec.workers.count;
  const int P = static_cast<int>(spec.platforms.size());
  std::vector<std::uint16_t> mask_before = sim.workers().platform_mask;
  std::vector<std::int32_t> deactivated_at(N, -1);
  std::vector<float> reviews_then(N, 0.f);
  std::int64_t reported = 0, cleared = 0;
  Recorder rec;
  sim.add_observer(rec);
  while (sim.step()) {
    const WorkerState& w = sim.workers();
    const auto t = static_cast<std::int32_t>(sim.current_step()) - 1;
    for (std::uint32_t i = 0; i < N; ++i) {
      for (int p = 0; p < P; ++p) {
        const std::size_t ip = static_cast<std::size_t>(i) * P + p;
        const bool registered = (w.platform_mask[i] >> p) & 1u;
        const bool was = (mask_before[i] >> p) & 1u;
        EXPECT_FALSE(registered && !was) << "a deactivation is for good";
        if (p != 0) {
          EXPECT_EQ(registered, was) << "platform 1 has no threshold";
          continue;
        }
        if (registered) {
          EXPECT_FALSE(w.reviews[ip] >= 10 && w.reputation[ip] < 0.45f)
              << "worker " << i << " below the threshold is still registered";
        }
        if (was && !registered) {
          ++cleared;
          deactivated_at[i] = t;
          reviews_then[i] = w.reviews[ip];
        }
        // From the week after its deactivation on, the worker gets no task there.
        if (deactivated_at[i] >= 0 && deactivated_at[i] < t) {
          EXPECT_EQ(w.reviews[ip], reviews_then[i]) << "worker " << i;
        }
      }
    }
    reported += rec.steps.back().deactivations;
    mask_before = w.platform_mask;
  }
  EXPECT_GT(cleared, 20) << "the threshold bit";
  EXPECT_EQ(reported, cleared);
  EXPECT_LT(rec.steps.back().platform_registrations, rec.steps.front().platform_registrations);
}

TEST(Deactivation, NoThresholdGivesExactlyTheRunWithoutIt) {
  const ScenarioSpec plain = busy_market(1500, 40);
  // The threshold is checked after every batch but no worker reaches the required ratings.
  const ScenarioSpec off = with_threshold(plain, 0.45, 1'000'000);
  Recorder a, b;
  {
    Simulation sim(plain, ExecutionContext{2});
    sim.add_observer(a);
    sim.run();
  }
  {
    Simulation sim(off, ExecutionContext{2});
    sim.add_observer(b);
    sim.run();
  }
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t k = 0; k < a.steps.size(); ++k) {
    EXPECT_EQ(std::memcmp(&a.steps[k], &b.steps[k], sizeof(StepTotals)), 0) << "step " << k;
    EXPECT_EQ(a.steps[k].deactivations, 0);
  }
}

}  // namespace
}  // namespace gigsim
