#include "branch_rules.hpp"

#include <map>
#include <optional>

#include "gigsim/scenario.hpp"

namespace gigsim::cli {

namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// Why `key` cannot change in a branch, or nothing when it can. Behavioural and market parameters
// may change; what was used only to initialise the market, the market's shape, the payout
// schedules already holding money, the seed and the output sample may not.
std::optional<std::string> refusal(const std::string& key, bool opens_coop) {
  const std::string p = scenario::key_pattern(key);
  static const char* const kChangeable[] = {"name",
                                            "description",
                                            "run.weeks",
                                            "workers.search_minutes_per_paid_hour",
                                            "workers.sector_review_probability",
                                            "workers.rating_noise",
                                            "workers.recruitment_bias",
                                            "sectors[].tasks_per_week",
                                            "sectors[].base_price",
                                            "sectors[].skill_premium",
                                            "sectors[].task_hours",
                                            "sectors[].seasonal_amplitude",
                                            "sectors[].seasonal_peak_week",
                                            "sectors[].client_default_rate",
                                            "sectors[].shock_sd",
                                            "sectors[].shock_persistence",
                                            "platforms[].take_rate",
                                            "platforms[].market_share",
                                            "platforms[].reputation_exponent",
                                            "platforms[].review_exponent",
                                            "platforms[].reoffer_rounds",
                                            "platforms[].deactivation_rating",
                                            "platforms[].deactivation_min_reviews",
                                            "platforms[].bid_elasticity",
                                            "platforms[].bid_floor",
                                            "platforms[].cooperative.operating_cost_rate",
                                            "platforms[].cooperative.operating_cost_per_week",
                                            "platforms[].cooperative.training_cost_share",
                                            "platforms[].cooperative.governance",
                                            "platforms[].cooperative.max_training_levy",
                                            "umbrella_coop.fee_rate",
                                            "umbrella_coop.guarantee_fund_share",
                                            "umbrella_coop.training_fund_share",
                                            "umbrella_coop.training_cost_share",
                                            "umbrella_coop.search_time_reduction",
                                            "umbrella_coop.membership_review_probability",
                                            "umbrella_coop.risk_aversion",
                                            "umbrella_coop.switching_cost",
                                            "employee_sharing.employers",
                                            "employee_sharing.demand_hours_mean",
                                            "employee_sharing.demand_cv",
                                            "employee_sharing.contract_hours",
                                            "employee_sharing.hourly_wage",
                                            "employee_sharing.charge_per_hour",
                                            "employee_sharing.training_cost_share",
                                            "wise.min_distance",
                                            "wise.hours_per_week",
                                            "wise.hourly_wage",
                                            "wise.wage_subsidy_share",
                                            "wise.value_per_hour",
                                            "wise.sales_per_week",
                                            "wise.sales_cv",
                                            "wise.supervision_cost_per_week",
                                            "wise.distance_reduction_per_week",
                                            "wise.transition_rate",
                                            "wise.training_cost_share",
                                            "wise.insolvency_weeks",
                                            "public_buyers.enabled",
                                            "public_buyers.purchases_per_week",
                                            "public_buyers.reserved_share",
                                            "public_buyers.min_disadvantaged_share",
                                            "intermediary.bias_reduction",
                                            "intermediary.search_time_reduction",
                                            "intermediary.cost_per_linked_worker",
                                            "peer_learning.enabled",
                                            "peer_learning.ties_per_member",
                                            "peer_learning.rate_per_week",
                                            "peer_learning.cross_sector_share"};
  for (const char* k : kChangeable) {
    if (p == k) return std::nullopt;
  }
  if (starts_with(p, "skills.") || starts_with(p, "training.") || starts_with(p, "sickness.") ||
      starts_with(p, "policy.") || starts_with(p, "unemployment_insurance."))
    return std::nullopt;
  if (p == "sickness_pool.waiting_weeks" || p == "sickness_pool.max_benefit_weeks")
    return std::nullopt;
  if (p == "platforms[].cooperative.rotating_allocation")
    return "last week's ranking weights, which the first branched week reads, were summed under "
           "the old allocation rule";
  if (p == "platforms[].cooperative.enabled")
    return "turning a platform into a cooperative or back mid-run is not modelled (its members' "
           "patronage and funds would have no owner)";
  if (p == "platforms[].cooperative.training_levy")
    return "the levy in force is part of the run's state, set by the members' vote each year";
  if (p == "employee_sharing.enabled")
    return "opening or closing the employee-sharing pool mid-run is not modelled (its workers' "
           "contracts and its fund would have no owner)";
  if (p == "wise.enabled")
    return "opening or closing the WISEs mid-run is not modelled (their employees' contracts and "
           "their capital would have no owner)";
  if (p == "intermediary.enabled")
    return "the node's links are drawn when the market is initialised; opening or closing it "
           "mid-run is not modelled";
  if (p == "wise.supervisors" || p == "wise.places_per_supervisor")
    return "the WISEs' supervision capacity is fixed: their current staff were hired under it";
  if (p == "wise.sector" || p == "wise.count")
    return "changes the shape of the market (the WISEs and their line of work)";
  if (p == "umbrella_coop.salary_smoothing_months")
    return "members' salary accounts hold money under the current rule; changing it mid-run is "
           "not modelled";
  if (starts_with(p, "sickness_pool."))
    return "the sickness pool's membership and groups are formed when the market is initialised; "
           "opening, closing or regrouping it mid-run is not modelled";
  if (opens_coop &&
      (p == "umbrella_coop.enabled" || p == "umbrella_coop.initial_member_share" ||
       p == "umbrella_coop.initial_guarantee_fund" || p == "umbrella_coop.initial_training_fund" ||
       p == "umbrella_coop.payout_lag_weeks"))
    return std::nullopt;
  if (p == "umbrella_coop.enabled")
    return "closing the cooperative mid-run is not modelled (members' claims and its funds would "
           "have no owner)";
  if (p == "workers.count" || p == "sectors.size" || p == "platforms.size" ||
      p == "sectors[].name" || p == "platforms[].name")
    return "changes the shape of the market (workers, sectors, platforms), which is fixed once "
           "the run has started";
  if (p == "run.seed") return "a branch keeps the run's seed, so that branches share their draws";
  if (p == "platforms[].payout_lag_weeks" || p == "umbrella_coop.payout_lag_weeks")
    return "money already earned is scheduled by the payout lag; it cannot change mid-run";
  if (starts_with(p, "output.")) return "the output panel is fixed when the run starts";
  return "is only used when the market is initialised, so changing it in a branch would have no "
         "effect";
}

// Why changing `key` would do nothing because its mechanism is off in the run (and cannot be
// switched on in a branch), or nothing.
std::optional<std::string> switched_off(const std::string& key, const ScenarioSpec& run,
                                        const ScenarioSpec& branch) {
  if (starts_with(key, "employee_sharing.") && !run.employee_sharing.enabled)
    return std::string("the employee-sharing pool is off in this run");
  if (starts_with(key, "umbrella_coop.") && key != "umbrella_coop.enabled" &&
      !run.umbrella_coop.enabled && !branch.umbrella_coop.enabled)
    return std::string("the umbrella cooperative is off in this run and in this branch");
  if (key == "workers.recruitment_bias" && run.workers.far_from_market_share <= 0)
    return std::string("no worker is far from the labour market in this run");
  if (starts_with(key, "wise.") && !run.wise.enabled)
    return std::string("the WISEs are off in this run");
  if (starts_with(key, "intermediary.") && !run.intermediary.enabled)
    return std::string("the intermediary node is off in this run");
  if (starts_with(key, "unemployment_insurance.") && key != "unemployment_insurance.enabled" &&
      !branch.unemployment_insurance.enabled)
    return std::string("unemployment insurance is off in this branch");
  // Public buyers hold no state: a branch may bring them in (a social-procurement reform).
  if (starts_with(key, "public_buyers.") && key != "public_buyers.enabled" &&
      !branch.public_buyers.enabled)
    return std::string("public buyers are off in this branch");
  const std::string prefix = "platforms[";
  const auto coop = key.find("].cooperative.");
  if (starts_with(key, prefix.c_str()) && coop != std::string::npos) {
    const std::size_t index = std::stoul(key.substr(prefix.size(), coop - prefix.size()));
    if (index < run.platforms.size() && !run.platforms[index].cooperative.enabled)
      return "platform '" + run.platforms[index].name + "' is not a cooperative in this run";
  }
  return std::nullopt;
}

}  // namespace

BranchPlan plan_branch(const ScenarioSpec& before, const ScenarioSpec& after,
                       std::uint32_t branch_step) {
  BranchPlan plan;
  plan.opens_umbrella_coop = !before.umbrella_coop.enabled && after.umbrella_coop.enabled;
  const auto a = scenario::flatten(before);
  const auto b = scenario::flatten(after);
  std::map<std::string, std::string> old_values(a.begin(), a.end());
  for (const auto& [key, value] : b) {
    const auto it = old_values.find(key);
    const std::string old = it == old_values.end() ? "(absent)" : it->second;
    if (old == value) continue;
    if (const auto why = refusal(key, plan.opens_umbrella_coop))
      throw scenario::ScenarioError("--set", 1, 1, key, "cannot change in a branch: " + *why);
    if (const auto why = switched_off(key, before, after))
      throw scenario::ScenarioError("--set", 1, 1, key,
                                    "would have no effect in this branch: " + *why);
    plan.changed.push_back(key + ": " + old + " -> " + value);
  }
  if (after.run.weeks < branch_step)
    throw scenario::ScenarioError("--set", 1, 1, "run.weeks",
                                  "the branch starts at week " + std::to_string(branch_step) +
                                      "; run.weeks must be at least that");
  return plan;
}

}  // namespace gigsim::cli
