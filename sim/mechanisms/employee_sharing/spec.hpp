// The employee-sharing pool (docs/ODD.md "Employee-sharing pool").
#pragma once

#include <cstdint>

namespace gigsim {

// Employee-sharing pool ([SIV]; [Eurofound2015] on strategic employee sharing): member
// employers jointly employ workers on continuous contracts and share them; the pool pays each
// pooled worker a weekly wage for its contract hours whatever the employers need that week,
// charges the employers for the hours they use, and pays part of its workers' courses.
struct EmployeeSharingSpec {
  bool enabled = false;
  double initial_worker_share = 0.04;  // share of workers employed by the pool at start, 0..1
  std::uint32_t employers = 100;       // member employers
  double demand_hours_mean = 80;       // hours/week one employer needs from the pool, mean
  double demand_cv = 0.5;              // coefficient of variation of an employer's weekly need
  double contract_hours = 20;          // hours/week of a pooled worker's contract
  double hourly_wage = 14;             // EUR per contract hour, paid to the worker
  double charge_per_hour = 17;         // EUR per hour used, paid by the employers to the pool
  double initial_fund = 20'000;        // EUR
  double training_cost_share = 1.0;    // share of a pooled worker's course the pool pays
};

}  // namespace gigsim
