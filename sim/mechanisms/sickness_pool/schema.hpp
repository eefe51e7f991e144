// The parameters of the mutual sickness pool, with units, ranges and sources.
#pragma once

#include "gigsim/meta.hpp"
#include "sickness_pool/spec.hpp"

namespace gigsim {

template <class V>
void describe(V& v, SicknessPoolSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "a mutual sickness pool (Broodfonds type) is open to workers",
               .source = "[Broodfonds], [JASSS2022]: mutual sickness pools of the self-employed"});
  v.field("initial_member_share", s.initial_member_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers who are pool members at the start",
               .source = "scenario choice: 0 in the baseline"});
  v.field("group_size", s.group_size,
          Meta{.unit = "members",
               .min = 1,
               .max = 50,
               .doc = "members per group; each group has its own pot",
               .source = "[Broodfonds], [JASSS2022]: groups of 20 to 50 members"});
  v.field("contribution_rate", s.contribution_rate,
          Meta{.unit = "share of the insured weekly amount",
               .min = 0,
               .max = 1,
               .doc = "what a healthy member pays into the group's pot each week, as a share of "
                      "the benefit they insure",
               .source = "assumption: 1% of the insured weekly amount a week; [Broodfonds] "
                         "deposits scale with the insured amount"});
  v.field("replacement_rate", s.replacement_rate,
          Meta{.unit = "share of recent weekly earnings",
               .min = 0,
               .max = 2,
               .doc = "insured benefit per week as a share of the member's recent weekly "
                      "earnings; a spell's benefit is the amount insured when it began",
               .source = "assumption: 70% of recent earnings; [Broodfonds] members insure an "
                         "amount near their income"});
  v.field("max_monthly_benefit", s.max_monthly_benefit,
          Meta{.unit = "EUR/month",
               .min = 0,
               .max = 1e6,
               .doc = "cap of the benefit per 4-week month",
               .source = "[Broodfonds]: benefits between EUR 750 and 2,500 a month"});
  v.field("waiting_weeks", s.waiting_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 520,
               .doc = "weeks of sickness before the benefit starts",
               .source = "[Broodfonds] pays from the second month of sickness"});
  v.field("max_benefit_weeks", s.max_benefit_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 520,
               .doc = "weeks of benefit per sickness spell at most",
               .source = "[Broodfonds] pays for at most two years"});
}

}  // namespace gigsim
