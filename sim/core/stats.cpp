#include "gigsim/stats.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

namespace gigsim {

MeanInterval mean_t95(std::span<const double> values) {
  const double n = static_cast<double>(values.size());
  MeanInterval r;
  r.mean = values.empty() ? std::numeric_limits<double>::quiet_NaN()
                          : std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (values.size() < 2) {
    r.sd = r.half_width = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  double ss = 0;
  for (const double x : values) ss += (x - r.mean) * (x - r.mean);
  r.sd = std::sqrt(ss / (n - 1));
  const boost::math::students_t dist(n - 1);
  r.half_width = boost::math::quantile(boost::math::complement(dist, 0.025)) * r.sd / std::sqrt(n);
  return r;
}

}  // namespace gigsim
