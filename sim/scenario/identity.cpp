// Identities of texts and scenarios: what tells two runs of the same scenario from runs of
// different ones (run files' scenario_hash; sweeps' run identities).
#include <fmt/format.h>

#include "gigsim/rng.hpp"
#include "gigsim/scenario.hpp"

namespace gigsim::scenario {

Hash128& Hash128::add(std::string_view text) {
  for (unsigned char c : text) {
    a_ = (a_ ^ c) * 0x100000001b3ULL;
    b_ = (b_ + c) * 0xff51afd7ed558ccdULL;
    b_ ^= b_ >> 29;
  }
  size_ += text.size();
  return *this;
}

std::string Hash128::hex() const {
  return fmt::format("{:016x}{:016x}", mix64(a_ ^ size_), mix64(b_ + size_));
}

std::string text_hash128(std::string_view text) {
  return Hash128().add(text).hex();
}

std::string scenario_hash(const ScenarioSpec& spec) {
  ScenarioSpec without_seed = spec;
  without_seed.run.seed = 0;
  return text_hash128(to_yaml(without_seed));
}

}  // namespace gigsim::scenario
