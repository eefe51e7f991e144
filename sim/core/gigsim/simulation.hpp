// The discrete-time engine: one step is one week. Each step runs its phases in parallel over fixed
// blocks of workers; everything that couples workers (demand shares, fund balances) is reduced per
// block and then over blocks in order, so results are bit-identical at any thread count.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "gigsim/observer.hpp"
#include "gigsim/spec.hpp"
#include "gigsim/state.hpp"

namespace gigsim {

// Execution context: passed in, never global. Two simulations may run in one process.
struct ExecutionContext {
  int threads = 1;  // worker threads for this simulation's task arena (>= 1)
};

// Workers per block in every parallel phase. Part of the reproducibility contract only in that
// reductions are ordered by block; results do not depend on it for integer money.
inline constexpr std::uint32_t kBlockSize = 2048;

class Simulation {
 public:
  Simulation(ScenarioSpec spec, ExecutionContext ctx);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  void add_observer(Observer& observer);

  // Runs every remaining step, then reports the end-of-run summaries.
  void run();
  // Advances one week (calls on_start before the first step). Returns false when the run is over.
  bool step();
  // Reports the end-of-run summaries to observers (run() calls it).
  void finish();

  // The phases of a step, for benchmarks: offer (sector choice and ranking weights), work (tasks,
  // pay, ratings, skills), settle (payouts, funds, training, monthly books). run_phase(all) is one
  // step without the end-of-run check; a single phase leaves the step counter where it is.
  enum class Phase { all, offer, work, settle };
  void run_phase(Phase phase);

  std::uint32_t current_step() const { return step_; }
  const ScenarioSpec& spec() const { return spec_; }
  const WorkerState& workers() const { return workers_; }
  const MarketState& market() const { return market_; }
  const StepTotals& last_totals() const { return last_; }
  const RunInfo& run_info() const { return info_; }
  WorkerSummaries summaries() const;

  // Peak memory of a run of this scenario, in bytes: every worker column (measured on a
  // one-worker table, so it cannot drift from the columns), the engine's per-worker scratch and
  // the end-of-run summaries. Computed without allocating the population.
  static std::uint64_t estimate_peak_bytes(const ScenarioSpec& spec);

  // Persistent engine state beyond workers and market, for checkpoints.
  struct EngineState {
    std::uint32_t step = 0;
    std::vector<double> ranking_weight_totals;  // last week's sums per (platform, sector)
  };
  EngineState engine_state() const;
  // Continues a run from saved state. Observers are not sent on_start again: the caller replays
  // what they have missed. Throws std::invalid_argument when the state does not fit the scenario.
  void restore(const EngineState& engine, WorkerState workers, MarketState market);
  // Opens the umbrella cooperative now (a branch that introduces it mid-run): workers join with
  // the same draws as at initialisation, funds start at their initial balances.
  void open_umbrella_coop();

  // For tests of single phases on hand-made populations. The engine's caches of worker state are
  // rebuilt before the next phase runs.
  WorkerState& mutable_workers() {
    derived_stale_ = true;
    return workers_;
  }
  MarketState& mutable_market() { return market_; }

 private:
  struct Impl;
  void initialise();
  void start_if_needed();
  void advance(Phase phase);
  void refresh_derived();
  void refresh_member_lists();  // sickness pool groups, peer learners, pool and WISE staff
  void settle_sickness_pool(StepTotals& tot);
  void settle_employee_sharing(StepTotals& tot);
  void settle_wises(StepTotals& tot);
  void wise_turnover(StepTotals& tot);
  void review_membership(StepTotals& tot);
  void peer_learning();
  void vote_training_levy(int platform);
  WorkerGroup group_of(std::uint32_t worker) const;
  std::int64_t insured_benefit(std::uint32_t worker) const;

  ScenarioSpec spec_;
  ExecutionContext ctx_;
  std::unique_ptr<Impl> impl_;
  WorkerState workers_;
  MarketState market_;
  StepTotals last_;
  RunInfo info_;
  std::vector<Observer*> observers_;
  std::uint32_t step_ = 0;
  bool started_ = false;
  bool finished_ = false;
  bool derived_stale_ = false;
};

// Income-stability metrics of one worker's monthly incomes in chronological order
// (BRIEF.md "Outcome metrics"); exposed for tests against hand-computed values.
struct IncomeMetrics {
  double mean = 0;
  double cv = 0;  // population sd / mean; NaN when mean <= 0
  int dip_months = 0;
  int large_swings = 0;
  int months_below = 0;
};
IncomeMetrics income_metrics(const double* monthly, int months, double poverty_line);

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

// The training levy worker i proposes in the yearly vote of platform cooperative `platform`
// (docs/ODD.md "Platform cooperative"): nothing if a course with the cooperative's fund paying its
// share is not worthwhile to it now; otherwise the levy at which its own levy payments on this
// year's gross on the platform would have paid the fund's share of one course, at most
// max_training_levy (and that maximum when it earned nothing there).
double proposed_training_levy(const ScenarioSpec& spec, const WorkerState& w, std::uint32_t i,
                              int platform);
// Membership decisions (docs/ODD.md "Membership decisions"). The certainty equivalent of a
// monthly income with mean `mean` and coefficient of variation `cv` for constant relative risk
// aversion `rho`, exact for a lognormal income: mean * (1 + cv^2)^(-rho / 2) (to second order
// mean * (1 - rho cv^2 / 2); always positive and rising in the mean).
double certainty_equivalent(double mean, double cv, double rho);
// Mean 12-month income and mean income CV of a group of workers.
struct GroupIncome {
  double mean = 0;
  double cv = 0;
};
// What a worker with 12-month mean `own_mean` and CV `own_cv` expects to gain, in certainty
// equivalent, by moving from its group to the other: on the other side it expects its own mean
// scaled by the ratio of the groups' means, with the other group's CV.
double membership_switch_gain(double own_mean, double own_cv, const GroupIncome& own_group,
                              const GroupIncome& other_group, double rho);

// One member, one vote on a single number: the median proposal, the lower median for an even
// count (no majority prefers any other value). `proposals` must not be empty.
double median_vote(std::vector<double> proposals);

}  // namespace gigsim
