// Schema helpers: "did you mean" suggestions, number and range formatting.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "schema.hpp"

namespace gigsim::scenario::schema {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance; three rolling rows (the transposition looks two back).
  std::vector<std::size_t> two_back(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], two_back[j - 2] + 1);
      }
    }
    std::swap(two_back, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string_view nearest_key(std::string_view key,
                             const std::vector<std::string_view>& candidates) {
  // Suggest only plausible typos: at most max(2, len/3) edits away.
  const std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
  std::string_view best;
  std::size_t best_distance = limit + 1;
  for (const std::string_view candidate : candidates) {
    const std::size_t distance = edit_distance(key, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string range_text(const Meta& meta, bool integral, std::string_view type_max) {
  std::string text;
  if (std::isinf(meta.min)) {
    text = "(-inf";
  } else {
    text.push_back(meta.min_open ? '(' : '[');
    text.append(format_number(meta.min));
  }
  text += ", ";
  if (!std::isinf(meta.max)) {
    text += format_number(meta.max) + "]";
  } else if (integral) {
    text += std::string(type_max) + "]";
  } else {
    text += "inf)";
  }
  return text;
}

}  // namespace gigsim::scenario::schema
