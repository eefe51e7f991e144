// Sickness events (docs/ODD.md "Sickness"): healthy workers fall sick and stay away from work and
// courses for a spell. The spell is the engine's absence (absent_weeks_left, absent_weeks_elapsed),
// which the engine counts down and other mechanisms read; this mechanism starts spells.
#pragma once

#include <cstdint>

#include "gigsim/mechanism.hpp"
#include "gigsim/rng.hpp"
#include "sickness/spec.hpp"

namespace gigsim {

// Length of a sickness spell: geometric on 1, 2, ... with the given mean, by inversion of one
// uniform.
std::uint16_t sickness_spell_weeks(RandomStream& rs, double mean_weeks);

class Sickness final : public MechanismWith<NoTotals> {
 public:
  static constexpr std::string_view kKey = "sickness";
  explicit Sickness(const SicknessSpec& spec) : MechanismWith(kKey), spec_(spec) {}
  void attach(Engine& engine, Declarations& d) override;

 private:
  void onset(const Block& b);
  SicknessSpec spec_;
  Engine* engine_ = nullptr;
};

}  // namespace gigsim
