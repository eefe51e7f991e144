// ScenarioSpec -> YAML. The Emitter visitor writes every field the schema describes, in schema
// order, with doubles in shortest round-trip form, so load_string(to_yaml(s)) reproduces s exactly.
#include <yaml-cpp/yaml.h>

#include <string>

#include "gigsim/scenario.hpp"
#include "schema.hpp"

namespace gigsim::scenario {
namespace {

using schema::describe;
using schema::Meta;

class Emitter {
 public:
  explicit Emitter(YAML::Emitter& out) : out_(out) {}

  void field(std::string_view key, double value, const Meta& /*meta*/) {
    write(key, schema::format_number(value));
  }
  void field(std::string_view key, std::uint32_t value, const Meta& /*meta*/) {
    write(key, std::to_string(value));
  }
  void field(std::string_view key, std::uint64_t value, const Meta& /*meta*/) {
    write(key, std::to_string(value));
  }
  void field(std::string_view key, bool value, const Meta& /*meta*/) {
    write(key, value ? "true" : "false");
  }
  void field(std::string_view key, const std::string& value, const Meta& /*meta*/) {
    // Always quoted, so names such as "true", "1" or "~" stay strings.
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::DoubleQuoted << value;
  }

  // Always the enum form; panel_workers is written by its own field.
  void panel(std::string_view key, PanelMode mode, std::string_view /*workers_key*/,
             std::uint32_t /*workers*/, const Meta& /*meta*/) {
    switch (mode) {
      case PanelMode::all:
        write(key, "all");
        break;
      case PanelMode::sampled:
        write(key, "sampled");
        break;
      case PanelMode::none:
        write(key, "none");
        break;
    }
  }

  template <class S>
  void section(std::string_view key, S& value, const Meta& /*meta*/) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    describe(*this, value);
    out_ << YAML::EndMap;
  }

  template <class E>
  void list(std::string_view key, std::vector<E>& items, const Meta& /*meta*/) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
    for (E& item : items) {
      out_ << YAML::BeginMap;
      describe(*this, item);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
  }

  // Resolved into its total before parsing; the resolved scenario holds the total only.
  void per_worker(std::string_view, std::string_view, const Meta&) {}

  template <class MessageFn>
  void check(std::string_view /*path*/, bool /*ok*/, MessageFn&& /*message*/) {}

 private:
  void write(std::string_view key, const std::string& plain_scalar) {
    out_ << YAML::Key << std::string(key) << YAML::Value << plain_scalar;
  }

  YAML::Emitter& out_;
};

}  // namespace

std::string to_yaml(const ScenarioSpec& spec) {
  ScenarioSpec copy = spec;  // describe() takes a mutable reference; the emitter only reads
  YAML::Emitter out;
  out << YAML::Block << YAML::BeginMap;
  Emitter emitter(out);
  describe(emitter, copy);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace gigsim::scenario
