// The parameter list (for `gigsim params`), generated from the schema the parser uses.
#include <limits>
#include <string>
#include <type_traits>

#include "gigsim/scenario.hpp"
#include "schema.hpp"

namespace gigsim::scenario {
namespace {

using schema::describe;
using schema::Meta;

class Lister {
 public:
  Lister(std::vector<ParamInfo>& rows, std::string prefix)
      : rows_(rows), prefix_(std::move(prefix)) {}

  void field(std::string_view key, double value, const Meta& meta) {
    add(key, "real", schema::format_number(value), meta, schema::range_text(meta, false));
  }
  template <class T>
  requires std::is_unsigned_v<T> &&
      (!std::is_same_v<T, bool>)void field(std::string_view key, T value, const Meta& meta) {
    add(key, "integer", std::to_string(value), meta,
        schema::range_text(meta, true, std::to_string(std::numeric_limits<T>::max())));
  }
  void field(std::string_view key, bool value, const Meta& meta) {
    add(key, "bool", value ? "true" : "false", meta, "true | false");
  }
  void field(std::string_view key, const std::string& value, const Meta& meta) {
    add(key, "string", meta.required ? "(required)" : "\"" + value + "\"", meta,
        meta.required ? "non-empty" : "");
  }
  void panel(std::string_view key, PanelMode mode, std::string_view /*workers_key*/,
             std::uint32_t /*workers*/, const Meta& meta) {
    const char* names[] = {"all", "sampled", "none"};
    add(key, "enum", names[static_cast<int>(mode)], meta,
        "all | sampled | none, or an integer in " + schema::range_text(meta, true));
  }
  template <class S>
  void section(std::string_view key, S& value, const Meta& /*meta*/) {
    Lister lister(rows_, prefix_ + std::string(key) + ".");
    describe(lister, value);
  }
  template <class E>
  void list(std::string_view key, std::vector<E>& /*items*/, const Meta& meta) {
    const std::string element(schema::element_name(static_cast<const E*>(nullptr)));
    add(key, "list of " + element, meta.required ? "(required)" : "[]", meta,
        schema::format_number(meta.min) + ".." + schema::format_number(meta.max) + " entries");
    E defaults{};
    Lister lister(rows_, prefix_ + std::string(key) + "[].");
    describe(lister, defaults);
  }
  void per_worker(std::string_view key, std::string_view total_key, const Meta& meta) {
    add(key, "real", "(none: " + std::string(total_key) + " applies)", meta,
        schema::range_text(meta, false));
  }

  template <class MessageFn>
  void check(std::string_view /*path*/, bool /*ok*/, MessageFn&& /*message*/) {}

 private:
  void add(std::string_view key, std::string type, std::string default_value, const Meta& meta,
           std::string range) {
    rows_.push_back(ParamInfo{prefix_ + std::string(key), std::move(type), std::move(default_value),
                              std::string(meta.unit), std::move(range), std::string(meta.source),
                              std::string(meta.doc)});
  }

  std::vector<ParamInfo>& rows_;
  std::string prefix_;
};

}  // namespace

std::vector<ParamInfo> list_params() {
  std::vector<ParamInfo> rows;
  ScenarioSpec defaults;
  Lister lister(rows, "");
  describe(lister, defaults);
  return rows;
}

}  // namespace gigsim::scenario
