// ScenarioSpec -> (key path, value) pairs, in schema order, for comparing two scenarios key by key
// (a branch names every parameter it changes).
#include <string>

#include "gigsim/scenario.hpp"
#include "schema.hpp"

namespace gigsim::scenario {
namespace {

using schema::describe;
using schema::Meta;

class Flattener {
 public:
  Flattener(std::vector<std::pair<std::string, std::string>>& out, std::string prefix)
      : out_(out), prefix_(std::move(prefix)) {}

  void field(std::string_view key, double value, const Meta&) {
    add(key, schema::format_number(value));
  }
  void field(std::string_view key, std::uint32_t value, const Meta&) {
    add(key, std::to_string(value));
  }
  void field(std::string_view key, std::uint64_t value, const Meta&) {
    add(key, std::to_string(value));
  }
  void field(std::string_view key, bool value, const Meta&) { add(key, value ? "true" : "false"); }
  void field(std::string_view key, const std::string& value, const Meta&) { add(key, value); }
  void panel(std::string_view key, PanelMode mode, std::string_view, std::uint32_t, const Meta&) {
    const char* names[] = {"all", "sampled", "none"};
    add(key, names[static_cast<int>(mode)]);
  }
  template <class S>
  void section(std::string_view key, S& value, const Meta&) {
    Flattener inner(out_, prefix_ + std::string(key) + ".");
    describe(inner, value);
  }
  template <class E>
  void list(std::string_view key, std::vector<E>& items, const Meta&) {
    add(std::string(key) + ".size", std::to_string(items.size()));
    for (std::size_t i = 0; i < items.size(); ++i) {
      Flattener inner(out_, prefix_ + std::string(key) + "[" + std::to_string(i) + "].");
      describe(inner, items[i]);
    }
  }
  // Resolved into its total before parsing; the resolved scenario holds the total only.
  void per_worker(std::string_view, std::string_view, const Meta&) {}

  template <class MessageFn>
  void check(std::string_view, bool, MessageFn&&) {}

 private:
  void add(std::string_view key, std::string value) {
    out_.emplace_back(prefix_ + std::string(key), std::move(value));
  }
  std::vector<std::pair<std::string, std::string>>& out_;
  std::string prefix_;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> flatten(const ScenarioSpec& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  ScenarioSpec copy = spec;  // the schema visitors take non-const references
  Flattener f(out, "");
  describe(f, copy);
  return out;
}

std::string key_pattern(std::string_view key_path) {
  std::string out;
  bool in_index = false;
  for (char c : key_path) {
    if (c == '[') in_index = true;
    if (!in_index || c == '[' || c == ']') out += c;
    if (c == ']') in_index = false;
  }
  return out;
}

std::string_view nearest_key(std::string_view key,
                             const std::vector<std::string_view>& candidates) {
  return schema::nearest_key(key, candidates);
}

}  // namespace gigsim::scenario
