// Small hand-made markets for engine tests.
#pragma once

#include <cstring>
#include <vector>

#include "gigsim/simulation.hpp"
#include "support/compare.hpp"

namespace gigsim::testing {

// One sector, one platform, no seasonality, no defaults: the simplest market with known flows.
inline ScenarioSpec small_market(std::uint32_t workers = 200, std::uint32_t weeks = 52) {
  ScenarioSpec s;
  s.name = "small";
  s.run.weeks = weeks;
  s.run.seed = 12345;
  s.workers.count = workers;
  s.workers.sectors_per_worker = 1;
  SectorSpec sec;
  sec.name = "delivery";
  sec.tasks_per_week = 8.0 * workers;
  sec.seasonal_amplitude = 0;
  sec.client_default_rate = 0;
  s.sectors = {sec};
  PlatformSpec p;
  p.name = "app";
  s.platforms = {p};
  s.output.panel = PanelMode::all;
  return s;
}

// The same market on two sectors and two platforms with an umbrella cooperative and defaults.
inline ScenarioSpec busy_market(std::uint32_t workers = 3000, std::uint32_t weeks = 60) {
  ScenarioSpec s = small_market(workers, weeks);
  s.workers.sectors_per_worker = 2;
  SectorSpec care = s.sectors[0];
  care.name = "care";
  care.base_price = 35;
  care.task_hours = 3;
  care.seasonal_amplitude = 0.2;
  care.client_default_rate = 0.05;
  s.sectors[0].client_default_rate = 0.03;
  s.sectors.push_back(care);
  PlatformSpec market;
  market.name = "marketplace";
  market.take_rate = 0.2;
  market.payout_lag_weeks = 3;
  market.worker_share = 0.5;
  market.market_share = 0.4;
  s.platforms.push_back(market);
  s.umbrella_coop.enabled = true;
  s.umbrella_coop.initial_member_share = 0.4;
  s.umbrella_coop.initial_guarantee_fund = 500;
  s.umbrella_coop.initial_training_fund = 100;
  s.training.consider_probability = 0.1;
  s.output.panel = PanelMode::sampled;
  s.output.panel_workers = 100;
  return s;
}

// Adds a platform cooperative (worker-owned, rotating allocation, a training levy the members vote
// on) that takes `share` of each sector's tasks and on which `member_share` of workers register.
inline ScenarioSpec with_platform_coop(ScenarioSpec s, double share = 0.3,
                                       double member_share = 0.4) {
  PlatformSpec coop;
  coop.name = "coop";
  coop.take_rate = 0.15;
  coop.market_share = share;
  coop.worker_share = member_share;
  coop.cooperative.enabled = true;
  coop.cooperative.operating_cost_rate = 0.05;
  coop.cooperative.operating_cost_per_week = 20;
  coop.cooperative.training_levy = 0.03;
  coop.cooperative.max_training_levy = 0.08;
  s.platforms.push_back(coop);
  return s;
}

// Records everything an observer sees.
struct Recorder : Observer {
  RunInfo info;
  std::vector<StepTotals> steps;
  std::vector<PanelMonth> months;
  WorkerSummaries end;
  bool ended = false;
  void on_start(const RunInfo& i) override { info = i; }
  void on_step(const StepTotals& t) override { steps.push_back(t); }
  void on_month(const PanelMonth& m) override { months.push_back(m); }
  void on_end(const WorkerSummaries& s) override {
    end = s;
    ended = true;
  }
};

// Sickness on, with the given weekly onset probability and mean spell length.
inline ScenarioSpec with_sickness(ScenarioSpec s, double onset = 0.02, double duration = 4) {
  s.sickness.enabled = true;
  s.sickness.weekly_onset_probability = onset;
  s.sickness.mean_duration_weeks = duration;
  return s;
}

// Runs a scenario to the end on `threads` threads and returns what an observer saw.
inline Recorder run(const ScenarioSpec& spec, int threads = 2) {
  Recorder rec;
  Simulation sim(spec, ExecutionContext{threads});
  sim.add_observer(rec);
  sim.run();
  return rec;
}

}  // namespace gigsim::testing
