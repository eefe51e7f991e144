// The parameters of sickness events, with units, ranges and sources.
#pragma once

#include "gigsim/meta.hpp"
#include "sickness/spec.hpp"

namespace gigsim {

template <class V>
void describe(V& v, SicknessSpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "workers fall sick now and then and cannot work while sick",
               .source = "[SIV]: the precariat has no sick pay; off by default"});
  v.field("weekly_onset_probability", s.weekly_onset_probability,
          Meta{.unit = "per healthy worker and week",
               .min = 0,
               .max = 1,
               .doc = "chance that a healthy worker falls sick in a week",
               .source = "assumption: with 3-week spells about 3% of weeks are lost, the order of "
                         "EU sickness absence rates"});
  v.field("mean_duration_weeks", s.mean_duration_weeks,
          Meta{.unit = "weeks",
               .min = 1,
               .max = 520,
               .doc = "mean length of a sickness spell (geometric distribution)",
               .source = "assumption: 3 weeks, most spells being short and a few long"});
}

}  // namespace gigsim
