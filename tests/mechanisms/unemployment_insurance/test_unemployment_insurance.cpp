// Unemployment insurance for the self-employed (docs/ODD.md "Unemployment insurance"): the rule
// applied worker by worker and month by month, who is covered, its fund, the off switch and
// threads.
#include <gtest/gtest.h>

#include <cmath>

#include "core/small_market.hpp"
#include "gigsim/simulation.hpp"
#include "unemployment_insurance/unemployment_insurance.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_totals;
using testing::small_market;

ScenarioSpec with_insurance(ScenarioSpec s) {
  UnemploymentInsuranceSpec& ui = s.unemployment_insurance;
  ui.enabled = true;
  ui.contribution_rate = 0.03;
  ui.replacement_rate = 0.7;
  ui.shortfall_threshold = 0.75;
  ui.benefit_cap = 400;
  ui.qualifying_months = 4;
  return s;
}

std::int64_t cents(float eur) {
  return std::llround(static_cast<double>(eur) * 100.0);
}

TEST(UnemploymentInsurance, EveryMonthIsToppedUpExactlyByTheRule) {
  // Twin runs on one seed without course decisions or membership reviews, so insurance cannot
  // change behaviour: each worker's income before insurance is the uninsured run's. With
  // insurance, a month's income is that minus the contribution plus the top-up of a shortfall
  // against the mean of the insured run's previous 12 months, for a worker who paid contributions
  // in at least 10 of them, as the rule says.
  ScenarioSpec spec = busy_market(1200, 80);
  spec.umbrella_coop.enabled = false;
  spec.training.consider_probability = 0;
  spec.sickness.enabled = true;  // months without income
  spec.sickness.weekly_onset_probability = 0.03;
  spec.output.panel = PanelMode::all;
  const Recorder off = testing::run(spec);
  ScenarioSpec insured = with_insurance(spec);
  insured.unemployment_insurance.qualifying_months = 10;
  const Recorder on = testing::run(insured);
  ASSERT_EQ(on.months.size(), 20u);
  int claims = 0, capped = 0, checked = 0, unqualified = 0;
  for (std::uint32_t i = 0; i < 1200; ++i) {
    for (std::size_t m = 0; m < on.months.size(); ++m) {
      const std::int64_t raw = cents(off.months[m].net_income[i]);
      const double earned = static_cast<double>(std::max<std::int64_t>(0, raw));
      const std::int64_t contribution = std::llround(0.03 * earned);
      std::int64_t sum = 0;
      int paid = 0;
      const std::size_t first = m >= 12 ? m - 12 : 0;
      for (std::size_t k = first; k < m; ++k) {
        sum += cents(on.months[k].net_income[i]);
        const std::int64_t before = cents(off.months[k].net_income[i]);
        paid += std::llround(0.03 * static_cast<double>(std::max<std::int64_t>(0, before))) > 0;
      }
      const double reference =
          m > 0 ? static_cast<double>(sum) / static_cast<double>(m - first) : 0;
      std::int64_t benefit = 0;
      if (reference > 0 && earned < 0.75 * reference) {
        if (paid >= 10) {
          const std::int64_t uncapped = std::llround(0.7 * (reference - earned));
          benefit = std::min<std::int64_t>(40'000, uncapped);
          ++claims;
          capped += uncapped > 40'000 ? 1 : 0;
        } else {
          ++unqualified;
        }
      }
      ASSERT_NEAR(static_cast<double>(cents(on.months[m].net_income[i])),
                  static_cast<double>(raw - contribution + benefit), 1.0)
          << "worker " << i << " month " << m;
      ++checked;
    }
  }
  EXPECT_GT(claims, 100);
  EXPECT_GT(capped, 0);
  EXPECT_GT(unqualified, 10);  // shortfalls without 10 months of contributions are not paid
  // The fund changes by contributions less benefits, and the insured incomes vary less.
  std::int64_t fund = 0, benefits = 0;
  for (const StepTotals& t : on.steps) {
    fund += t.integer("ui_contributions") - t.integer("ui_benefits");
    ASSERT_EQ(t.integer("ui_fund_balance"), fund) << t.step;
    benefits += t.integer("ui_benefits");
  }
  EXPECT_GT(benefits, 0);
  double cv_off = 0, cv_on = 0;
  for (std::uint32_t i = 0; i < 1200; ++i) {
    if (!std::isnan(off.end.income_cv[i]) && !std::isnan(on.end.income_cv[i])) {
      cv_off += off.end.income_cv[i];
      cv_on += on.end.income_cv[i];
    }
  }
  EXPECT_LT(cv_on, 0.9 * cv_off);
}

TEST(UnemploymentInsurance, EmployeesOfThePoolAreNotCovered) {
  ScenarioSpec spec = small_market(600, 40);
  spec.training.consider_probability = 0;
  spec.employee_sharing.enabled = true;
  spec.employee_sharing.initial_worker_share = 0.3;
  spec.employee_sharing.employers = 10;
  spec.employee_sharing.demand_hours_mean = 300;
  const Recorder off = testing::run(spec);
  const Recorder on = testing::run(with_insurance(spec));
  int pooled = 0;
  for (std::size_t i = 0; i < on.end.group.size(); ++i) {
    if (on.end.group[i] != static_cast<std::uint8_t>(WorkerGroup::pooled_worker)) continue;
    ++pooled;
    for (std::size_t m = 0; m < on.months.size(); ++m)
      ASSERT_EQ(on.months[m].net_income[i], off.months[m].net_income[i]) << "worker " << i;
  }
  EXPECT_GT(pooled, 100);
}

TEST(UnemploymentInsurance, ParametersWhileOffChangeNothingAndThreadsDoNotMatter) {
  const ScenarioSpec spec = busy_market(1200, 40);
  ScenarioSpec other = spec;
  other.unemployment_insurance.replacement_rate = 0.99;
  other.unemployment_insurance.qualifying_months = 1;
  const Recorder a = testing::run(spec), b = testing::run(other);
  for (std::size_t k = 0; k < a.steps.size(); ++k)
    ASSERT_TRUE(same_totals(a.steps[k], b.steps[k])) << k;
  const ScenarioSpec insured = with_insurance(busy_market(3 * kBlockSize + 5, 40));
  Recorder one, four;
  for (auto [threads, rec] : {std::pair{1, &one}, std::pair{4, &four}}) {
    Simulation sim(insured, ExecutionContext{threads});
    sim.add_observer(*rec);
    sim.run();
  }
  for (std::size_t k = 0; k < one.steps.size(); ++k)
    ASSERT_TRUE(same_totals(one.steps[k], four.steps[k])) << k;
  EXPECT_TRUE(testing::same_bits(one.end.income_cv, four.end.income_cv));
}

TEST(UnemploymentInsurance, InsureMonthFollowsTheRuleOnHandMadeHistories) {
  UnemploymentInsuranceSpec ui;
  ui.contribution_rate = 0.02;
  ui.replacement_rate = 0.6;
  ui.shortfall_threshold = 0.6;
  ui.benefit_cap = 100;
  ui.qualifying_months = 6;
  std::int64_t past[kHistoryMonths] = {};
  for (int j = 0; j < 8; ++j) past[j] = 100'000;  // EUR 1,000 a month for 8 months
  // Contributions in 8 months: qualified; income 300 < 0.6 * 1,000: topped up by 0.6 * 700,
  // capped at EUR 100.
  const InsuranceMonth r = insure_month(ui, 30'000, past, 8, 0xFF);
  EXPECT_EQ(r.contribution, 600);
  EXPECT_EQ(r.benefit, 10'000);
  // Only 5 months of contributions: not qualified.
  EXPECT_EQ(insure_month(ui, 30'000, past, 8, 0x1F).benefit, 0);
  // Above the threshold: no claim; a negative month pays no contribution.
  EXPECT_EQ(insure_month(ui, 70'000, past, 8, 0xFF).benefit, 0);
  EXPECT_EQ(insure_month(ui, -5'000, past, 8, 0xFF).contribution, 0);
  // Nothing run before: no reference.
  EXPECT_EQ(insure_month(ui, 0, past, 0, 0xFF).benefit, 0);
}

}  // namespace
}  // namespace gigsim
