// A small market with every registered mechanism on, for the tests that run over the whole
// registry (schedule, checkpoints' sections, the typed suites). A new mechanism adds its switch
// here.
#pragma once

#include "core/small_market.hpp"

namespace gigsim::testing {

inline ScenarioSpec every_mechanism_on(std::uint32_t workers = 600, std::uint32_t weeks = 30) {
  ScenarioSpec s = with_platform_coop(busy_market(workers, weeks));
  s.platforms[0].market_share = 0.3;  // 0.3 + 0.4 + 0.3: the platforms post all tasks, no more
  s.sickness.enabled = true;
  s.sickness.weekly_onset_probability = 0.03;
  s.sickness_pool.enabled = true;
  s.sickness_pool.initial_member_share = 0.5;
  s.sickness_pool.waiting_weeks = 1;
  s.workers.far_from_market_share = 0.1;
  s.workers.recruitment_bias = 0.5;
  s.intermediary.enabled = true;
  s.wise.enabled = true;
  s.wise.count = 3;
  s.wise.sector = s.sectors[1].name;
  s.wise.initial_capital = 4'000;
  s.public_buyers.enabled = true;
  s.public_buyers.purchases_per_week = 50'000;
  s.employee_sharing.enabled = true;
  s.employee_sharing.initial_worker_share = 0.1;
  s.employee_sharing.employers = 10;
  s.unemployment_insurance.enabled = true;
  s.policy.training_subsidy_share = 0.3;
  return s;
}

// The same with the mechanisms still inline in the engine switched on too (WISEs with public
// buyers, peer learning, the umbrella cooperative's averaged salary, the training subsidy), so that
// every field of the saved state holds values: for the tests and fuzz seeds that cover the whole
// state. A mechanism moves from here to every_mechanism_on when it is ported.
inline ScenarioSpec every_state_on(std::uint32_t workers = 600, std::uint32_t weeks = 30) {
  ScenarioSpec s = every_mechanism_on(workers, weeks);
  s.wise.enabled = true;
  s.wise.count = 3;
  s.wise.sector = s.sectors[1].name;
  s.wise.min_distance = 0.5;
  s.workers.far_from_market_share = 0.3;  // enough workers for the WISEs to hire
  s.public_buyers.enabled = true;
  s.public_buyers.purchases_per_week = 20'000;
  s.peer_learning.enabled = true;
  s.umbrella_coop.salary_smoothing_months = 2;
  s.policy.training_subsidy_share = 0.2;
  return s;
}

}  // namespace gigsim::testing
