// The parameters of the `policy` section, with units, ranges and sources.
#pragma once

#include "gigsim/meta.hpp"
#include "training_subsidy/spec.hpp"

namespace gigsim {

template <class V>
void describe(V& v, PolicySpec& s) {
  using schema::Meta;
  v.field("training_subsidy_share", s.training_subsidy_share,
          Meta{.unit = "share of the worker's own course cost",
               .min = 0,
               .max = 1,
               .doc = "public training subsidy: the share of what a worker would pay for a course "
                      "that the public budget pays instead (after any cooperative fund share)",
               .source = "scenario choice: a policy lever (0 in the baseline); [EU2030] sets a "
                         "target of 60% of adults in training a year"});
}

}  // namespace gigsim
