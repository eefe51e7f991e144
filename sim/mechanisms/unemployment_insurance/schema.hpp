// The parameters of unemployment insurance, with units, ranges and sources.
#pragma once

#include "gigsim/meta.hpp"
#include "unemployment_insurance/spec.hpp"

namespace gigsim {

template <class V>
void describe(V& v, UnemploymentInsuranceSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "unemployment insurance for the self-employed, as income-loss insurance: "
                      "every worker not employed by the pool or a WISE is covered",
               .source = "[SIV]: the precariat has no unemployment benefit; [Eurofound2024]: "
                         "60% of the EU's self-employed lack cover; a policy lever, off by "
                         "default"});
  v.field("contribution_rate", s.contribution_rate,
          Meta{.unit = "share of monthly income",
               .min = 0,
               .max = 1,
               .doc = "contribution paid on each month's income",
               .source = "assumption: 2% of income, the order of a voluntary insurance "
                         "contribution"});
  v.field("replacement_rate", s.replacement_rate,
          Meta{.unit = "share of the shortfall",
               .min = 0,
               .max = 1,
               .doc = "share of the shortfall below the reference income (the mean of the "
                      "previous 12 months) the benefit replaces",
               .source = "assumption: unemployment benefits commonly replace 60-80% of lost "
                         "income"});
  v.field("shortfall_threshold", s.shortfall_threshold,
          Meta{.unit = "share of reference income",
               .min = 0,
               .max = 1,
               .doc = "a month with income below this share of the reference income is a claim",
               .source = "assumption: a month below 60% of the usual income counts as a loss "
                         "of work"});
  v.field("benefit_cap", s.benefit_cap,
          Meta{.unit = "EUR/month",
               .min = 0,
               .max = 1e6,
               .doc = "highest benefit in a month",
               .source = "assumption: EUR 1,200 a month, above the shipped markets' mean "
                         "income, so that the cap rarely binds"});
  v.field("qualifying_months", s.qualifying_months,
          Meta{.unit = "months",
               .min = 0,
               .max = 12,
               .doc = "months among the previous 12 in which the worker paid contributions, "
                      "needed to claim",
               .source = "assumption: contributions in 6 of the last 12 months, as "
                         "contribution-period rules ask"});
}

}  // namespace gigsim
