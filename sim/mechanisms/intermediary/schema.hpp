// The parameters of the intermediary node, with units, ranges and sources.
#pragma once

#include <string>

#include "gigsim/meta.hpp"
#include "intermediary/spec.hpp"

namespace gigsim {

template <class V>
void describe(V& v, IntermediarySpec& s) {
  using schema::Meta;
  v.field("enabled", s.enabled,
          Meta{.doc = "an intermediary node for inclusive working life that links workers far "
                      "from the labour market with clients and support services",
               .source = "[NIA]: a node coordinating employers, public services and social "
                         "enterprises against discrimination and recruitment habits"});
  v.field("reach", s.reach,
          Meta{.unit = "share of far workers",
               .min = 0,
               .max = 1,
               .doc = "share of the workers far from the labour market linked to the node (drawn "
                      "at the start)",
               .source = "assumption: the node links half of the far workers"});
  v.field("bias_reduction", s.bias_reduction,
          Meta{.unit = "share of recruitment bias",
               .min = 0,
               .max = 1,
               .doc = "share of the clients' recruitment bias the node removes for its linked "
                      "workers",
               .source = "[NIA]: the node is to lower recruitment bias; halving it is an "
                         "assumption"});
  v.field("search_time_reduction", s.search_time_reduction,
          Meta{.unit = "share of search time",
               .min = 0,
               .max = 1,
               .doc = "relative cut in the linked workers' unpaid search time (compounded with an "
                      "umbrella cooperative's)",
               .source = "[NIA]: the node coordinates employers and services; a quarter less "
                         "search is an assumption, as for the umbrella cooperative"});
  v.field("cost_per_linked_worker", s.cost_per_linked_worker,
          Meta{.unit = "EUR/week",
               .min = 0,
               .max = 1e6,
               .doc = "public cost of the node per linked worker and week (reported as node_cost)",
               .source = "assumption: EUR 10 a week per linked worker, the order of an "
                         "ESF-funded coordination project ([NIA])"});
}

// The node links workers far from the labour market: there must be some.
template <class V, class Scenario>
void requirements(V& v, const Scenario& s, const IntermediarySpec& node) {
  v.check("intermediary.enabled", !node.enabled || s.workers.far_from_market_share > 0, [] {
    return std::string(
        "the node links workers far from the labour market, and there are none: set "
        "workers.far_from_market_share above 0");
  });
}

}  // namespace gigsim
