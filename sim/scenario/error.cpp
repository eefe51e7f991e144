#include <utility>

#include "gigsim/scenario.hpp"

namespace gigsim::scenario {
namespace {

std::string compose(const std::string& file, int line, int column, const std::string& key_path,
                    const std::string& message) {
  std::string text;
  text.append(file);
  if (line > 0) {
    text.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  }
  text.append(": ");
  if (!key_path.empty()) text.append(key_path).append(": ");
  text.append(message);
  return text;
}

}  // namespace

ScenarioError::ScenarioError(std::string file, int line, int column, std::string key_path,
                             std::string message)
    : std::runtime_error(compose(file, line, column, key_path, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_path_(std::move(key_path)),
      message_(std::move(message)) {}

}  // namespace gigsim::scenario
