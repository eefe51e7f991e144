// libFuzzer target: the sweep parser and the design built from an accepted sweep. Any input is
// a ScenarioError or a sweep whose design has the promised shape. Relative paths in the input
// resolve against the shipped scenarios, so `base: baseline.yaml` reaches the deeper checks.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gigsim/scenario.hpp"
#include "gigsim/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024) return 0;  // sweep files are small; keep runs fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto spec = gigsim::sweep::load_sweep_text(
        text, std::string(GIGSIM_SOURCE_DIR) + "/scenarios/fuzz.yaml");
    if (spec.replications > 4 || spec.points > 64 || spec.trajectories > 8) return 0;
    std::size_t grid = 1;  // keep designs small: the fuzzer is after parser bugs, not memory
    for (const auto& p : spec.parameters)
      grid *= std::max<std::size_t>(1, std::min<std::size_t>(p.values.size(), 4096));
    if (grid > 4096) return 0;
    const auto design = gigsim::sweep::build_design(spec);
    const std::size_t cells = design.points * design.parameters.size();
    if (design.values.size() != cells || design.unit.size() != cells ||
        design.text.size() != cells || design.trajectory.size() != design.points)
      std::abort();
  } catch (const gigsim::scenario::ScenarioError&) {
  }
  return 0;
}
