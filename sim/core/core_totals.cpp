#include "gigsim/core_totals.hpp"

namespace gigsim {

namespace {
using T = CoreTotals;

const TotalsField<T> kFields[] = {
    integer_field<T>("step", "week", "step index, 0-based", Role::count, &T::step),
    integer_field<T>("client_paid", "EUR cents", "what clients paid for completed tasks",
                     Role::inflow, &T::client_paid),
    integer_field<T>("worker_net_pay", "EUR cents", "what workers received", Role::to_workers,
                     &T::worker_net_pay),
    integer_field<T>("platform_commission", "EUR cents", "commissions kept by platforms",
                     Role::outflow, &T::platform_commission),
    integer_field<T>("coop_fee_retained", "EUR cents", "cooperative fee kept for operations",
                     Role::outflow, &T::coop_fee_retained),
    integer_field<T>("training_fund_spent", "EUR cents",
                     "course costs paid by cooperative training funds", Role::outflow,
                     &T::training_fund_spent),
    integer_field<T>("defaults_absorbed", "EUR cents",
                     "defaulted pay the guarantee fund paid members", Role::memo,
                     &T::defaults_absorbed),
    integer_field<T>("defaults_lost", "EUR cents",
                     "defaulted gross pay lost by platform-only workers", Role::memo,
                     &T::defaults_lost),
    integer_field<T>("worker_training_spent", "EUR cents", "course costs paid by workers",
                     Role::worker_spending, &T::worker_training_spent),
    integer_field<T>("escrow_balance", "EUR cents", "completed work not yet paid out, end of step",
                     Role::stock, &T::escrow_balance),
    integer_field<T>("guarantee_fund_balance", "EUR cents", "guarantee fund, end of step",
                     Role::stock, &T::guarantee_fund_balance),
    integer_field<T>("training_fund_balance", "EUR cents", "training fund, end of step",
                     Role::stock, &T::training_fund_balance),
    integer_field<T>("salary_accounts_balance", "EUR cents",
                     "members' averaged-salary accounts at the cooperative, end of step",
                     Role::stock, &T::salary_accounts_balance),
    integer_field<T>("tasks_completed", "tasks", "tasks completed", Role::count,
                     &T::tasks_completed),
    integer_field<T>("tasks_defaulted", "tasks", "completed tasks whose client did not pay",
                     Role::count, &T::tasks_defaulted),
    integer_field<T>("tasks_declined", "tasks", "tasks offered to workers with no hours left",
                     Role::count, &T::tasks_declined),
    real_field<T>("paid_hours", "hours/week", "paid hours worked", Role::measure, &T::paid_hours),
    real_field<T>("unpaid_hours", "hours/week", "unpaid search hours", Role::measure,
                  &T::unpaid_hours),
    real_field<T>("training_hours", "hours/week", "hours in training", Role::measure,
                  &T::training_hours),
    integer_field<T>("workers_in_training", "workers", "workers in a course", Role::count,
                     &T::workers_in_training),
    integer_field<T>("training_starts", "workers", "courses started", Role::count,
                     &T::training_starts),
    integer_field<T>("workers_with_work", "workers", "workers with at least one task", Role::count,
                     &T::workers_with_work),
    integer_field<T>("coop_members", "workers", "umbrella cooperative members", Role::count,
                     &T::coop_members),
    integer_field<T>("platform_registrations", "registrations",
                     "sum over platforms of registered workers", Role::count,
                     &T::platform_registrations),
    integer_field<T>("deactivations", "registrations",
                     "registrations ended for a rating below the threshold", Role::count,
                     &T::deactivations),
    integer_field<T>("workers_sick", "workers", "workers sick this week", Role::count,
                     &T::workers_sick),
    integer_field<T>("platform_coop_members", "workers",
                     "workers registered on a platform cooperative", Role::count,
                     &T::platform_coop_members),
    integer_field<T>("platform_coop_fees", "EUR cents", "fees the platform cooperatives took",
                     Role::memo, &T::platform_coop_fees),
    integer_field<T>("platform_coop_costs", "EUR cents",
                     "running costs of the platform cooperatives", Role::outflow,
                     &T::platform_coop_costs),
    integer_field<T>("platform_coop_dividends", "EUR cents",
                     "patronage dividends the platform cooperatives paid (part of worker_net_pay)",
                     Role::memo, &T::platform_coop_dividends),
    integer_field<T>("platform_coop_training_spent", "EUR cents",
                     "course costs the platform cooperatives' training funds paid (part of "
                     "training_fund_spent)",
                     Role::memo, &T::platform_coop_training_spent),
    integer_field<T>("platform_coop_balance", "EUR cents",
                     "platform cooperatives' operating accounts and training funds, end of step",
                     Role::stock, &T::platform_coop_balance),
    real_field<T>(
        "platform_coop_levy", "share of gross price",
        "training levy of the first platform cooperative at the end of the week (a year-end "
        "week shows the levy just voted for the next year)",
        Role::measure, &T::platform_coop_levy),
    integer_field<T>(
        "coop_joins", "workers",
        "workers who joined the umbrella cooperative at this month end (membership decisions)",
        Role::count, &T::coop_joins),
    integer_field<T>("coop_leaves", "workers",
                     "members who left the umbrella cooperative at this month end", Role::count,
                     &T::coop_leaves),
};
}  // namespace

std::span<const TotalsField<CoreTotals>> CoreTotals::fields() {
  return kFields;
}

}  // namespace gigsim
