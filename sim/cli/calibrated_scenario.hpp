// The calibrated baseline (scenarios/calibrated/baseline.yaml), built into the binary.
#pragma once

#include <string_view>

namespace gigsim::cli {

inline constexpr const char* kCalibratedScenarioName = "scenarios/calibrated/baseline.yaml";
std::string_view calibrated_scenario_yaml();

}  // namespace gigsim::cli
