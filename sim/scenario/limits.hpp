// Rules that span a whole scenario and keep the engine's integer arithmetic safe (issue 18,
// classes 10 and 11): the platforms' market shares sum to at most 1, a worker's weekly task
// count fits the engine's 32-bit counters, and no sum of money in int64 cents can overflow over
// the run's size. Checked after the schema's own rules, by load_string (parse.cpp). Private to
// gigsim_scenario.
#pragma once

#include <optional>
#include <string>

#include "gigsim/spec.hpp"

namespace gigsim::scenario {

struct LimitBreach {
  std::string path;  // the key to blame ("platforms[1].market_share", "workers.count")
  std::string message;
};

// The first rule `spec` breaks, or nothing.
std::optional<LimitBreach> check_limits(const ScenarioSpec& spec);

// Tasks one worker may be offered in a week at most (its task capacity is a 32-bit count).
inline constexpr double kMaxTasksPerWorkerWeek = 1e7;
// Upper bound, in EUR, of all money a run may hold or move, with room for a few such sums to be
// added (cash + income, fund + inflow): INT64_MAX cents / 4.
inline constexpr double kMaxRunMoneyEur = 9.223372036854775807e18 / 100 / 4;

}  // namespace gigsim::scenario
