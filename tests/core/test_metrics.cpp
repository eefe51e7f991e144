#include <gtest/gtest.h>

#include <cmath>

#include "gigsim/observer.hpp"
#include "gigsim/simulation.hpp"

namespace gigsim {
namespace {

TEST(IncomeMetrics, ConstantIncomeHasNoVariation) {
  const double x[12] = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000};
  const IncomeMetrics m = income_metrics(x, 12, 500);
  EXPECT_DOUBLE_EQ(m.mean, 1000);
  EXPECT_DOUBLE_EQ(m.cv, 0);
  EXPECT_EQ(m.dip_months, 0);
  EXPECT_EQ(m.large_swings, 0);
  EXPECT_EQ(m.months_below, 0);
}

TEST(IncomeMetrics, HandComputedSeries) {
  // mean 1000; population sd = sqrt(((-400)^2 + 400^2 + 0 + 0)/4) = sqrt(80000) = 282.84
  const double x[4] = {600, 1400, 1000, 1000};
  const IncomeMetrics m = income_metrics(x, 4, 700);
  EXPECT_DOUBLE_EQ(m.mean, 1000);
  EXPECT_NEAR(m.cv, std::sqrt(80000.0) / 1000, 1e-12);
  EXPECT_EQ(m.dip_months, 1);    // 600 < 750
  EXPECT_EQ(m.large_swings, 1);  // 600->1400 (+133%); 1400->1000 (-28.6%) and 1000->1000 are not
  EXPECT_EQ(m.months_below, 1);  // 600 < 700
}

TEST(IncomeMetrics, SwingThresholdIsThirtyPercentOfThePreviousMonth) {
  const double x[4] = {1000, 1301, 1000, 700};  // +30.1% swing, -23.1% no swing, -30% exactly: no
  EXPECT_EQ(income_metrics(x, 4, 0).large_swings, 1);
  const double from_zero[3] = {0, 0, 500};  // 0 -> 0 is no swing, 0 -> 500 is
  EXPECT_EQ(income_metrics(from_zero, 3, 0).large_swings, 1);
}

TEST(IncomeMetrics, DipIsStrictlyMoreThanTwentyFivePercentBelowOwnMean) {
  const double x[4] = {750, 1250, 1000, 1000};  // 750 is exactly 25% below: not a dip
  EXPECT_EQ(income_metrics(x, 4, 0).dip_months, 0);
}

TEST(IncomeMetrics, ZeroIncomeHasUndefinedCv) {
  const double x[3] = {0, 0, 0};
  const IncomeMetrics m = income_metrics(x, 3, 100);
  EXPECT_TRUE(std::isnan(m.cv));
  EXPECT_EQ(m.months_below, 3);
  EXPECT_EQ(m.dip_months, 0);
}

TEST(TrainingDecision, MatchesHandComputedPresentValue) {
  TrainingSpec t;
  t.course_weeks = 4;
  t.course_hours_per_week = 6;
  t.skill_gain = 0.1;
  t.horizon_weeks = 52;
  t.discount_per_week = 0;  // undiscounted: annuity = horizon
  TrainingDecisionInputs in{};
  in.skill = 0.5;
  in.skill_premium = 0;  // earnings index = k
  in.recent_weekly_earnings = 300;
  in.recent_hourly_earnings = 12;
  in.own_course_cost = 400;
  const TrainingDecision d = evaluate_training(t, in);
  // k: 0.5 -> 0.55, relative gain 10%: 30 EUR/week over 52 weeks.
  EXPECT_NEAR(d.expected_gain, 300 * 0.1 * 52, 1e-9);
  EXPECT_NEAR(d.cost, 400 + 4 * 6 * 12, 1e-9);
  EXPECT_TRUE(d.worthwhile());
  in.own_course_cost = 2000;
  EXPECT_FALSE(evaluate_training(t, in).worthwhile());
}

TEST(GroupSummary, MeansAndIntervalsPerGroup) {
  WorkerSummaries s;
  s.mean_monthly_income = {100, 200, 300, 1000};
  s.income_cv = {0.1f, 0.3f, std::nanf(""), 0.2f};
  s.dip_months = {1, 2, 3, 0};
  s.large_swings = {0, 0, 0, 4};
  s.months_below_poverty = {0, 1, 0, 0};
  s.trained_last_12m = {1, 0, 0, 1};
  s.group = {0, 0, 0, 1};
  const auto g = summarize_groups(s, kGroupCount);
  ASSERT_EQ(g.size(), 5u);  // every group, the empty ones too
  EXPECT_EQ(g[2].workers, 0u);
  EXPECT_EQ(g[3].workers, 0u);
  EXPECT_EQ(g[4].workers, 0u);
  EXPECT_EQ(g[0].workers, 3u);
  EXPECT_DOUBLE_EQ(g[0].mean_monthly_income.mean, 200);
  // sample sd of {100,200,300} is 100; half-width 1.96 * 100 / sqrt(3)
  EXPECT_NEAR(g[0].mean_monthly_income.ci95, 1.96 * 100 / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(g[0].income_cv.mean, 0.2, 1e-7);  // NaN (zero income) is left out
  EXPECT_NEAR(g[0].trained_last_12m.mean, 1.0 / 3, 1e-12);
  EXPECT_EQ(g[1].workers, 1u);
  EXPECT_DOUBLE_EQ(g[1].large_swings.mean, 4);
  EXPECT_DOUBLE_EQ(g[1].large_swings.ci95, 0);
}

}  // namespace
}  // namespace gigsim
