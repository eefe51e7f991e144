// The intermediary node for inclusive working life (docs/ODD.md "Intermediary node"): whom it
// links, what it cuts (search time, recruitment bias), what it costs.
#include <gtest/gtest.h>

#include "core/small_market.hpp"
#include "gigsim/simulation.hpp"
#include "intermediary/intermediary.hpp"

namespace gigsim {
namespace {

using testing::Recorder;
using testing::small_market;

TEST(IntermediaryNode, LinkedWorkersSearchLessAndMeetLessBiasAtAPublicCost) {
  ScenarioSpec spec = small_market(1500, 20);
  spec.workers.far_from_market_share = 0.3;
  spec.workers.recruitment_bias = 0.8;
  ScenarioSpec with_node = spec;
  with_node.intermediary.enabled = true;
  with_node.intermediary.reach = 0.5;
  with_node.intermediary.bias_reduction = 0.75;
  with_node.intermediary.search_time_reduction = 0.4;
  with_node.intermediary.cost_per_linked_worker = 12.5;
  Simulation a(spec, ExecutionContext{2}), b(with_node, ExecutionContext{2});
  Recorder rec;
  b.add_observer(rec);
  // The same far workers; about half of them linked, and nobody else.
  ASSERT_EQ(a.workers().distance, b.workers().distance);
  const WorkerState& w = b.workers();
  const Intermediary& node = b.mechanism<Intermediary>();
  std::int64_t linked = 0, far = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) {
    far += w.distance[i] > 0 ? 1 : 0;
    if (node.linked(i)) {
      ++linked;
      ASSERT_GT(w.distance[i], 0.f) << "worker " << i;
    }
  }
  EXPECT_GT(linked, far / 3);
  EXPECT_LT(linked, 2 * far / 3);
  a.run();
  b.run();
  for (const StepTotals& t : rec.steps) {
    ASSERT_EQ(t.integer("node_linked"), linked);
    ASSERT_EQ(t.integer("node_cost"), linked * 1250);
  }
  // Unpaid search per paid hour: 21.5 minutes, 40% less for the linked (no cooperative here).
  int checked = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) {
    if (w.week_paid_hours[i] <= 0) continue;
    const double expected = 21.5 / 60 * (node.linked(i) ? 0.6 : 1.0);
    ASSERT_NEAR(w.week_unpaid_hours[i] / w.week_paid_hours[i], expected, 1e-5) << "worker " << i;
    ++checked;
  }
  EXPECT_GT(checked, 1000);
  // Less bias and less search: the linked workers do more of the work than without the node.
  const auto tasks_of_linked = [&](const WorkerState& x) {
    double n = 0;
    for (std::uint32_t i = 0; i < x.count; ++i) n += node.linked(i) ? x.reviews[i] : 0.0;
    return n;
  };
  EXPECT_GT(tasks_of_linked(b.workers()), 1.3 * tasks_of_linked(a.workers()));
}

TEST(IntermediaryNode, AffiliationsCompoundWithAnUmbrellaCooperativesSearchCut) {
  // A member linked to the node searches (1 - 0.25) * (1 - 0.4) of the base ratio.
  ScenarioSpec spec = small_market(1500, 6);
  spec.workers.far_from_market_share = 0.5;
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 0.5;
  spec.umbrella_coop.search_time_reduction = 0.25;
  spec.intermediary.enabled = true;
  spec.intermediary.reach = 1;
  spec.intermediary.search_time_reduction = 0.4;
  Simulation sim(spec, ExecutionContext{2});
  sim.run();
  const WorkerState& w = sim.workers();
  const Intermediary& node = sim.mechanism<Intermediary>();
  int both = 0;
  for (std::uint32_t i = 0; i < w.count; ++i) {
    if (w.week_paid_hours[i] <= 0 || !node.linked(i) || !w.coop_member[i]) continue;
    ASSERT_NEAR(w.week_unpaid_hours[i] / w.week_paid_hours[i], 21.5 / 60 * 0.75 * 0.6, 1e-5);
    ++both;
  }
  EXPECT_GT(both, 100);
}

}  // namespace
}  // namespace gigsim
