#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_bits;
using testing::same_totals;
using testing::small_market;

Recorder run_with(const ScenarioSpec& spec, int threads) {
  Recorder rec;
  Simulation sim(spec, ExecutionContext{threads});
  sim.add_observer(rec);
  sim.run();
  return rec;
}

// ---- Money conservation, to the cent, every step ------------------------------------------------

TEST(Conservation, ClientPaymentsEqualPayCommissionsFeesAndFundChangesEveryStep) {
  ScenarioSpec spec = busy_market();
  Recorder rec = run_with(spec, 2);
  ASSERT_EQ(rec.steps.size(), spec.run.weeks);
  std::int64_t escrow = 0;
  std::int64_t gf = 50'000;  // initial_guarantee_fund 500 EUR
  std::int64_t tf = 10'000;  // initial_training_fund 100 EUR
  std::int64_t total_paid = 0;
  for (const StepTotals& t : rec.steps) {
    const std::int64_t delta_funds = (t.integer("escrow_balance") - escrow) +
                                     (t.integer("guarantee_fund_balance") - gf) +
                                     (t.integer("training_fund_balance") - tf);
    EXPECT_EQ(t.integer("client_paid"),
              t.integer("worker_net_pay") + t.integer("platform_commission") +
                  t.integer("coop_fee_retained") + t.integer("training_fund_spent") + delta_funds)
        << "step " << t.step;
    EXPECT_GE(t.integer("guarantee_fund_balance"), 0) << "step " << t.step;
    EXPECT_GE(t.integer("training_fund_balance"), 0) << "step " << t.step;
    escrow = t.integer("escrow_balance");
    gf = t.integer("guarantee_fund_balance");
    tf = t.integer("training_fund_balance");
    total_paid += t.integer("client_paid");
  }
  EXPECT_GT(total_paid, 0);  // the identity was checked on a market where money moved
  EXPECT_GT(rec.steps.back().integer("tasks_defaulted"), 0);
  EXPECT_GT(rec.steps.back().integer("coop_members"), 0);
}

TEST(Conservation, EscrowEqualsWhatIsStillOwed) {
  ScenarioSpec spec = busy_market(1000, 23);
  Simulation sim(spec, ExecutionContext{1});
  while (sim.step()) {
    const WorkerState& w = sim.workers();
    std::int64_t owed =
        std::accumulate(w.platform_due.begin(), w.platform_due.end(), std::int64_t{0});
    for (const auto& r : sim.market().coop_receivable)
      owed += r.to_guarantee_fund + r.to_training_fund + r.retained;
    ASSERT_EQ(sim.market().escrow_balance, owed) << "after step " << sim.current_step();
  }
}

// ---- Determinism -------------------------------------------------------------------------------

void expect_identical(const Recorder& a, const Recorder& b) {
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t k = 0; k < a.steps.size(); ++k) {
    ASSERT_TRUE(same_totals(a.steps[k], b.steps[k])) << "step " << k;
  }
  ASSERT_EQ(a.months.size(), b.months.size());
  for (std::size_t m = 0; m < a.months.size(); ++m) {
    EXPECT_TRUE(same_bits(a.months[m].net_income, b.months[m].net_income)) << "month " << m;
    EXPECT_TRUE(same_bits(a.months[m].skill, b.months[m].skill)) << "month " << m;
    EXPECT_TRUE(same_bits(a.months[m].cash, b.months[m].cash)) << "month " << m;
    EXPECT_TRUE(same_bits(a.months[m].training_hours, b.months[m].training_hours)) << "month " << m;
  }
  EXPECT_TRUE(same_bits(a.end.income_cv, b.end.income_cv));
  EXPECT_TRUE(same_bits(a.end.mean_monthly_income, b.end.mean_monthly_income));
  EXPECT_TRUE(same_bits(a.end.dip_months, b.end.dip_months));
  EXPECT_TRUE(same_bits(a.end.trained_last_12m, b.end.trained_last_12m));
  EXPECT_EQ(a.end.poverty_line, b.end.poverty_line);
}

TEST(Determinism, BitIdenticalAtOneTwoAndFourThreads) {
  // More workers than one block so that blocks really are spread over threads.
  const ScenarioSpec spec = busy_market(3 * kBlockSize + 77, 56);
  const Recorder one = run_with(spec, 1);
  const Recorder two = run_with(spec, 2);
  const Recorder four = run_with(spec, 4);
  expect_identical(one, two);
  expect_identical(one, four);
}

TEST(Determinism, TwoSimulationsInOneProcessDoNotInterfere) {
  const ScenarioSpec spec = busy_market(2500, 20);
  Recorder a, b;
  Simulation sa(spec, ExecutionContext{2});
  Simulation sb(spec, ExecutionContext{1});
  sa.add_observer(a);
  sb.add_observer(b);
  while (sa.step() && sb.step()) {
  }
  sa.finish();
  sb.finish();
  expect_identical(a, b);
}

TEST(Determinism, DifferentSeedGivesDifferentData) {
  ScenarioSpec spec = busy_market(2000, 20);
  const Recorder a = run_with(spec, 2);
  spec.run.seed += 1;
  const Recorder b = run_with(spec, 2);
  EXPECT_NE(a.steps.back().integer("client_paid"), b.steps.back().integer("client_paid"));
  EXPECT_FALSE(same_bits(a.months.back().net_income, b.months.back().net_income));
}

// ---- Phases on small markets with expected values ---------------------------------------------

TEST(Work, SoleWorkerReceivesTheWholePoissonDemand) {
  // One worker with unlimited hours on one platform gets every task: weekly counts are
  // Poisson(tasks_per_week), so the mean over many weeks is the rate within its standard error.
  ScenarioSpec spec = small_market(1, 2000);
  spec.workers.hours_budget_mean = 80;  // clamp maximum
  spec.workers.hours_budget_sd = 0;
  spec.sectors[0].tasks_per_week = 6;
  spec.sectors[0].task_hours = 0.5;  // 6 tasks need 3 h + search: well inside 80 h
  const Recorder rec = run_with(spec, 1);
  double sum = 0, sum_sq = 0;
  for (const auto& t : rec.steps) {
    sum += static_cast<double>(t.integer("tasks_completed"));
    sum_sq += static_cast<double>(t.integer("tasks_completed") * t.integer("tasks_completed"));
  }
  const double n = static_cast<double>(rec.steps.size());
  EXPECT_NEAR(sum / n, 6.0, 5 * std::sqrt(6.0 / n));
  EXPECT_NEAR(sum_sq / n - (sum / n) * (sum / n), 6.0, 5 * 6.0 * std::sqrt(2.2 / n));
}

TEST(Work, CommissionIsTheTakeRateOfEachTaskPrice) {
  ScenarioSpec spec = small_market(50, 10);
  spec.sectors[0].skill_premium = 0;  // every task costs base_price
  spec.sectors[0].base_price = 20;
  spec.platforms[0].take_rate = 0.25;
  const Recorder rec = run_with(spec, 1);
  for (const auto& t : rec.steps) {
    EXPECT_EQ(t.integer("client_paid"), t.integer("tasks_completed") * 2000);
    EXPECT_EQ(t.integer("platform_commission"), t.integer("tasks_completed") * 500);
  }
}

TEST(Work, PayoutArrivesAfterThePlatformLag) {
  ScenarioSpec spec = small_market(100, 20);
  spec.platforms[0].payout_lag_weeks = 3;
  const Recorder rec = run_with(spec, 1);
  for (std::size_t k = 0; k < rec.steps.size(); ++k) {
    const std::int64_t expected = k < 3 ? 0
                                        : rec.steps[k - 3].integer("client_paid") -
                                              rec.steps[k - 3].integer("platform_commission");
    EXPECT_EQ(rec.steps[k].integer("worker_net_pay"), expected) << "step " << k;
  }
}

TEST(Work, UnpaidSearchTimeIsProportionalToPaidHours) {
  ScenarioSpec spec = small_market(100, 8);
  spec.workers.search_minutes_per_paid_hour = 21;
  const Recorder rec = run_with(spec, 1);
  for (const auto& t : rec.steps) {
    EXPECT_GT(t.real("paid_hours"), 0);
    EXPECT_NEAR(t.real("unpaid_hours"), t.real("paid_hours") * 21.0 / 60.0,
                1e-9 * t.real("paid_hours"));
  }
}

TEST(Work, HoursBudgetIsNeverExceeded) {
  ScenarioSpec spec = small_market(300, 12);
  spec.sectors[0].tasks_per_week = 1e6;  // far more demand than hours
  Simulation sim(spec, ExecutionContext{2});
  while (sim.step()) {
    const WorkerState& w = sim.workers();
    for (std::uint32_t i = 0; i < w.count; ++i) {
      const double training =
          w.training_weeks_left[i] > 0 ? spec.training.course_hours_per_week : 0;
      ASSERT_LE(w.week_paid_hours[i] + w.week_unpaid_hours[i], w.hours_budget[i] + 1e-3)
          << "worker " << i << " training " << training;
    }
  }
}

TEST(Work, DeclinedTasksAreReofferedToWorkersWithHoursLeft) {
  // Steep ranking sends most tasks to a few full workers; re-offering fills more of the demand.
  ScenarioSpec spec = small_market(400, 20);
  spec.sectors[0].tasks_per_week = 4.0 * 400;  // well inside total hours
  spec.platforms[0].reputation_exponent = 12;
  spec.platforms[0].review_exponent = 1;
  spec.platforms[0].reoffer_rounds = 0;
  const Recorder once = run_with(spec, 1);
  spec.platforms[0].reoffer_rounds = 3;
  const Recorder again = run_with(spec, 1);
  std::int64_t declined_once = 0, declined_again = 0, done_once = 0, done_again = 0;
  for (std::size_t k = 0; k < once.steps.size(); ++k) {
    declined_once += once.steps[k].integer("tasks_declined");
    declined_again += again.steps[k].integer("tasks_declined");
    done_once += once.steps[k].integer("tasks_completed");
    done_again += again.steps[k].integer("tasks_completed");
  }
  ASSERT_GT(declined_once, 0);
  EXPECT_LT(declined_again, declined_once / 4);
  EXPECT_GT(done_again, done_once);
}

TEST(Work, DemandReachesOnlyWorkersWithRoomForATask) {
  // Half the workers have hours for no task at all (0.5 h against 1.5 h tasks plus search); the
  // other half have far more hours than demand. Every task must go to the second half: weekly
  // completions are Poisson(demand) in total, not a share of it that vanishes with the offers the
  // short-hours workers could not take.
  ScenarioSpec spec = small_market(200, 300);
  spec.sectors[0].tasks_per_week = 300;  // 3 tasks a week for each worker with hours
  spec.training.consider_probability = 0;
  Simulation sim(spec, ExecutionContext{2});
  for (std::uint32_t i = 0; i < spec.workers.count; ++i)
    sim.mutable_workers().hours_budget[i] = i % 2 == 0 ? 0.5f : 80.f;
  Recorder rec;
  sim.add_observer(rec);
  sim.run();
  double done = 0;
  for (const auto& t : rec.steps) {
    done += static_cast<double>(t.integer("tasks_completed"));
    EXPECT_EQ(t.integer("tasks_declined"), 0);
  }
  const double expected = 300.0 * static_cast<double>(rec.steps.size());
  EXPECT_NEAR(done, expected, 5 * std::sqrt(expected));
  for (std::uint32_t i = 0; i < spec.workers.count; i += 2)
    EXPECT_EQ(sim.workers().reviews[i], 0.f) << "worker " << i << " had no room for a task";
}

TEST(Work, WorkersReconsiderSectorsWhenAPlatformHadNobodyInThem) {
  // Platform 1 posts tasks but has no workers, so last week's tasks per ranking weight there are
  // infinite. Workers on platform 0 only must still compare sectors by what they can get: the
  // well-paid sector with almost no demand loses them to the busy one after the first week.
  ScenarioSpec spec = small_market(400, 6);
  spec.workers.sectors_per_worker = 2;
  spec.workers.sector_review_probability = 1;
  spec.training.consider_probability = 0;
  SectorSpec scarce = spec.sectors[0];
  scarce.name = "scarce";
  scarce.base_price = 200;  // far more per hour: every worker starts here
  scarce.tasks_per_week = 2;
  spec.sectors.push_back(scarce);
  PlatformSpec empty = spec.platforms[0];
  empty.name = "empty";
  empty.worker_share = 0;
  spec.platforms[0].market_share = 0.5;
  empty.market_share = 0.5;
  spec.platforms.push_back(empty);
  Simulation sim(spec, ExecutionContext{2});
  const WorkerState& w = sim.workers();
  ASSERT_TRUE(sim.step());
  std::uint32_t in_scarce = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) in_scarce += w.work_sector[i] == 1 ? 1u : 0u;
  ASSERT_GT(in_scarce, w.count / 2) << "the first week follows prices per hour";
  while (sim.step()) {
  }
  in_scarce = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) {
    EXPECT_EQ(w.platform_mask[i] & 2u, 0u);
    in_scarce += w.work_sector[i] == 1 ? 1u : 0u;
  }
  EXPECT_LT(in_scarce, w.count / 10);
}

TEST(Skills, UnusedSkillsDecayGeometrically) {
  ScenarioSpec spec = small_market(20, 30);
  spec.sectors[0].tasks_per_week = 0;  // no work, no practice
  spec.training.consider_probability = 0;
  spec.skills.decay_per_week = 0.01;
  Simulation sim(spec, ExecutionContext{1});
  const std::vector<float> start = sim.workers().skill;
  sim.run();
  for (std::size_t i = 0; i < start.size(); ++i) {
    EXPECT_NEAR(sim.workers().skill[i], start[i] * std::pow(0.99, 30), 1e-5);
  }
}

TEST(Skills, PracticeRaisesSkill) {
  ScenarioSpec spec = small_market(100, 26);
  spec.training.consider_probability = 0;
  Simulation sim(spec, ExecutionContext{1});
  const std::vector<float> start = sim.workers().skill;
  sim.run();
  double gain = 0;
  for (std::size_t i = 0; i < start.size(); ++i) gain += sim.workers().skill[i] - start[i];
  EXPECT_GT(gain / static_cast<double>(start.size()), 0.01);
}

TEST(Coop, GuaranteeFundPaysMembersForDefaultedWorkWhileItHoldsMoney) {
  ScenarioSpec spec = small_market(50, 6);
  spec.sectors[0].client_default_rate = 1.0;  // no client ever pays
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 1.0;
  spec.umbrella_coop.initial_guarantee_fund = 1e6;
  spec.training.consider_probability = 0;
  const Recorder rec = run_with(spec, 1);
  std::int64_t fund = 100'000'000;
  for (std::size_t k = 0; k < rec.steps.size(); ++k) {
    const StepTotals& t = rec.steps[k];
    EXPECT_EQ(t.integer("client_paid"), 0);
    // Members are paid one week later (payout_lag_weeks 1) in full, from the fund.
    const std::int64_t owed = k == 0 ? 0 : rec.steps[k - 1].integer("defaults_absorbed");
    EXPECT_EQ(t.integer("worker_net_pay"), owed) << "step " << k;
    EXPECT_EQ(t.integer("guarantee_fund_balance"), fund - owed);
    fund = t.integer("guarantee_fund_balance");
  }
  EXPECT_GT(rec.steps[2].integer("worker_net_pay"), 0);
}

TEST(Coop, EmptyGuaranteeFundPaysNothingAndKeepsTheClaims) {
  ScenarioSpec spec = small_market(50, 6);
  spec.sectors[0].client_default_rate = 1.0;
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 1.0;
  spec.umbrella_coop.initial_guarantee_fund = 0;
  Simulation sim(spec, ExecutionContext{1});
  Recorder rec;
  sim.add_observer(rec);
  sim.run();
  for (const auto& t : rec.steps) {
    EXPECT_EQ(t.integer("worker_net_pay"), 0);
    EXPECT_EQ(t.integer("guarantee_fund_balance"), 0);
  }
  const auto& due = sim.workers().coop_due;
  EXPECT_GT(std::accumulate(due.begin(), due.end(), std::int64_t{0}), 0);
}

TEST(Coop, ShortFundPaysClaimsProRataAndNeverMoreThanItHolds) {
  ScenarioSpec spec = small_market(200, 10);
  spec.sectors[0].client_default_rate = 1.0;
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 1.0;
  spec.umbrella_coop.initial_guarantee_fund = 300;  // far less than a week of claims
  const Recorder rec = run_with(spec, 2);
  // The whole fund goes out, less at most one cent of floor rounding per member's claim.
  EXPECT_LE(rec.steps[1].integer("worker_net_pay"), 30'000);
  EXPECT_GE(rec.steps[1].integer("worker_net_pay"), 30'000 - 200);
  EXPECT_EQ(rec.steps[1].integer("guarantee_fund_balance"),
            30'000 - rec.steps[1].integer("worker_net_pay"));
  for (const auto& t : rec.steps) EXPECT_GE(t.integer("guarantee_fund_balance"), 0);
}

TEST(Coop, MembersSearchLessPerPaidHour) {
  ScenarioSpec spec = small_market(100, 4);
  spec.workers.search_minutes_per_paid_hour = 20;
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 1.0;
  spec.umbrella_coop.search_time_reduction = 0.25;
  const Recorder rec = run_with(spec, 1);
  for (const auto& t : rec.steps)
    EXPECT_NEAR(t.real("unpaid_hours"), t.real("paid_hours") * 15.0 / 60.0,
                1e-9 * t.real("paid_hours"));
}

TEST(Coop, FeeSplitsIntoFundsAndRetainedShare) {
  ScenarioSpec spec = small_market(100, 12);
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 1.0;
  spec.umbrella_coop.fee_rate = 0.10;
  spec.umbrella_coop.guarantee_fund_share = 0.5;
  spec.umbrella_coop.training_fund_share = 0.2;
  spec.training.consider_probability = 0;
  const Recorder rec = run_with(spec, 1);
  std::int64_t retained = 0, commission = 0, paid = 0;
  for (const auto& t : rec.steps) {
    retained += t.integer("coop_fee_retained");
    commission += t.integer("platform_commission");
    paid += t.integer("client_paid");
  }
  // Retained share is 30% of a 10% fee on (price - commission), up to per-task rounding and the
  // last week's work still in escrow.
  const double invoiced = static_cast<double>(paid - commission);
  const double last_week = static_cast<double>(rec.steps.back().integer("client_paid"));
  EXPECT_NEAR(static_cast<double>(retained), 0.03 * invoiced, 0.03 * last_week + 1e-3 * invoiced);
  EXPECT_GT(rec.steps.back().integer("training_fund_balance"), 0);
}

TEST(Training, NobodyTrainsWhenCoursesCostMoreThanTheyCouldReturn) {
  ScenarioSpec spec = small_market(500, 30);
  spec.training.consider_probability = 1.0;
  spec.training.course_cost = 1e6;
  const Recorder rec = run_with(spec, 1);
  for (const auto& t : rec.steps) EXPECT_EQ(t.integer("training_starts"), 0);
}

TEST(Training, FreeWorthwhileCoursesAreTakenByEveryoneWhoConsidersThem) {
  ScenarioSpec spec = small_market(2000, 12);
  spec.training.course_cost = 0;
  spec.training.course_hours_per_week = 0;  // no lost hours either: gain > 0 = cost
  spec.training.consider_probability = 0.05;
  spec.training.course_weeks = 1;
  const Recorder rec = run_with(spec, 1);
  // After the first week every worker has earnings, so each week ~5% of those not in training
  // start a course: binomial(n, 0.05).
  for (std::size_t k = 2; k < rec.steps.size(); ++k) {
    const double eligible =
        2000.0 - static_cast<double>(rec.steps[k].integer("workers_in_training"));
    const double expected = 0.05 * eligible;
    EXPECT_NEAR(static_cast<double>(rec.steps[k].integer("training_starts")), expected,
                5 * std::sqrt(expected * 0.95))
        << "step " << k;
  }
  EXPECT_GT(rec.end.trained_last_12m.size(), 0u);
}

TEST(Training, CoopFundPaysItsShareOfMembersCourses) {
  ScenarioSpec spec = busy_market(2000, 30);
  spec.umbrella_coop.initial_member_share = 1.0;
  spec.umbrella_coop.initial_training_fund = 1e6;
  spec.training.course_cost = 400;
  spec.umbrella_coop.training_cost_share = 0.75;
  const Recorder rec = run_with(spec, 1);
  std::int64_t starts = 0, fund_spent = 0;
  for (const auto& t : rec.steps) {
    starts += t.integer("training_starts");
    fund_spent += t.integer("training_fund_spent");
  }
  ASSERT_GT(starts, 0);
  EXPECT_EQ(fund_spent, starts * 30'000);  // 75% of 400 EUR per course
}

TEST(Resources, PeakMemoryEstimateCoversTheAllocatedColumns) {
  const ScenarioSpec spec = busy_market(5000, 8);
  Simulation sim(spec, ExecutionContext{1});
  const std::uint64_t estimate = Simulation::estimate_peak_bytes(spec);
  const std::uint64_t columns = sim.workers().bytes();
  EXPECT_GE(estimate, columns);
  EXPECT_LE(estimate, columns + 100ull * spec.workers.count);  // scratch and summaries only
}

TEST(Summaries, PanelAndSummariesCoverTheRun) {
  const ScenarioSpec spec = busy_market(500, 57);  // 14 whole months, one spare week
  const Recorder rec = run_with(spec, 2);
  EXPECT_EQ(rec.months.size(), 14u);
  EXPECT_EQ(rec.info.panel_workers.size(), 100u);
  EXPECT_EQ(rec.months[0].net_income.size(), 100u);
  ASSERT_TRUE(rec.ended);
  EXPECT_EQ(rec.end.months_observed, 12u);
  EXPECT_GT(rec.end.poverty_line, 0);
  EXPECT_EQ(rec.end.income_cv.size(), 500u);
}

}  // namespace
}  // namespace gigsim
