// The `policy` section: policy levers a ministry could pull. Today one: the public training
// subsidy (docs/ODD.md "Training decision").
#pragma once

namespace gigsim {

struct PolicySpec {
  double training_subsidy_share =
      0;  // share of what a worker would pay for a course, paid publicly
};

}  // namespace gigsim
