// Client demand: seasonal cycles and monthly demand shocks (docs/ODD.md "Client demand").
#include <cmath>

#include "engine_impl.hpp"

namespace gigsim {

// Demand shock multiplier of sector s in month m: exp(sd z_m - sd^2 / 2), mean 1, where
// z_m = sqrt(1 - rho^2) sum_k rho^k e_(m-k) is a stationary AR(1) with unit variance built from one
// N(0,1) innovation per (sector, month), truncated where rho^k < 1e-9. Stateless: checkpoints and
// branches need nothing extra, and the innovations come from their own stream.
double demand_shock(std::uint64_t seed, int s, const SectorSpec& sec, std::uint32_t month) {
  if (sec.shock_sd <= 0) return 1.0;
  const double rho = sec.shock_persistence;
  constexpr std::int64_t kBefore = 1 << 20;  // months before the run have innovations too
  double z = 0, weight = 1;
  for (std::int64_t k = 0; weight > 1e-9; ++k, weight *= rho) {
    RandomStream r(seed, Stream::demand_shock, static_cast<std::uint32_t>(s),
                   static_cast<std::uint32_t>(kBefore + month - k));
    z += weight * r.normal();
  }
  z *= std::sqrt(1 - rho * rho);
  return std::exp(sec.shock_sd * z - sec.shock_sd * sec.shock_sd / 2);
}

}  // namespace gigsim
