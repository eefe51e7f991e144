// Which scenario keys a sweep may vary (docs/sweeps.md "Parameters"): numbers and booleans of the
// schema that the base scenario, with the sweep's `set`, actually has. Private to gigsim_sweep;
// the sweep file's parameters and a design table's columns are checked with it alike.
#pragma once

#include <map>
#include <string>

#include "gigsim/sweep.hpp"

namespace gigsim::sweep {

class VariableKeys {
 public:
  // Resolves the base scenario with spec.overrides once (they must be valid: load_sweep checks).
  explicit VariableKeys(const SweepSpec& spec);
  // The canonical form of `key_path` ("platforms[00].take_rate" -> "platforms[0].take_rate");
  // throws std::invalid_argument saying why it cannot vary: not a key path, not in the schema,
  // not a number or a boolean, or not in the base scenario (an index past a list's end).
  std::string check(const std::string& key_path) const;

 private:
  std::map<std::string, std::string> types_;  // key pattern ("platforms[].take_rate") -> type
  std::map<std::string, std::string> base_;   // the resolved base, flattened: path -> value
};

}  // namespace gigsim::sweep
