// Identities of texts and scenarios: what tells two runs of the same scenario from runs of
// different ones (run files' scenario_hash; sweeps' run identities).
#include <fmt/format.h>

#include "gigsim/rng.hpp"
#include "gigsim/scenario.hpp"

namespace gigsim::scenario {

std::string text_hash128(std::string_view text) {
  // Two independent 64-bit hashes of the text (FNV-1a and a multiplicative hash with another
  // constant), each finished with SplitMix64. Not cryptographic: it only has to tell apart the
  // scenarios and runs one person compares, where a collision is astronomically unlikely.
  std::uint64_t a = 0xcbf29ce484222325ULL;
  std::uint64_t b = 0x9E3779B97F4A7C15ULL;
  for (unsigned char c : text) {
    a = (a ^ c) * 0x100000001b3ULL;
    b = (b + c) * 0xff51afd7ed558ccdULL;
    b ^= b >> 29;
  }
  a = mix64(a ^ text.size());
  b = mix64(b + text.size());
  return fmt::format("{:016x}{:016x}", a, b);
}

std::string scenario_hash(const ScenarioSpec& spec) {
  ScenarioSpec without_seed = spec;
  without_seed.run.seed = 0;
  return text_hash128(to_yaml(without_seed));
}

}  // namespace gigsim::scenario
