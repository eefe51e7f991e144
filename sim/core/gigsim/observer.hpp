// How results leave the engine: an observer interface called once at the start, after every step,
// after every month and at the end. Writers (HDF5, summary printer) and tests subscribe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/spec.hpp"

namespace gigsim {

// Months are four weeks: 13 months a year, so every month has the same number of weeks and no
// spurious income variation comes from 4- vs 5-week months. "12 months" is 48 weeks.
inline constexpr int kWeeksPerMonth = 4;
inline constexpr int kHistoryMonths = 12;
inline constexpr int kWeeksPerYear = 13 * kWeeksPerMonth;  // 52

// Who paid for a worker's most recent training.
enum class TrainingPayer : std::uint8_t {
  none = 0,
  self = 1,
  cooperative = 2,
  employer = 3,
  public_ = 4
};

// Reporting groups (BRIEF.md "Outcome metrics"). Stored as uint8 codes in the output.
// An employee of a WISE or of the employee-sharing pool is an employee first (in that order); a
// worker in both cooperatives counts as an umbrella member (coop_member).
enum class WorkerGroup : std::uint8_t {
  platform_only = 0,         // on investor-owned platforms only
  coop_member = 1,           // umbrella cooperative member
  platform_coop_member = 2,  // registered on a platform cooperative, not an umbrella member
  pooled_worker = 3,         // employed by the employee-sharing pool (whatever else it is)
  wise_employee = 4,         // supported employee of a WISE (whatever else it is)
};
inline constexpr int kGroupCount = 5;
std::string_view group_name(WorkerGroup g);
std::string_view payer_name(TrainingPayer p);

// Market-wide totals of one step. Money flows are integer cents and satisfy, every step,
//   client_paid = worker_net_pay + platform_commission + coop_fee_retained
//               + training_fund_spent + platform_coop_costs + sharing_training_spent
//               + wise_supervision_costs + wise_training_spent
//               - sharing_charges - wise_sales - wise_contracts - wise_subsidy
//               + delta(escrow + guarantee_fund + training_fund + salary_accounts
//                       + platform_coop_balance + sharing_fund_balance + wise_capital)
// (Conservation.*, PlatformCoop.*, EmployeeSharing.* and Wise.* in tests/core check it to the
// cent).
struct StepTotals {
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
  std::int64_t public_training_spent = 0;  // course costs paid by the public training subsidy
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
  // sickness and the mutual sickness pool (flows in cents this step, balance at end of step)
  std::int64_t workers_sick = 0;
  std::int64_t sickness_pool_members = 0;
  std::int64_t sickness_pool_contributions = 0;
  std::int64_t sickness_pool_benefits = 0;
  std::int64_t sickness_pool_claims_unpaid = 0;  // benefit due but not paid: pots ran short
  std::int64_t sickness_pool_balance = 0;
  // unemployment insurance for the self-employed (month ends; like the sickness pool, between
  // workers and a fund, outside client money): ui_fund_balance changes by contributions - benefits
  std::int64_t ui_contributions = 0;
  std::int64_t ui_benefits = 0;
  std::int64_t ui_recipients = 0;  // workers topped up this month
  std::int64_t ui_fund_balance = 0;
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
  // employee-sharing pool (flows in cents this step, balance at end of step). Its wages are part
  // of worker_net_pay; what the employers pay comes from outside the client market.
  std::int64_t pooled_workers = 0;
  double sharing_demand_hours = 0;   // hours the member employers needed this week
  double sharing_hours_used = 0;     // hours of pooled workers they used (demand vs. contracts)
  std::int64_t sharing_charges = 0;  // what the employers paid the pool
  std::int64_t sharing_wages = 0;    // wages the pool paid
  std::int64_t sharing_wages_unpaid = 0;    // wages due but not paid: the fund ran short
  std::int64_t sharing_training_spent = 0;  // course costs the pool paid (payer: employer)
  std::int64_t sharing_fund_balance = 0;
  // work-integrating social enterprises and public buyers (flows in cents this step, stocks at
  // end of step). Wages are part of worker_net_pay; sales, reserved contracts and the wage
  // subsidy come from outside the client market, supervision costs leave the model.
  std::int64_t wise_open = 0;               // WISEs still trading
  std::int64_t wise_employees = 0;          // supported employees during the week
  double wise_hours = 0;                    // hours the healthy employees worked
  std::int64_t wise_hires = 0;              // employees hired at the end of the week
  std::int64_t wise_transitions = 0;        // employees who moved on to the open market
  std::int64_t wise_closures = 0;           // WISEs that closed this week
  std::int64_t wise_released = 0;           // employees who lost their job in a closure
  std::int64_t wise_sales = 0;              // paid by private buyers
  std::int64_t wise_contracts = 0;          // paid by public buyers on reserved contracts
  std::int64_t procurement_reserved = 0;    // reserved budget offered to WISEs this week
  std::int64_t wise_subsidy = 0;            // public wage subsidy
  std::int64_t wise_wages = 0;              // wages paid
  std::int64_t wise_wages_unpaid = 0;       // wages due but not paid: capital ran short
  std::int64_t wise_supervision_costs = 0;  // supervision paid
  std::int64_t wise_training_spent = 0;     // course costs paid (payer: employer)
  std::int64_t wise_capital = 0;            // capital of all WISEs, open or closed
  // the intermediary node: workers linked, and what the public pays for it (outside the accounts
  // above, like the public training subsidy)
  std::int64_t node_linked = 0;
  std::int64_t node_cost = 0;  // cents
};

// A column of StepTotals for generic writers: name, unit and an accessor. No lookup by string
// inside the engine; this table exists only so writers can iterate the columns.
struct StepColumn {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  bool is_integer;
  std::int64_t StepTotals::*int_field;
  double StepTotals::*real_field;
};
std::span<const StepColumn> step_columns();

// Start of a run: what a writer needs to lay out its file.
struct RunInfo {
  std::uint64_t seed = 0;
  int threads = 1;
  std::uint32_t workers = 0;
  std::uint32_t weeks = 0;
  std::uint32_t months = 0;                  // complete 4-week months in the run
  std::vector<std::uint32_t> panel_workers;  // worker ids in the monthly panel, ascending
  std::vector<std::string> platform_names;
  std::vector<std::string> sector_names;
};

// One month of the per-worker panel, for the panel workers in RunInfo order.
struct PanelMonth {
  std::uint32_t month = 0;
  std::vector<float> net_income;             // EUR in the month (cash basis)
  std::vector<float> paid_hours;             // hours in the month
  std::vector<float> unpaid_hours;           // hours in the month
  std::vector<float> training_hours;         // hours in the month
  std::vector<std::uint8_t> trained;         // 1 if in training at any week of the month
  std::vector<std::uint8_t> training_payer;  // TrainingPayer of the latest course
  std::vector<float> skill;              // skill in the worker's best sector, 0..1, end of month
  std::vector<float> cash;               // EUR, end of month
  std::vector<std::uint8_t> group;       // WorkerGroup
  std::vector<std::uint16_t> platforms;  // bitmask of registered platforms
};

// Per-worker outcome metrics over the last 12 months (BRIEF.md "Outcome metrics").
struct WorkerSummaries {
  double poverty_line = 0;            // EUR/month: 60% of the median worker's mean monthly income
  std::uint32_t months_observed = 0;  // months in the window (<= 12)
  std::vector<float> mean_monthly_income;  // EUR
  std::vector<float> income_cv;  // sd/mean of monthly income (population sd); NaN if mean <= 0
  std::vector<std::uint8_t> dip_months;    // months > 25% below own 12-month mean
  std::vector<std::uint8_t> large_swings;  // month-to-month changes above 30%
  std::vector<std::uint8_t> months_below_poverty;
  std::vector<std::uint8_t> trained_last_12m;  // 0/1
  std::vector<float> training_hours_12m;       // hours
  std::vector<std::uint8_t> training_payer;    // TrainingPayer of the latest course
  std::vector<std::uint8_t> group;             // WorkerGroup
  std::vector<float> distance;                 // from the labour market at the end, 0..1
};

// Group means of the summaries, with 95% intervals across workers (normal approximation).
struct GroupSummary {
  WorkerGroup group;
  std::uint32_t workers = 0;
  struct Stat {
    double mean = 0;
    double ci95 = 0;  // half-width
  };
  Stat mean_monthly_income, income_cv, dip_months, large_swings, months_below_poverty,
      trained_last_12m;
};
std::vector<GroupSummary> summarize_groups(const WorkerSummaries& s);

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_start(const RunInfo&) {}
  virtual void on_step(const StepTotals&) {}
  virtual void on_month(const PanelMonth&) {}
  virtual void on_end(const WorkerSummaries&) {}
};

}  // namespace gigsim
