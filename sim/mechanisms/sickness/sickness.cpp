#include "sickness/sickness.hpp"

#include <algorithm>
#include <cmath>

#include "gigsim/engine.hpp"

namespace gigsim {

std::uint16_t sickness_spell_weeks(RandomStream& rs, double mean_weeks) {
  if (mean_weeks <= 1.0) return 1;
  const double weeks = 1.0 + std::floor(std::log(rs.uniform()) / std::log1p(-1.0 / mean_weeks));
  return static_cast<std::uint16_t>(std::min(weeks, 65'535.0));
}

void Sickness::attach(Engine& engine, Declarations& d) {
  engine_ = &engine;
  d.on_block(Phase::offer, [this](const Block& b) { onset(b); });
}

// A healthy worker falls sick with the weekly onset probability (own stream, so switching
// sickness or any cooperative on leaves every other draw unchanged).
void Sickness::onset(const Block& b) {
  WorkerState& w = engine_->workers();
  const std::uint64_t seed = engine_->seed();
  const std::uint32_t t = engine_->week().step;
  for (std::uint32_t i = b.lo; i < b.hi; ++i) {
    if (w.absent_weeks_left[i] != 0) continue;
    RandomStream r(seed, Stream::sickness, i, t);
    if (r.bernoulli(spec_.weekly_onset_probability)) {
      w.absent_weeks_left[i] = sickness_spell_weeks(r, spec_.mean_duration_weeks);
      w.absent_weeks_elapsed[i] = 0;
    }
  }
}

}  // namespace gigsim
