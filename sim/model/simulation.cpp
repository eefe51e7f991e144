#include "gigsim/simulation.hpp"

#include "gigsim/registry.hpp"
#include "gigsim/section.hpp"

namespace gigsim {

namespace {

std::vector<std::string> group_names() {
  std::vector<std::string> names;
  for (int g = 0; g < kGroupCount; ++g) names.emplace_back(group_name(static_cast<WorkerGroup>(g)));
  return names;
}

}  // namespace

Simulation::Simulation(ScenarioSpec spec, ExecutionContext ctx) : spec_(std::move(spec)) {
  ModelParts parts;
  for (const MechanismInfo& info : mechanisms()) {
    if (!info.is_on(spec_) || !info.make) continue;  // off, or a section of another mechanism
    mechanisms_.push_back(info.make(spec_));
    mechanisms_.back()->totals_block = info.totals;
    parts.mechanisms.push_back(mechanisms_.back().get());
  }
  parts.schedule = &schedule();
  parts.layout = &step_layout();
  parts.core_totals = core_totals_block();
  parts.group_names = group_names();
  engine_ = std::make_unique<Engine>(engine_spec(spec_), ctx, std::move(parts));
}

Simulation::~Simulation() = default;

std::uint64_t Simulation::estimate_peak_bytes(const ScenarioSpec& spec) {
  // A mechanism's columns, per worker, from its state description (nothing is allocated).
  class PerWorker final : public StateVisitor {
   public:
    void column(std::string_view, ColumnData data, std::size_t per_worker, ValueRule) override {
      std::visit([&](auto* v) { bytes += per_worker * sizeof((*v)[0]); }, data);
    }
    void value(std::string_view, ScalarData, ValueRule) override {}
    void values(std::string_view, ColumnData, std::size_t, ValueRule) override {}
    std::uint64_t bytes = 0;
  };
  PerWorker per_worker;
  for (const MechanismInfo& info : mechanisms()) {
    if (info.is_on(spec) && info.make) info.make(spec)->state(per_worker);
  }
  return static_cast<std::uint64_t>(spec.workers.count) *
         (Engine::bytes_per_worker(engine_spec(spec)) + per_worker.bytes);
}

}  // namespace gigsim
