// A simulation: the engine and the mechanisms a scenario switches on, assembled from the registry
// and the schedule. This is the face the CLI, sweeps, validation and tests use.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gigsim/engine.hpp"
#include "gigsim/groups.hpp"
#include "gigsim/metrics.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/spec.hpp"

namespace gigsim {

class Simulation {
 public:
  Simulation(ScenarioSpec spec, ExecutionContext ctx);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  void add_observer(Observer& observer) { engine_->add_observer(observer); }
  // Runs every remaining step, then reports the end-of-run summaries.
  void run() { engine_->run(); }
  // Advances one week (calls on_start before the first step). Returns false when the run is over.
  bool step() { return engine_->step(); }
  // Reports the end-of-run summaries to observers (run() calls it).
  void finish() { engine_->finish(); }

  // The phases of a step, for benchmarks: offer (sector choice and ranking weights), work (tasks,
  // pay, ratings, skills), settle (payouts, funds, training, monthly books). run_phase(all) is one
  // step without the end-of-run check; a single phase leaves the step counter where it is.
  using Phase = Engine::RunPhase;
  void run_phase(Phase phase) { engine_->run_phase(phase); }

  std::uint32_t current_step() const { return engine_->current_step(); }
  const ScenarioSpec& spec() const { return spec_; }
  const WorkerState& workers() const { return engine_->workers(); }
  const MarketState& market() const { return engine_->market(); }
  const StepTotals& last_totals() const { return engine_->last_totals(); }
  const RunInfo& run_info() const { return engine_->run_info(); }
  WorkerSummaries summaries() const { return engine_->summaries(); }

  // Peak memory of a run of this scenario, in bytes: every worker column of the engine and of the
  // mechanisms that are on, the engine's per-worker scratch and the end-of-run summaries.
  // Computed without allocating the population.
  static std::uint64_t estimate_peak_bytes(const ScenarioSpec& spec);

  // The state a checkpoint carries, as named sections, and a run continued from it (see
  // Engine::restore). Throws RestoreError when the state does not fit the scenario.
  SavedState save_state() const { return engine_->save_state(); }
  void restore(const SavedState& saved) { engine_->restore(saved); }
  // Each section's fields with the rules restore checks them against.
  StateRules state_rules() const { return engine_->state_rules(); }
  // Opens the umbrella cooperative now (a branch that introduces it mid-run): workers join with
  // the same draws as at initialisation, funds start at their initial balances.
  void open_umbrella_coop() { engine_->open_umbrella_coop(); }

  // The hooks that run, as (phase, mechanism key) in running order.
  const std::vector<std::pair<gigsim::Phase, std::string_view>>& hook_order() const {
    return engine_->hook_order();
  }

  // The mechanism of type M; throws std::logic_error when it is off in this scenario.
  template <class M>
  M& mechanism() {
    for (const auto& m : mechanisms_)
      if (auto* p = dynamic_cast<M*>(m.get())) return *p;
    throw std::logic_error("mechanism " + std::string(M::kKey) + " is off in this scenario");
  }
  template <class M>
  const M& mechanism() const {
    return const_cast<Simulation*>(this)->mechanism<M>();
  }

  // For tests of single phases on hand-made populations. The engine's caches of worker state are
  // rebuilt before the next phase runs.
  WorkerState& mutable_workers() { return engine_->mutable_workers(); }
  MarketState& mutable_market() { return engine_->mutable_market(); }

 private:
  ScenarioSpec spec_;
  std::vector<std::unique_ptr<Mechanism>> mechanisms_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace gigsim
