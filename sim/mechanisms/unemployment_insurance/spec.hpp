// Unemployment insurance for the self-employed, as income-loss insurance (a policy lever; the
// precariat of the SIV case has no unemployment benefit). docs/ODD.md "Unemployment insurance".
#pragma once

#include <cstdint>

namespace gigsim {

// Every worker without an employment contract pays contribution_rate of each month's income into
// a public fund; a month whose income falls below shortfall_threshold times the worker's mean over
// the previous 12 months (with contributions in at least qualifying_months of them) is topped up
// by replacement_rate of the shortfall, at most benefit_cap. The state backs the fund, which may
// go below zero.
struct UnemploymentInsuranceSpec {
  bool enabled = false;
  double contribution_rate = 0.02;      // share of monthly income
  double replacement_rate = 0.6;        // share of the shortfall below the reference income
  double shortfall_threshold = 0.6;     // a month below this share of the reference is a claim
  double benefit_cap = 1'200;           // EUR per month
  std::uint32_t qualifying_months = 6;  // months with contributions among the previous 12
};

}  // namespace gigsim
