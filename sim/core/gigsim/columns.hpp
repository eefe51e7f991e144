// The state a checkpoint carries, described once: per-worker columns and market-level books, each
// with a name and the range its values must lie in. The engine and every mechanism enumerate their
// state through a StateVisitor; checkpoints save and load it, memory accounting sums it, and a
// restore checks every value against its rule (a checkpoint is untrusted input).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <variant>
#include <vector>

namespace gigsim {

using ColumnData = std::variant<std::vector<std::uint8_t>*, std::vector<std::uint16_t>*,
                                std::vector<std::int16_t>*, std::vector<std::int32_t>*,
                                std::vector<std::uint32_t>*, std::vector<std::int64_t>*,
                                std::vector<float>*, std::vector<double>*>;
using ScalarData = std::variant<std::int32_t*, std::uint32_t*, std::int64_t*, double*>;

// Every value must be finite (floats) and lie in [min, max].
struct ValueRule {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};
inline constexpr ValueRule kAnyValue{};
inline constexpr ValueRule kNonNegative{0, std::numeric_limits<double>::infinity()};
inline constexpr ValueRule kShare{0, 1};
inline constexpr ValueRule kFlag{0, 1};

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

// The first value of `data` that breaks `rule` (as text, for messages), or nothing.
template <class T>
bool breaks(const T& v, ValueRule rule) {
  const double x = static_cast<double>(v);
  return !(x >= rule.min && x <= rule.max);  // NaN fails both
}

}  // namespace gigsim
