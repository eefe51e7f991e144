// How client demand compares with what the workers can supply (gigsim scenario check, gigsim run).
#include <fmt/format.h>

#include "gigsim/scenario.hpp"

namespace gigsim::scenario {

MarketBalance market_balance(const ScenarioSpec& spec) {
  MarketBalance b;
  for (const SectorSpec& sector : spec.sectors)
    b.demand_hours += sector.tasks_per_week * sector.task_hours;
  // Every paid hour on a platform costs search_minutes_per_paid_hour of unpaid search as well.
  const double hours_per_paid_hour = 1.0 + spec.workers.search_minutes_per_paid_hour / 60.0;
  b.capacity_hours = static_cast<double>(spec.workers.count) * spec.workers.hours_budget_mean /
                     hours_per_paid_hour;
  b.ratio = b.capacity_hours > 0 ? b.demand_hours / b.capacity_hours : 0;
  return b;
}

std::string market_balance_warning(const ScenarioSpec& spec) {
  const MarketBalance b = market_balance(spec);
  const std::string figures = fmt::format(
      "client demand is {:.0f} paid hours a week, {:.0f}% of the {:.0f} the {} workers can "
      "work (after unpaid search)",
      b.demand_hours, 100 * b.ratio, b.capacity_hours, spec.workers.count);
  if (b.ratio < kMarketBalanceLow)
    return figures +
           ": the market is oversupplied and incomes will be low; to change the population "
           "without changing the balance give demand per worker "
           "(sectors[].tasks_per_week_per_worker) or scale sectors[].tasks_per_week with "
           "workers.count";
  if (b.ratio > kMarketBalanceHigh)
    return figures +
           ": most demand cannot be served (tasks will be declined); lower "
           "sectors[].tasks_per_week or raise workers.count";
  return {};
}

}  // namespace gigsim::scenario
