// Sweep file -> SweepSpec (docs/sweeps.md "The sweep file"). Every error names the file, the
// 1-based line and column of the offending node and the key, like scenario errors.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "gigsim/files.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/sweep.hpp"
#include "gigsim/terminal.hpp"
#include "variable_keys.hpp"

namespace gigsim::sweep {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::grid:
      return "grid";
    case Method::zip:
      return "zip";
    case Method::table:
      return "table";
    case Method::random:
      return "random";
    case Method::lhs:
      return "lhs";
    case Method::sobol:
      return "sobol";
    case Method::morris:
      return "morris";
    case Method::saltelli:
      return "saltelli";
  }
  return "?";
}

namespace {

using scenario::ScenarioError;

// Sweep files are short; anything larger is not one (and would cost memory to parse).
constexpr std::uint64_t kMaxSweepBytes = 1 << 20;
// The base scenario: as for `gigsim run` (sim/scenario/parse.cpp).
constexpr std::uint64_t kMaxScenarioBytes = std::uint64_t{4} << 20;

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key,
                         const std::string& message) const {
    const YAML::Mark m = node.Mark();
    if (m.is_null()) throw ScenarioError(file_, 0, 0, key, message);
    throw ScenarioError(file_, m.line + 1, m.column + 1, key, message);
  }

  void expect_map(const YAML::Node& node, const std::string& key) const {
    if (!node.IsMap()) fail(node, key, "expected a mapping");
  }

  // Rejects a key given twice: YAML readers keep one of them, so the other would be dropped
  // silently. `canonical` maps a key to the form in which two spellings are the same key.
  template <class Canonical>
  void no_duplicates(const YAML::Node& map, const std::string& prefix,
                     Canonical&& canonical) const {
    std::map<std::string, int> seen;  // canonical key -> line of its first occurrence
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) continue;
      const std::string k = canonical(kv.first);
      const auto [first, inserted] = seen.emplace(k, kv.first.Mark().line + 1);
      if (!inserted)
        fail(kv.first, prefix.empty() ? k : prefix + "." + k,
             "'" + k + "' is given twice (first at line " + std::to_string(first->second) +
                 "); the second would be dropped silently");
    }
  }
  void no_duplicates(const YAML::Node& map, const std::string& prefix) const {
    no_duplicates(map, prefix, [](const YAML::Node& key) { return key.Scalar(); });
  }

  // A key path of a `set` mapping or of `parameters` in its canonical form (as --set reads it:
  // "platforms[00].x" is "platforms[0].x"); a malformed one (an '=', a newline, an index too
  // large for an integer) is an error at the key.
  std::string key_path(const YAML::Node& key, const std::string& prefix) const {
    const std::string text = scalar(key, prefix);
    try {
      return scenario::canonical_key_path(text);
    } catch (const ScenarioError& e) {
      const std::string shown = os::printable(text, false);  // a newline would forge a line
      fail(key, prefix + "." + shown,
           "'" + shown +
               "' is not a scenario parameter ('gigsim params' lists them): " + e.message());
    }
  }

  // Rejects keys outside `allowed`, suggesting the closest one, and keys given twice.
  void only(const YAML::Node& map, const std::string& prefix,
            const std::vector<std::string_view>& allowed) const {
    no_duplicates(map, prefix);
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) fail(kv.first, prefix, "keys must be plain names");
      const std::string k = kv.first.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      std::string message = "unknown key '" + k + "'";
      const std::string_view best = scenario::nearest_key(k, allowed);
      if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
      message += "; allowed here:";
      for (std::string_view a : allowed) message += " " + std::string(a);
      fail(kv.first, prefix.empty() ? k : prefix + "." + k, message);
    }
  }

  std::string scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) fail(node, key, "expected a single value");
    return node.Scalar();
  }

  double real(const YAML::Node& node, const std::string& key) const {
    const std::string text = scalar(node, key);
    if (text == "true") return 1;
    if (text == "false") return 0;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v))
      fail(node, key, "expected a finite number, got '" + text + "'");
    return v;
  }

  std::uint64_t count(const YAML::Node& node, const std::string& key, std::uint64_t lo,
                      std::uint64_t hi) const {
    const std::string text = scalar(node, key);
    if (text.empty() || text.size() > 19 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
      fail(node, key, "expected a whole number, got '" + text + "'");
    const std::uint64_t v = std::stoull(text);
    if (v < lo || v > hi)
      fail(node, key,
           "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + text);
    return v;
  }

  // A `set` mapping as "key.path=value" overrides; values are scalars or flat flow lists.
  std::vector<std::string> overrides(const YAML::Node& map, const std::string& key) const {
    expect_map(map, key);
    no_duplicates(map, key, [&](const YAML::Node& k) { return key_path(k, key); });
    std::vector<std::string> out;
    for (const auto& kv : map) {
      const std::string k = key_path(kv.first, key);
      const std::string at = key + "." + k;
      std::string value;
      if (kv.second.IsScalar()) {
        value = kv.second.Scalar();
      } else if (kv.second.IsSequence() && kv.second.size() <= 64) {
        value = "[";
        for (std::size_t i = 0; i < kv.second.size(); ++i) {
          value += (i ? ", " : "") + scalar(kv.second[i], at);
        }
        value += "]";
      } else {
        fail(kv.second, at, "expected a value or a short list of values");
      }
      out.push_back(k + "=" + value);
      sites_.push_back({kv.second, at});
    }
    return out;
  }

  struct Site {
    YAML::Node node;
    std::string key;
  };
  const std::vector<Site>& sites() const { return sites_; }

 private:
  std::string file_;
  mutable std::vector<Site> sites_;
};

Method parse_method(const Reader& r, const YAML::Node& node) {
  const std::string m = r.scalar(node, "design.method");
  for (Method candidate : {Method::grid, Method::zip, Method::table, Method::random, Method::lhs,
                           Method::sobol, Method::morris, Method::saltelli}) {
    if (m == method_name(candidate)) return candidate;
  }
  r.fail(
      node, "design.method",
      "unknown method '" + m + "'; one of grid, zip, table, random, lhs, sobol, morris, saltelli");
}

Parameter parse_parameter(const Reader& r, const std::string& path, const YAML::Node& spec) {
  const std::string key = "parameters." + path;
  Parameter p;
  p.path = path;
  p.line = spec.Mark().line + 1;
  p.column = spec.Mark().column + 1;
  r.expect_map(spec, key);
  r.only(spec, key, {"values", "min", "max", "steps", "scale", "distribution", "mean", "sd"});
  if (spec["values"]) {
    if (spec.size() != 1) r.fail(spec, key, "'values' cannot be combined with other keys");
    const YAML::Node values = spec["values"];
    if (!values.IsSequence() || values.size() == 0 || values.size() > 100'000)
      r.fail(values, key + ".values", "expected a list of 1 to 100000 values");
    p.kind = Parameter::Kind::values;
    for (const auto& v : values) p.values.push_back(r.real(v, key + ".values"));
    return p;
  }
  if (spec["distribution"]) {
    const std::string d = r.scalar(spec["distribution"], key + ".distribution");
    if (d != "normal")
      r.fail(spec["distribution"], key + ".distribution",
             "unknown distribution '" + d + "' (normal; for uniform give min and max)");
    if (!spec["mean"] || !spec["sd"]) r.fail(spec, key, "a normal distribution needs mean and sd");
    if (spec["min"] || spec["max"] || spec["steps"] || spec["scale"])
      r.fail(spec, key, "a normal distribution takes only mean and sd");
    p.kind = Parameter::Kind::normal;
    p.mean = r.real(spec["mean"], key + ".mean");
    p.sd = r.real(spec["sd"], key + ".sd");
    if (p.sd <= 0) r.fail(spec["sd"], key + ".sd", "must be positive");
    return p;
  }
  if (!spec["min"] || !spec["max"])
    r.fail(spec, key,
           "give values: [...], min and max (optionally steps, scale: log), or "
           "distribution: normal with mean and sd");
  if (spec["mean"] || spec["sd"]) r.fail(spec, key, "mean and sd belong to distribution: normal");
  p.kind = Parameter::Kind::range;
  p.min = r.real(spec["min"], key + ".min");
  p.max = r.real(spec["max"], key + ".max");
  if (!(p.min < p.max)) r.fail(spec["max"], key + ".max", "must be greater than min");
  if (spec["scale"]) {
    const std::string s = r.scalar(spec["scale"], key + ".scale");
    if (s != "log" && s != "linear")
      r.fail(spec["scale"], key + ".scale", "expected linear or log, got '" + s + "'");
    p.log_scale = s == "log";
    if (p.log_scale && p.min <= 0) r.fail(spec["min"], key + ".min", "scale: log needs min > 0");
  }
  if (spec["steps"]) {
    p.steps = static_cast<std::uint32_t>(r.count(spec["steps"], key + ".steps", 2, 100'000));
    for (std::uint32_t k = 0; k < p.steps; ++k) {
      const double f = static_cast<double>(k) / (p.steps - 1);
      p.values.push_back(p.log_scale
                             ? std::exp(std::log(p.min) + f * (std::log(p.max) - std::log(p.min)))
                             : p.min + f * (p.max - p.min));
    }
    p.values.front() = p.min;  // exact ends, whatever the rounding in between
    p.values.back() = p.max;
  }
  return p;
}

std::string read_text(const std::string& path) {
  try {
    return os::read_regular_file(path, kMaxSweepBytes, "sweep file");
  } catch (const os::FileError& e) {
    throw ScenarioError(path, 0, 0, "", e.reason());
  }
}

}  // namespace

SweepSpec load_sweep(const std::string& path) {
  return load_sweep_text(read_text(path), path);
}

SweepSpec load_sweep_text(std::string text, const std::string& path) {
  if (text.size() > kMaxSweepBytes)
    throw ScenarioError(path, 0, 0, "", "a sweep file is at most 1 MiB");
  if (text.find('\0') != std::string::npos)
    throw ScenarioError(path, 0, 0, "", "the sweep file contains NUL bytes: not a text file");
  if (const auto second = scenario::second_document_at(text))
    throw ScenarioError(path, second->first, second->second, "",
                        "expected one YAML document, found more than one (a '---' line?); the "
                        "others would be ignored");
  SweepSpec spec;
  spec.file = path;
  spec.text = std::move(text);
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const Reader r(path);
  YAML::Node root;
  try {
    root = YAML::Load(spec.text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(path, e.mark.line + 1, e.mark.column + 1, "", e.msg);
  }
  if (!root.IsMap()) r.fail(root, "", "a sweep file is a mapping with at least 'base'");
  r.only(root, "", {"base", "seed", "replications", "set", "design", "parameters", "variants"});

  if (!root["base"]) r.fail(root, "base", "missing: the base scenario file");
  const std::string base = r.scalar(root["base"], "base");
  spec.base =
      std::filesystem::path(base).is_absolute() ? std::filesystem::path(base) : folder / base;
  try {
    spec.base_text = os::read_regular_file(spec.base, kMaxScenarioBytes, "scenario file");
  } catch (const os::FileError& e) {
    if (e.reason() == "no such file")
      r.fail(root["base"], "base",
             "no such scenario file '" + spec.base.string() + "' (relative to the sweep file)");
    r.fail(root["base"], "base",
           "scenario file '" + spec.base.string() + "' (relative to the sweep file) " + e.reason());
  }
  if (root["seed"])
    spec.seed = r.count(root["seed"], "seed", 0, std::numeric_limits<std::int64_t>::max());
  if (root["replications"])
    spec.replications =
        static_cast<std::uint32_t>(r.count(root["replications"], "replications", 1, 100'000));
  if (root["set"]) spec.overrides = r.overrides(root["set"], "set");

  // Design.
  if (!root["design"]) r.fail(root, "design", "missing: design: {method: ...}");
  const YAML::Node design = root["design"];
  r.expect_map(design, "design");
  r.only(design, "design", {"method", "points", "trajectories", "levels", "file"});
  if (!design["method"]) r.fail(design, "design.method", "missing");
  spec.method = parse_method(r, design["method"]);
  const bool sampled = spec.method == Method::random || spec.method == Method::lhs ||
                       spec.method == Method::sobol || spec.method == Method::saltelli;
  if (sampled) {
    if (!design["points"]) r.fail(design, "design.points", "missing: how many points to sample");
    spec.points =
        static_cast<std::uint32_t>(r.count(design["points"], "design.points", 1, 1'000'000));
  } else if (design["points"]) {
    r.fail(design["points"], "design.points", "only random, lhs, sobol and saltelli take points");
  }
  if (spec.method == Method::morris) {
    if (design["trajectories"])
      spec.trajectories = static_cast<std::uint32_t>(
          r.count(design["trajectories"], "design.trajectories", 1, 100'000));
    if (design["levels"]) {
      spec.levels = static_cast<std::uint32_t>(r.count(design["levels"], "design.levels", 2, 1000));
      if (spec.levels % 2 != 0)
        r.fail(design["levels"], "design.levels", "must be even (Morris 1991)");
    }
  } else if (design["trajectories"] || design["levels"]) {
    r.fail(design, "design", "trajectories and levels belong to method: morris");
  }
  if (spec.method == Method::table) {
    if (!design["file"]) r.fail(design, "design.file", "missing: the CSV file of design points");
    const std::string f = r.scalar(design["file"], "design.file");
    spec.table = std::filesystem::path(f).is_absolute() ? std::filesystem::path(f) : folder / f;
    if (const std::string kind = os::non_regular_kind(spec.table); !kind.empty())
      r.fail(design["file"], "design.file",
             "'" + spec.table.string() + "' is " + kind + ", not a CSV file");
    if (!os::identity_of(spec.table))
      r.fail(design["file"], "design.file", "no such file '" + spec.table.string() + "'");
    if (root["parameters"])
      r.fail(root["parameters"], "parameters",
             "method: table takes its parameters from the CSV header; remove this section");
  } else if (design["file"]) {
    r.fail(design["file"], "design.file", "only method: table reads a file");
  }

  // Parameters, checked against the scenario schema.
  std::map<std::string, std::string> types;
  for (const auto& info : scenario::list_params()) types[info.path] = info.type;
  const auto check_path = [&](const std::string& p, const YAML::Node& at, const std::string& key) {
    const auto found = types.find(scenario::key_pattern(p));
    if (found == types.end())
      r.fail(at, key, "'" + p + "' is not a scenario parameter ('gigsim params' lists them)");
    if (found->second != "real" && found->second != "integer" && found->second != "bool")
      r.fail(at, key,
             "'" + p + "' is a " + found->second +
                 "; only numbers and booleans can vary (use variants for other changes)");
    return found->second;
  };
  if (spec.method != Method::table) {
    if (!root["parameters"] || !root["parameters"].IsMap() || root["parameters"].size() == 0)
      r.fail(root["parameters"] ? root["parameters"] : root, "parameters",
             "expected a mapping of at least one scenario key path to how it varies");
    r.no_duplicates(root["parameters"], "parameters",
                    [&](const YAML::Node& k) { return r.key_path(k, "parameters"); });
    for (const auto& kv : root["parameters"]) {
      const std::string p = r.key_path(kv.first, "parameters");
      const std::string type = check_path(p, kv.first, "parameters." + p);
      Parameter param = parse_parameter(r, p, kv.second);
      param.integer = type == "integer";
      param.boolean = type == "bool";
      const bool listed = !param.values.empty();
      if ((spec.method == Method::grid || spec.method == Method::zip) && !listed)
        r.fail(kv.second, "parameters." + p,
               std::string(method_name(spec.method)) +
                   " needs a list: values: [...] or min, max and steps");
      spec.parameters.push_back(std::move(param));
    }
    if (spec.method == Method::zip) {
      for (const auto& p : spec.parameters) {
        if (p.values.size() != spec.parameters.front().values.size())
          throw ScenarioError(
              path, p.line, p.column, "parameters." + p.path,
              "zip needs lists of equal length: " + std::to_string(p.values.size()) + " here, " +
                  std::to_string(spec.parameters.front().values.size()) + " for " +
                  spec.parameters.front().path);
      }
    }
  }

  // Variants.
  if (root["variants"]) {
    const YAML::Node variants = root["variants"];
    if (!variants.IsSequence() || variants.size() == 0 || variants.size() > 1000)
      r.fail(variants, "variants", "expected a list of 1 to 1000 variants");
    std::set<std::string> names;
    for (std::size_t i = 0; i < variants.size(); ++i) {
      const std::string key = "variants[" + std::to_string(i) + "]";
      const YAML::Node v = variants[i];
      r.expect_map(v, key);
      r.only(v, key, {"name", "set"});
      if (!v["name"]) r.fail(v, key + ".name", "missing");
      Variant variant;
      variant.name = r.scalar(v["name"], key + ".name");
      if (variant.name.empty() || !names.insert(variant.name).second)
        r.fail(v["name"], key + ".name", "variant names must be non-empty and distinct");
      if (v["set"]) variant.overrides = r.overrides(v["set"], key + ".set");
      spec.variants.push_back(std::move(variant));
    }
  } else {
    spec.variants.push_back(Variant{"base", {}});
  }

  // Every override must apply to the base scenario. They are tried all at once; only if that
  // fails are prefixes tried, by bisection, so an error points at the line that causes it after
  // O(log n) loads of the base, not n (a 1 MiB sweep file can hold tens of thousands).
  std::size_t site = 0;  // r.sites() index of the first override of `added`
  const auto check_overrides = [&](const std::vector<std::string>& before,
                                   const std::vector<std::string>& added) {
    const auto error_with = [&](std::size_t k) -> std::optional<ScenarioError> {
      std::vector<std::string> all = before;
      all.insert(all.end(), added.begin(), added.begin() + static_cast<std::ptrdiff_t>(k));
      try {
        (void)scenario::load_string(spec.base_text, spec.base.string(), all);
      } catch (const ScenarioError& e) {
        return e;
      }
      return std::nullopt;
    };
    std::optional<ScenarioError> error = error_with(added.size());
    if (error) {
      if (error->file() != "--set") throw *error;  // the base scenario itself is broken
      std::size_t good = 0, bad = added.size();    // error_with(good) is fine, error_with(bad) not
      while (bad - good > 1) {
        const std::size_t mid = good + (bad - good) / 2;
        if (std::optional<ScenarioError> at_mid = error_with(mid)) {
          bad = mid;
          error = std::move(at_mid);
        } else {
          good = mid;
        }
      }
      if (error->file() != "--set") throw *error;
      const auto& s = r.sites().at(site + bad - 1);
      r.fail(s.node, s.key, error->message());
    }
    site += added.size();
  };
  check_overrides({}, spec.overrides);
  for (const auto& v : spec.variants) check_overrides(spec.overrides, v.overrides);

  // Each parameter must be in the base scenario: an index past a list's end would fail every run.
  const VariableKeys keys(spec);
  for (const Parameter& p : spec.parameters) {
    try {
      (void)keys.check(p.path);
    } catch (const std::invalid_argument& e) {
      throw ScenarioError(path, p.line, p.column, "parameters." + p.path, e.what());
    }
  }
  return spec;
}

}  // namespace gigsim::sweep
