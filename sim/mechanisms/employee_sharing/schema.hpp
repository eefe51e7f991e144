// The parameters of the employee-sharing pool, with units, ranges and sources.
#pragma once

#include "employee_sharing/spec.hpp"
#include "gigsim/meta.hpp"

namespace gigsim {

template <class V>
void describe(V& v, EmployeeSharingSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "an employee-sharing pool: member employers jointly employ workers on "
                      "continuous contracts and share them",
               .source = "[SIV], [Eurofound2015]: employers jointly employ and share workers "
                         "on continuous contracts"});
  v.field("initial_worker_share", s.initial_worker_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers the pool employs at the start",
               .source = "assumption: 4% of the workers (400 of 10,000), the contract hours "
                         "the employers need"});
  v.field("employers", s.employers,
          Meta{.unit = "employers",
               .min = 1,
               .max = 1e6,
               .doc = "member employers sharing the pool's workers",
               .source = "assumption: 100 small employers in the pool"});
  v.field("demand_hours_mean", s.demand_hours_mean,
          Meta{.unit = "hours/week",
               .min = 0,
               .doc = "mean hours one employer needs from the pool each week",
               .source = "assumption: 80 hours a week per employer, 8,000 in all, the "
                         "contracts of the pooled workers"});
  v.field("demand_cv", s.demand_cv,
          Meta{.unit = "coefficient of variation",
               .min = 0,
               .max = 5,
               .doc = "spread of an employer's weekly need (gamma distributed, independent across "
                      "employers and weeks): the fluctuation sharing pools",
               .source = "assumption: an employer's weekly need varies by half its mean, the "
                         "fluctuation pooling smooths"});
  v.field("contract_hours", s.contract_hours,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 80,
               .doc = "hours of a pooled worker's continuous contract, taken from its hours budget",
               .source = "assumption: a half-time continuous contract of 20 hours"});
  v.field("hourly_wage", s.hourly_wage,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .max = 1e6,
               .doc = "wage per contract hour, paid every week whatever the employers use, also "
                      "while sick",
               .source = "[SIV]: continuous contracts instead of casual gigs; EUR 14 an hour "
                         "an assumption near a low collective-agreement wage"});
  v.field("charge_per_hour", s.charge_per_hour,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .max = 1e6,
               .doc = "what the employers pay the pool per hour they use",
               .source = "assumption: the wage plus about 20% for the pool's costs"});
  v.field("initial_fund", s.initial_fund,
          Meta{.unit = "EUR",
               .min = 0,
               .max = 1e12,
               .doc = "the pool's fund at the start (the members' capital)",
               .source = "assumption: the members' starting capital, a buffer of a few days of "
                         "wages"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of a pooled worker's course the pool pays, as its employer, while the "
                      "fund holds enough",
               .source = "[EWCS2010]: employees' training is mostly paid by the employer; the "
                         "pool pays all"});
}

}  // namespace gigsim
