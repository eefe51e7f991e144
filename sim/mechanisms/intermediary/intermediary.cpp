#include "intermediary/intermediary.hpp"

#include "gigsim/engine.hpp"
#include "gigsim/money.hpp"
#include "gigsim/rng.hpp"

namespace gigsim {

namespace {
using T = IntermediaryTotals;
const TotalsField<T> kFields[] = {
    integer_field<T>("node_linked", "workers", "workers linked to the intermediary node",
                     Role::count, &T::linked),
    integer_field<T>("node_cost", "EUR cents",
                     "what the public paid for the intermediary node this week", Role::memo,
                     &T::cost),
};
}  // namespace

std::span<const TotalsField<T>> IntermediaryTotals::fields() {
  return kFields;
}

void Intermediary::attach(Engine& engine, Declarations& d) {
  engine_ = &engine;
  bit_ = static_cast<std::uint8_t>(
      1u << d.affiliation({spec_.search_time_reduction, spec_.bias_reduction}));
  d.on_block(Phase::initialise, [this](const Block& b) { draw_links(b); });
  d.on(Phase::report, [this] {
    totals_.linked = linked_count_;
    totals_.cost = linked_count_ * to_cents(spec_.cost_per_linked_worker);
  });
}

bool Intermediary::linked(std::uint32_t i) const {
  return (engine_->workers().affiliations[i] & bit_) != 0;
}

// A worker far from the labour market at the start is linked with probability `reach`, on its own
// stream (after the engine's draw of its distance).
void Intermediary::draw_links(const Block& b) {
  WorkerState& w = engine_->workers();
  const std::uint64_t seed = engine_->seed();
  for (std::uint32_t i = b.lo; i < b.hi; ++i) {
    if (!(w.distance[i] > 0)) continue;
    if (RandomStream(seed, Stream::init_node, i, 0).bernoulli(spec_.reach))
      w.affiliations[i] = static_cast<std::uint8_t>(w.affiliations[i] | bit_);
  }
}

void Intermediary::refresh() {
  linked_count_ = 0;
  for (const std::uint8_t a : engine_->workers().affiliations) linked_count_ += (a & bit_) ? 1 : 0;
}

}  // namespace gigsim
