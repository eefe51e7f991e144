// Work-integrating social enterprises and public buyers (docs/ODD.md "WISE", "Public buyers" and
// "Distance from the labour market"; [ASFGotland], [NIA]): supervision capacity, reserved contracts
// under the art. 20 staff condition, capital that never goes below zero, closure, transitions to
// the open market, recruitment bias, employer-paid training, money and determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/small_market.hpp"
#include "employee_sharing/employee_sharing.hpp"
#include "gigsim/simulation.hpp"
#include "wise/wise.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::run;
using testing::same_totals;
using testing::small_market;
using testing::with_platform_coop;

// Three WISEs of 2 supervisors x 4 places in the first sector, hiring from the 15% of workers far
// from the labour market, with public buyers reserving 5% of EUR 60,000 a week for them.
ScenarioSpec with_wises(ScenarioSpec s) {
  s.workers.far_from_market_share = 0.15;
  s.workers.recruitment_bias = 0.5;
  WiseSpec& ws = s.wise;
  ws.enabled = true;
  ws.count = 3;
  ws.sector = s.sectors[0].name;
  ws.supervisors = 2;
  ws.places_per_supervisor = 4;
  ws.initial_capital = 10'000;
  ws.distance_reduction_per_week = 0.02;
  ws.transition_rate = 0.1;
  PublicBuyersSpec& pb = s.public_buyers;
  pb.enabled = true;
  pb.purchases_per_week = 60'000;
  pb.reserved_share = 0.05;
  return s;
}

int employees_of(const Wise& wises, int wise) {
  int n = 0;
  for (const std::int16_t e : wises.employers()) n += e == wise ? 1 : 0;
  return n;
}

TEST(Wise, WagesSalesContractsAndCoursesFlowWithEveryMechanismOn) {
  // (The engine checks both money identities every step, the WISEs' capital and flows included.)
  ScenarioSpec spec = with_wises(with_platform_coop(busy_market(3000, 80)));
  spec.sickness.enabled = true;
  spec.sickness.weekly_onset_probability = 0.02;
  spec.sickness_pool.enabled = true;
  spec.sickness_pool.initial_member_share = 0.5;
  spec.umbrella_coop.salary_smoothing_months = 2;
  spec.employee_sharing.enabled = true;
  spec.employee_sharing.initial_worker_share = 0.05;
  spec.employee_sharing.employers = 10;
  spec.employee_sharing.demand_hours_mean = 250;
  spec.policy.training_subsidy_share = 0.2;
  spec.training.consider_probability = 0.2;
  spec.intermediary.enabled = true;
  const Recorder rec = run(spec);
  std::int64_t wages = 0, contracts = 0, sales = 0, courses = 0, hires = 0;
  for (const StepTotals& t : rec.steps) {
    ASSERT_GE(t.integer("wise_capital"), 0) << "step " << t.step;
    wages += t.integer("wise_wages");
    contracts += t.integer("wise_contracts");
    sales += t.integer("wise_sales");
    courses += t.integer("wise_training_spent");
    hires += t.integer("wise_hires");
  }
  EXPECT_GT(wages, 0);
  EXPECT_GT(contracts, 0);
  EXPECT_GT(sales, 0);
  EXPECT_GT(courses, 0);
  EXPECT_GT(hires, 24);  // turnover: more hires than the 24 places
}

TEST(Wise, SupervisionCapacityIsNeverExceededAndOnlyEligibleWorkersAreHired) {
  ScenarioSpec spec = with_wises(small_market(800, 80));
  spec.employee_sharing.enabled = true;  // pooled workers are not hired
  spec.employee_sharing.initial_worker_share = 0.2;
  spec.employee_sharing.demand_hours_mean = 400;
  spec.employee_sharing.employers = 10;
  spec.sickness.enabled = true;  // sick workers are not hired
  spec.sickness.weekly_onset_probability = 0.05;
  spec.wise.initial_capital = 3'000;  // and some WISEs close on the way
  Simulation sim(spec, ExecutionContext{2});
  Recorder rec;
  sim.add_observer(rec);
  const Wise& wises = sim.mechanism<Wise>();
  const EmployeeSharing& pool = sim.mechanism<EmployeeSharing>();
  std::vector<std::int16_t> before = wises.employers();
  int full_weeks = 0;
  while (sim.step()) {
    const WorkerState& w = sim.workers();
    for (int e = 0; e < 3; ++e) {
      ASSERT_GE(wises.capital(static_cast<std::size_t>(e)), 0) << "WISE " << e;
      if (!wises.is_open(static_cast<std::size_t>(e))) {
        ASSERT_EQ(employees_of(wises, e), 0);
      }
    }
    int total = 0;
    for (int e = 0; e < 3; ++e) {
      const int n = employees_of(wises, e);
      ASSERT_LE(n, 8) << "WISE " << e << " week " << rec.steps.back().step;
      full_weeks += n == 8 ? 1 : 0;
      total += n;
    }
    ASSERT_EQ(total, rec.steps.back().integer("wise_employees") -
                         rec.steps.back().integer("wise_transitions") -
                         rec.steps.back().integer("wise_released") +
                         rec.steps.back().integer("wise_hires"));
    for (std::uint32_t i = 0; i < w.count; ++i) {
      if (wises.employer_of(i) < 0) continue;
      ASSERT_FALSE(pool.pooled(i)) << "worker " << i;
      // A new hire was eligible when hired (its distance has not fallen yet).
      if (before[i] < 0) {
        EXPECT_GE(w.distance[i], 0.5f) << "worker " << i;
        EXPECT_EQ(w.absent_weeks_left[i], 0) << "worker " << i;
      }
    }
    before = wises.employers();
  }
  EXPECT_GT(full_weeks, 0);
  std::int64_t closures = 0;
  for (const StepTotals& t : rec.steps) closures += t.integer("wise_closures");
  EXPECT_GT(closures, 0);
}

TEST(Wise, ReservedContractsGoOnlyToWisesMeetingTheStaffConditionAndAreCappedByOutput) {
  // 8 employees and 2 supervisors: 80% of the staff are supported employees.
  ScenarioSpec spec = with_wises(small_market(800, 40));
  spec.public_buyers.min_disadvantaged_share = 0.85;  // nobody qualifies
  const Recorder none = run(spec);
  std::int64_t offered = 0;
  for (const StepTotals& t : none.steps) {
    ASSERT_EQ(t.integer("wise_contracts"), 0) << t.step;
    offered += t.integer("procurement_reserved");
  }
  EXPECT_EQ(offered, 40 * 300'000);  // 5% of EUR 60,000 a week

  spec.public_buyers.min_disadvantaged_share = 0.3;
  const Recorder some = run(spec);
  int in_full = 0;
  for (const StepTotals& t : some.steps) {
    ASSERT_LE(t.integer("wise_contracts"), t.integer("procurement_reserved")) << t.step;
    // Output is at most hours x value_per_hour (skill <= 1); what is sold cannot exceed it.
    ASSERT_LE(t.integer("wise_contracts") + t.integer("wise_sales"),
              std::llround(t.real("wise_hours") * 25 * 100))
        << t.step;
    in_full += t.integer("wise_contracts") == t.integer("procurement_reserved") ? 1 : 0;
  }
  EXPECT_GT(in_full, 20);  // EUR 1,000 a week each: within what 8 employees produce

  // At EUR 5 an hour the employees produce less than their WISE's EUR 1,000 share of the
  // reserved budget: the contracts take all of it, nothing is left to sell, the rest is unspent.
  spec.wise.value_per_hour = 5;
  spec.wise.initial_capital = 1e6;  // (they make a loss: enough capital to stay open)
  const Recorder capped = run(spec);
  int weeks = 0;
  for (const StepTotals& t : capped.steps) {
    if (t.real("wise_hours") == 0) continue;
    ++weeks;
    ASSERT_GT(t.integer("wise_contracts"), 0) << t.step;
    ASSERT_LT(t.integer("wise_contracts"), t.integer("procurement_reserved")) << t.step;
    ASSERT_LE(t.integer("wise_contracts"), std::llround(t.real("wise_hours") * 5 * 100)) << t.step;
    ASSERT_EQ(t.integer("wise_sales"), 0) << t.step;
  }
  EXPECT_GT(weeks, 30);
}

TEST(Wise, AWiseThatCannotPayClosesReleasesItsEmployeesAndNeverGoesBelowZero) {
  // No sales, no contracts, no subsidy: the capital pays wages and supervision until it runs
  // dry, after which the wages are paid pro rata; after insolvency_weeks unpaid weeks the WISEs
  // close and their employees go back to the open market.
  ScenarioSpec spec = with_wises(small_market(600, 40));
  spec.workers.hours_budget_mean = 35;  // every contract is the full 30 hours
  spec.workers.hours_budget_sd = 0;
  spec.public_buyers.enabled = false;
  spec.wise.sales_per_week = 0;
  spec.wise.wage_subsidy_share = 0;
  spec.wise.initial_capital = 12'000;
  spec.wise.insolvency_weeks = 3;
  spec.wise.transition_rate = 0;
  Simulation sim(spec, ExecutionContext{2});
  Recorder rec;
  sim.add_observer(rec);
  sim.run();
  std::int64_t closures = 0, released = 0;
  int closed_at = -1;
  for (const StepTotals& t : rec.steps) {
    ASSERT_GE(t.integer("wise_capital"), 0) << t.step;
    ASSERT_EQ(t.integer("wise_wages") + t.integer("wise_wages_unpaid"),
              t.integer("wise_employees") * 30 * 12 * 100)
        << t.step;
    closures += t.integer("wise_closures");
    released += t.integer("wise_released");
    if (t.integer("wise_closures") > 0 && closed_at < 0) closed_at = static_cast<int>(t.step);
  }
  EXPECT_EQ(closures, 3);
  EXPECT_EQ(released, 24);
  ASSERT_GT(closed_at, 0);
  // The three WISEs are alike (no sales, same staff size and wages), so all close together, in
  // the third week in a row whose bills left their capital at zero.
  int first_short = -1;
  for (const StepTotals& t : rec.steps) {
    if (t.integer("wise_capital") == 0) {
      first_short = static_cast<int>(t.step);
      break;
    }
  }
  EXPECT_EQ(closed_at, first_short + 2);
  EXPECT_EQ(rec.steps[static_cast<std::size_t>(closed_at)].integer("wise_closures"), 3);
  for (std::size_t k = static_cast<std::size_t>(closed_at) + 1; k < rec.steps.size(); ++k) {
    EXPECT_EQ(rec.steps[k].integer("wise_open"), 0);
    EXPECT_EQ(rec.steps[k].integer("wise_employees"), 0);
    EXPECT_EQ(rec.steps[k].integer("wise_hires"), 0);
  }
  for (const std::int16_t e : sim.mechanism<Wise>().employers()) EXPECT_EQ(e, -1);
}

TEST(Wise, TheWageIsPaidEveryWeekWhateverTheSales) {
  // Employees whose hours budget is their contract do no platform work and, with ample capital,
  // no transitions and no closures, earn 4 weeks x 30 h x 12 EUR = 1,440 EUR every month.
  ScenarioSpec spec = with_wises(small_market(400, 64));
  spec.workers.hours_budget_mean = 30;
  spec.workers.hours_budget_sd = 0;
  spec.wise.initial_capital = 100'000;
  spec.wise.distance_reduction_per_week = 0;
  spec.training.consider_probability = 0;
  const Recorder rec = run(spec);
  int employees = 0;
  for (std::size_t i = 0; i < rec.end.group.size(); ++i) {
    if (rec.end.group[i] != static_cast<std::uint8_t>(WorkerGroup::wise_employee)) continue;
    ++employees;
    ASSERT_EQ(rec.end.mean_monthly_income[i], 1440.f) << "worker " << i;
    ASSERT_EQ(rec.end.income_cv[i], 0.f) << "worker " << i;
  }
  EXPECT_EQ(employees, 24);
  for (const StepTotals& t : rec.steps) EXPECT_EQ(t.integer("wise_wages_unpaid"), 0);

  // A worker with a 20-hour budget works, and is paid for, 20 hours of the 30: 960 EUR a month.
  spec.workers.hours_budget_mean = 20;
  const Recorder part_time = run(spec);
  employees = 0;
  for (std::size_t i = 0; i < part_time.end.group.size(); ++i) {
    if (part_time.end.group[i] != static_cast<std::uint8_t>(WorkerGroup::wise_employee)) continue;
    ++employees;
    ASSERT_EQ(part_time.end.mean_monthly_income[i], 960.f) << "worker " << i;
  }
  EXPECT_EQ(employees, 24);
  for (const StepTotals& t : part_time.steps) {
    if (t.integer("wise_employees") > 0) {
      EXPECT_EQ(t.real("wise_hours"), 20.0 * static_cast<double>(t.integer("wise_employees")));
    }
  }
}

TEST(Wise, OpeningWisesLeavesEveryWorkersInitialDrawsUnchanged) {
  // Common random numbers: the WISEs hire with their own streams, and the far workers' distances
  // come from theirs, so switching the WISEs on changes no worker's endowment or registrations.
  const ScenarioSpec on = with_wises(busy_market(2000, 1));
  ScenarioSpec off = on;
  off.wise.enabled = false;
  off.public_buyers.enabled = false;
  Simulation a(off, ExecutionContext{1}), b(on, ExecutionContext{1});
  const WorkerState& wa = a.workers();
  const WorkerState& wb = b.workers();
  EXPECT_EQ(wa.hours_budget, wb.hours_budget);
  EXPECT_EQ(wa.skill, wb.skill);
  EXPECT_EQ(wa.cash, wb.cash);
  EXPECT_EQ(wa.platform_mask, wb.platform_mask);
  EXPECT_EQ(wa.coop_member, wb.coop_member);
  EXPECT_EQ(wa.distance, wb.distance);
}

TEST(Wise, SupportedEmploymentBringsWorkersCloserAndOnToTheOpenMarket) {
  const ScenarioSpec spec = with_wises(small_market(1000, 80));
  ScenarioSpec off = spec;
  off.wise.enabled = false;
  off.public_buyers.enabled = false;
  Simulation with(spec, ExecutionContext{2}), without(off, ExecutionContext{2});
  // The same far workers at the same distances (own stream), WISEs or not.
  ASSERT_EQ(with.workers().distance, without.workers().distance);
  const std::vector<float> start = with.workers().distance;
  Recorder rec;
  with.add_observer(rec);
  with.run();
  without.run();
  std::int64_t transitions = 0;
  for (const StepTotals& t : rec.steps) transitions += t.integer("wise_transitions");
  EXPECT_GT(transitions, 10);
  const WorkerState& w = with.workers();
  int closer = 0, moved_on = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) {
    ASSERT_LE(w.distance[i], start[i]);
    EXPECT_EQ(without.workers().distance[i], start[i]);  // only supported employment lowers it
    if (w.distance[i] < start[i]) ++closer;
    if (start[i] >= 0.5f && w.distance[i] < 0.5f && with.mechanism<Wise>().employer_of(i) < 0)
      ++moved_on;
  }
  EXPECT_GT(closer, 24);
  EXPECT_GE(moved_on, 1);
}

TEST(Wise, RecruitmentBiasCostsFarWorkersTheirShareOfWork) {
  ScenarioSpec spec = small_market(1500, 40);
  spec.workers.far_from_market_share = 0.3;
  ScenarioSpec biased = spec;
  biased.workers.recruitment_bias = 0.8;
  Simulation a(spec, ExecutionContext{2}), b(biased, ExecutionContext{2});
  a.run();
  b.run();
  const auto far_share_of_tasks = [](const WorkerState& w) {
    double far = 0, all = 0;
    for (std::uint32_t i = 0; i < w.count; ++i) {
      all += w.reviews[i];
      if (w.distance[i] > 0) far += w.reviews[i];
    }
    return far / all;
  };
  EXPECT_LT(far_share_of_tasks(b.workers()), 0.8 * far_share_of_tasks(a.workers()));
}

TEST(Wise, DistanceWithoutBiasOrWisesChangesNothing) {
  // Far workers, with no bias and no WISEs, are workers like any other: bit-identical results.
  // WISE and public-buyer parameters of a run without them change nothing either.
  const ScenarioSpec spec = busy_market(1200, 40);
  ScenarioSpec other = spec;
  other.workers.far_from_market_share = 0.4;
  other.wise.count = 7;
  other.wise.hours_per_week = 10;
  other.public_buyers.reserved_share = 0.5;
  other.intermediary.reach = 0.9;
  other.intermediary.search_time_reduction = 0.9;
  const Recorder a = run(spec), b = run(other);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t k = 0; k < a.steps.size(); ++k)
    ASSERT_TRUE(same_totals(a.steps[k], b.steps[k])) << "step " << k;
  EXPECT_TRUE(testing::same_bits(a.end.income_cv, b.end.income_cv));
}

TEST(Wise, TheWisePaysItsEmployeesCoursesAsTheirEmployer) {
  ScenarioSpec spec = with_wises(small_market(1000, 60));
  spec.training.consider_probability = 0.3;
  spec.wise.initial_capital = 50'000;
  Simulation sim(spec, ExecutionContext{2});
  const std::vector<float> start = sim.workers().distance;
  Recorder rec;
  sim.add_observer(rec);
  sim.run();
  std::int64_t spent = 0, starts = 0;
  for (const StepTotals& t : rec.steps) spent += t.integer("wise_training_spent");
  const WorkerState& w = sim.workers();
  for (std::uint32_t i = 0; i < w.count; ++i) {
    // Only workers a WISE employed (so far from the labour market at the start, and closer now)
    // have an employer-paid course.
    if (w.training_payer[i] == static_cast<std::uint8_t>(TrainingPayer::employer)) {
      EXPECT_GE(start[i], 0.5f) << "worker " << i;
      EXPECT_LT(w.distance[i], start[i]) << "worker " << i;
      ++starts;
    }
  }
  EXPECT_GT(starts, 0);
  EXPECT_EQ(spent % 40'000, 0);  // whole courses: training_cost_share 1 of EUR 400
  EXPECT_GT(spent, 0);
}

TEST(Wise, BitIdenticalAtOneTwoAndFourThreads) {
  ScenarioSpec spec = with_wises(busy_market(3 * kBlockSize + 77, 40));
  spec.sickness.enabled = true;
  spec.wise.count = 20;
  const Recorder one = run(spec, 1), two = run(spec, 2), four = run(spec, 4);
  std::int64_t hires = 0;
  for (const StepTotals& t : one.steps) hires += t.integer("wise_hires");
  EXPECT_GT(hires, 160);
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
