// The state a checkpoint carries, described once: per-worker columns and market-level books, each
// with a name and the range its values must lie in. The engine and every mechanism enumerate their
// state through a StateVisitor; checkpoints save and load it, memory accounting sums it, and a
// restore checks every value against its rule (a checkpoint is untrusted input).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace gigsim {

using ColumnData = std::variant<std::vector<std::uint8_t>*, std::vector<std::uint16_t>*,
                                std::vector<std::int16_t>*, std::vector<std::int32_t>*,
                                std::vector<std::uint32_t>*, std::vector<std::int64_t>*,
                                std::vector<float>*, std::vector<double>*>;
using ScalarData = std::variant<std::int32_t*, std::uint32_t*, std::int64_t*, double*>;

// Every value must be finite (floats) and lie in [min, max]. A money field (integer cents) also
// counts towards the money of the whole saved state, which SectionReader bounds.
struct ValueRule {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool money = false;
};
inline constexpr ValueRule kAnyValue{};
inline constexpr ValueRule kNonNegative{0, std::numeric_limits<double>::infinity()};
inline constexpr ValueRule kShare{0, 1};
inline constexpr ValueRule kFlag{0, 1};

// The most money, in cents and in absolute value, that all money fields of a saved state may hold
// together: 3 * 2^61. The scenario bounds all money a run may hold or move by T = INT64_MAX / 4
// cents (sim/scenario/limits.hpp). A valid state holds at most T in its stocks (cash, dues,
// accounts, funds), at most T again in its records of income (the month's and a year of history)
// and its weekly rates (fixed costs, sick benefits), and at most T in the year's patronage, so at
// most 3T: it is never refused. A crafted state within the bound leaves the engine T of room, all
// of a run's flows, so no sum of a state's values and the flows a week adds to them can overflow
// int64 (3 * 2^61 + T = INT64_MAX). The one rate that takes money out of the state every week,
// fixed costs, is capped at its draw instead (Engine::check_restored_workers).
inline constexpr double kMaxSavedMoneyCents = 3 * 2305843009213693952.0;
inline constexpr ValueRule kMoney{-kMaxSavedMoneyCents, kMaxSavedMoneyCents, true};
inline constexpr ValueRule kMoneyNonNegative{0, kMaxSavedMoneyCents, true};

class StateVisitor {
 public:
  virtual ~StateVisitor() = default;
  // A per-worker column: `per_worker` values for each worker.
  virtual void column(std::string_view name, ColumnData data, std::size_t per_worker,
                      ValueRule rule) = 0;
  // A market-level value, or a vector of exactly `length` values.
  virtual void value(std::string_view name, ScalarData data, ValueRule rule) = 0;
  virtual void values(std::string_view name, ColumnData data, std::size_t length,
                      ValueRule rule) = 0;
};

// The three ways a state declares a field (the visitor's three calls).
enum class EntryKind : std::uint8_t { column = 0, value = 1, values = 2 };

// A field as its state declares it, for tools that check or forge saved states.
struct FieldRule {
  std::string name;
  EntryKind kind = EntryKind::column;
  ValueRule rule;
};

// Records the fields a state declares, in order, touching none of their data.
class FieldRules final : public StateVisitor {
 public:
  void column(std::string_view name, ColumnData, std::size_t, ValueRule rule) override {
    fields.push_back({std::string(name), EntryKind::column, rule});
  }
  void value(std::string_view name, ScalarData, ValueRule rule) override {
    fields.push_back({std::string(name), EntryKind::value, rule});
  }
  void values(std::string_view name, ColumnData, std::size_t, ValueRule rule) override {
    fields.push_back({std::string(name), EntryKind::values, rule});
  }
  std::vector<FieldRule> fields;
};

// Whether `v` breaks `rule`: outside [min, max], or not finite (NaN fails both comparisons; an
// infinity would pass an unbounded side).
template <class T>
bool breaks(const T& v, ValueRule rule) {
  const double x = static_cast<double>(v);
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(x)) return true;
  }
  return !(x >= rule.min && x <= rule.max);
}

}  // namespace gigsim
