// What a mechanism is to the engine. The engine (sim/core) knows no mechanism by name: each one
// lives in its own folder under sim/mechanisms/, is listed once in the registry (sim/model), and
// tells the engine at attachment what it adds:
//   - hooks by phase (the schedule in sim/model/schedule.cpp orders the hooks of each phase);
//   - its state (columns and books, through state()), for checkpoints, memory and validation;
//   - its totals (a plain struct with a field table whose roles make money conservation checkable);
//   - the shared concepts it takes part in: an affiliation bit (search time, recruitment bias), an
//     employer kind (employment contracts), a course funder, a reporting group.
// Parallel hooks receive a block of workers [lo, hi) and must touch only that block's workers and
// their own per-block partials, which they reduce in block order in a later sequential hook.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "gigsim/columns.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/totals.hpp"

namespace gigsim {

class Engine;

struct Block {
  std::uint32_t index = 0;  // block number, for per-block partials
  std::uint32_t lo = 0;     // first worker
  std::uint32_t hi = 0;     // one past the last worker
};

// The phases of a week in which mechanisms act, in the order they run (docs/ODD.md §1.3). Each
// one is called by the engine (Phases.* checks when); a port that needs another point of the week
// adds its phase here together with the engine call.
enum class Phase : std::uint8_t {
  initialise,    // parallel per block: initial draws on the mechanism's own streams
  setup,         // sequential, after the initial draws (groups, books, member lists)
  offer,         // parallel per block, before the engine ranks that block's workers
  settle,        // sequential: market-level settlement (funds, pots, contracts)
  month_end,     // parallel per block at a month end: after all pay, before the history slot
  books_reduce,  // sequential, after the books pass: the pass's partials
  week_end,      // sequential, after course enrolment
  report,        // sequential: balances into the mechanism's totals
};
inline constexpr int kPhaseCount = 8;
std::string_view phase_name(Phase p);

// An affiliation a worker may hold (engine column `affiliations`, one bit per affiliation, in the
// order mechanisms attach): it cuts the worker's unpaid search time and the recruitment bias
// clients hold against it.
struct Affiliation {
  double search_time_reduction = 0;  // relative cut, compounded over a worker's affiliations
  double bias_reduction = 0;         // share of the recruitment bias removed, compounded likewise
};

// An employer of workers on contracts (engine concept: a worker's employment contract; the
// `employer` column holds the employer kind's code, 0 for none). A contract takes hours from the
// worker's budget; the hours worked count as paid hours and, in the employer's sector, as practice.
class Employer {
 public:
  virtual ~Employer() = default;
  // Hours per week worker i's contract takes from its hours budget.
  virtual double contract_hours(std::uint32_t i) const = 0;
  // Paid contract hours worker i worked this week (read after settlement).
  virtual double hours_worked(std::uint32_t i) const = 0;
  // Sector in which contract hours count as practice, or -1.
  virtual int practice_sector() const { return -1; }
};

// A fund that pays a share of workers' courses (engine concept: course funders, offered a course
// in the schedule's order of funders at enrolment; the first that pays is the payer).
class CourseFunder {
 public:
  virtual ~CourseFunder() = default;
  // Share of a course it would pay for worker i; 0 when it offers none.
  virtual double course_share(std::uint32_t i) const = 0;
  // Pays `cents` of worker i's course if its fund holds enough; false otherwise.
  virtual bool pay_course(std::uint32_t i, std::int64_t cents) = 0;
  virtual TrainingPayer payer() const = 0;
};

// A payer of a share of whatever part of a course the worker would pay itself, after any course
// funder's share (engine concept: at most one course co-payer; a public training subsidy). The
// worker weighs a course at the part left to it; a course it pays with the co-payer's help has
// the co-payer as payer when the co-payer pays more than half.
class CourseCopayer {
 public:
  virtual ~CourseCopayer() = default;
  virtual double copaid_share() const = 0;
  // Books `cents` paid towards worker i's course.
  virtual void copay(std::uint32_t i, std::int64_t cents) = 0;
  virtual TrainingPayer payer() const = 0;
};

// What a mechanism adds to the engine, declared once when it attaches.
class Declarations {
 public:
  virtual ~Declarations() = default;
  virtual void on(Phase phase, std::function<void()> hook) = 0;
  virtual void on_block(Phase phase, std::function<void(const Block&)> hook) = 0;
  // Returns the affiliation's bit in the `affiliations` column.
  virtual int affiliation(const Affiliation& a) = 0;
  // Returns the employer kind's code in the `employer` column (never 0).
  virtual std::uint8_t employer(Employer& e) = 0;
  virtual void course_funder(CourseFunder& f) = 0;
  virtual void course_copayer(CourseCopayer& c) = 0;
  // Workers for whom `claims` holds report in group `code`; where claims overlap, the schedule's
  // group precedence decides.
  virtual void group(std::uint8_t code, std::function<bool(std::uint32_t)> claims) = 0;
};

class Mechanism {
 public:
  explicit Mechanism(std::string_view key) : key_(key) {}
  virtual ~Mechanism() = default;
  Mechanism(const Mechanism&) = delete;
  Mechanism& operator=(const Mechanism&) = delete;

  std::string_view key() const { return key_; }

  // Called once by the engine: keep `engine`, declare hooks and concepts.
  virtual void attach(Engine& engine, Declarations& d) = 0;
  // Columns and books, for checkpoints, memory accounting and validation on restore.
  virtual void state(StateVisitor&) {}
  // Caches derived from the state (member lists), rebuilt after initialisation, a restore, a
  // branch and whenever a hook reports that memberships or contracts changed.
  virtual void refresh() {}
  // Cross-field checks of a restored state; throws RestoreError naming what does not fit.
  virtual void check_restored() const {}
  // A branch switches this mechanism on mid-run (only for mechanisms whose registry entry allows
  // it): initial draws and books as at the start of a run.
  virtual void open_in_branch() {}

  // Totals of this step: cleared before the step, packed after the report phase.
  virtual void clear_totals() = 0;
  virtual void pack_totals(StepTotals& out) const = 0;

  // Set by the model: where this mechanism's totals sit in the step record.
  TotalsLayout::Block totals_block{};

 private:
  std::string_view key_;
};

// The totals of a mechanism that reports none of its own.
struct NoTotals {
  static std::span<const TotalsField<NoTotals>> fields() { return {}; }
};

// Base for a mechanism with a totals struct T (which has `static std::span<const
// TotalsField<T>> fields()`): clearing and packing come for free.
template <class T>
class MechanismWith : public Mechanism {
 public:
  using Totals = T;
  using Mechanism::Mechanism;
  void clear_totals() override { totals_ = T{}; }
  void pack_totals(StepTotals& out) const override {
    pack(totals_, T::fields(), totals_block, out);
  }
  const T& totals() const { return totals_; }

 protected:
  T totals_{};
};

}  // namespace gigsim
