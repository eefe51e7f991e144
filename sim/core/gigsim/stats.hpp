// Summary statistics shared by the reports that combine replications (gigsim run -r, validate).
#pragma once

#include <span>

namespace gigsim {

// Mean of independent replications with its 95% Student-t interval: half_width =
// t(0.975, n - 1) * sd / sqrt(n). With fewer than two values sd and half_width are NaN.
struct MeanInterval {
  double mean = 0;
  double sd = 0;
  double half_width = 0;
};
MeanInterval mean_t95(std::span<const double> values);

}  // namespace gigsim
