// Editing a saved state the way a crafted checkpoint would: entries are found through the
// section encoding (sim/core/gigsim/section.hpp), so every field a part declares is reachable
// without a list of names, and values are written in the entry's own element type.
#pragma once

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "gigsim/section.hpp"

namespace gigsim::testing {

// Calls f(T{}) with the C++ type of element type `code` (ColumnData's alternatives, then
// ScalarData's from code 8, as section.cpp numbers them).
template <class F>
void with_element_type(std::uint8_t code, F&& f) {
  if (element_type(code).size == 0)
    throw std::invalid_argument("not an element type code: " + std::to_string(code));
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    using std::remove_pointer_t, std::variant_alternative_t;
    ((code == I ? f(typename remove_pointer_t<variant_alternative_t<I, ColumnData>>::value_type{})
                : void()),
     ...);
  }
  (std::make_index_sequence<std::variant_size_v<ColumnData>>{});
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    using std::remove_pointer_t, std::variant_alternative_t;
    ((code == 8 + I ? f(remove_pointer_t<variant_alternative_t<I, ScalarData>>{}) : void()), ...);
  }
  (std::make_index_sequence<std::variant_size_v<ScalarData>>{});
}

// Whether element type T holds `x` exactly enough to convert without overflow.
template <class T>
bool holds(double x) {
  if constexpr (std::is_floating_point_v<T>) {
    return !std::isfinite(x) || std::abs(x) <= static_cast<double>(std::numeric_limits<T>::max());
  } else {
    // [lowest, 2^digits): the upper end is exclusive because INT64_MAX rounds up to 2^63.
    return x >= static_cast<double>(std::numeric_limits<T>::lowest()) &&
           x < std::ldexp(1.0, std::numeric_limits<T>::digits);
  }
}

// Values of the entry's element type just outside `rule` (below its minimum, above its maximum)
// and, for floating-point types, NaN and both infinities. Empty for an integer field whose rule
// admits every value of its type.
inline std::vector<double> values_breaking(std::uint8_t type, ValueRule rule) {
  std::vector<double> out;
  with_element_type(type, [&]<class T>(T) {
    if constexpr (std::is_floating_point_v<T>) {
      constexpr T inf = std::numeric_limits<T>::infinity();
      if (std::isfinite(rule.min)) out.push_back(std::nextafter(static_cast<T>(rule.min), -inf));
      if (std::isfinite(rule.max)) out.push_back(std::nextafter(static_cast<T>(rule.max), inf));
      out.push_back(std::numeric_limits<T>::quiet_NaN());
      out.push_back(inf);
      out.push_back(-inf);
    } else {
      // Past +-2^53 a step of one rounds back onto the bound: take the next double out instead.
      const double below = std::min(std::ceil(rule.min) - 1, std::nextafter(rule.min, -INFINITY));
      const double above = std::max(std::floor(rule.max) + 1, std::nextafter(rule.max, INFINITY));
      if (std::isfinite(rule.min) && holds<T>(below)) out.push_back(below);
      if (std::isfinite(rule.max) && holds<T>(above)) out.push_back(above);
    }
  });
  // A float's nearest value may round back into the rule (float rules are doubles): keep only
  // values that break it once they are of the element type.
  std::erase_if(out, [&](double v) {
    bool broken = false;
    with_element_type(type, [&]<class T>(T) { broken = breaks(static_cast<T>(v), rule); });
    return !broken;
  });
  return out;
}

// Writes `value` into element `index` of `entry` in the section's bytes.
inline void set_element(std::string& section, const SectionEntry& entry, std::uint64_t index,
                        double value) {
  if (index >= entry.count) throw std::out_of_range("element index beyond the entry");
  with_element_type(entry.type, [&]<class T>(T) {
    if (!holds<T>(value)) throw std::out_of_range("value outside the element type");
    const T v = static_cast<T>(value);
    std::memcpy(section.data() + entry.data_offset + index * sizeof(T), &v, sizeof v);
  });
}

}  // namespace gigsim::testing
