// Membership decisions for the umbrella cooperative (docs/ODD.md "Membership decisions"; Barbet,
// Bourles & Rouchier): certainty equivalents, the switching rule applied worker by worker, the
// salary account paid to leavers, money, threads and the off switch.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::run;
using testing::same_totals;

ScenarioSpec with_decisions(ScenarioSpec s, double probability = 0.25, double cost = 20) {
  s.umbrella_coop.membership_review_probability = probability;
  s.umbrella_coop.risk_aversion = 3;
  s.umbrella_coop.switching_cost = cost;
  return s;
}

TEST(Membership, CertaintyEquivalentAndSwitchGainByHand) {
  // 1,000 EUR a month with CV 0.3 at rho 2: 1000 / 1.09 = 917.43.
  EXPECT_NEAR(certainty_equivalent(1000, 0.3, 2), 1000 / 1.09, 1e-9);
  EXPECT_DOUBLE_EQ(certainty_equivalent(1000, 0.3, 0), 1000);
  // Always positive, and rising in the mean, however volatile the income.
  EXPECT_GT(certainty_equivalent(100, 3.0, 20), 0);
  EXPECT_GT(certainty_equivalent(200, 3.0, 20), certainty_equivalent(100, 3.0, 20));
  // A non-member earning 800 with CV 0.4; members earn 10% more on average with CV 0.2:
  // 880 / 1.04 - 800 / 1.16 = 846.15 - 689.66 = 156.50.
  const GroupIncome outside{.mean = 1000, .cv = 0.3};
  const GroupIncome members{.mean = 1100, .cv = 0.2};
  EXPECT_NEAR(membership_switch_gain(800, 0.4, outside, members, 2), 880 / 1.04 - 800 / 1.16, 1e-9);
  // A member earning 1,200 with CV 0.1 would expect 1200 / 1.1 with CV 0.3 outside: a loss.
  EXPECT_LT(membership_switch_gain(1200, 0.1, members, outside, 2), 0);
  // Without risk aversion only the mean ratio counts.
  EXPECT_NEAR(membership_switch_gain(800, 0.4, outside, members, 0), 80, 1e-9);
}

// Worker i's mean and CV over the first 12 months, from the monthly panel (all workers): an
// account of the window independent of the engine's history ring.
IncomeMetrics own_metrics(const Recorder& rec, std::uint32_t i) {
  std::array<double, kHistoryMonths> x{};
  for (std::size_t m = 0; m < kHistoryMonths; ++m) x[m] = rec.months.at(m).net_income.at(i);
  return income_metrics(x.data(), kHistoryMonths, 0.0);
}

TEST(Membership, EveryReviewingWorkerSwitchesExactlyWhenTheGainBeatsTheCost) {
  // Everyone reviews at the end of month 12 (week 47); recompute the groups' statistics and each
  // worker's gain from the history, and compare with who switched.
  ScenarioSpec spec = with_decisions(busy_market(1500, 48), 1.0, 30);
  spec.output.panel = PanelMode::all;
  Simulation sim(spec, ExecutionContext{2});
  Recorder rec;
  sim.add_observer(rec);
  for (int k = 0; k < 47; ++k) ASSERT_TRUE(sim.step());
  const std::vector<std::uint8_t> before = sim.workers().coop_member;
  ASSERT_TRUE(sim.step());  // week 47: the end of month 12, the first review
  const WorkerState& w = sim.workers();
  ASSERT_EQ(rec.months.size(), 12u);
  // The groups: workers with income in the window (those without have no CV).
  std::array<double, 2> mean_sum{}, cv_sum{}, n{};
  for (std::uint32_t i = 0; i < w.count; ++i) {
    const IncomeMetrics m = own_metrics(rec, i);
    if (std::isnan(m.cv)) continue;
    mean_sum[before[i]] += m.mean;
    cv_sum[before[i]] += m.cv;
    n[before[i]] += 1;
  }
  std::array<GroupIncome, 2> group{};
  for (std::size_t g = 0; g < 2; ++g) group[g] = {mean_sum[g] / n[g], cv_sum[g] / n[g]};
  int joins = 0, leaves = 0, checked = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) {
    joins += w.coop_member[i] > before[i] ? 1 : 0;
    leaves += w.coop_member[i] < before[i] ? 1 : 0;
    const IncomeMetrics m = own_metrics(rec, i);
    if (std::isnan(m.cv)) {
      EXPECT_EQ(w.coop_member[i], before[i]);
      continue;
    }
    const std::size_t g = before[i];
    const double gain = membership_switch_gain(m.mean, m.cv, group[g], group[1 - g], 3);
    // Too close to call: the panel holds incomes in float, the engine sums cents in double.
    if (std::fabs(gain - 30) < 0.05) continue;
    ++checked;
    EXPECT_EQ(w.coop_member[i] != before[i], gain > 30) << "worker " << i << " gain " << gain;
  }
  EXPECT_GT(checked, 1400);
  EXPECT_GT(joins + leaves, 0);
  EXPECT_EQ(rec.steps.back().integer("coop_joins"), joins);
  EXPECT_EQ(rec.steps.back().integer("coop_leaves"), leaves);
  for (std::size_t k = 0; k + 1 < rec.steps.size(); ++k) {
    EXPECT_EQ(rec.steps[k].integer("coop_joins") + rec.steps[k].integer("coop_leaves"), 0)
        << "no review before month 12";
  }
}

TEST(Membership, ALeaverIsPaidItsSalaryAccountAsIncomeOfTheClosedMonth) {
  // Twin runs on one seed, one where nobody can meet the switching cost: identical up to the
  // first review, after which a leaver has exactly its twin's salary account more in cash and in
  // the closed month's income, and an empty account.
  ScenarioSpec spec = with_decisions(busy_market(1500, 48), 1.0, 0);
  spec.umbrella_coop.salary_smoothing_months = 3;
  spec.output.panel = PanelMode::all;
  ScenarioSpec fixed = spec;
  fixed.umbrella_coop.switching_cost = 1e9;
  Simulation a(spec, ExecutionContext{2}), b(fixed, ExecutionContext{2});
  Recorder ra, rb;
  a.add_observer(ra);
  b.add_observer(rb);
  const std::vector<std::uint8_t> before = a.workers().coop_member;
  for (int k = 0; k < 48; ++k) {
    ASSERT_TRUE(a.step());
    ASSERT_TRUE(b.step());
  }
  const WorkerState& wa = a.workers();
  const WorkerState& wb = b.workers();
  int leavers = 0;
  for (std::uint32_t i = 0; i < wa.count; ++i) {
    const std::size_t last = static_cast<std::size_t>(i) * kHistoryMonths + 11;
    if (before[i] && !wa.coop_member[i]) {
      ++leavers;
      const std::int64_t account = wb.salary_account[i];
      EXPECT_EQ(wa.salary_account[i], 0);
      EXPECT_EQ(wa.cash[i] - wb.cash[i], account) << "worker " << i;
      EXPECT_EQ(wa.income_history[last] - wb.income_history[last], account) << "worker " << i;
      EXPECT_FLOAT_EQ(ra.months.back().net_income[i] - rb.months.back().net_income[i],
                      static_cast<float>(account) / 100.f);
    } else {
      EXPECT_EQ(wa.cash[i], wb.cash[i]) << "worker " << i;
      EXPECT_EQ(wa.income_history[last], wb.income_history[last]) << "worker " << i;
    }
  }
  EXPECT_GT(leavers, 0);
}

TEST(Membership, MoneyIsConservedAndLeaversGetTheirSalaryAccount) {
  ScenarioSpec spec = with_decisions(busy_market(2500, 104));
  spec.umbrella_coop.salary_smoothing_months = 3;
  spec.sickness.enabled = true;
  Simulation sim(spec, ExecutionContext{2});
  Recorder rec;
  sim.add_observer(rec);
  std::vector<std::uint8_t> before = sim.workers().coop_member;
  std::int64_t escrow = 0, gf = 50'000, tf = 10'000, salary = 0;
  std::int64_t joins = 0, leaves = 0;
  while (sim.step()) {
    const StepTotals& t = rec.steps.back();
    const std::int64_t delta =
        (t.integer("escrow_balance") - escrow) + (t.integer("guarantee_fund_balance") - gf) +
        (t.integer("training_fund_balance") - tf) + (t.integer("salary_accounts_balance") - salary);
    ASSERT_EQ(t.integer("client_paid"),
              t.integer("worker_net_pay") + t.integer("platform_commission") +
                  t.integer("coop_fee_retained") + t.integer("training_fund_spent") + delta)
        << "step " << t.step;
    escrow = t.integer("escrow_balance");
    gf = t.integer("guarantee_fund_balance");
    tf = t.integer("training_fund_balance");
    salary = t.integer("salary_accounts_balance");
    const WorkerState& w = sim.workers();
    for (std::uint32_t i = 0; i < w.count; ++i) {
      if (before[i] && !w.coop_member[i]) {
        ASSERT_EQ(w.salary_account[i], 0) << "a leaver keeps no salary account, worker " << i;
      }
    }
    before = w.coop_member;
    joins += t.integer("coop_joins");
    leaves += t.integer("coop_leaves");
  }
  EXPECT_GT(joins, 0);
  EXPECT_GT(leaves, 0);
}

TEST(Membership, ASwitchingCostNobodyMeetsChangesNothing) {
  // Reviews draw from their own stream and leave no trace unless somebody switches.
  const ScenarioSpec spec = busy_market(1500, 70);
  const Recorder fixed = run(spec);
  const Recorder never = run(with_decisions(spec, 1.0, 1e9));
  ASSERT_EQ(fixed.steps.size(), never.steps.size());
  for (std::size_t k = 0; k < fixed.steps.size(); ++k)
    ASSERT_TRUE(same_totals(fixed.steps[k], never.steps[k])) << k;
  // A cost some can meet changes the membership and the results.
  const Recorder some = run(with_decisions(spec, 1.0, 0));
  EXPECT_NE(fixed.steps.back().integer("coop_members"), some.steps.back().integer("coop_members"));
}

TEST(Membership, BitIdenticalAtOneTwoAndFourThreads) {
  ScenarioSpec spec = with_decisions(busy_market(3 * kBlockSize + 77, 60));
  spec.peer_learning.enabled = true;  // learners are refreshed after switches
  const Recorder one = run(spec, 1), two = run(spec, 2), four = run(spec, 4);
  std::int64_t switches = 0;
  for (const StepTotals& t : one.steps)
    switches += t.integer("coop_joins") + t.integer("coop_leaves");
  EXPECT_GT(switches, 50);
  for (const Recorder* other : {&two, &four}) {
    ASSERT_EQ(one.steps.size(), other->steps.size());
    for (std::size_t k = 0; k < one.steps.size(); ++k)
      ASSERT_TRUE(same_totals(one.steps[k], other->steps[k])) << k;
    EXPECT_TRUE(testing::same_bits(one.end.income_cv, other->end.income_cv));
    EXPECT_TRUE(testing::same_bits(one.end.group, other->end.group));
  }
}

}  // namespace
}  // namespace gigsim
