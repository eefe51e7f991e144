#include "gigsim/observer.hpp"

#include <algorithm>
#include <cmath>

namespace gigsim {

std::string_view group_name(WorkerGroup g) {
  switch (g) {
    case WorkerGroup::platform_only:
      return "platform_only";
    case WorkerGroup::coop_member:
      return "coop_member";
    case WorkerGroup::platform_coop_member:
      return "platform_coop_member";
    case WorkerGroup::pooled_worker:
      return "pooled_worker";
    case WorkerGroup::wise_employee:
      return "wise_employee";
  }
  return "unknown";
}

std::string_view payer_name(TrainingPayer p) {
  switch (p) {
    case TrainingPayer::none:
      return "none";
    case TrainingPayer::self:
      return "self";
    case TrainingPayer::cooperative:
      return "cooperative";
    case TrainingPayer::employer:
      return "employer";
    case TrainingPayer::public_:
      return "public";
  }
  return "unknown";
}

namespace {
constexpr StepColumn int_col(std::string_view name, std::string_view unit, std::string_view desc,
                             std::int64_t StepTotals::*f) {
  return {name, unit, desc, true, f, nullptr};
}
constexpr StepColumn real_col(std::string_view name, std::string_view unit, std::string_view desc,
                              double StepTotals::*f) {
  return {name, unit, desc, false, nullptr, f};
}

const StepColumn kColumns[] = {
    int_col("step", "week", "step index, 0-based", &StepTotals::step),
    int_col("client_paid", "EUR cents", "what clients paid for completed tasks",
            &StepTotals::client_paid),
    int_col("worker_net_pay", "EUR cents", "what workers received", &StepTotals::worker_net_pay),
    int_col("platform_commission", "EUR cents", "commissions kept by platforms",
            &StepTotals::platform_commission),
    int_col("coop_fee_retained", "EUR cents", "cooperative fee kept for operations",
            &StepTotals::coop_fee_retained),
    int_col("training_fund_spent", "EUR cents", "course costs paid by cooperative training funds",
            &StepTotals::training_fund_spent),
    int_col("defaults_absorbed", "EUR cents", "defaulted pay the guarantee fund paid members",
            &StepTotals::defaults_absorbed),
    int_col("defaults_lost", "EUR cents", "defaulted gross pay lost by platform-only workers",
            &StepTotals::defaults_lost),
    int_col("worker_training_spent", "EUR cents", "course costs paid by workers",
            &StepTotals::worker_training_spent),
    int_col("public_training_spent", "EUR cents",
            "course costs paid by the public training subsidy", &StepTotals::public_training_spent),
    int_col("escrow_balance", "EUR cents", "completed work not yet paid out, end of step",
            &StepTotals::escrow_balance),
    int_col("guarantee_fund_balance", "EUR cents", "guarantee fund, end of step",
            &StepTotals::guarantee_fund_balance),
    int_col("training_fund_balance", "EUR cents", "training fund, end of step",
            &StepTotals::training_fund_balance),
    int_col("salary_accounts_balance", "EUR cents",
            "members' averaged-salary accounts at the cooperative, end of step",
            &StepTotals::salary_accounts_balance),
    int_col("tasks_completed", "tasks", "tasks completed", &StepTotals::tasks_completed),
    int_col("tasks_defaulted", "tasks", "completed tasks whose client did not pay",
            &StepTotals::tasks_defaulted),
    int_col("tasks_declined", "tasks", "tasks offered to workers with no hours left",
            &StepTotals::tasks_declined),
    real_col("paid_hours", "hours/week", "paid hours worked", &StepTotals::paid_hours),
    real_col("unpaid_hours", "hours/week", "unpaid search hours", &StepTotals::unpaid_hours),
    real_col("training_hours", "hours/week", "hours in training", &StepTotals::training_hours),
    int_col("workers_in_training", "workers", "workers in a course",
            &StepTotals::workers_in_training),
    int_col("training_starts", "workers", "courses started", &StepTotals::training_starts),
    int_col("workers_with_work", "workers", "workers with at least one task",
            &StepTotals::workers_with_work),
    int_col("coop_members", "workers", "umbrella cooperative members", &StepTotals::coop_members),
    int_col("platform_registrations", "registrations", "sum over platforms of registered workers",
            &StepTotals::platform_registrations),
    int_col("deactivations", "registrations",
            "registrations ended for a rating below the threshold", &StepTotals::deactivations),
    int_col("workers_sick", "workers", "workers sick this week", &StepTotals::workers_sick),
    int_col("sickness_pool_members", "workers", "mutual sickness pool members",
            &StepTotals::sickness_pool_members),
    int_col("sickness_pool_contributions", "EUR cents", "members' contributions to the pots",
            &StepTotals::sickness_pool_contributions),
    int_col("sickness_pool_benefits", "EUR cents", "benefits the pots paid sick members",
            &StepTotals::sickness_pool_benefits),
    int_col("sickness_pool_claims_unpaid", "EUR cents",
            "benefits due but not paid because a pot ran short",
            &StepTotals::sickness_pool_claims_unpaid),
    int_col("sickness_pool_balance", "EUR cents", "sum of the pots, end of step",
            &StepTotals::sickness_pool_balance),
    int_col("platform_coop_members", "workers", "workers registered on a platform cooperative",
            &StepTotals::platform_coop_members),
    int_col("platform_coop_fees", "EUR cents", "fees the platform cooperatives took",
            &StepTotals::platform_coop_fees),
    int_col("platform_coop_costs", "EUR cents", "running costs of the platform cooperatives",
            &StepTotals::platform_coop_costs),
    int_col("platform_coop_dividends", "EUR cents",
            "patronage dividends the platform cooperatives paid (part of worker_net_pay)",
            &StepTotals::platform_coop_dividends),
    int_col("platform_coop_training_spent", "EUR cents",
            "course costs the platform cooperatives' training funds paid (part of "
            "training_fund_spent)",
            &StepTotals::platform_coop_training_spent),
    int_col("platform_coop_balance", "EUR cents",
            "platform cooperatives' operating accounts and training funds, end of step",
            &StepTotals::platform_coop_balance),
    real_col("platform_coop_levy", "share of gross price",
             "training levy of the first platform cooperative at the end of the week (a year-end "
             "week shows the levy just voted for the next year)",
             &StepTotals::platform_coop_levy),
    int_col("pooled_workers", "workers", "workers employed by the employee-sharing pool",
            &StepTotals::pooled_workers),
    real_col("sharing_demand_hours", "hours/week",
             "hours the pool's member employers needed this week",
             &StepTotals::sharing_demand_hours),
    real_col("sharing_hours_used", "hours/week",
             "hours of pooled workers the employers used: the smaller of need and contract hours",
             &StepTotals::sharing_hours_used),
    int_col("sharing_charges", "EUR cents", "what the employers paid the pool for hours used",
            &StepTotals::sharing_charges),
    int_col("sharing_wages", "EUR cents", "wages the pool paid (part of worker_net_pay)",
            &StepTotals::sharing_wages),
    int_col("sharing_wages_unpaid", "EUR cents",
            "wages due but not paid because the fund ran short", &StepTotals::sharing_wages_unpaid),
    int_col("sharing_training_spent", "EUR cents",
            "course costs the pool paid for its workers (payer: employer)",
            &StepTotals::sharing_training_spent),
    int_col("sharing_fund_balance", "EUR cents", "the pool's fund, end of step",
            &StepTotals::sharing_fund_balance),
    int_col("wise_open", "WISEs", "work-integrating social enterprises still trading",
            &StepTotals::wise_open),
    int_col("wise_employees", "workers", "supported employees of the WISEs during the week",
            &StepTotals::wise_employees),
    real_col("wise_hours", "hours/week", "hours the healthy supported employees worked",
             &StepTotals::wise_hours),
    int_col("wise_hires", "workers", "supported employees hired at the end of the week",
            &StepTotals::wise_hires),
    int_col("wise_transitions", "workers", "supported employees who moved on to the open market",
            &StepTotals::wise_transitions),
    int_col("wise_closures", "WISEs", "WISEs that closed this week (insolvent)",
            &StepTotals::wise_closures),
    int_col("wise_released", "workers", "supported employees who lost their job in a closure",
            &StepTotals::wise_released),
    int_col("wise_sales", "EUR cents", "what private buyers paid the WISEs",
            &StepTotals::wise_sales),
    int_col("wise_contracts", "EUR cents",
            "what public buyers paid the WISEs on reserved contracts", &StepTotals::wise_contracts),
    int_col("procurement_reserved", "EUR cents",
            "public purchases reserved for WISEs this week (what they could not deliver is not "
            "spent)",
            &StepTotals::procurement_reserved),
    int_col("wise_subsidy", "EUR cents", "public wage subsidy paid to the WISEs",
            &StepTotals::wise_subsidy),
    int_col("wise_wages", "EUR cents", "wages the WISEs paid (part of worker_net_pay)",
            &StepTotals::wise_wages),
    int_col("wise_wages_unpaid", "EUR cents", "wages due but not paid because capital ran short",
            &StepTotals::wise_wages_unpaid),
    int_col("wise_supervision_costs", "EUR cents", "supervision the WISEs paid",
            &StepTotals::wise_supervision_costs),
    int_col("wise_training_spent", "EUR cents",
            "course costs the WISEs paid for their employees (payer: employer)",
            &StepTotals::wise_training_spent),
    int_col("wise_capital", "EUR cents", "capital of all WISEs, open or closed, end of step",
            &StepTotals::wise_capital),
    int_col("ui_contributions", "EUR cents",
            "contributions to the self-employed's unemployment insurance (month ends)",
            &StepTotals::ui_contributions),
    int_col("ui_benefits", "EUR cents", "its benefits, topping up months of income shortfall",
            &StepTotals::ui_benefits),
    int_col("ui_recipients", "workers", "workers it topped up this month",
            &StepTotals::ui_recipients),
    int_col("ui_fund_balance", "EUR cents",
            "its fund, end of step (may be negative: the state backs it)",
            &StepTotals::ui_fund_balance),
    int_col("coop_joins", "workers",
            "workers who joined the umbrella cooperative at this month end (membership decisions)",
            &StepTotals::coop_joins),
    int_col("coop_leaves", "workers", "members who left the umbrella cooperative at this month end",
            &StepTotals::coop_leaves),
    int_col("node_linked", "workers", "workers linked to the intermediary node",
            &StepTotals::node_linked),
    int_col("node_cost", "EUR cents", "what the public paid for the intermediary node this week",
            &StepTotals::node_cost),
};
}  // namespace

std::span<const StepColumn> step_columns() {
  return kColumns;
}

std::vector<GroupSummary> summarize_groups(const WorkerSummaries& s) {
  // Fixed iteration order over workers: results do not depend on threads.
  struct Acc {
    double n = 0, sum = 0, sum_sq = 0;
    void add(double x) {
      n += 1;
      sum += x;
      sum_sq += x * x;
    }
    GroupSummary::Stat stat() const {
      if (n == 0) return {};
      const double mean = sum / n;
      const double var = n > 1 ? std::max(0.0, (sum_sq - n * mean * mean) / (n - 1)) : 0.0;
      return {mean, 1.96 * std::sqrt(var / n)};
    }
  };
  struct GroupAcc {
    std::uint32_t workers = 0;
    Acc income, cv, dips, swings, poverty, trained;
  };
  std::vector<GroupAcc> acc(kGroupCount);
  for (std::size_t i = 0; i < s.group.size(); ++i) {
    GroupAcc& a = acc.at(s.group[i]);
    ++a.workers;
    a.income.add(s.mean_monthly_income[i]);
    if (!std::isnan(s.income_cv[i])) a.cv.add(s.income_cv[i]);
    a.dips.add(s.dip_months[i]);
    a.swings.add(s.large_swings[i]);
    a.poverty.add(s.months_below_poverty[i]);
    a.trained.add(s.trained_last_12m[i]);
  }
  std::vector<GroupSummary> out;
  for (int g = 0; g < kGroupCount; ++g) {
    const GroupAcc& a = acc[static_cast<std::size_t>(g)];
    GroupSummary gs{};
    gs.group = static_cast<WorkerGroup>(g);
    gs.workers = a.workers;
    gs.mean_monthly_income = a.income.stat();
    gs.income_cv = a.cv.stat();
    gs.dip_months = a.dips.stat();
    gs.large_swings = a.swings.stat();
    gs.months_below_poverty = a.poverty.stat();
    gs.trained_last_12m = a.trained.stat();
    out.push_back(gs);
  }
  return out;
}

}  // namespace gigsim
