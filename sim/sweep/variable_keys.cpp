#include "variable_keys.hpp"

#include <stdexcept>

#include "gigsim/scenario.hpp"

namespace gigsim::sweep {

VariableKeys::VariableKeys(const SweepSpec& spec) {
  for (const auto& info : scenario::list_params()) types_[info.path] = info.type;
  for (auto& [key, value] :
       scenario::flatten(scenario::load_string(spec.base_text, spec.base.string(), spec.overrides)))
    base_.emplace(std::move(key), std::move(value));
}

std::string VariableKeys::check(const std::string& key_path) const {
  std::string canonical;
  try {
    canonical = scenario::canonical_key_path(key_path);
  } catch (const scenario::ScenarioError& e) {
    throw std::invalid_argument(
        "'" + key_path +
        "' is not a scenario parameter ('gigsim params' lists them): " + e.message());
  }
  const auto type = types_.find(scenario::key_pattern(canonical));
  if (type == types_.end())
    throw std::invalid_argument("'" + canonical +
                                "' is not a scenario parameter ('gigsim params' lists them)");
  if (type->second != "real" && type->second != "integer" && type->second != "bool")
    throw std::invalid_argument("'" + canonical + "' is a " + type->second +
                                "; only numbers and booleans can vary (use variants for other "
                                "changes)");
  if (base_.count(canonical) == 0) {
    // An index past the end of a list: name the list and its length.
    std::string list = canonical.substr(0, canonical.find('['));
    const auto size = base_.find(list + ".size");
    throw std::invalid_argument("'" + canonical + "' is not in the base scenario" +
                                (size == base_.end()
                                     ? std::string()
                                     : " (its " + list + " has " + size->second + " entries)") +
                                "; every run would fail");
  }
  return canonical;
}

}  // namespace gigsim::sweep
