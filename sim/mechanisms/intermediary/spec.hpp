// The intermediary node for inclusive working life (docs/ODD.md "Intermediary node").
#pragma once

namespace gigsim {

// An intermediary node for inclusive working life ([NIA]): it links a share `reach` of the
// workers far from the labour market (drawn at the start) with clients and support services; for
// them it removes bias_reduction of the clients' recruitment bias and cuts their unpaid search
// time by search_time_reduction. The public pays cost_per_linked_worker a week.
struct IntermediarySpec {
  bool enabled = false;
  double reach = 0.5;                   // share of far workers linked to the node, 0..1
  double bias_reduction = 0.5;          // share of the recruitment bias removed for them, 0..1
  double search_time_reduction = 0.25;  // relative cut in their unpaid search time, 0..1
  double cost_per_linked_worker = 10;   // EUR per linked worker and week, paid publicly
};

}  // namespace gigsim
