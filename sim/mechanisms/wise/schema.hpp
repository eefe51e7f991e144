// The parameters of the WISEs and of the public buyers, with units, ranges and sources.
#pragma once

#include "gigsim/meta.hpp"
#include "wise/spec.hpp"

namespace gigsim {

template <class V>
void describe(V& v, WiseSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "work-integrating social enterprises: supported employment for workers far "
                      "from the labour market",
               .source = "seed 002 (ASF incubator, Gotland: WISEs owned by people furthest from "
                         "the labour market)"});
  v.field("count", s.count,
          Meta{.unit = "WISEs",
               .min = 1,
               .max = kMaxWises,
               .doc = "enterprises (identical)",
               .source = "assumption"});
  v.field("sector", s.sector,
          Meta{.doc = "name of the sector the WISEs work in; supported hours are practice there"});
  v.field("supervisors", s.supervisors,
          Meta{.unit = "supervisors",
               .min = 1,
               .max = 1000,
               .doc = "supervisors per WISE",
               .source = "seed 002: WISEs employ managers and supervisors (handledare)"});
  v.field("places_per_supervisor", s.places_per_supervisor,
          Meta{.unit = "employees",
               .min = 1,
               .max = 1000,
               .doc = "supported employees one supervisor can take: supervision capacity",
               .source = "assumption"});
  v.field("min_distance", s.min_distance,
          Meta{.unit = "distance",
               .min = 0,
               .max = 1,
               .doc = "distance from the labour market at which a worker is eligible; an employee "
                      "below it is job-ready and may move on",
               .source = "assumption"});
  v.field("hours_per_week", s.hours_per_week,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 80,
               .doc = "contract hours of a supported employee (fewer for a worker whose hours "
                      "budget is smaller), taken from its hours budget",
               .source = "assumption"});
  v.field("hourly_wage", s.hourly_wage,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .max = 1e6,
               .doc = "wage per contract hour, paid every week, also while sick",
               .source = "assumption (collective-agreement wage)"});
  v.field("wage_subsidy_share", s.wage_subsidy_share,
          Meta{.unit = "share of wages due",
               .min = 0,
               .max = 1,
               .doc = "public wage subsidy for supported employees (policy lever)",
               .source = "Swedish wage subsidies (lonebidrag) cover up to about 80% of the wage; "
                         "value a scenario choice"});
  v.field("value_per_hour", s.value_per_hour,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .max = 1e6,
               .doc = "output per supported hour at skill 1 (times the employee's skill in the "
                      "sector)",
               .source = "assumption"});
  v.field("sales_per_week", s.sales_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .max = 1e9,
               .doc = "mean of what private buyers want from one WISE a week",
               .source = "assumption"});
  v.field("sales_cv", s.sales_cv,
          Meta{.unit = "coefficient of variation",
               .min = 0,
               .max = 5,
               .doc = "spread of a week's private demand (gamma, independent across WISEs and "
                      "weeks)",
               .source = "assumption"});
  v.field("supervision_cost_per_week", s.supervision_cost_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .max = 1e9,
               .doc = "cost of one supervisor a week (wage and overhead)",
               .source = "assumption"});
  v.field("initial_capital", s.initial_capital,
          Meta{.unit = "EUR",
               .min = 0,
               .max = 1e12,
               .doc = "capital of each WISE at the start",
               .source = "assumption"});
  v.field("distance_reduction_per_week", s.distance_reduction_per_week,
          Meta{.unit = "distance/week",
               .min = 0,
               .max = 1,
               .doc = "fall in an employee's distance from the labour market per healthy week of "
                      "supported employment",
               .source = "seed 002: WISEs bring people furthest from the labour market into it; "
                         "value an assumption"});
  v.field("transition_rate", s.transition_rate,
          Meta{.unit = "per week",
               .min = 0,
               .max = 1,
               .doc = "weekly chance that a job-ready employee moves on to the open market",
               .source = "assumption"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of an employee's course the WISE pays, as employer, while its capital "
                      "holds enough",
               .source = "BRIEF: who pays for training depends on status (employer)"});
  v.field(
      "insolvency_weeks", s.insolvency_weeks,
      Meta{.unit = "weeks",
           .min = 1,
           .max = 520,
           .doc = "weeks in a row with wages or supervision not paid in full after which a WISE "
                  "closes (business viability)",
           .source = "assumption"});
}

template <class V>
void describe(V& v, PublicBuyersSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "public buyers that reserve part of their purchases for WISEs",
               .source = "seed 004 (NIA, Jamtland: social procurement); Directive 2014/24/EU "
                         "art. 20 (reserved contracts)"});
  v.field("purchases_per_week", s.purchases_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .max = 1e12,
               .doc = "public purchases in the region the WISEs could serve",
               .source = "assumption"});
  v.field("reserved_share", s.reserved_share,
          Meta{.unit = "share of purchases",
               .min = 0,
               .max = 1,
               .doc = "share reserved for WISEs: the minimum share of social procurement (policy "
                      "lever)",
               .source = "seed 004; BRIEF: policy levers; value a scenario choice"});
  v.field("min_disadvantaged_share", s.min_disadvantaged_share,
          Meta{.unit = "share of staff",
               .min = 0,
               .max = 1,
               .doc = "share of a WISE's staff (employees and supervisors) who must be supported "
                      "employees for it to bid",
               .source = "Directive 2014/24/EU art. 20: at least 30%"});
}

}  // namespace gigsim
