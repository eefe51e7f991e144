// The mutual sickness pool (docs/ODD.md "Mutual sickness pool"): groups, pots, pro-rata claims,
// common random numbers with sickness, determinism and its effect on income stability.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "core/small_market.hpp"
#include "gigsim/simulation.hpp"
#include "sickness_pool/sickness_pool.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::small_market;
using testing::with_sickness;

ScenarioSpec with_pool(ScenarioSpec s, double share = 0.5) {
  s.sickness_pool.enabled = true;
  s.sickness_pool.initial_member_share = share;
  return s;
}

bool same_steps(const Recorder& a, const Recorder& b) {
  if (a.steps.size() != b.steps.size()) return false;
  for (std::size_t k = 0; k < a.steps.size(); ++k) {
    if (!testing::same_totals(a.steps[k], b.steps[k])) return false;
  }
  return true;
}

TEST(SicknessPool, GroupsHaveAtMostGroupSizeMembersFormedInIdOrder) {
  ScenarioSpec spec = with_pool(with_sickness(small_market(1000, 4)), 0.6);
  spec.sickness_pool.group_size = 50;
  Simulation sim(spec, ExecutionContext{2});
  std::map<int, int> sizes;
  int members = 0, last_group = -1;
  for (std::uint32_t i = 0; i < spec.workers.count; ++i) {
    const int g = sim.mechanism<SicknessPool>().group()[i];
    if (g < 0) continue;
    EXPECT_GE(g, last_group) << "groups follow worker ids";
    last_group = g;
    ++sizes[g];
    ++members;
  }
  EXPECT_NEAR(members, 600, 60);
  EXPECT_EQ(sim.mechanism<SicknessPool>().pots().size(),
            static_cast<std::size_t>((members + 49) / 50));
  for (const auto& [g, n] : sizes) {
    EXPECT_LE(n, 50);
    if (g + 1 < static_cast<int>(sizes.size())) {
      EXPECT_EQ(n, 50) << "only the last is smaller";
    }
  }
}

TEST(SicknessPool, PaysNoMoreThanItCollectedAndItsBalanceFollowsTheFlows) {
  ScenarioSpec spec = with_pool(with_sickness(busy_market(3000, 120), 0.03, 6), 0.8);
  spec.sickness_pool.waiting_weeks = 1;
  spec.sickness_pool.replacement_rate = 2.0;  // generous: pots run short now and then
  spec.sickness_pool.contribution_rate = 0.02;
  const Recorder rec = testing::run(spec);
  std::int64_t balance = 0, paid_in = 0, paid_out = 0, unpaid = 0;
  for (const StepTotals& t : rec.steps) {
    EXPECT_EQ(
        t.integer("sickness_pool_balance"),
        balance + t.integer("sickness_pool_contributions") - t.integer("sickness_pool_benefits"))
        << "step " << t.step;
    EXPECT_GE(t.integer("sickness_pool_balance"), 0);
    balance = t.integer("sickness_pool_balance");
    paid_in += t.integer("sickness_pool_contributions");
    paid_out += t.integer("sickness_pool_benefits");
    unpaid += t.integer("sickness_pool_claims_unpaid");
    EXPECT_LE(paid_out, paid_in) << "step " << t.step;
  }
  EXPECT_GT(paid_out, 0);
  EXPECT_GT(unpaid, 0) << "the test reached pots that ran dry";
}

TEST(SicknessPool, ShortPotPaysEveryClaimProRataAndNeverGoesNegative) {
  ScenarioSpec spec = with_pool(with_sickness(small_market(10, 4)), 1.0);
  spec.sickness_pool.group_size = 10;
  spec.sickness_pool.waiting_weeks = 2;
  spec.sickness_pool.replacement_rate = 0.7;
  spec.sickness_pool.contribution_rate = 0.05;
  Simulation sim(spec, ExecutionContext{1});
  ASSERT_EQ(sim.mechanism<SicknessPool>().pots().size(), 1u);
  WorkerState& w = sim.mutable_workers();
  SicknessPool& pool = sim.mechanism<SicknessPool>();
  for (std::uint32_t i = 0; i < 10; ++i) {
    w.absent_weeks_left[i] = i < 7 ? 20 : 0;    // seven sick ...
    w.absent_weeks_elapsed[i] = i < 6 ? 2 : 1;  // ... six of them past the waiting period
    pool.spell_benefit()[i] = 25'000;           // cents a week, insured when the spell began
    w.recent_weekly_earnings[i] = 100;          // EUR: the healthy insure 70 EUR, pay 5% of it
  }
  pool.pots()[0] = 90'000;
  sim.run_phase(Simulation::Phase::settle);
  // The pot holds 90,000 + 3 x 350 = 91,050 cents against 6 x 25,000 of claims.
  const std::int64_t each = std::int64_t{25'000} * 91'050 / 150'000;  // 15,175
  for (std::uint32_t i = 0; i < 10; ++i) {
    const std::int64_t expected = i < 6 ? each : i == 6 ? 0 : -350;
    EXPECT_EQ(sim.workers().month_income[i], expected) << "worker " << i;
  }
  EXPECT_EQ(pool.pots()[0], 91'050 - 6 * each);
  EXPECT_GE(pool.pots()[0], 0);
}

TEST(SicknessPool, SwitchingThePoolOnLeavesEverySicknessDrawUnchanged) {
  // Common random numbers: sickness draws come from their own stream, keyed by worker and week,
  // so the pool changes what happens after a draw, never the draw.
  const ScenarioSpec off = with_sickness(busy_market(2000, 80), 0.03, 5);
  const ScenarioSpec on = with_pool(off, 0.5);
  const Recorder a = testing::run(off), b = testing::run(on);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t k = 0; k < a.steps.size(); ++k)
    EXPECT_EQ(a.steps[k].integer("workers_sick"), b.steps[k].integer("workers_sick"))
        << "step " << k;
  EXPECT_NE(a.steps.back().integer("sickness_pool_balance"),
            b.steps.back().integer("sickness_pool_balance"));
}

TEST(SicknessPool, DeterministicAtOneTwoAndFourThreadsWithTheUmbrellaCooperativeOn) {
  // (Money is checked every step by the engine's conservation check, on in every test.)
  ScenarioSpec spec = with_pool(with_sickness(busy_market(2500, 60), 0.03, 4), 0.5);
  const Recorder one = testing::run(spec, 1), two = testing::run(spec, 2),
                 four = testing::run(spec, 4);
  EXPECT_TRUE(same_steps(one, two));
  EXPECT_TRUE(same_steps(one, four));
  EXPECT_GT(one.steps.back().integer("workers_sick"), 0);
  EXPECT_GT(one.steps.back().integer("sickness_pool_members"), 0);
}

TEST(SicknessPool, MembersIncomeIsMoreStableThanNonMembersWhenSicknessIsCommon) {
  ScenarioSpec spec = with_pool(with_sickness(small_market(4000, 104), 0.03, 6), 0.5);
  spec.sickness_pool.waiting_weeks = 1;
  Simulation sim(spec, ExecutionContext{2});
  sim.run();
  const WorkerSummaries s = sim.summaries();
  double cv[2] = {0, 0};
  int n[2] = {0, 0};
  for (std::uint32_t i = 0; i < spec.workers.count; ++i) {
    if (std::isnan(s.income_cv[i])) continue;
    const int member = sim.mechanism<SicknessPool>().group()[i] >= 0 ? 1 : 0;
    cv[member] += s.income_cv[i];
    ++n[member];
  }
  ASSERT_GT(n[0], 1000);
  ASSERT_GT(n[1], 1000);
  EXPECT_LT(cv[1] / n[1], cv[0] / n[0] - 0.02)
      << "members " << cv[1] / n[1] << ", others " << cv[0] / n[0];
}

}  // namespace
}  // namespace gigsim
