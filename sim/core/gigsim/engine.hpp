// The discrete-time engine: one step is one week. Each step runs its phases in parallel over fixed
// blocks of workers; everything that couples workers (demand shares, fund balances) is reduced per
// block and then over blocks in order, so results are bit-identical at any thread count.
//
// The engine runs the market (demand, offers, work, pay, training, the monthly books) and calls
// the mechanisms it is given at the phases they declared, in the order the schedule gives. It
// names no mechanism; sim/model assembles an engine and the registered mechanisms into a
// gigsim::Simulation.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/core_totals.hpp"
#include "gigsim/market_spec.hpp"
#include "gigsim/mechanism.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/state.hpp"

namespace gigsim {

// Execution context: passed in, never global. Two simulations may run in one process.
struct ExecutionContext {
  int threads = 1;  // worker threads for this simulation's task arena (>= 1)
  // Check the money identities (docs/ODD.md "Conservation") after every step and throw
  // std::logic_error when one fails. On unless switched off: every test checks them; the gigsim
  // command switches them off in release builds (kCheckConservation), where they cost a pass
  // over the workers each week.
  bool check_conservation = true;
};
#ifdef NDEBUG
inline constexpr bool kCheckConservation = false;
#else
inline constexpr bool kCheckConservation = true;
#endif

// Workers per block in every parallel phase. Part of the reproducibility contract only in that
// reductions are ordered by block; results do not depend on it for integer money.
inline constexpr std::uint32_t kBlockSize = 2048;

// The order of the week, as data (sim/model/schedule.cpp): for each phase the mechanisms whose
// hooks run in it, in order; the order in which course funders are offered a course; and the
// precedence of reporting-group claims.
struct Schedule {
  std::array<std::vector<std::string_view>, kPhaseCount> phases;
  std::vector<std::string_view> course_funders;
  std::vector<std::string_view> groups;
};

// What sim/model hands the engine besides the spec.
struct ModelParts {
  std::vector<Mechanism*> mechanisms;  // the mechanisms that are on, in registry order
  const Schedule* schedule = nullptr;
  const TotalsLayout* layout = nullptr;  // the step record: the engine's block, then mechanisms'
  TotalsLayout::Block core_totals{};
  std::vector<std::string> group_names;  // by group code
};

// The state a checkpoint carries: one named section per part (the engine's, then each
// mechanism's that is on), each written through its StateVisitor.
struct SavedState {
  std::map<std::string, std::string, std::less<>> sections;
};
// The fields of each section of a saved state, as the parts declare them, with the rules a
// restore checks.
using StateRules = std::map<std::string, std::vector<FieldRule>, std::less<>>;

// The current week, as mechanisms see it.
struct Week {
  std::uint32_t step = 0;
  std::uint32_t month = 0;  // step / kWeeksPerMonth
  bool month_end = false;   // the step closes a month
  bool year_end = false;    // the step closes a year
  int slot_now = 0;         // payout ring slot of this step
};

class Engine {
 public:
  Engine(EngineSpec spec, ExecutionContext ctx, ModelParts parts);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void add_observer(Observer& observer);
  void run();
  bool step();
  void finish();
  enum class RunPhase { all, offer, work, settle };
  void run_phase(RunPhase phase);

  std::uint32_t current_step() const { return step_; }
  const EngineSpec& spec() const { return spec_; }
  const WorkerState& workers() const { return workers_; }
  const MarketState& market() const { return market_; }
  const StepTotals& last_totals() const { return last_; }
  const RunInfo& run_info() const { return info_; }
  WorkerSummaries summaries() const;

  // Peak memory of the engine's part of a run (columns, scratch, summaries) in bytes per worker,
  // computed without allocating the population.
  static std::uint64_t bytes_per_worker(const EngineSpec& spec);

  SavedState save_state() const;
  // Continues a run from saved state. Observers are not sent on_start again: the caller replays
  // what they have missed. Mechanisms on in the scenario but absent from the state open as in a
  // branch; sections of mechanisms that are off are ignored. Throws RestoreError when the state
  // does not fit the scenario or a value breaks its rule.
  void restore(const SavedState& saved);
  StateRules state_rules() const;
  // Legacy, while the umbrella cooperative is inline: a branch that introduces it.
  void open_umbrella_coop();

  WorkerState& mutable_workers() {
    derived_stale_ = true;
    return workers_;
  }
  MarketState& mutable_market() { return market_; }

  // ---- What mechanisms use ------------------------------------------------------------------
  WorkerState& workers() { return workers_; }
  std::uint64_t seed() const { return spec_.run.seed; }
  std::uint32_t blocks() const;
  const Week& week() const { return week_; }
  int ring_slot(std::uint32_t step) const {
    return static_cast<int>(step % static_cast<std::uint32_t>(workers_.ring));
  }
  CoreTotals& totals();
  // Runs f(block) for every block, in parallel on the simulation's threads.
  void for_blocks(const std::function<void(const Block&)>& f);
  // Whether worker i has an employment contract (no unemployment insurance as self-employed).
  bool employed(std::uint32_t i) const;
  // The panel record of the month that closed this step; the index of worker i in it, or -1.
  PanelMonth& panel();
  std::ptrdiff_t panel_index(std::uint32_t worker) const;
  // A hook changed memberships or contracts: every mechanism's caches are rebuilt now.
  void state_changed();

  // The hooks the engine runs, as (phase, mechanism key) in running order.
  const std::vector<std::pair<Phase, std::string_view>>& hook_order() const;

 private:
  struct Impl;
  void attach_mechanisms();
  void initialise();
  void start_if_needed();
  void advance(RunPhase phase);
  void refresh_derived();
  void refresh_member_lists();
  void run_hooks(Phase phase);
  void run_block_hooks(Phase phase, const Block& b);
  void report_step();
  void core_stocks(CoreTotals& tot) const;
  StepTotals stocks_now();
  void check_conservation(const StepTotals& before, const StepTotals& now);
  void state(StateVisitor& v);
  // Cross-field checks of a restored state (restore_checks.cpp); throw RestoreError.
  void check_restored_workers() const;
  // Legacy mechanisms, inline while they are ported.
  void review_membership(CoreTotals& tot);
  void peer_learning();
  void vote_training_levy(int platform);
  std::uint8_t group_of(std::uint32_t worker) const;

  EngineSpec spec_;
  ExecutionContext ctx_;
  ModelParts parts_;
  std::unique_ptr<Impl> impl_;
  WorkerState workers_;
  MarketState market_;
  StepTotals last_;
  StepTotals before_;  // the previous record (stocks), for the conservation check
  RunInfo info_;
  Week week_;
  std::vector<Observer*> observers_;
  std::int64_t cash_sum_ = 0;  // workers' cash at the end of the last step (conservation check)
  std::uint32_t step_ = 0;
  bool started_ = false;
  bool finished_ = false;
  bool derived_stale_ = false;
};

// Expected return of a course in the worker's decision rule (docs/ODD.md "Training").
struct TrainingDecisionInputs {
  double skill;                   // 0..1 in the course's sector
  double skill_premium;           // of that sector
  double recent_weekly_earnings;  // EUR/week
  double recent_hourly_earnings;  // EUR/paid hour
  double own_course_cost;         // EUR paid by the worker
};
struct TrainingDecision {
  double expected_gain;  // EUR, discounted over the horizon
  double cost;           // EUR: own course cost plus earnings lost in course hours
  bool worthwhile() const { return expected_gain > cost; }
};
TrainingDecision evaluate_training(const TrainingSpec& t, const TrainingDecisionInputs& in);

// Legacy, while the platform cooperative and the umbrella cooperative are inline.
// own_course_share: the part of a course left to the worker after any co-payer.
double proposed_training_levy(const EngineSpec& spec, const WorkerState& w, std::uint32_t i,
                              int platform, double own_course_share);
double certainty_equivalent(double mean, double cv, double rho);
struct GroupIncome {
  double mean = 0;
  double cv = 0;
};
double membership_switch_gain(double own_mean, double own_cv, const GroupIncome& own_group,
                              const GroupIncome& other_group, double rho);
double median_vote(std::vector<double> proposals);

}  // namespace gigsim
