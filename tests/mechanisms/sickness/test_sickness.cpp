// Sickness events (docs/ODD.md "Sickness"): absence from work and courses, the renewal process
// of spells, and the off switch.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "core/small_market.hpp"
#include "gigsim/simulation.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::small_market;
using testing::with_sickness;

bool same_steps(const Recorder& a, const Recorder& b) {
  if (a.steps.size() != b.steps.size()) return false;
  for (std::size_t k = 0; k < a.steps.size(); ++k) {
    if (!testing::same_totals(a.steps[k], b.steps[k])) return false;
  }
  return true;
}

TEST(Sickness, SickWorkersNeitherWorkNorAttendCourses) {
  ScenarioSpec spec = with_sickness(small_market(400, 30), 0.2, 3);
  spec.training.consider_probability = 0.5;
  spec.training.course_cost = 0;
  Simulation sim(spec, ExecutionContext{2});
  for (int k = 0; k < 10; ++k) sim.step();
  // One more week phase by phase, to see who is sick during it.
  sim.run_phase(Simulation::Phase::offer);
  std::vector<std::uint8_t> sick(spec.workers.count), training(spec.workers.count);
  std::vector<std::uint8_t> course_weeks(spec.workers.count);
  int sick_count = 0;
  for (std::uint32_t i = 0; i < spec.workers.count; ++i) {
    sick[i] = sim.workers().absent_weeks_left[i] > 0;
    course_weeks[i] = sim.workers().training_weeks_left[i];
    sick_count += sick[i];
  }
  sim.run_phase(Simulation::Phase::work);
  sim.run_phase(Simulation::Phase::settle);
  ASSERT_GT(sick_count, 20);
  int sick_in_course = 0;
  for (std::uint32_t i = 0; i < spec.workers.count; ++i) {
    if (!sick[i]) continue;
    EXPECT_EQ(sim.workers().week_paid_hours[i], 0.f) << "worker " << i;
    // A course waits while its worker is sick, and a sick worker starts none.
    EXPECT_EQ(sim.workers().training_weeks_left[i], course_weeks[i]) << "worker " << i;
    if (course_weeks[i] > 0) ++sick_in_course;
  }
  EXPECT_GT(sick_in_course, 0) << "the course rule was exercised";
}

TEST(Sickness, LongRunShareSickMatchesTheRenewalProcess) {
  // Healthy spells are geometric on {0, 1, ...} with mean (1 - p) / p weeks, sick spells geometric
  // on {1, 2, ...} with mean d: the long-run share of worker-weeks sick is
  // d / (d + (1 - p) / p).
  const double p = 0.02, d = 4;
  ScenarioSpec spec = with_sickness(small_market(20'000, 260), p, d);
  const Recorder rec = testing::run(spec);
  double sick_weeks = 0;
  int weeks = 0;
  for (std::size_t k = 100; k < rec.steps.size(); ++k, ++weeks)
    sick_weeks += static_cast<double>(rec.steps[k].integer("workers_sick"));
  const double share = sick_weeks / (weeks * 20'000.0);
  const double expected = d / (d + (1 - p) / p);  // 0.0755
  // Standard error of the mean over 160 weeks of 20,000 workers (autocorrelated) is below 0.001.
  EXPECT_NEAR(share, expected, 0.004) << "expected " << expected;
}

TEST(Sickness, SwitchedOffGivesExactlyTheRunWithoutIt) {
  ScenarioSpec plain = busy_market(1500, 40);
  ScenarioSpec off = plain;
  off.sickness.weekly_onset_probability = 0.3;  // set, but the mechanism is off
  off.sickness.mean_duration_weeks = 9;
  off.sickness_pool.max_monthly_benefit = 5000;  // likewise for the pool
  off.sickness_pool.initial_member_share = 0.7;
  const Recorder a = testing::run(plain), b = testing::run(off);
  EXPECT_TRUE(same_steps(a, b));
  EXPECT_TRUE(testing::same_bits(a.end.income_cv, b.end.income_cv));
  EXPECT_EQ(a.steps.back().integer("workers_sick"), 0);
}

}  // namespace
}  // namespace gigsim
