// The engine's totals of a step (the first block of the step record). While mechanisms are
// ported out of the engine, their totals still sit here; each port moves its fields to the
// mechanism's own totals struct.
#pragma once

#include <cstdint>
#include <span>

#include "gigsim/totals.hpp"

namespace gigsim {

// Flows are cents this step, stocks cents at the end of the step; docs/ODD.md "Conservation"
// gives the identities their roles satisfy.
struct CoreTotals {
  std::int64_t step = 0;
  // flows, cents this step
  std::int64_t client_paid = 0;          // what clients paid for completed tasks
  std::int64_t worker_net_pay = 0;       // what workers received (platform payouts + coop payments)
  std::int64_t platform_commission = 0;  // commissions kept by platforms
  std::int64_t coop_fee_retained = 0;    // cooperative fee kept for operations
  std::int64_t training_fund_spent = 0;  // course costs paid by the cooperative training fund
  std::int64_t defaults_absorbed = 0;    // defaulted pay the guarantee fund paid members
  std::int64_t defaults_lost = 0;        // defaulted pay platform-only workers lost (gross)
  std::int64_t worker_training_spent = 0;  // course costs paid by workers themselves
  // stocks, cents at end of step
  std::int64_t escrow_balance = 0;  // completed work not yet paid out
  std::int64_t guarantee_fund_balance = 0;
  std::int64_t training_fund_balance = 0;
  std::int64_t salary_accounts_balance = 0;  // members' averaged-salary accounts at the cooperative
  // activity
  std::int64_t tasks_completed = 0;
  std::int64_t tasks_defaulted = 0;
  std::int64_t tasks_declined = 0;  // tasks offered to workers with no hours left (lost demand)
  double paid_hours = 0;            // hours
  double unpaid_hours = 0;          // hours of unpaid search
  double training_hours = 0;        // hours
  std::int64_t workers_in_training = 0;
  std::int64_t training_starts = 0;
  std::int64_t workers_with_work = 0;  // workers with at least one task this step
  std::int64_t coop_members = 0;
  std::int64_t coop_joins = 0;   // workers who joined the umbrella cooperative at this month end
  std::int64_t coop_leaves = 0;  // members who left it
  std::int64_t platform_registrations = 0;  // sum over platforms of registered workers
  std::int64_t deactivations = 0;           // registrations ended for a low rating this step
  // absence (sickness)
  std::int64_t workers_sick = 0;
  // platform cooperatives (flows in cents this step, balance at end of step). Their fees are not
  // platform_commission; their training funds' spending is part of training_fund_spent and their
  // dividends part of worker_net_pay.
  std::int64_t platform_coop_members = 0;         // workers registered on a platform cooperative
  std::int64_t platform_coop_fees = 0;            // fees the platform cooperatives took
  std::int64_t platform_coop_costs = 0;           // their running costs
  std::int64_t platform_coop_dividends = 0;       // patronage dividends paid to members
  std::int64_t platform_coop_training_spent = 0;  // course costs their training funds paid
  std::int64_t platform_coop_balance = 0;  // operating accounts plus training funds, end of step
  double platform_coop_levy = 0;  // first platform cooperative's levy at the end of the week

  static std::span<const TotalsField<CoreTotals>> fields();
};

}  // namespace gigsim
