// Platform cooperative (docs/ODD.md "Platform cooperative"): the fee stays with the members, a
// year's surplus goes back to them by patronage, the members' median proposal sets the training
// levy, and rotation shares work by free hours instead of rank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_totals;
using testing::small_market;
using testing::with_platform_coop;

constexpr int kCoop = 2;  // index of the cooperative platform added to busy_market

Recorder run(const ScenarioSpec& spec, int threads = 2) {
  Recorder rec;
  Simulation sim(spec, ExecutionContext{threads});
  sim.add_observer(rec);
  sim.run();
  return rec;
}

// Every mechanism that moves money at once.
ScenarioSpec everything_on(std::uint32_t workers = 3000, std::uint32_t weeks = 110) {
  ScenarioSpec spec = with_platform_coop(busy_market(workers, weeks));
  spec.sickness.enabled = true;
  spec.sickness.weekly_onset_probability = 0.02;
  spec.sickness_pool.enabled = true;
  spec.sickness_pool.initial_member_share = 0.5;
  spec.umbrella_coop.salary_smoothing_months = 3;
  spec.peer_learning.enabled = true;
  spec.policy.training_subsidy_share = 0.3;
  spec.platforms[1].bid_elasticity = 0.5;
  spec.sectors[0].shock_sd = 0.2;
  spec.platforms[0].deactivation_rating = 0.35;
  return spec;
}

TEST(PlatformCoop, MoneyIsConservedToTheCentWithEveryMechanismOn) {
  const ScenarioSpec spec = everything_on();
  const Recorder rec = run(spec);
  std::int64_t escrow = 0, gf = 50'000, tf = 10'000, salary = 0, books = 0;
  std::int64_t fees = 0, dividends = 0, coop_training = 0;
  for (const StepTotals& t : rec.steps) {
    const std::int64_t delta = (t.integer("escrow_balance") - escrow) +
                               (t.integer("guarantee_fund_balance") - gf) +
                               (t.integer("training_fund_balance") - tf) +
                               (t.integer("salary_accounts_balance") - salary) +
                               (t.integer("platform_coop_balance") - books);
    ASSERT_EQ(t.integer("client_paid"),
              t.integer("worker_net_pay") + t.integer("platform_commission") +
                  t.integer("coop_fee_retained") + t.integer("training_fund_spent") +
                  t.integer("platform_coop_costs") + delta)
        << "step " << t.step;
    escrow = t.integer("escrow_balance");
    gf = t.integer("guarantee_fund_balance");
    tf = t.integer("training_fund_balance");
    salary = t.integer("salary_accounts_balance");
    books = t.integer("platform_coop_balance");
    fees += t.integer("platform_coop_fees");
    dividends += t.integer("platform_coop_dividends");
    coop_training += t.integer("platform_coop_training_spent");
  }
  // The identity was checked where every flow of the cooperative moved.
  EXPECT_GT(fees, 0);
  EXPECT_GT(dividends, 0);
  EXPECT_GT(coop_training, 0);
  EXPECT_GT(rec.steps.back().integer("sickness_pool_benefits") +
                rec.steps[60].integer("sickness_pool_benefits"),
            0);
}

TEST(PlatformCoop, TheFeeStaysWithTheMembersAndASurplusGoesBackInFull) {
  // A market with the cooperative as its only platform: no commission leaves for investors, and
  // over the run the fees are exactly the running costs, the courses paid, the dividends and what
  // the books still hold.
  ScenarioSpec spec = small_market(600, 104);
  spec.platforms[0].take_rate = 0.15;
  spec.platforms[0].cooperative.enabled = true;
  spec.platforms[0].cooperative.operating_cost_per_week = 30;
  spec.training.consider_probability = 0.1;
  Simulation sim(spec, ExecutionContext{2});
  Recorder rec;
  sim.add_observer(rec);
  std::int64_t fees = 0, costs = 0, courses = 0, dividends = 0;
  while (sim.step()) {
    const StepTotals& t = rec.steps.back();
    EXPECT_EQ(t.integer("platform_commission"), 0);
    // The fee is the take rate on what clients paid, rounded per weekly batch of tasks.
    EXPECT_NEAR(static_cast<double>(t.integer("platform_coop_fees")),
                0.15 * static_cast<double>(t.integer("client_paid")),
                static_cast<double>(t.integer("tasks_completed")));
    fees += t.integer("platform_coop_fees");
    costs += t.integer("platform_coop_costs");
    courses += t.integer("platform_coop_training_spent");
    dividends += t.integer("platform_coop_dividends");
    const auto& b = sim.market().platform_coops[0];
    EXPECT_GE(b.training_fund, 0) << "week " << t.step;
    if ((t.step + 1) % kWeeksPerYear == 0) {
      // Paid out in full, down to less than a cent per member (each share is rounded down).
      ASSERT_GT(t.integer("platform_coop_dividends"), 0) << "week " << t.step;
      EXPECT_GE(b.operating, 0);
      EXPECT_LT(b.operating, t.integer("platform_coop_members"));
    } else {
      EXPECT_EQ(t.integer("platform_coop_dividends"), 0);
    }
  }
  const auto& b = sim.market().platform_coops[0];
  EXPECT_EQ(fees, costs + courses + dividends + b.operating + b.training_fund);
  EXPECT_GT(courses, 0);
  // Every worker is registered on the only platform, so every worker is a member.
  EXPECT_EQ(rec.steps.back().integer("platform_coop_members"), 600);
}

TEST(PlatformCoop, ADeficitIsCarriedAndNoDividendIsPaid) {
  // Fixed costs above what the fee brings in: the operating account goes negative, nothing is
  // shared out, and the deficit stays on the books.
  ScenarioSpec spec = small_market(100, 60);
  spec.platforms[0].take_rate = 0.05;
  spec.platforms[0].cooperative.enabled = true;
  spec.platforms[0].cooperative.training_levy = 0;
  spec.platforms[0].cooperative.governance = false;
  spec.platforms[0].cooperative.operating_cost_per_week = 10'000;
  const Recorder rec = run(spec);
  for (const StepTotals& t : rec.steps) EXPECT_EQ(t.integer("platform_coop_dividends"), 0);
  EXPECT_LT(rec.steps.back().integer("platform_coop_balance"), 0);
}

TEST(PlatformCoop, MedianVoteIsTheLowerMedianWhateverTheOrder) {
  EXPECT_DOUBLE_EQ(median_vote({0.3, 0.1, 0.2}), 0.2);
  EXPECT_DOUBLE_EQ(median_vote({0.04, 0.01, 0.03, 0.02}), 0.02);
  EXPECT_DOUBLE_EQ(median_vote({0.0, 0.0, 0.05, 0.05, 0.05}), 0.05);
  EXPECT_DOUBLE_EQ(median_vote({0.07}), 0.07);
  std::vector<double> v = {0.05, 0.0, 0.01, 0.05, 0.02, 0.0, 0.03};
  const double first = median_vote(v);
  std::sort(v.begin(), v.end());
  do {
    ASSERT_DOUBLE_EQ(median_vote(v), first);
  } while (std::next_permutation(v.begin(), v.end()));
  EXPECT_DOUBLE_EQ(first, 0.02);
  EXPECT_THROW(median_vote({}), std::invalid_argument);
}

TEST(PlatformCoop, AMemberProposesTheLevyThatWouldHavePaidForItsOwnCourse) {
  ScenarioSpec spec = with_platform_coop(small_market(1, 1));
  Simulation sim(spec, ExecutionContext{1});
  WorkerState w = sim.workers();
  w.work_sector[0] = 0;
  w.skill[0] = 0.4f;
  w.recent_hourly_earnings[0] = 10;
  const std::size_t cell = 1;  // worker 0's patronage on platform 1
  const PlatformCoopSpec& pc = spec.platforms[1].cooperative;
  const double fund_part = pc.training_cost_share * spec.training.course_cost;  // 300 EUR
  // Earning well: a course is worthwhile; the levy that pays 300 EUR on 20,000 EUR of gross.
  w.recent_weekly_earnings[0] = 400;
  w.patronage[cell] = 2'000'000;
  EXPECT_DOUBLE_EQ(
      proposed_training_levy(engine_spec(spec), w, 0, 1, 1.0 - spec.policy.training_subsidy_share),
      fund_part / 20'000);
  // On a small gross the levy would be large: capped.
  w.patronage[cell] = 100'000;
  EXPECT_DOUBLE_EQ(
      proposed_training_levy(engine_spec(spec), w, 0, 1, 1.0 - spec.policy.training_subsidy_share),
      pc.max_training_levy);
  // Nothing earned on the platform but training worthwhile: free courses, so the cap.
  w.patronage[cell] = 0;
  EXPECT_DOUBLE_EQ(
      proposed_training_levy(engine_spec(spec), w, 0, 1, 1.0 - spec.policy.training_subsidy_share),
      pc.max_training_levy);
  // Earning nothing at all: no course is worth its hours, so no levy.
  w.recent_weekly_earnings[0] = 0;
  w.patronage[cell] = 2'000'000;
  EXPECT_DOUBLE_EQ(
      proposed_training_levy(engine_spec(spec), w, 0, 1, 1.0 - spec.policy.training_subsidy_share),
      0.0);
}

TEST(PlatformCoop, TheYearlyVoteLandsOnTheMembersMedianProposal) {
  // Run A through the first year-end week. Run B, the same market, stops that week just before
  // the books are settled, where the vote is taken; the members' proposals from B's state, by the
  // documented rule, must have the median that A's vote set.
  ScenarioSpec spec = with_platform_coop(busy_market(2500, 60));
  spec.platforms[kCoop].cooperative.max_training_levy = 0.15;  // proposals below the cap
  spec.training.course_cost = 40;  // cheap courses: many members propose a small levy
  Simulation a(spec, ExecutionContext{2});
  for (int k = 0; k < kWeeksPerYear; ++k) a.step();
  Simulation b(spec, ExecutionContext{1});
  for (int k = 0; k < kWeeksPerYear - 1; ++k) b.step();
  b.run_phase(Simulation::Phase::offer);
  b.run_phase(Simulation::Phase::work);
  const WorkerState& w = b.workers();
  std::vector<double> proposals;
  for (std::uint32_t i = 0; i < w.count; ++i)
    if ((w.platform_mask[i] >> kCoop) & 1u)
      proposals.push_back(proposed_training_levy(engine_spec(spec), w, i, kCoop,
                                                 1.0 - spec.policy.training_subsidy_share));
  ASSERT_GT(proposals.size(), 500u);
  // A meaningful vote: some members want no levy, some want one.
  const auto zeros = std::count(proposals.begin(), proposals.end(), 0.0);
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, static_cast<std::ptrdiff_t>(proposals.size()));
  const double median = median_vote(proposals);
  // Proposals spread below the cap, so the median is an interior value that only the median of
  // these proposals hits.
  EXPECT_GT(median, 0.0);
  EXPECT_LT(median, spec.platforms[kCoop].cooperative.max_training_levy);
  EXPECT_EQ(a.market().platform_coops[kCoop].training_levy, median);
  EXPECT_NE(median, spec.platforms[kCoop].cooperative.training_levy);  // the vote changed it
  // Until the vote the scenario's levy was in force.
  EXPECT_EQ(b.market().platform_coops[kCoop].training_levy,
            spec.platforms[kCoop].cooperative.training_levy);
}

TEST(PlatformCoop, ABranchThatLowersTheFeeLowersALevyAboveIt) {
  // The levy is part of the fee. A branch may lower the fee below the levy the members voted; the
  // levy in force then falls to the new fee, so the operating account never takes a negative share.
  ScenarioSpec spec = with_platform_coop(busy_market(1500, 60));
  spec.platforms[kCoop].cooperative.max_training_levy = 0.15;
  spec.training.course_cost = 40;
  Simulation run(spec, ExecutionContext{2});
  for (int k = 0; k < kWeeksPerYear + 2; ++k) run.step();
  const double voted = run.market().platform_coops[kCoop].training_levy;
  ASSERT_GT(voted, 0.02);
  ScenarioSpec cheaper = spec;
  cheaper.platforms[kCoop].take_rate = 0.02;
  cheaper.platforms[kCoop].cooperative.max_training_levy = 0.02;
  cheaper.platforms[kCoop].cooperative.training_levy = 0.02;
  Simulation branch(cheaper, ExecutionContext{2});
  branch.restore(run.save_state());
  EXPECT_EQ(branch.market().platform_coops[kCoop].training_levy, 0.02);
  // Restoring under the same scenario keeps the voted levy.
  Simulation same(spec, ExecutionContext{2});
  same.restore(run.save_state());
  EXPECT_EQ(same.market().platform_coops[kCoop].training_levy, voted);
}

TEST(PlatformCoop, WithoutGovernanceTheScenarioLevyStays) {
  ScenarioSpec spec = with_platform_coop(busy_market(1500, 110));
  spec.platforms[kCoop].cooperative.governance = false;
  const Recorder rec = run(spec);
  for (const StepTotals& t : rec.steps) ASSERT_EQ(t.real("platform_coop_levy"), 0.03);
}

// Dispersion across workers of paid hours over the last month (sd / mean).
double hours_dispersion(const Recorder& rec) {
  const std::vector<float>& h = rec.months.back().paid_hours;
  const double mean = std::accumulate(h.begin(), h.end(), 0.0) / static_cast<double>(h.size());
  double ss = 0;
  for (const float x : h) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(h.size())) / mean;
}

TEST(PlatformCoop, RotationSharesWorkThatRankingConcentrates) {
  // Identical workers, more hours than work: a ranked platform with cumulative advantage
  // (Lukac & Grow 2021) piles the work on the best-reviewed; a rotating cooperative spreads it by
  // free hours, so paid hours differ little more than Poisson noise.
  ScenarioSpec ranked = small_market(400, 40);
  ranked.workers.hours_budget_sd = 0;
  ranked.workers.skill_sd = 0;
  ranked.sectors[0].tasks_per_week = 4.0 * 400;  // about 6 paid hours of about 27 available
  ranked.platforms[0].reputation_exponent = 2;
  ranked.platforms[0].review_exponent = 1.0;
  ScenarioSpec rotating = ranked;
  rotating.platforms[0].cooperative.enabled = true;
  const Recorder r = run(ranked), c = run(rotating);
  const double ranked_spread = hours_dispersion(r), rotating_spread = hours_dispersion(c);
  // 16 tasks a month each: Poisson noise alone gives a dispersion of about 1/sqrt(16) = 0.25.
  EXPECT_LT(rotating_spread, 0.35);
  EXPECT_GT(ranked_spread, 2 * rotating_spread);
  // The same work is done either way (demand, not hours, binds).
  EXPECT_NEAR(static_cast<double>(c.steps.back().integer("tasks_completed")),
              static_cast<double>(r.steps.back().integer("tasks_completed")), 0.1 * 1600);
}

TEST(PlatformCoop, ParametersOfAPlatformThatIsNoCooperativeChangeNothing) {
  const ScenarioSpec spec = busy_market(1200, 56);
  ScenarioSpec other = spec;
  other.platforms[1].cooperative.training_levy = 0.1;
  other.platforms[1].cooperative.operating_cost_per_week = 500;
  other.platforms[1].cooperative.rotating_allocation = false;
  const Recorder a = run(spec), b = run(other);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t k = 0; k < a.steps.size(); ++k)
    ASSERT_TRUE(same_totals(a.steps[k], b.steps[k])) << "step " << k;
}

TEST(PlatformCoop, BitIdenticalAtOneTwoAndFourThreads) {
  const ScenarioSpec spec = everything_on(3 * kBlockSize + 77, 60);
  const Recorder one = run(spec, 1), two = run(spec, 2), four = run(spec, 4);
  for (const Recorder* other : {&two, &four}) {
    ASSERT_EQ(one.steps.size(), other->steps.size());
    for (std::size_t k = 0; k < one.steps.size(); ++k)
      ASSERT_TRUE(same_totals(one.steps[k], other->steps[k])) << k;
    EXPECT_TRUE(testing::same_bits(one.end.income_cv, other->end.income_cv));
    EXPECT_TRUE(testing::same_bits(one.end.group, other->end.group));
  }
}

TEST(PlatformCoop, MembersFormTheirOwnReportingGroup) {
  const ScenarioSpec spec = with_platform_coop(busy_market(1500, 52));
  Simulation sim(spec, ExecutionContext{2});
  Recorder rec;
  sim.add_observer(rec);
  sim.run();
  const WorkerState& w = sim.workers();
  std::array<int, kGroupCount> n{};
  for (std::uint32_t i = 0; i < w.count; ++i) {
    const auto expected = w.coop_member[i]                       ? WorkerGroup::coop_member
                          : ((w.platform_mask[i] >> kCoop) & 1u) ? WorkerGroup::platform_coop_member
                                                                 : WorkerGroup::platform_only;
    ASSERT_EQ(rec.end.group[i], static_cast<std::uint8_t>(expected)) << "worker " << i;
    ++n[rec.end.group[i]];
  }
  EXPECT_GT(n[0], 0);
  EXPECT_GT(n[1], 0);
  EXPECT_GT(n[2], 0);
  EXPECT_EQ(n[3], 0);  // no employee-sharing pool here
}

}  // namespace
}  // namespace gigsim
