// Employee-sharing pool (docs/ODD.md "Employee-sharing pool"; [SIV] in docs/references.md):
// continuous contracts paid whatever the employers need, hours used = min(need, contract hours), a
// fund that never pays out more than it holds, employer-paid training.
#include <gtest/gtest.h>

#include <cmath>

#include "core/small_market.hpp"
#include "employee_sharing/employee_sharing.hpp"
#include "gigsim/simulation.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_totals;
using testing::small_market;
using testing::with_platform_coop;

Recorder run(const ScenarioSpec& spec, int threads = 2) {
  Recorder rec;
  Simulation sim(spec, ExecutionContext{threads});
  sim.add_observer(rec);
  sim.run();
  return rec;
}

ScenarioSpec with_sharing(ScenarioSpec s, double share = 0.1) {
  EmployeeSharingSpec& es = s.employee_sharing;
  es.enabled = true;
  es.initial_worker_share = share;
  es.employers = 12;
  es.contract_hours = 20;
  es.hourly_wage = 14;
  es.charge_per_hour = 16;
  // Mean need a little below the contract hours of the pooled workers.
  es.demand_hours_mean = 0.9 * share * s.workers.count * es.contract_hours / es.employers;
  es.demand_cv = 0.6;
  es.initial_fund = 5'000;
  return s;
}

TEST(EmployeeSharing, WagesChargesAndCoursesFlowWithEveryMechanismOn) {
  // (The engine checks both money identities every step, the pool's fund and flows included.)
  ScenarioSpec spec = with_sharing(with_platform_coop(busy_market(3000, 80)));
  spec.sickness.enabled = true;
  spec.sickness.weekly_onset_probability = 0.02;
  spec.sickness_pool.enabled = true;
  spec.sickness_pool.initial_member_share = 0.5;
  spec.umbrella_coop.salary_smoothing_months = 2;
  spec.policy.training_subsidy_share = 0.2;
  spec.training.consider_probability = 0.2;
  const Recorder rec = run(spec);
  std::int64_t wages = 0, charges = 0, courses = 0;
  for (const StepTotals& t : rec.steps) {
    ASSERT_GE(t.integer("sharing_fund_balance"), 0) << "step " << t.step;
    wages += t.integer("sharing_wages");
    charges += t.integer("sharing_charges");
    courses += t.integer("sharing_training_spent");
  }
  EXPECT_GT(wages, 0);
  EXPECT_GT(charges, 0);
  EXPECT_GT(courses, 0);
}

TEST(EmployeeSharing, EmployersUseTheSmallerOfTheirNeedAndTheContractHoursAndPayForThem) {
  const ScenarioSpec spec = with_sharing(small_market(500, 60));
  const Recorder rec = run(spec);
  const double supply = static_cast<double>(rec.steps[0].integer("pooled_workers")) * 20;
  ASSERT_GT(supply, 0);
  int short_weeks = 0, slack_weeks = 0;
  for (const StepTotals& t : rec.steps) {
    ASSERT_EQ(t.real("sharing_hours_used"), std::min(t.real("sharing_demand_hours"), supply))
        << t.step;
    ASSERT_EQ(t.integer("sharing_charges"), std::llround(t.real("sharing_hours_used") * 16 * 100))
        << t.step;
    (t.real("sharing_demand_hours") > supply ? short_weeks : slack_weeks) += 1;
  }
  // The employers' need fluctuates around its mean, on both sides of the pool's hours.
  EXPECT_GT(short_weeks, 0);
  EXPECT_GT(slack_weeks, 0);
}

TEST(EmployeeSharing, TheWageIsPaidEveryWeekWhateverTheEmployersNeed) {
  // Pooled workers whose hours budget is their contract do no platform work: their income is the
  // wage alone, 4 weeks x 20 h x 14 EUR = 1,120 EUR every month, with no variation, although the
  // employers' need swings from week to week.
  ScenarioSpec spec = with_sharing(small_market(400, 60), 0.3);
  spec.workers.hours_budget_mean = 20;
  spec.workers.hours_budget_sd = 0;
  spec.employee_sharing.initial_fund = 100'000;
  spec.training.consider_probability = 0;
  const Recorder rec = run(spec);
  int pooled = 0;
  for (std::size_t i = 0; i < rec.end.group.size(); ++i) {
    if (rec.end.group[i] != static_cast<std::uint8_t>(WorkerGroup::pooled_worker)) continue;
    ++pooled;
    ASSERT_EQ(rec.end.mean_monthly_income[i], 1120.f) << "worker " << i;
    ASSERT_EQ(rec.end.income_cv[i], 0.f) << "worker " << i;
    ASSERT_EQ(rec.end.dip_months[i], 0);
  }
  EXPECT_GT(pooled, 80);
  for (const StepTotals& t : rec.steps) EXPECT_EQ(t.integer("sharing_wages_unpaid"), 0);
}

TEST(EmployeeSharing, AFundThatRunsDryPaysProRataAndNeverGoesBelowZero) {
  // Employers pay far less than the wages: the initial fund runs out, after which the wages are
  // paid pro rata from what the week's charges bring in.
  ScenarioSpec spec = with_sharing(small_market(300, 30), 0.2);
  spec.employee_sharing.charge_per_hour = 3;
  spec.employee_sharing.initial_fund = 2'000;
  const Recorder rec = run(spec);
  bool ran_dry = false;
  for (const StepTotals& t : rec.steps) {
    ASSERT_GE(t.integer("sharing_fund_balance"), 0);
    ASSERT_EQ(t.integer("sharing_wages") + t.integer("sharing_wages_unpaid"),
              t.integer("pooled_workers") * 20 * 14 * 100);
    if (t.integer("sharing_wages_unpaid") > 0) {
      ran_dry = true;
      // Each worker gets the same floor share, so less than a cent per worker stays in the fund.
      EXPECT_LT(t.integer("sharing_fund_balance"), t.integer("pooled_workers"))
          << "week " << t.step;
    }
  }
  EXPECT_TRUE(ran_dry);
}

TEST(EmployeeSharing, ThePoolPaysItsWorkersCoursesAsTheirEmployer) {
  ScenarioSpec spec = with_sharing(small_market(1000, 60), 0.3);
  spec.training.consider_probability = 0.2;
  spec.employee_sharing.initial_fund = 50'000;
  const Recorder rec = run(spec);
  int employer_paid = 0;
  for (std::size_t i = 0; i < rec.end.group.size(); ++i) {
    const bool pooled = rec.end.group[i] == static_cast<std::uint8_t>(WorkerGroup::pooled_worker);
    if (rec.end.training_payer[i] == static_cast<std::uint8_t>(TrainingPayer::employer)) {
      ASSERT_TRUE(pooled) << "worker " << i;
      ++employer_paid;
    }
  }
  EXPECT_GT(employer_paid, 0);
  std::int64_t spent = 0;
  for (const StepTotals& t : rec.steps) spent += t.integer("sharing_training_spent");
  EXPECT_GT(spent, 0);
}

TEST(EmployeeSharing, ContractHoursLeaveLessTimeForPlatformWork) {
  ScenarioSpec spec = with_sharing(small_market(600, 30), 0.5);
  spec.workers.hours_budget_sd = 0;
  spec.sectors[0].tasks_per_week = 40.0 * 600;  // more work than anyone has hours for
  Simulation sim(spec, ExecutionContext{2});
  sim.run();
  const WorkerState& w = sim.workers();
  const EmployeeSharing& pool = sim.mechanism<EmployeeSharing>();
  double pooled_tasks = 0, other_tasks = 0;
  int pooled = 0, other = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) {
    (pool.pooled(i) ? pooled_tasks : other_tasks) += w.reviews[i];
    (pool.pooled(i) ? pooled : other) += 1;
  }
  ASSERT_GT(pooled, 0);
  ASSERT_GT(other, 0);
  // 27 h budget: 7 h left beside a 20-hour contract.
  EXPECT_LT(pooled_tasks / pooled, 0.4 * other_tasks / other);
}

TEST(EmployeeSharing, ParametersOfAClosedPoolChangeNothing) {
  const ScenarioSpec spec = busy_market(1200, 40);
  ScenarioSpec other = spec;
  other.employee_sharing.contract_hours = 30;
  other.employee_sharing.initial_worker_share = 0.5;
  other.employee_sharing.initial_fund = 1e6;
  const Recorder a = run(spec), b = run(other);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t k = 0; k < a.steps.size(); ++k)
    ASSERT_TRUE(same_totals(a.steps[k], b.steps[k])) << "step " << k;
}

TEST(EmployeeSharing, BitIdenticalAtOneTwoAndFourThreads) {
  ScenarioSpec spec = with_sharing(busy_market(3 * kBlockSize + 77, 40));
  spec.sickness.enabled = true;
  const Recorder one = run(spec, 1), two = run(spec, 2), four = run(spec, 4);
  for (const Recorder* other : {&two, &four}) {
    ASSERT_EQ(one.steps.size(), other->steps.size());
    for (std::size_t k = 0; k < one.steps.size(); ++k)
      ASSERT_TRUE(same_totals(one.steps[k], other->steps[k])) << k;
    EXPECT_TRUE(testing::same_bits(one.end.income_cv, other->end.income_cv));
  }
}

TEST(EmployeeSharing, OpeningThePoolLeavesTheDrawsOfEveryOtherWorkerUnchanged) {
  // Common random numbers: the pool draws its workers from its own stream, so opening it changes
  // no worker's endowment, registrations or memberships; a with/without comparison on one seed
  // then differs only by what the pool does.
  ScenarioSpec off = busy_market(2000, 1);
  ScenarioSpec on = with_sharing(off, 0.2);
  Simulation a(off, ExecutionContext{1}), b(on, ExecutionContext{1});
  const WorkerState& wa = a.workers();
  const WorkerState& wb = b.workers();
  EXPECT_EQ(wa.hours_budget, wb.hours_budget);
  EXPECT_EQ(wa.skill, wb.skill);
  EXPECT_EQ(wa.cash, wb.cash);
  EXPECT_EQ(wa.platform_mask, wb.platform_mask);
  EXPECT_EQ(wa.coop_member, wb.coop_member);
  int pooled = 0;
  for (std::uint32_t i = 0; i < wb.count; ++i) pooled += b.mechanism<EmployeeSharing>().pooled(i);
  EXPECT_GT(pooled, 300);
}

}  // namespace
}  // namespace gigsim
