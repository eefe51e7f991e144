// Work-integrating social enterprises and public buyers with reserved contracts (docs/ODD.md
// "WISE", "Public buyers").
#pragma once

#include <cstdint>
#include <string>

namespace gigsim {

inline constexpr std::uint32_t kMaxWises = 1000;  // a worker's WISE is stored in 16 bits

// Work-integrating social enterprises ([ASFGotland]): `count` identical enterprises, each
// with `supervisors` supervisors who can each support `places_per_supervisor` employees. They hire
// workers far from the labour market (distance >= min_distance) on contracts of hours_per_week,
// sell what their employees produce (value_per_hour times the employee's skill in the WISE's
// sector) to reserved public contracts first and to private buyers up to their demand, receive a
// public wage subsidy, and pay wages and supervision from their capital. Supported employment
// lowers an employee's distance each healthy week; once below min_distance the employee moves to
// the open market with a weekly probability. A WISE that cannot pay its wages and supervision in
// full for insolvency_weeks weeks in a row closes and releases its employees.
struct WiseSpec {
  bool enabled = false;
  std::uint32_t count = 4;                    // enterprises
  std::string sector;                         // the sector they work in (a sector's name)
  std::uint32_t supervisors = 2;              // per WISE
  std::uint32_t places_per_supervisor = 5;    // supported employees one supervisor can take
  double min_distance = 0.5;                  // distance from the labour market to be eligible
  double hours_per_week = 30;                 // hours/week of a supported employee's contract
  double hourly_wage = 12;                    // EUR per contract hour
  double wage_subsidy_share = 0.5;            // share of the wages due paid by the state
  double value_per_hour = 25;                 // EUR of output per hour at skill 1
  double sales_per_week = 1'500;              // EUR/week private buyers want from one WISE, mean
  double sales_cv = 0.4;                      // coefficient of variation of a week's private sales
  double supervision_cost_per_week = 800;     // EUR per supervisor and week
  double initial_capital = 15'000;            // EUR per WISE
  double distance_reduction_per_week = 0.01;  // supported employment: distance falls per week
  double transition_rate = 0.05;              // weekly chance a job-ready employee moves on
  double training_cost_share = 1.0;           // share of an employee's course the WISE pays
  std::uint32_t insolvency_weeks = 8;         // weeks of unpaid bills before a WISE closes
};

// Public buyers with social procurement ([NIA]; [Dir2014-24] art. 20): of their
// weekly purchases, reserved_share is reserved for WISEs whose staff are at least
// min_disadvantaged_share supported employees, split equally among them and capped by what each
// produces; what they cannot deliver is not spent.
struct PublicBuyersSpec {
  bool enabled = false;
  double purchases_per_week = 100'000;   // EUR/week of public purchases in the region
  double reserved_share = 0.02;          // share reserved for WISEs (policy lever)
  double min_disadvantaged_share = 0.3;  // art. 20: at least 30% of the staff disadvantaged
};

}  // namespace gigsim
