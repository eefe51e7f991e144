// Cross-field checks of the engine's restored worker columns (Engine::restore), beyond each
// field's own rule: what a valid run keeps consistent between its columns and with its scenario,
// so that a crafted checkpoint cannot make the books disagree with the workers. The WISE
// employers are checked in Engine::restore, next to the WISEs' books.
#include <cstdint>
#include <limits>
#include <string>

#include "engine_impl.hpp"
#include "gigsim/money.hpp"
#include "gigsim/section.hpp"

namespace gigsim {

namespace {

[[noreturn]] void refuse(const char* field, std::uint32_t worker, const std::string& what) {
  throw RestoreError("saved state, section 'engine', '" + std::string(field) + "': worker " +
                     std::to_string(worker) + " " + what);
}

}  // namespace

void Engine::check_restored_workers() const {
  const WorkerState& w = workers_;
  const UmbrellaCoopSpec& coop = spec_.umbrella_coop;
  // Fixed costs are drawn once, at most 1.5 times the mean (Engine's initialisation), and no branch
  // may change the mean. They leave cash every week, so a larger one would not stay within the
  // money bound: over a run it could drive cash past INT64_MIN.
  const std::int64_t max_fixed_costs = to_cents(spec_.workers.fixed_costs_mean * 1.5);
  for (std::uint32_t i = 0; i < w.count; ++i) {
    if (w.fixed_costs[i] > max_fixed_costs)
      refuse("fixed_costs", i,
             "has fixed costs of " + std::to_string(w.fixed_costs[i]) +
                 " cents a week, more than 1.5 times the scenario's mean (" +
                 std::to_string(max_fixed_costs) + ")");
    // A cooperative cannot close mid-run (branch rules), so a state without one has no members.
    if (w.coop_member[i] != 0 && !coop.enabled)
      refuse("coop_member", i, "is a member of an umbrella cooperative the scenario does not have");
    // A member who leaves is paid its account at once; without averaged salaries there is none.
    if (w.salary_account[i] != 0 && (w.coop_member[i] == 0 || coop.salary_smoothing_months == 0))
      refuse("salary_account", i,
             "holds an averaged-salary account without being a member paid an averaged salary");
    // A spell counts its weeks down from its length (at most 65,535) while the elapsed ones count
    // up, and both are zero between spells.
    const std::uint16_t left = w.absent_weeks_left[i], elapsed = w.absent_weeks_elapsed[i];
    if (left == 0 && elapsed != 0)
      refuse("absent_weeks_elapsed", i, "has weeks of a sickness spell elapsed but none left");
    if (left + elapsed > std::numeric_limits<std::uint16_t>::max())
      refuse("absent_weeks_elapsed", i, "is in a sickness spell longer than 65535 weeks");
  }
}

}  // namespace gigsim
