// libFuzzer target: the scenario parser. Any input is a ScenarioError or a scenario; an accepted
// scenario must survive to_yaml and load back to the same resolved text (a round-trip property).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "gigsim/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;  // scenarios are small; keep runs fast
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const gigsim::ScenarioSpec spec = gigsim::scenario::load_string(text, "fuzz.yaml");
    const std::string resolved = gigsim::scenario::to_yaml(spec);
    const std::string again =
        gigsim::scenario::to_yaml(gigsim::scenario::load_string(resolved, "resolved.yaml"));
    if (again != resolved) std::abort();
  } catch (const gigsim::scenario::ScenarioError&) {
  }
  return 0;
}
