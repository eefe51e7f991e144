#include "limits.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <vector>

#include "gigsim/observer.hpp"
#include "schema.hpp"

namespace gigsim::scenario {

namespace {

using schema::format_number;

std::string eur(double amount) {
  char text[48];
  std::snprintf(text, sizeof text, "%.3g EUR", amount);
  return text;
}

// One term of the money bound: what it adds over the run and the key to blame for it.
struct Term {
  double eur = 0;
  std::string path;
  std::string what;
};

}  // namespace

std::optional<LimitBreach> check_limits(const ScenarioSpec& spec) {
  // Market shares: each sector's tasks are posted on the platforms in these shares; more than
  // the whole would post demand that does not exist (0.9 + 0.9 posted 180%).
  double shares = 0;
  for (std::size_t p = 0; p < spec.platforms.size(); ++p) {
    shares += spec.platforms[p].market_share;
    if (shares > 1 + 1e-9) {
      std::string sum;
      for (std::size_t q = 0; q <= p; ++q)
        sum += (q ? " + " : "") + format_number(spec.platforms[q].market_share);
      return LimitBreach{"platforms[" + std::to_string(p) + "].market_share",
                         "the platforms' market shares sum to more than 1 (" + sum + " = " +
                             format_number(shares) +
                             "): together they cannot post more than all of a sector's tasks"};
    }
  }

  // Task capacity: hours budgets are at most 80 hours a week (Simulation's initialisation).
  constexpr double kMaxHours = 80;
  for (std::size_t s = 0; s < spec.sectors.size(); ++s) {
    if (kMaxHours / spec.sectors[s].task_hours > kMaxTasksPerWorkerWeek)
      return LimitBreach{"sectors[" + std::to_string(s) + "].task_hours",
                         "tasks of " + format_number(spec.sectors[s].task_hours) +
                             " hours would let a worker take over " +
                             format_number(kMaxTasksPerWorkerWeek) + " in a week; use at least " +
                             format_number(kMaxHours / kMaxTasksPerWorkerWeek) + " hours"};
  }

  // Money: an upper bound of every stock and every flow the run may sum in int64 cents, from the
  // same quantities the engine multiplies (docs/ODD.md), for the mechanisms that are on.
  const double n = spec.workers.count;
  const double weeks = spec.run.weeks;
  std::vector<Term> terms;
  const auto add = [&](double per_week, const std::string& path, const std::string& what) {
    terms.push_back({per_week * weeks, path, what});
  };
  // Paid work: at most 80 / task_hours tasks a worker and week, each at most
  // base_price * (1 + skill_premium) (skill <= 1; bidding only lowers prices).
  double task_value = 0;
  std::size_t dearest = 0;
  for (std::size_t s = 0; s < spec.sectors.size(); ++s) {
    const SectorSpec& sec = spec.sectors[s];
    const double value =
        std::floor(kMaxHours / sec.task_hours) * sec.base_price * (1 + sec.skill_premium);
    if (value > task_value) {
      task_value = value;
      dearest = s;
    }
  }
  add(n * task_value, "sectors[" + std::to_string(dearest) + "].base_price", "paid work");
  add(n * 1.5 * spec.workers.fixed_costs_mean, "workers.fixed_costs_mean", "fixed costs");
  // Exponential draws are at most 38 means (-log of the smallest uniform, 2^-54).
  terms.push_back(
      {38 * n * spec.workers.initial_cash_mean, "workers.initial_cash_mean", "initial cash"});
  add(n * spec.training.course_cost, "training.course_cost", "course fees");
  if (spec.umbrella_coop.enabled) {
    terms.push_back({spec.umbrella_coop.initial_guarantee_fund,
                     "umbrella_coop.initial_guarantee_fund", "the guarantee fund"});
    terms.push_back({spec.umbrella_coop.initial_training_fund,
                     "umbrella_coop.initial_training_fund", "the training fund"});
  }
  double operating = 0;
  std::string operating_path;
  for (std::size_t p = 0; p < spec.platforms.size(); ++p) {
    if (!spec.platforms[p].cooperative.enabled) continue;
    operating += spec.platforms[p].cooperative.operating_cost_per_week;
    if (operating_path.empty())
      operating_path = "platforms[" + std::to_string(p) + "].cooperative.operating_cost_per_week";
  }
  if (!operating_path.empty())
    add(operating, operating_path, "platform cooperatives' running costs");
  if (spec.sickness_pool.enabled)  // benefits and contributions, each at most the cap
    add(n * 2 * spec.sickness_pool.max_monthly_benefit / kWeeksPerMonth,
        "sickness_pool.max_monthly_benefit", "sickness pool benefits");
  if (spec.employee_sharing.enabled) {
    const EmployeeSharingSpec& es = spec.employee_sharing;
    add(n * es.contract_hours * (es.hourly_wage + es.charge_per_hour),
        "employee_sharing.hourly_wage", "employee-sharing wages and charges");
    terms.push_back({es.initial_fund, "employee_sharing.initial_fund", "the pool's fund"});
  }
  if (spec.wise.enabled) {
    const WiseSpec& ws = spec.wise;
    const double places = static_cast<double>(ws.supervisors) * ws.places_per_supervisor;
    add(ws.count * (ws.supervisors * ws.supervision_cost_per_week +
                    places * ws.hours_per_week * (ws.hourly_wage + ws.value_per_hour)),
        "wise.hourly_wage", "WISE wages, output and supervision");
    terms.push_back({ws.count * ws.initial_capital, "wise.initial_capital", "WISE capital"});
  }
  if (spec.public_buyers.enabled)
    add(spec.public_buyers.purchases_per_week, "public_buyers.purchases_per_week",
        "public purchases");
  if (spec.intermediary.enabled)
    add(n * spec.intermediary.cost_per_linked_worker, "intermediary.cost_per_linked_worker",
        "the node's cost");
  if (spec.unemployment_insurance.enabled)  // a month's benefits, counted every week
    add(n * spec.unemployment_insurance.benefit_cap, "unemployment_insurance.benefit_cap",
        "insurance benefits");

  double total = 0;
  const Term* largest = nullptr;
  for (const Term& t : terms) {
    total += t.eur;
    if (largest == nullptr || t.eur > largest->eur) largest = &t;
  }
  if (!(total <= kMaxRunMoneyEur)) {  // also NaN and infinity
    return LimitBreach{largest->path,
                       "this run could move up to " + eur(total) + " (" + largest->what + ": " +
                           eur(largest->eur) + ", over " + format_number(n) + " workers and " +
                           format_number(weeks) + " weeks), more than integer cents can sum (" +
                           eur(kMaxRunMoneyEur) +
                           "); lower this amount, workers.count or run.weeks"};
  }
  return std::nullopt;
}

}  // namespace gigsim::scenario
