// The parameters of the WISEs and of the public buyers, with units, ranges and sources.
#pragma once

#include <string>

#include "gigsim/meta.hpp"
#include "wise/spec.hpp"

namespace gigsim {

template <class V>
void describe(V& v, WiseSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "work-integrating social enterprises: supported employment for workers far "
                      "from the labour market",
               .source = "[ASFGotland]: work-integrating social enterprises owned by people "
                         "furthest from the labour market"});
  v.field("count", s.count,
          Meta{.unit = "WISEs",
               .min = 1,
               .max = kMaxWises,
               .doc = "enterprises (identical)",
               .source = "assumption: 4 small enterprises in the region"});
  v.field("sector", s.sector,
          Meta{.doc = "name of the sector the WISEs work in; supported hours are practice there",
               .source = "scenario choice"});
  v.field("supervisors", s.supervisors,
          Meta{.unit = "supervisors",
               .min = 1,
               .max = 1000,
               .doc = "supervisors per WISE",
               .source = "[ASFGotland]: WISEs employ managers and supervisors (handledare); 2 "
                         "each an assumption"});
  v.field("places_per_supervisor", s.places_per_supervisor,
          Meta{.unit = "employees",
               .min = 1,
               .max = 1000,
               .doc = "supported employees one supervisor can take: supervision capacity",
               .source = "assumption: one supervisor for 5 supported employees"});
  v.field("min_distance", s.min_distance,
          Meta{.unit = "distance",
               .min = 0,
               .max = 1,
               .doc = "distance from the labour market at which a worker is eligible; an employee "
                      "below it is job-ready and may move on",
               .source = "assumption: half-way (0.5) on the 0..1 distance scale, the lowest "
                         "starting distance of far workers"});
  v.field("hours_per_week", s.hours_per_week,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 80,
               .doc = "contract hours of a supported employee (fewer for a worker whose hours "
                      "budget is smaller), taken from its hours budget",
               .source = "assumption: 30 hours a week of supported employment"});
  v.field("hourly_wage", s.hourly_wage,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .max = 1e6,
               .doc = "wage per contract hour, paid every week, also while sick",
               .source = "assumption: EUR 12 an hour, a collective-agreement wage at the low "
                         "end"});
  v.field("wage_subsidy_share", s.wage_subsidy_share,
          Meta{.unit = "share of wages due",
               .min = 0,
               .max = 1,
               .doc = "public wage subsidy for supported employees (policy lever)",
               .source = "[Lonebidrag] covers up to about 80% of the wage; 50% a scenario "
                         "choice"});
  v.field("value_per_hour", s.value_per_hour,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .max = 1e6,
               .doc = "output per supported hour at skill 1 (times the employee's skill in the "
                      "sector)",
               .source = "assumption: EUR 25 of output an hour at full skill"});
  v.field("sales_per_week", s.sales_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .max = 1e9,
               .doc = "mean of what private buyers want from one WISE a week",
               .source = "assumption: EUR 1,500 a week of private orders for a small enterprise"});
  v.field("sales_cv", s.sales_cv,
          Meta{.unit = "coefficient of variation",
               .min = 0,
               .max = 5,
               .doc = "spread of a week's private demand (gamma, independent across WISEs and "
                      "weeks)",
               .source = "assumption: weekly private orders vary by 40%"});
  v.field("supervision_cost_per_week", s.supervision_cost_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .max = 1e9,
               .doc = "cost of one supervisor a week (wage and overhead)",
               .source = "assumption: EUR 800 a week for a supervisor's wage and overhead"});
  v.field("initial_capital", s.initial_capital,
          Meta{.unit = "EUR",
               .min = 0,
               .max = 1e12,
               .doc = "capital of each WISE at the start",
               .source = "assumption: EUR 15,000, about three weeks of the default wage and "
                         "supervision costs"});
  v.field("distance_reduction_per_week", s.distance_reduction_per_week,
          Meta{.unit = "distance/week",
               .min = 0,
               .max = 1,
               .doc = "fall in an employee's distance from the labour market per healthy week of "
                      "supported employment",
               .source = "[ASFGotland]: WISEs bring people furthest from the labour market "
                         "into it; 0.01 a week (about 0.5 a year) an assumption"});
  v.field("transition_rate", s.transition_rate,
          Meta{.unit = "per week",
               .min = 0,
               .max = 1,
               .doc = "weekly chance that a job-ready employee moves on to the open market",
               .source = "assumption: a job-ready employee moves on within about 20 weeks"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of an employee's course the WISE pays, as employer, while its capital "
                      "holds enough",
               .source = "[EWCS2010]: employees' training is mostly paid by the employer; the "
                         "WISE pays all"});
  v.field(
      "insolvency_weeks", s.insolvency_weeks,
      Meta{.unit = "weeks",
           .min = 1,
           .max = 520,
           .doc = "weeks in a row with wages or supervision not paid in full after which a WISE "
                  "closes (business viability)",
           .source = "assumption: 8 weeks of unpaid bills close a WISE"});
}

template <class V>
void describe(V& v, PublicBuyersSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "public buyers that reserve part of their purchases for WISEs",
               .source = "[NIA]: social procurement; [Dir2014-24] art. 20: reserved contracts"});
  v.field("purchases_per_week", s.purchases_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .max = 1e12,
               .doc = "public purchases in the region the WISEs could serve",
               .source = "assumption: EUR 100,000 a week of regional public purchases the "
                         "WISEs could serve"});
  v.field("reserved_share", s.reserved_share,
          Meta{.unit = "share of purchases",
               .min = 0,
               .max = 1,
               .doc = "share reserved for WISEs: the minimum share of social procurement (policy "
                      "lever)",
               .source = "[NIA], [Dir2014-24]: reserved contracts as a policy lever; 2% a "
                         "scenario choice"});
  v.field("min_disadvantaged_share", s.min_disadvantaged_share,
          Meta{.unit = "share of staff",
               .min = 0,
               .max = 1,
               .doc = "share of a WISE's staff (employees and supervisors) who must be supported "
                      "employees for it to bid",
               .source = "[Dir2014-24] art. 20: at least 30% of the staff"});
}

// What the WISEs and the public buyers need of the rest of the scenario (checked after every
// field; paths from the scenario's root).
template <class V, class Scenario>
void requirements(V& v, const Scenario& s, const WiseSpec& wise) {
  if (!wise.enabled) return;
  bool known = false;
  for (const auto& sec : s.sectors) known = known || sec.name == wise.sector;
  v.check("wise.sector", known, [&] {
    std::string names;
    for (const auto& sec : s.sectors) names += (names.empty() ? "'" : ", '") + sec.name + "'";
    return "'" + wise.sector + "' is not a sector (sectors: " + names + ")";
  });
  v.check("wise.min_distance", wise.min_distance < 1, [] {
    return std::string(
        "distances from the labour market are below 1, so nobody could ever be hired: use a "
        "value below 1");
  });
  v.check("wise.enabled", s.workers.far_from_market_share > 0 || wise.min_distance <= 0, [] {
    return std::string(
        "no worker is far enough from the labour market for a WISE to hire: set "
        "workers.far_from_market_share above 0 (or wise.min_distance to 0)");
  });
}

template <class V, class Scenario>
void requirements(V& v, const Scenario& s, const PublicBuyersSpec& buyers) {
  v.check("public_buyers.enabled", !buyers.enabled || s.wise.enabled, [] {
    return std::string("public buyers reserve contracts for WISEs: set wise.enabled: true as well");
  });
}

}  // namespace gigsim
