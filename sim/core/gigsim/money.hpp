// Money in the engine is integer EUR cents, so flows balance exactly; these are the only
// conversions and the one rule for sharing a short fund.
#pragma once

#include <cmath>
#include <cstdint>

namespace gigsim {

constexpr std::int64_t to_cents(double eur) {
  return static_cast<std::int64_t>(std::llround(eur * 100.0));
}
constexpr double to_eur(std::int64_t cents) {
  return static_cast<double>(cents) / 100.0;
}

// A claim's share when a fund holding `available` cents meets `total` cents of claims:
// floor(claim * available / total), in 128 bits because claim * available can exceed 64.
inline std::int64_t pro_rata(std::int64_t claim, std::int64_t available, std::int64_t total) {
  __extension__ using wide = __int128;
  return static_cast<std::int64_t>(static_cast<wide>(claim) * available / total);
}

}  // namespace gigsim
