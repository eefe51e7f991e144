// Peer-to-peer competence exchange among cooperative members (docs/ODD.md "Peer learning").
#include <gtest/gtest.h>

#include <cstring>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_totals;

// Two sectors, no demand (so no practice), no decay, no courses: skills move only by peer
// learning. Every worker is an umbrella-cooperative member unless a test says otherwise.
ScenarioSpec still_market(std::uint32_t workers) {
  ScenarioSpec spec = testing::small_market(workers, 1);
  SectorSpec other = spec.sectors[0];
  other.name = "other";
  spec.sectors.push_back(other);
  for (auto& sec : spec.sectors) sec.tasks_per_week = 0;
  spec.skills.decay_per_week = 0;
  spec.training.consider_probability = 0;
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 1;
  spec.peer_learning.enabled = true;
  spec.peer_learning.ties_per_member = 2;
  spec.peer_learning.rate_per_week = 0.1;
  spec.peer_learning.cross_sector_share = 0.5;
  return spec;
}

void set_skills(Simulation& sim, const std::vector<std::array<float, 2>>& skills) {
  WorkerState& w = sim.mutable_workers();
  for (std::size_t i = 0; i < skills.size(); ++i) {
    w.skill[2 * i] = skills[i][0];
    w.skill[2 * i + 1] = skills[i][1];
  }
}

TEST(PeerLearning, OneWeekOnARingOfFiveMovesEachSkillTowardsItsTiesLevel) {
  // Ring 0-1-2-3-4-0, one tie on each side; rate 0.1, cross-sector share 0.5. Worked by hand:
  // worker 0 (ties 1, 4): sector 0 level 0.5 -> 0.1 + 0.1 * 0.4; sector 1 level 0.5 * 0.5.
  // worker 1 (ties 0, 2): sector 0 level 0.3 is below its 0.5; sector 1 level 0.6.
  // worker 2 (ties 1, 3): sector 0 level 0.9; sector 1 level 0.45 is below its 0.6.
  // worker 3 (ties 2, 4): sector 0 above its ties; sector 1 level 0.6.
  // worker 4 (ties 3, 0): sector 0 level 0.9; sector 1 level 0.45.
  Simulation sim(still_market(5), ExecutionContext{1});
  set_skills(sim, {{0.1f, 0.f}, {0.5f, 0.f}, {0.3f, 0.6f}, {0.9f, 0.f}, {0.2f, 0.f}});
  ASSERT_TRUE(sim.step());
  const std::vector<float>& k = sim.workers().skill;
  const std::vector<std::array<double, 2>> expected = {
      {0.14, 0.025}, {0.5, 0.06}, {0.36, 0.6}, {0.9, 0.06}, {0.27, 0.045}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(k[2 * i], expected[i][0], 1e-6) << "worker " << i << " sector 0";
    EXPECT_NEAR(k[2 * i + 1], expected[i][1], 1e-6) << "worker " << i << " sector 1";
  }
}

TEST(PeerLearning, NonMembersAreOutsideTheRingAndSickMembersDoNotLearn) {
  // Workers 0, 2, 3 are members (a ring of three); worker 1 is not; worker 3 is sick.
  Simulation sim(still_market(4), ExecutionContext{1});
  WorkerState& w = sim.mutable_workers();
  w.coop_member[1] = 0;
  w.absent_weeks_left[3] = 5;
  set_skills(sim, {{0.1f, 0.f}, {0.f, 0.f}, {0.9f, 0.f}, {0.5f, 0.f}});
  ASSERT_TRUE(sim.step());
  const std::vector<float>& k = sim.workers().skill;
  EXPECT_NEAR(k[0], 0.1 + 0.1 * (0.9 - 0.1), 1e-6) << "worker 0 learns from worker 2";
  EXPECT_EQ(k[2], 0.f) << "the non-member learns nothing";
  EXPECT_EQ(k[3], 0.f);
  EXPECT_EQ(k[6], 0.5f) << "the sick member learns nothing";
}

TEST(PeerLearning, RaisesMembersSkillsDeterministicallyWithoutTouchingMoney) {
  ScenarioSpec on = busy_market(5000, 40);  // three blocks of workers, so threads matter
  on.peer_learning.enabled = true;
  ScenarioSpec off = on;
  off.peer_learning.enabled = false;
  const auto run = [](const ScenarioSpec& spec, int threads, double* member_skill) {
    Simulation sim(spec, ExecutionContext{threads});
    Recorder rec;
    sim.add_observer(rec);
    sim.run();
    const WorkerState& w = sim.workers();
    double sum = 0, n = 0;
    for (std::uint32_t i = 0; i < w.count; ++i) {
      if (!w.coop_member[i]) continue;
      for (int s = 0; s < w.sectors; ++s)
        sum += w.skill[static_cast<std::size_t>(i) * w.sectors + s];
      n += 1;
    }
    *member_skill = sum / n;
    return rec;
  };
  double skill_on1 = 0, skill_on3 = 0, skill_off = 0;
  const Recorder a = run(on, 1, &skill_on1);
  const Recorder b = run(on, 3, &skill_on3);
  run(off, 2, &skill_off);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t t = 0; t < a.steps.size(); ++t) {
    EXPECT_TRUE(same_totals(a.steps[t], b.steps[t])) << "step " << t;
    const StepTotals& x = a.steps[t];
    const std::int64_t prev_stocks = t == 0 ? 0
                                            : a.steps[t - 1].integer("escrow_balance") +
                                                  a.steps[t - 1].integer("guarantee_fund_balance") +
                                                  a.steps[t - 1].integer("training_fund_balance") +
                                                  a.steps[t - 1].integer("salary_accounts_balance");
    if (t == 0) continue;  // the funds' initial balances enter at step 0
    const std::int64_t stocks = x.integer("escrow_balance") + x.integer("guarantee_fund_balance") +
                                x.integer("training_fund_balance") +
                                x.integer("salary_accounts_balance");
    EXPECT_EQ(x.integer("client_paid"),
              x.integer("worker_net_pay") + x.integer("platform_commission") +
                  x.integer("coop_fee_retained") + x.integer("training_fund_spent") +
                  (stocks - prev_stocks))
        << "money is conserved at step " << t;
  }
  EXPECT_EQ(skill_on1, skill_on3);
  EXPECT_GT(skill_on1, skill_off + 0.02) << "members learn from each other";
}

}  // namespace
}  // namespace gigsim
