// Number formatting for parameter metadata.
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "gigsim/meta.hpp"

namespace gigsim::schema {

std::string format_number(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15) {
    std::array<char, 32> buffer{};
    const int n = std::snprintf(buffer.data(), buffer.size(), "%.0f", value);
    std::string text(buffer.data(), static_cast<std::size_t>(n));
    return text == "-0" ? "-0.0" : text;  // keep the sign of negative zero on a round trip
  }
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

}  // namespace gigsim::schema
