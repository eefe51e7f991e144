// Platform power: rating thresholds and deactivation (docs/ODD.md "Work and pay").
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_totals;

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
    reported += rec.steps.back().integer("deactivations");
    mask_before = w.platform_mask;
  }
  EXPECT_GT(cleared, 20) << "the threshold bit";
  EXPECT_EQ(reported, cleared);
  EXPECT_LT(rec.steps.back().integer("platform_registrations"),
            rec.steps.front().integer("platform_registrations"));
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
    EXPECT_TRUE(same_totals(a.steps[k], b.steps[k])) << "step " << k;
    EXPECT_EQ(a.steps[k].integer("deactivations"), 0);
  }
}

// Bidding mode: 100 workers with 80 hours a week each and half-hour tasks (room for 117 tasks
// each with the default search time: 11,700 a week) compete for `tasks` tasks at 20 EUR.
ScenarioSpec bidding_market(double tasks, double elasticity, double floor) {
  ScenarioSpec spec = testing::small_market(100, 20);
  spec.workers.hours_budget_mean = 80;
  spec.workers.hours_budget_sd = 0;
  spec.sectors[0].tasks_per_week = tasks;
  spec.sectors[0].task_hours = 0.5;
  spec.sectors[0].skill_premium = 0;  // every task at the posted price
  spec.sectors[0].base_price = 20;
  spec.training.consider_probability = 0;
  spec.platforms[0].bid_elasticity = elasticity;
  spec.platforms[0].bid_floor = floor;
  return spec;
}

TEST(Bidding, BitIdenticalAtOneAndThreeThreadsAcrossBlocks) {
  ScenarioSpec spec = busy_market(5000, 30);  // three blocks of workers
  spec.platforms[0].bid_elasticity = 0.5;
  spec.platforms[1].bid_elasticity = 0.2;
  Recorder one, three;
  {
    Simulation sim(spec, ExecutionContext{1});
    sim.add_observer(one);
    sim.run();
  }
  {
    Simulation sim(spec, ExecutionContext{3});
    sim.add_observer(three);
    sim.run();
  }
  ASSERT_EQ(one.steps.size(), three.steps.size());
  for (std::size_t k = 0; k < one.steps.size(); ++k)
    EXPECT_TRUE(same_totals(one.steps[k], three.steps[k])) << "step " << k;
}

// Client payments per completed task, and the largest gap to `price` cents per task allowed by
// rounding each worker's weekly batch to the cent.
void expect_price_per_task(const Recorder& rec, double price) {
  for (const StepTotals& t : rec.steps) {
    ASSERT_GT(t.integer("tasks_completed"), 0);
    EXPECT_NEAR(static_cast<double>(t.integer("client_paid")),
                price * static_cast<double>(t.integer("tasks_completed")),
                0.5 * static_cast<double>(t.integer("workers_with_work")) + 1e-9)
        << "step " << t.step;
  }
}

TEST(Bidding, OversuppliedWorkersBidThePriceDownByTheElasticity) {
  // Capacity 11,700 against 1,170 tasks: ratio 10, price 2000 * 10^-0.3 = 1002.4 cents.
  Recorder rec;
  {
    Simulation sim(bidding_market(1170, 0.3, 0.2), ExecutionContext{2});
    sim.add_observer(rec);
    sim.run();
  }
  expect_price_per_task(rec, 2000 * std::pow(10.0, -0.3));
}

TEST(Bidding, TheFloorBoundsThePriceAndScarceWorkersGetThePostedPrice) {
  Recorder floored, scarce;
  {
    Simulation sim(bidding_market(1170, 2.0, 0.4), ExecutionContext{2});  // 10^-2 < 0.4
    sim.add_observer(floored);
    sim.run();
  }
  expect_price_per_task(floored, 2000 * 0.4);
  {
    // 20,000 tasks against room for 11,700: no competition, posted price.
    Simulation sim(bidding_market(20'000, 0.3, 0.2), ExecutionContext{2});
    sim.add_observer(scarce);
    sim.run();
  }
  expect_price_per_task(scarce, 2000);
}

TEST(Bidding, TheFloorIsInertWhilePricesArePosted) {
  // (That elasticity 0 reproduces the engine without the mechanism bit for bit was checked with
  // h5diff against the previous build when it was added; this checks the floor does nothing.)
  const ScenarioSpec plain = busy_market(1500, 30);
  ScenarioSpec zero = plain;
  zero.platforms[0].bid_floor = 0.1;  // no effect while the elasticity is 0
  Recorder a, b;
  {
    Simulation sim(plain, ExecutionContext{2});
    sim.add_observer(a);
    sim.run();
  }
  {
    Simulation sim(zero, ExecutionContext{2});
    sim.add_observer(b);
    sim.run();
  }
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t k = 0; k < a.steps.size(); ++k)
    EXPECT_TRUE(same_totals(a.steps[k], b.steps[k])) << "step " << k;
}

}  // namespace
}  // namespace gigsim
