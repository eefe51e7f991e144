// The intermediary node for inclusive working life (docs/ODD.md "Intermediary node"): it links
// some of the workers far from the labour market with clients and support services; for them it
// cuts the clients' recruitment bias and the unpaid search time (an affiliation), at a public cost.
#pragma once

#include <cstdint>
#include <span>

#include "gigsim/mechanism.hpp"
#include "intermediary/spec.hpp"

namespace gigsim {

struct IntermediaryTotals {
  std::int64_t linked = 0;
  std::int64_t cost = 0;  // cents the public pays this week
  static std::span<const TotalsField<IntermediaryTotals>> fields();
};

class Intermediary final : public MechanismWith<IntermediaryTotals> {
 public:
  static constexpr std::string_view kKey = "intermediary";
  explicit Intermediary(const IntermediarySpec& spec) : MechanismWith(kKey), spec_(spec) {}

  void attach(Engine& engine, Declarations& d) override;
  void refresh() override;

  // Whether worker i is linked to the node.
  bool linked(std::uint32_t i) const;

 private:
  void draw_links(const Block& b);

  IntermediarySpec spec_;
  Engine* engine_ = nullptr;
  std::uint8_t bit_ = 0;           // the node's bit in the engine's affiliations column
  std::int64_t linked_count_ = 0;  // links are drawn at the start and never change
};

}  // namespace gigsim
