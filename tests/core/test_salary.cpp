// The umbrella cooperative's averaged monthly salary (docs/ODD.md "Work and pay").
#include <gtest/gtest.h>

#include <cmath>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_bits;

struct Outcome {
  Recorder rec;
  WorkerSummaries end;
  std::vector<std::uint8_t> member;
};

Outcome run_with(const ScenarioSpec& spec) {
  Outcome r;
  Simulation sim(spec, ExecutionContext{2});
  sim.add_observer(r.rec);
  sim.run();
  r.end = sim.summaries();
  r.member = sim.workers().coop_member;
  return r;
}

TEST(AveragedSalary, MoneyIsConservedWithTheSalaryAccountsAsAStock) {
  ScenarioSpec spec = busy_market(2500, 60);
  spec.umbrella_coop.salary_smoothing_months = 3;
  const Outcome run = run_with(spec);
  std::int64_t escrow = 0, gf = 50'000, tf = 10'000, accounts = 0;
  for (const StepTotals& t : run.rec.steps) {
    const std::int64_t delta = (t.integer("escrow_balance") - escrow) +
                               (t.integer("guarantee_fund_balance") - gf) +
                               (t.integer("training_fund_balance") - tf) +
                               (t.integer("salary_accounts_balance") - accounts);
    EXPECT_EQ(t.integer("client_paid"),
              t.integer("worker_net_pay") + t.integer("platform_commission") +
                  t.integer("coop_fee_retained") + t.integer("training_fund_spent") + delta)
        << "step " << t.step;
    EXPECT_GE(t.integer("salary_accounts_balance"), 0);
    escrow = t.integer("escrow_balance");
    gf = t.integer("guarantee_fund_balance");
    tf = t.integer("training_fund_balance");
    accounts = t.integer("salary_accounts_balance");
  }
  EXPECT_GT(accounts, 0) << "members' salary accounts hold money";
}

TEST(AveragedSalary, OneMonthWindowPaysEachMonthWhatTheMonthBrought) {
  // With N = 1 the salary at a month end is everything the cooperative paid in that month, so
  // monthly incomes are those of weekly payment (training off: cash timing then changes nothing).
  ScenarioSpec spec = busy_market(2000, 56);
  spec.training.consider_probability = 0;
  const Outcome weekly = run_with(spec);
  spec.umbrella_coop.salary_smoothing_months = 1;
  const Outcome monthly = run_with(spec);
  ASSERT_EQ(weekly.rec.months.size(), monthly.rec.months.size());
  for (std::size_t m = 0; m < weekly.rec.months.size(); ++m) {
    EXPECT_TRUE(same_bits(weekly.rec.months[m].net_income, monthly.rec.months[m].net_income))
        << "month " << m;
    EXPECT_TRUE(same_bits(weekly.rec.months[m].cash, monthly.rec.months[m].cash)) << "month " << m;
  }
  EXPECT_TRUE(same_bits(weekly.end.income_cv, monthly.end.income_cv));
  EXPECT_EQ(monthly.rec.steps.back().integer("salary_accounts_balance"), 0);
}

TEST(AveragedSalary, AThreeMonthWindowSteadiesMembersIncome) {
  ScenarioSpec spec = busy_market(3000, 104);
  const Outcome weekly = run_with(spec);
  spec.umbrella_coop.salary_smoothing_months = 3;
  const Outcome smoothed = run_with(spec);
  ASSERT_EQ(weekly.member, smoothed.member) << "same seed, same members";
  const auto members_cv = [](const Outcome& r) {
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i < r.member.size(); ++i) {
      if (!r.member[i] || std::isnan(r.end.income_cv[i])) continue;
      sum += r.end.income_cv[i];
      ++n;
    }
    return sum / n;
  };
  EXPECT_LT(members_cv(smoothed), 0.75 * members_cv(weekly))
      << "weekly " << members_cv(weekly) << ", smoothed " << members_cv(smoothed);
}

}  // namespace
}  // namespace gigsim
