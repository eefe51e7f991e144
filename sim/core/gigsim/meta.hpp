// Parameter metadata for the scenario schema: unit, range, documentation and source of a field.
// Header-only and free of YAML, so each mechanism describes its parameters beside its spec
// (sim/mechanisms/<name>/schema.hpp) and the scenario library's visitors (parser, emitter,
// parameter list, flattener) walk them all. A describe() calls, on a visitor V:
//   v.field(key, member, Meta)                       a scalar (double, uint32, uint64, bool,
//   string) v.section(key, member_struct, Meta)              a nested mapping with its own
//   describe() v.list(key, member_vector, Meta)                 a list of mappings; min/max bound
//   its length v.panel(key, mode, workers_key, workers, Meta)   PanelMode: all|sampled|none or an
//   integer N v.check(rel_path, ok, message_fn)                a cross-field rule, checked after
//   the fields
// Keys are named exactly as the C++ members. Sources cite docs/references.md where a published
// figure exists; "assumption" marks a modelling choice.
#pragma once

#include <limits>
#include <string>
#include <string_view>

namespace gigsim::schema {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Meta {
  std::string_view unit = {};
  double min = -kInf;  // inclusive unless min_open
  double max = kInf;   // inclusive
  std::string_view doc = {};
  std::string_view source = {};
  bool required = false;  // key must be present (and, for strings, non-empty)
  bool min_open = false;  // range is (min, max]
};

// Shortest text that reads back as exactly `value` (integral values without exponent).
std::string format_number(double value);

}  // namespace gigsim::schema
