// The public training subsidy, the `policy` section (docs/ODD.md "Training decision"): it pays its
// share of what workers would pay for their courses, and courses it pays most of count as public.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>

#include "core/small_market.hpp"
#include "gigsim/simulation.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_totals;
using testing::small_market;

TEST(TrainingSubsidy, FullSubsidyPaysEveryCourseAndWorkersPayNothing) {
  ScenarioSpec spec = small_market(1000, 40);
  spec.training.consider_probability = 0.2;
  spec.policy.training_subsidy_share = 1.0;
  const Recorder rec = testing::run(spec);
  std::int64_t starts = 0, public_spent = 0, own = 0;
  for (const StepTotals& t : rec.steps) {
    starts += t.integer("training_starts");
    public_spent += t.integer("public_training_spent");
    own += t.integer("worker_training_spent");
  }
  ASSERT_GT(starts, 0);
  EXPECT_EQ(own, 0);
  EXPECT_EQ(public_spent, starts * 40'000) << "course_cost 400 EUR, all of it public";
  bool public_payer_seen = false;
  for (const PanelMonth& m : rec.months) {
    for (std::size_t k = 0; k < m.trained.size(); ++k) {
      if (m.training_payer[k] != static_cast<std::uint8_t>(TrainingPayer::none)) {
        EXPECT_EQ(m.training_payer[k], static_cast<std::uint8_t>(TrainingPayer::public_));
        public_payer_seen = true;
      }
    }
  }
  EXPECT_TRUE(public_payer_seen);
}

TEST(TrainingSubsidy, PartialSubsidySplitsEachCourseAndRaisesParticipation) {
  ScenarioSpec spec = busy_market(3000, 60);
  spec.training.course_cost = 900;  // dear enough that some courses are not worth it unaided
  const Recorder none = testing::run(spec);
  spec.policy.training_subsidy_share = 0.6;
  const Recorder some = testing::run(spec);
  std::int64_t starts[2] = {0, 0}, public_spent = 0, own = 0, fund = 0;
  for (const StepTotals& t : none.steps) starts[0] += t.integer("training_starts");
  for (const StepTotals& t : some.steps) {
    starts[1] += t.integer("training_starts");
    public_spent += t.integer("public_training_spent");
    own += t.integer("worker_training_spent");
    fund += t.integer("training_fund_spent");
  }
  EXPECT_GT(starts[1], starts[0] + starts[0] / 5) << "without " << starts[0];
  // Every course costs 90,000 cents in all, whoever pays.
  EXPECT_EQ(public_spent + own + fund, starts[1] * 90'000);
  EXPECT_GT(public_spent, own) << "60% of what workers would pay is public";
  EXPECT_EQ(none.steps.back().integer("public_training_spent"), 0);
}

// A course the worker pays with the subsidy's help counts as publicly paid only when the subsidy
// pays more than half of it.
TEST(TrainingSubsidy, ThePayerIsPublicOnlyWhenTheSubsidyPaysMoreThanHalf) {
  ScenarioSpec spec = small_market(1000, 40);
  spec.training.consider_probability = 0.2;
  for (const double share : {0.4, 0.6}) {
    spec.policy.training_subsidy_share = share;
    const Recorder rec = testing::run(spec);
    std::size_t paid = 0, public_paid = 0;
    for (const PanelMonth& m : rec.months) {
      for (std::size_t k = 0; k < m.trained.size(); ++k) {
        if (m.training_payer[k] == static_cast<std::uint8_t>(TrainingPayer::none)) continue;
        ++paid;
        if (m.training_payer[k] == static_cast<std::uint8_t>(TrainingPayer::public_)) ++public_paid;
      }
    }
    ASSERT_GT(paid, 0u) << share;
    EXPECT_EQ(public_paid, share > 0.5 ? paid : 0u) << share;
  }
}

}  // namespace
}  // namespace gigsim
