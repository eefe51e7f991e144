// Micro-benchmarks of the engine's step phases and primitives (see README.md for why each exists).
#include <benchmark/benchmark.h>

#include <vector>

#include "gigsim/rng.hpp"
#include "gigsim/simulation.hpp"

namespace gigsim {
namespace {

ScenarioSpec market(std::uint32_t workers) {
  ScenarioSpec s;
  s.run.weeks = 100'000;  // never reached: benchmarks step manually
  s.workers.count = workers;
  for (const char* name : {"delivery", "creative", "care"}) {
    SectorSpec sec;
    sec.name = name;
    sec.tasks_per_week = 5.0 * workers;
    s.sectors.push_back(sec);
  }
  PlatformSpec app;
  app.name = "app";
  app.worker_share = 0.7;
  PlatformSpec marketplace;
  marketplace.name = "marketplace";
  marketplace.take_rate = 0.2;
  marketplace.payout_lag_weeks = 2;
  marketplace.worker_share = 0.5;
  marketplace.market_share = 0.5;
  s.platforms = {app, marketplace};
  s.umbrella_coop.enabled = true;
  s.umbrella_coop.initial_member_share = 0.3;
  s.output.panel = PanelMode::none;
  return s;
}

// One whole week, per phase, at the given worker count and thread count.
void run_phase(benchmark::State& state, Simulation::Phase phase) {
  const auto workers = static_cast<std::uint32_t>(state.range(0));
  const auto threads = static_cast<int>(state.range(1));
  Simulation sim(market(workers), ExecutionContext{threads});
  for (int warm = 0; warm < 8; ++warm) sim.step();  // past the first payouts and courses
  for (auto _ : state) {
    sim.run_phase(phase);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * workers);
  state.counters["worker_steps_per_s"] = benchmark::Counter(
      static_cast<double>(workers), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_WholeStep(benchmark::State& state) {
  run_phase(state, Simulation::Phase::all);
}
void BM_Offer(benchmark::State& state) {
  run_phase(state, Simulation::Phase::offer);
}
void BM_Work(benchmark::State& state) {
  run_phase(state, Simulation::Phase::work);
}
void BM_Settle(benchmark::State& state) {
  run_phase(state, Simulation::Phase::settle);
}

#define GIGSIM_SIZES \
  ->ArgsProduct({{10'000, 1'000'000}, {1, 2}})->UseRealTime()->Unit(benchmark::kMillisecond)
BENCHMARK(BM_WholeStep) GIGSIM_SIZES;
BENCHMARK(BM_Offer) GIGSIM_SIZES;
BENCHMARK(BM_Work) GIGSIM_SIZES;
BENCHMARK(BM_Settle) GIGSIM_SIZES;
#undef GIGSIM_SIZES

void BM_Poisson(benchmark::State& state) {
  const double mean = static_cast<double>(state.range(0));
  std::uint32_t agent = 0;
  for (auto _ : state) {
    RandomStream r(1, Stream::tasks, agent++, 0);
    benchmark::DoNotOptimize(r.poisson(mean));
  }
}
BENCHMARK(BM_Poisson)->Arg(2)->Arg(8)->Arg(30);

void BM_IncomeMetrics(benchmark::State& state) {
  const double x[12] = {900, 1200, 700, 1000, 1100, 800, 950, 1300, 600, 1000, 1050, 980};
  for (auto _ : state) benchmark::DoNotOptimize(income_metrics(x, 12, 500));
}
BENCHMARK(BM_IncomeMetrics);

}  // namespace
}  // namespace gigsim

BENCHMARK_MAIN();
