// Scenario files: YAML text -> validated gigsim::ScenarioSpec, and back.
// The engine never sees YAML; this library is the only place that does. One schema (schema.hpp,
// private) describes every field once, with unit, range and source, and drives the parser, the
// emitter (to_yaml) and the parameter list (list_params), so the three cannot drift apart.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gigsim/spec.hpp"

namespace gigsim::scenario {

// Thrown for every bad-input case. what() is "FILE:LINE:COL: KEY.PATH: MESSAGE" (LINE and COL
// 1-based). Errors with no position (missing file) read "FILE: MESSAGE"; line() and column() are 0
// then. Errors caused by a --set override have file "--set", line 1 and the 1-based column in the
// override string.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, int line, int column, std::string key_path, std::string message);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_path_;
  std::string message_;
};

// Reads and validates a scenario file. overrides are "key.path=value" strings (from --set),
// applied to the YAML tree before validation, e.g. "umbrella_coop.fee_rate=0.05",
// "platforms[1].take_rate=0.3", "run.weeks=52"; the value is parsed as a YAML scalar (or flow
// collection). Later overrides win over earlier ones.
ScenarioSpec load_file(const std::string& path, const std::vector<std::string>& overrides = {});

// Same from text; `filename` is used in error messages.
ScenarioSpec load_string(std::string_view yaml, const std::string& filename,
                         const std::vector<std::string>& overrides = {});

// A scenario resolved once (text and overrides, as load_string), to which sets of further values
// are then applied cheaply: a sweep resolves one scenario per design point and run, up to 10^6.
// with({{"platforms[0].take_rate", "0.3"}, {"run.seed", "7"}}) returns what load_string would
// with the overrides plus "platforms[0].take_rate=0.3" and "run.seed=7", and throws the same
// ScenarioError. Numbers and booleans of plain fields, under canonical key paths, are applied to
// the resolved spec directly (no YAML is parsed); anything else is parsed as load_string does.
// Copies share the resolved state, which is immutable, so with() may run on several threads.
class ResolvedScenario {
 public:
  ResolvedScenario(std::string_view yaml, const std::string& filename,
                   const std::vector<std::string>& overrides = {});
  const ScenarioSpec& spec() const;
  ScenarioSpec with(const std::vector<std::pair<std::string, std::string>>& values) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// The resolved scenario (every field, defaults filled in) as YAML text that load_string accepts
// and that round-trips: load_string(to_yaml(s)) == s field by field (doubles are written in
// shortest round-trip form).
std::string to_yaml(const ScenarioSpec& spec);

// Whether the scenario file at `path`, or one of `overrides`, gives `key_path` explicitly (rather
// than leaving it to its default), e.g. sets_key(file, "run.seed", overrides) to record where the
// seed came from. key_path must name a schema key ("run.seed", "platforms[0].take_rate"); a bad
// path, a missing file or a YAML syntax error throws ScenarioError.
bool sets_key(const std::string& path, std::string_view key_path,
              const std::vector<std::string>& overrides = {});

// The canonical form of a key path as --set takes it ("platforms[00].take_rate" ->
// "platforms[0].take_rate"), checked against the schema. Throws ScenarioError (file "--set",
// line 1, the 1-based column in `key_path`) for a malformed path (an '=', a newline, an index
// too large for an integer) or a key the schema does not have.
std::string canonical_key_path(std::string_view key_path);

// Where a second YAML document starts in `text` (1-based line and column), if there is one:
// a reader that loads one document would drop it silently.
std::optional<std::pair<int, int>> second_document_at(const std::string& text);

// Every parameter as (key path, value text) in schema order, e.g. ("platforms[0].take_rate",
// "0.25"); lists also give "<key>.size". For comparing two scenarios key by key.
std::vector<std::pair<std::string, std::string>> flatten(const ScenarioSpec& spec);

// True for well-formed UTF-8 without NUL: no stray continuation bytes, overlong forms, surrogates
// or code points above U+10FFFF (what HDF5 attributes declared UTF-8 may hold).
bool valid_utf8(std::string_view text);

// 128-bit hash of a text as 32 hex digits: two independent 64-bit hashes (FNV-1a and a
// multiplicative hash with another constant), each finished with SplitMix64. Not cryptographic:
// it only has to tell apart the scenarios and runs one person compares, where a collision is
// astronomically unlikely. Streaming, so the common start of many texts is hashed once and
// copied (a sweep's runs).
class Hash128 {
 public:
  Hash128& add(std::string_view text);
  std::string hex() const;

 private:
  std::uint64_t a_ = 0xcbf29ce484222325ULL;
  std::uint64_t b_ = 0x9E3779B97F4A7C15ULL;
  std::uint64_t size_ = 0;
};

// Hash128 of `text` alone.
std::string text_hash128(std::string_view text);

// The scenario apart from its seed, as 32 hex digits: text_hash128 of the resolved scenario
// (to_yaml) with run.seed set to 0. Replications of one scenario (different seeds) share it;
// any other difference, a single parameter, changes it. Recorded in run files (scenario_hash).
std::string scenario_hash(const ScenarioSpec& spec);

// Client demand against what the workers can supply, both in paid hours a week: demand is the sum
// over sectors of tasks_per_week * task_hours; capacity is workers.count * hours_budget_mean,
// less the unpaid search every paid hour costs (search_minutes_per_paid_hour). Training and
// sickness take hours too, so a ratio near 1 already means a tight market.
struct MarketBalance {
  double demand_hours = 0;
  double capacity_hours = 0;
  double ratio = 0;  // demand / capacity
};
MarketBalance market_balance(const ScenarioSpec& spec);
// Outside [low, high] `gigsim scenario check` and `gigsim run` warn. The shipped scenarios lie
// near 0.86; ten times the workers at the same demand gives 0.086.
inline constexpr double kMarketBalanceLow = 0.4;
inline constexpr double kMarketBalanceHigh = 1.5;
// A warning naming both figures and what to change, or "" when the ratio is within the bounds.
std::string market_balance_warning(const ScenarioSpec& spec);

// One row per parameter, generated from the schema the parser uses.
struct ParamInfo {
  std::string path;           // e.g. "platforms[].take_rate"
  std::string type;           // real, integer, bool, string, list, enum
  std::string default_value;  // as it would appear in YAML; "(required)" for required keys
  std::string unit;
  std::string range;   // e.g. "[0, 1]", "(0, 168]", "1..8 entries"
  std::string source;  // citation for the default or range, or "assumption"
  std::string description;
};
std::vector<ParamInfo> list_params();

// "platforms[1].take_rate" -> "platforms[].take_rate": a key path in the form list_params() uses.
std::string key_pattern(std::string_view key_path);

// The candidate nearest to `key` if it is close enough to be a likely typo, else "" (for "did you
// mean" hints; the same rule the scenario parser uses).
std::string_view nearest_key(std::string_view key, const std::vector<std::string_view>& candidates);

}  // namespace gigsim::scenario
