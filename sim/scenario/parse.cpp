// YAML -> ScenarioSpec. The Parser visitor walks the schema (schema.hpp), consuming keys from each
// mapping; keys left over are errors with a "did you mean" suggestion. Every error names the file,
// the 1-based line and column of the offending node and the key path.
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "gigsim/files.hpp"
#include "gigsim/scenario.hpp"
#include "limits.hpp"
#include "schema.hpp"

namespace gigsim::scenario {
namespace {

// Ignores every event but remembers where the document started.
class DocumentStart final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark start = YAML::Mark::null_mark();
};

// Where a second YAML document starts, if there is one. Reads at most two documents.
std::optional<YAML::Mark> second_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStart handler;
  if (!parser.HandleNextDocument(handler)) return std::nullopt;
  if (!parser.HandleNextDocument(handler)) return std::nullopt;
  return handler.start;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    std::uint32_t cp = 0;
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size()) return false;  // truncated
    for (int k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

namespace {

using schema::describe;
using schema::Meta;

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string indexed(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// The key path one level up: "platforms[0].take_rate" -> "platforms[0]" -> "platforms" -> "".
std::string parent_path(const std::string& path) {
  const std::size_t cut = path.find_last_of(".[");
  return cut == std::string::npos ? std::string() : path.substr(0, cut);
}

// What a node is, for "expected X, got Y" messages.
std::string shown(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing (null)";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  if (node.Tag() == "!") return "'" + node.Scalar() + "' (quoted, so a string)";
  return "'" + node.Scalar() + "'";
}

// Where a --set override put a value: errors at or below `path` point at the override string.
struct OverrideSite {
  std::string path;
  int value_column;  // 1-based column of the value in the override string
};

class Context {
 public:
  explicit Context(std::string file) : file_(std::move(file)) {}
  // A context for more overrides on a scenario `base` resolved: its file, its overrides so far
  // and, for positions, its marks.
  explicit Context(const Context& base, std::vector<OverrideSite> more)
      : file_(base.file_), overrides_(base.overrides_), base_marks_(&base.marks_) {
    overrides_.insert(overrides_.end(), more.begin(), more.end());
  }

  std::map<std::string, YAML::Mark>& marks() { return marks_; }
  // Whether the scenario gave a value per worker (resolve_per_worker), whose total then depends
  // on workers.count.
  bool resolved_per_worker = false;
  std::vector<OverrideSite>& overrides() { return overrides_; }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& path,
                         std::string message) const {
    for (auto site = overrides_.rbegin(); site != overrides_.rend(); ++site) {
      const bool below = path.size() > site->path.size() && path.starts_with(site->path) &&
                         (path[site->path.size()] == '.' || path[site->path.size()] == '[');
      if (path == site->path || below) {
        throw ScenarioError("--set", 1, site->value_column, path, std::move(message));
      }
    }
    if (mark.is_null()) throw ScenarioError(file_, 0, 0, path, std::move(message));
    throw ScenarioError(file_, mark.line + 1, mark.column + 1, path, std::move(message));
  }

  // For cross-field rules: the position of `path`, or of the nearest enclosing node that has one.
  [[noreturn]] void fail_at(const std::string& path, std::string message) const {
    std::string at = path;
    while (true) {
      const auto found = marks_.find(at);
      if (found != marks_.end() && !found->second.is_null()) {
        fail(found->second, path, std::move(message));
      }
      if (base_marks_ != nullptr) {
        const auto in_base = base_marks_->find(at);
        if (in_base != base_marks_->end() && !in_base->second.is_null())
          fail(in_base->second, path, std::move(message));
      }
      if (at.empty()) break;
      at = parent_path(at);
    }
    fail(YAML::Mark::null_mark(), path, std::move(message));
  }

 private:
  std::string file_;
  std::map<std::string, YAML::Mark> marks_;  // value-node position of every key path read
  std::vector<OverrideSite> overrides_;
  const std::map<std::string, YAML::Mark>* base_marks_ = nullptr;  // see the second constructor
};

// --- scalar conversion --------------------------------------------------------------------------

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool looks_integral(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return all_digits(text);
}

enum class RealStatus { ok, not_a_number, not_finite, too_large };

// YAML core-schema floats and ints; .inf/.nan are recognised only to be rejected.
RealStatus to_real(std::string_view text, double& out) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string_view body = lower;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  if (body == ".inf" || body == ".nan" || body == "inf" || body == "nan" || body == "infinity") {
    return RealStatus::not_finite;
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const char* first = text.data();
  const char* last = text.data() + text.size();
  const auto result = std::from_chars(first, last, out, std::chars_format::general);
  if (result.ptr != last || result.ec == std::errc::invalid_argument) {
    return RealStatus::not_a_number;
  }
  if (result.ec == std::errc::result_out_of_range) return RealStatus::too_large;
  return std::isfinite(out) ? RealStatus::ok : RealStatus::not_finite;
}

// --- the Parser visitor -------------------------------------------------------------------------

// Reads one scalar into a field of the spec, with the schema's range: the conversions the parser
// and the Patcher (ResolvedScenario) share, so both accept and refuse exactly the same values.
class ScalarReader {
 protected:
  explicit ScalarReader(Context& context) : context_(context) {}

  // The scalar's text; anything else (or a quoted string where a non-string is expected) fails.
  std::string scalar_text(const YAML::Node& node, const std::string& path,
                          const std::string& expected) const {
    if (!node.IsScalar() || node.Tag() == "!") {
      context_.fail(node.Mark(), path, "expected " + expected + ", got " + shown(node));
    }
    return node.Scalar();
  }

  [[noreturn]] void out_of_range(const YAML::Node& node, const std::string& path,
                                 const std::string& range) const {
    context_.fail(node.Mark(), path, "value " + node.Scalar() + " out of range " + range);
  }

  void read(const YAML::Node& node, const std::string& path, double& value,
            const Meta& meta) const {
    const std::string text = scalar_text(node, path, "a number");
    double parsed = 0;
    switch (to_real(text, parsed)) {
      case RealStatus::ok:
        break;
      case RealStatus::not_a_number:
        context_.fail(node.Mark(), path, "expected a number, got " + shown(node));
      case RealStatus::not_finite:
        context_.fail(node.Mark(), path, "expected a finite number, got " + shown(node));
      case RealStatus::too_large:
        context_.fail(node.Mark(), path, "value " + text + " cannot be represented as a double");
    }
    const bool above_min = meta.min_open ? parsed > meta.min : parsed >= meta.min;
    if (!above_min || parsed > meta.max) {
      out_of_range(node, path, schema::range_text(meta, false));
    }
    value = parsed;
  }

  template <class T>
  requires std::is_unsigned_v<T> &&
      (!std::is_same_v<T, bool>)void read(const YAML::Node& node, const std::string& path, T& value,
                                          const Meta& meta) const {
    const std::string text = scalar_text(node, path, "an integer");
    const std::string range =
        schema::range_text(meta, true, std::to_string(std::numeric_limits<T>::max()));
    std::string_view digits = text;
    bool negative = false;
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
      negative = digits.front() == '-';
      digits.remove_prefix(1);
    }
    if (!all_digits(digits)) {
      context_.fail(node.Mark(), path, "expected an integer, got " + shown(node));
    }
    std::uint64_t parsed = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
    if (result.ec == std::errc::result_out_of_range || (negative && parsed != 0) ||
        parsed > std::numeric_limits<T>::max()) {
      out_of_range(node, path, range);
    }
    const auto as_real = static_cast<double>(parsed);
    const bool above_min = meta.min_open ? as_real > meta.min : as_real >= meta.min;
    if (!above_min || as_real > meta.max) out_of_range(node, path, range);
    value = static_cast<T>(parsed);
  }

  void read(const YAML::Node& node, const std::string& path, bool& value,
            const Meta& /*meta*/) const {
    const std::string text = scalar_text(node, path, "true or false");
    if (text == "true" || text == "True" || text == "TRUE") {
      value = true;
    } else if (text == "false" || text == "False" || text == "FALSE") {
      value = false;
    } else {
      context_.fail(node.Mark(), path, "expected true or false, got " + shown(node));
    }
  }

  void read(const YAML::Node& node, const std::string& path, std::string& value,
            const Meta& meta) const {
    if (node.IsNull()) {
      value.clear();  // "description:" with nothing after it
    } else if (node.IsScalar()) {
      value = node.Scalar();
    } else {
      context_.fail(node.Mark(), path, "expected a string, got " + shown(node));
    }
    if (meta.required && value.empty()) {
      context_.fail(node.Mark(), path, "expected a non-empty string, got " + shown(node));
    }
    // Strings end up in HDF5 attributes declared UTF-8 and in reports: refuse what readers
    // could not decode.
    if (!valid_utf8(value)) {
      context_.fail(node.Mark(), path, "not valid UTF-8 text (save the file as UTF-8)");
    }
  }

  Context& context_;
};

class Parser : ScalarReader {
 public:
  // `node` is a mapping, or null/undefined for an absent section (all defaults).
  Parser(Context& context, const YAML::Node& node, std::string path)
      : ScalarReader(context), node_(node), path_(std::move(path)) {
    if (!node.IsDefined() || !node.IsMap()) return;
    for (const auto& pair : node) {
      const YAML::Node& key = pair.first;
      if (!key.IsScalar()) {
        context_.fail(key.Mark(), path_, "expected a key name, got " + shown(key));
      }
      // A hash index, not a scan of the keys so far: a mapping of n keys costs O(n), not O(n^2).
      const auto [seen, inserted] = index_.try_emplace(key.Scalar(), entries_.size());
      if (!inserted) {
        context_.fail(key.Mark(), join(path_, key.Scalar()),
                      "duplicate key '" + key.Scalar() + "' (first at line " +
                          std::to_string(entries_[seen->second].key.Mark().line + 1) + ")");
      }
      entries_.push_back(Entry{key.Scalar(), key, pair.second, false});
    }
  }

  template <class T>
  void field(std::string_view key, T& value, const Meta& meta) {
    known_.push_back(key);
    const std::string path = join(path_, key);
    Entry* entry = take(key);
    if (entry == nullptr) {
      if (meta.required) {
        context_.fail(node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark(), path,
                      "missing required key '" + std::string(key) + "'");
      }
      return;
    }
    context_.marks()[path] = entry->value.Mark();
    read(entry->value, path, value, meta);
  }

  template <class S>
  void section(std::string_view key, S& value, const Meta& /*meta*/) {
    known_.push_back(key);
    const std::string path = join(path_, key);
    Entry* entry = take(key);
    YAML::Node child;  // absent section: parse as empty so its rules still run on the defaults
    if (entry != nullptr) {
      child = entry->value;
      context_.marks()[path] = child.Mark();
      if (!child.IsMap() && !child.IsNull()) {
        context_.fail(child.Mark(), path, "expected a mapping, got " + shown(child));
      }
    }
    Parser parser(context_, child, path);
    describe(parser, value);
    parser.finish();
  }

  template <class E>
  void list(std::string_view key, std::vector<E>& items, const Meta& meta) {
    known_.push_back(key);
    const std::string path = join(path_, key);
    const std::string_view element = schema::element_name(static_cast<const E*>(nullptr));
    Entry* entry = take(key);
    if (entry == nullptr) {
      if (meta.required) {
        context_.fail(node_.IsDefined() ? node_.Mark() : YAML::Mark::null_mark(), path,
                      "missing required key '" + std::string(key) + "' (a list of " +
                          std::string(element) + "s)");
      }
      return;
    }
    const YAML::Node& sequence = entry->value;
    context_.marks()[path] = sequence.Mark();
    if (!sequence.IsSequence()) {
      context_.fail(sequence.Mark(), path, "expected a list, got " + shown(sequence));
    }
    const auto count = static_cast<double>(sequence.size());
    if (count < meta.min) {
      context_.fail(sequence.Mark(), path,
                    "expected at least " + schema::format_number(meta.min) + " " +
                        std::string(element) + ", got " + std::to_string(sequence.size()));
    }
    if (count > meta.max) {
      context_.fail(sequence.Mark(), path,
                    "expected at most " + schema::format_number(meta.max) + " " +
                        std::string(element) + "s, got " + std::to_string(sequence.size()));
    }
    items.clear();
    for (std::size_t i = 0; i < sequence.size(); ++i) {
      const YAML::Node item = sequence[i];
      const std::string item_path = indexed(path, i);
      context_.marks()[item_path] = item.Mark();
      if (!item.IsMap()) {
        context_.fail(item.Mark(), item_path, "expected a mapping, got " + shown(item));
      }
      E value{};
      Parser parser(context_, item, item_path);
      describe(parser, value);
      parser.finish();
      items.push_back(std::move(value));
    }
  }

  // PanelMode: all | sampled | none, or an integer N meaning sampled with `workers_key` = N.
  void panel(std::string_view key, PanelMode& mode, std::string_view workers_key,
             std::uint32_t& workers, const Meta& meta) {
    known_.push_back(key);
    const std::string path = join(path_, key);
    Entry* entry = take(key);
    if (entry == nullptr) return;
    const YAML::Node& node = entry->value;
    context_.marks()[path] = node.Mark();
    const std::string expected = "one of all, sampled, none or a number of workers";
    const std::string text = scalar_text(node, path, expected);
    if (text == "all") {
      mode = PanelMode::all;
    } else if (text == "sampled") {
      mode = PanelMode::sampled;
    } else if (text == "none") {
      mode = PanelMode::none;
    } else if (looks_integral(text)) {
      read(node, path, workers, meta);
      mode = PanelMode::sampled;
      if (find(workers_key) != nullptr) {
        context_.fail(node.Mark(), path,
                      "a number here sets " + std::string(workers_key) + "; give " +
                          std::string(workers_key) + " or a number, not both");
      }
      take(workers_key);  // consumed: panel: N is the whole statement
    } else {
      context_.fail(node.Mark(), path, "expected " + expected + ", got " + shown(node));
    }
  }

  // Already resolved into its total (resolve_per_worker); known here for "did you mean".
  void per_worker(std::string_view key, std::string_view /*total_key*/, const Meta& /*meta*/) {
    known_.push_back(key);
  }

  template <class MessageFn>
  void check(std::string_view relative_path, bool ok, MessageFn&& message) {
    if (ok || failed_check_) return;
    failed_check_ = FailedCheck{join(path_, relative_path), message()};
  }

  // Leftover keys are errors (typos must not pass silently); then the first broken rule.
  void finish() const {
    for (const Entry& entry : entries_) {
      if (entry.used) continue;
      std::string message = "unknown key '" + entry.name + "'";
      const std::string_view suggestion = schema::nearest_key(entry.name, known_);
      if (!suggestion.empty()) message += " (did you mean '" + std::string(suggestion) + "'?)";
      context_.fail(entry.key.Mark(), join(path_, entry.name), message);
    }
    if (failed_check_) context_.fail_at(failed_check_->path, failed_check_->message);
  }

 private:
  struct Entry {
    std::string name;
    YAML::Node key;
    YAML::Node value;
    bool used;
  };
  struct FailedCheck {
    std::string path;
    std::string message;
  };

  Entry* find(std::string_view key) {
    const auto found = index_.find(std::string(key));
    return found == index_.end() ? nullptr : &entries_[found->second];
  }
  Entry* take(std::string_view key) {
    Entry* entry = find(key);
    if (entry != nullptr) entry->used = true;
    return entry;
  }

  YAML::Node node_;
  std::string path_;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;  // key name -> position in entries_
  std::vector<std::string_view> known_;  // keys the schema offered here, for suggestions
  std::optional<FailedCheck> failed_check_;
};

// --- --set overrides ----------------------------------------------------------------------------

// The keys the schema offers at one level, for checking override paths before they touch the tree.
class KeyCollector {
 public:
  enum class Kind { value, section, list };
  struct Key {
    std::string_view name;
    Kind kind;
    std::function<void(KeyCollector&)> describe_children;
  };

  template <class T>
  void field(std::string_view key, T& /*value*/, const Meta& /*meta*/) {
    keys.push_back(Key{key, Kind::value, {}});
  }
  void panel(std::string_view key, PanelMode& /*mode*/, std::string_view /*workers_key*/,
             std::uint32_t& /*workers*/, const Meta& /*meta*/) {
    keys.push_back(Key{key, Kind::value, {}});
  }
  template <class S>
  void section(std::string_view key, S& /*value*/, const Meta& /*meta*/) {
    keys.push_back(Key{key, Kind::section, [](KeyCollector& collector) {
                         S defaults{};
                         describe(collector, defaults);
                       }});
  }
  template <class E>
  void list(std::string_view key, std::vector<E>& /*items*/, const Meta& /*meta*/) {
    keys.push_back(Key{key, Kind::list, [](KeyCollector& collector) {
                         E defaults{};
                         describe(collector, defaults);
                       }});
  }
  void per_worker(std::string_view key, std::string_view /*total_key*/, const Meta& /*meta*/) {
    keys.push_back(Key{key, Kind::value, {}});
  }
  template <class MessageFn>
  void check(std::string_view /*path*/, bool /*ok*/, MessageFn&& /*message*/) {}

  std::vector<Key> keys;
};

struct Segment {
  std::string key;                   // empty for an index segment
  std::optional<std::size_t> index;  // set for "[N]"
  int column;                        // 1-based column in the override string
};

[[noreturn]] void fail_set(int column, const std::string& path, std::string message) {
  throw ScenarioError("--set", 1, column, path, std::move(message));
}

bool is_key_char(char c, bool first) {
  return c == '_' || std::isalpha(static_cast<unsigned char>(c)) ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

std::vector<Segment> split_path(std::string_view text) {
  std::vector<Segment> segments;
  std::size_t pos = 0;
  std::string path;
  const auto column = [](std::size_t at) { return static_cast<int>(at) + 1; };
  while (true) {
    if (pos >= text.size() || !is_key_char(text[pos], true)) {
      fail_set(column(pos), path, "expected a key name in key.path=value");
    }
    const std::size_t start = pos;
    while (pos < text.size() && is_key_char(text[pos], false)) ++pos;
    segments.push_back(Segment{std::string(text.substr(start, pos - start)), {}, column(start)});
    path = join(path, segments.back().key);
    while (pos < text.size() && text[pos] == '[') {
      const std::size_t open = pos++;
      const std::size_t digits_start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      std::size_t index = 0;
      const auto result = std::from_chars(text.data() + digits_start, text.data() + pos, index);
      if (pos == digits_start || result.ec != std::errc() || pos >= text.size() ||
          text[pos] != ']') {
        fail_set(column(open), path, "expected [N] with a non-negative integer N");
      }
      ++pos;
      segments.push_back(Segment{std::string(), index, column(open)});
      path = indexed(path, index);
    }
    if (pos == text.size()) return segments;
    if (text[pos] != '.') fail_set(column(pos), path, "expected '.', '[' or '=' after a key");
    ++pos;
  }
}

// Checks the path against the schema; returns it in canonical form ("platforms[1].take_rate").
std::string check_path(const std::vector<Segment>& segments) {
  KeyCollector level;
  ScenarioSpec defaults;
  describe(level, defaults);
  std::string path;
  KeyCollector::Kind kind = KeyCollector::Kind::section;  // the root is a mapping
  bool indexed_list = false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    const std::string here = path;
    if (segment.index) {
      if (kind != KeyCollector::Kind::list || indexed_list) {
        fail_set(segment.column, here, "'" + here + "' is not a list");
      }
      indexed_list = true;
      path = indexed(path, *segment.index);
      continue;
    }
    if (kind == KeyCollector::Kind::value) {
      fail_set(segment.column, here, "'" + here + "' is a value, not a mapping");
    }
    if (kind == KeyCollector::Kind::list && !indexed_list) {
      fail_set(segment.column, here,
               "'" + here + "' is a list; use " + here + "[N]." + segment.key);
    }
    const auto found = std::find_if(level.keys.begin(), level.keys.end(),
                                    [&](const auto& key) { return key.name == segment.key; });
    path = join(path, segment.key);
    if (found == level.keys.end()) {
      std::vector<std::string_view> names;
      for (const auto& key : level.keys) names.push_back(key.name);
      std::string message = "unknown key '" + segment.key + "'";
      const std::string_view suggestion = schema::nearest_key(segment.key, names);
      if (!suggestion.empty()) message += " (did you mean '" + std::string(suggestion) + "'?)";
      fail_set(segment.column, path, message);
    }
    kind = found->kind;
    indexed_list = false;
    KeyCollector next;
    if (found->describe_children) found->describe_children(next);
    level = std::move(next);
  }
  return path;
}

// Puts `value` at `segments[i..]` below `node`, creating mappings that the file leaves out.
void set_in_tree(YAML::Node node, const std::vector<Segment>& segments, std::size_t i,
                 const YAML::Node& value, const std::string& path_so_far) {
  const Segment& segment = segments[i];
  const bool last = i + 1 == segments.size();
  if (segment.index) {
    const std::string path = indexed(path_so_far, *segment.index);
    const std::size_t size = node.IsDefined() && node.IsSequence() ? node.size() : 0;
    if (node.IsDefined() && !node.IsNull() && !node.IsSequence()) {
      fail_set(segment.column, path, "'" + path_so_far + "' in the scenario is not a list");
    }
    if (*segment.index >= size) {
      fail_set(segment.column, path,
               "index " + std::to_string(*segment.index) + " out of range ('" + path_so_far +
                   "' has " + std::to_string(size) + " entries)");
    }
    if (last) {
      node[*segment.index] = value;
    } else {
      set_in_tree(node[*segment.index], segments, i + 1, value, path);
    }
    return;
  }
  const std::string path = join(path_so_far, segment.key);
  if (node.IsDefined() && !node.IsNull() && !node.IsMap()) {
    fail_set(segment.column, path, "'" + path_so_far + "' in the scenario is not a mapping");
  }
  if (last) {
    node[segment.key] = value;
  } else {
    set_in_tree(node[segment.key], segments, i + 1, value, path);
  }
}

void apply_override(YAML::Node& root, const std::string& text, Context& context) {
  const std::size_t equals = text.find('=');
  if (equals == std::string::npos) {
    fail_set(1, "", "expected key.path=value, got '" + text + "'");
  }
  std::string_view key_text = std::string_view(text).substr(0, equals);
  while (!key_text.empty() && key_text.back() == ' ') key_text.remove_suffix(1);
  const std::vector<Segment> segments = split_path(key_text);
  const std::string path = check_path(segments);
  const int value_column = static_cast<int>(equals) + 2;
  YAML::Node value;
  try {
    const std::string value_text = text.substr(equals + 1);
    if (const std::optional<YAML::Mark> second = second_document(value_text)) {
      fail_set(value_column + std::max(0, second->pos), path,
               "expected one YAML value, found a second document ('---' or '...'); quote the "
               "value if it is text");
    }
    value = YAML::Load(value_text);
  } catch (const YAML::ParserException& error) {
    fail_set(value_column + std::max(0, error.mark.column), path,
             "invalid YAML value: " + error.msg);
  }
  set_in_tree(root, segments, 0, value, "");
  context.overrides().push_back(OverrideSite{path, value_column});
}

// The one per-worker key of the schema (v.per_worker in schema.hpp).
constexpr std::string_view kPerWorkerDemandKey = "tasks_per_week_per_worker";

// sectors[i].tasks_per_week_per_worker -> sectors[i].tasks_per_week = value * workers.count, in
// the tree, before parsing (schema::describe(SectorSpec)). Errors point at the per-worker key. A
// count the parser will reject leaves the tree alone: its error comes first.
void resolve_per_worker(YAML::Node& root, Context& context) {
  const std::string key(kPerWorkerDemandKey);
  const std::string total_key = "tasks_per_week";
  const YAML::Node& view = root;
  const YAML::Node sectors = view["sectors"];
  if (!sectors || !sectors.IsSequence()) return;
  double count = WorkerSpec{}.count;
  const YAML::Node workers = view["workers"];
  if (workers && workers.IsMap() && workers["count"]) {
    const YAML::Node given = workers["count"];
    if (!given.IsScalar() || !looks_integral(given.Scalar())) return;
    if (to_real(given.Scalar(), count) != RealStatus::ok) return;
  }
  for (std::size_t i = 0; i < sectors.size(); ++i) {
    YAML::Node sector = sectors[i];
    if (!sector.IsMap() || !sector[key]) continue;
    const std::string path = indexed("sectors", i) + "." + key;
    const YAML::Node value = sector[key];
    if (sector[total_key]) {
      // A --set of either form replaces the sector's demand however the file gave it.
      const std::string total_path = indexed("sectors", i) + "." + total_key;
      int last_total = -1, last_per_worker = -1;
      const auto& sites = context.overrides();
      for (std::size_t k = 0; k < sites.size(); ++k) {
        if (sites[k].path == total_path) last_total = static_cast<int>(k);
        if (sites[k].path == path) last_per_worker = static_cast<int>(k);
      }
      if (last_total > last_per_worker) {
        sector.remove(key);
        continue;
      }
      if (last_per_worker < 0)
        context.fail(value.Mark(), path,
                     "give " + total_key + " (whole market) or " + key + " (per worker), not both");
    }
    double per_worker = 0;
    if (!value.IsScalar() || value.Tag() == "!" ||
        to_real(value.Scalar(), per_worker) != RealStatus::ok)
      context.fail(value.Mark(), path, "expected a finite number, got " + shown(value));
    if (per_worker < 0 || per_worker > 1e5)
      context.fail(value.Mark(), path, "value " + value.Scalar() + " out of range [0, 100000]");
    const double total = per_worker * count;
    if (total > 1e9)
      context.fail(value.Mark(), path,
                   "gives " + schema::format_number(total) + " tasks a week with " +
                       schema::format_number(count) + " workers, above the limit of 1e9");
    sector.remove(key);
    sector[total_key] = schema::format_number(total);
    context.resolved_per_worker = true;
  }
}

}  // namespace

namespace {

// load_string, keeping the context (positions and override sites) for ResolvedScenario.
ScenarioSpec load_into(Context& context, std::string_view yaml, const std::string& filename,
                       const std::vector<std::string>& overrides) {
  YAML::Node root;
  try {
    // Not YAML::LoadAll: on some malformed inputs yaml-cpp 0.7's LoadAll never stops creating
    // nodes (jbeder/yaml-cpp#1319; found by tests/fuzz). Documents are counted with a parser that
    // is asked for at most two, and only the first is loaded.
    const std::string text(yaml);
    if (const std::optional<YAML::Mark> second = second_document(text)) {
      // A second document would be ignored silently; a stray "---" is more likely a mistake.
      context.fail(*second, "", "expected one YAML document, found more than one");
    }
    root = YAML::Load(text);
  } catch (const YAML::ParserException& error) {
    throw ScenarioError(filename, error.mark.line + 1, error.mark.column + 1, "", error.msg);
  } catch (const YAML::Exception& error) {
    throw ScenarioError(filename, 0, 0, "", error.msg);
  }
  if (root.IsDefined() && !root.IsNull() && !root.IsMap()) {
    context.fail(root.Mark(), "",
                 "expected a mapping of scenario keys at the top level, got " + shown(root));
  }
  if (!root.IsDefined() || root.IsNull()) {
    root = YAML::Node(YAML::NodeType::Map);  // empty file: overrides may still fill it
  }
  for (const std::string& override_text : overrides) apply_override(root, override_text, context);
  resolve_per_worker(root, context);
  context.marks()[""] = root.Mark();

  ScenarioSpec spec;
  Parser parser(context, root, "");
  describe(parser, spec);
  parser.finish();
  if (const std::optional<LimitBreach> breach = check_limits(spec))
    context.fail_at(breach->path, breach->message);
  return spec;
}

// Applies values to fields of a resolved spec as Parser would read them from overrides: the same
// conversions and ranges (ScalarReader), every cross-field rule re-checked level by level in the
// order Parser checks them, so the first error is the one load_string would report. Values it
// cannot apply (strings, the output panel, paths it does not meet) are left uncounted.
class Patcher : ScalarReader {
 public:
  Patcher(Context& context, const std::map<std::string, YAML::Node>& values, std::string path,
          std::size_t& applied)
      : ScalarReader(context), values_(values), path_(std::move(path)), applied_(applied) {
    const auto next = values_.lower_bound(path_);
    values_below_ =
        path_.empty() || (next != values_.end() && next->first.starts_with(path_) &&
                          next->first.size() > path_.size() &&
                          (next->first[path_.size()] == '.' || next->first[path_.size()] == '['));
  }

  template <class T>
  void field(std::string_view key, T& value, const Meta& meta) {
    if (!values_below_) return;
    if constexpr (!std::is_same_v<T, std::string>) {
      const std::string path = join(path_, key);
      const auto found = values_.find(path);
      if (found == values_.end()) return;
      read(found->second, path, value, meta);
      ++applied_;
    }
  }
  void panel(std::string_view, PanelMode&, std::string_view, std::uint32_t&, const Meta&) {}
  // A per-worker value is resolved into its total before parsing: left to load_string.
  void per_worker(std::string_view, std::string_view, const Meta&) {}
  template <class S>
  void section(std::string_view key, S& value, const Meta& /*meta*/) {
    Patcher inner(context_, values_, join(path_, key), applied_);
    describe(inner, value);
    inner.finish();
  }
  template <class E>
  void list(std::string_view key, std::vector<E>& items, const Meta& /*meta*/) {
    const std::string path = join(path_, key);
    for (std::size_t i = 0; i < items.size(); ++i) {
      Patcher inner(context_, values_, indexed(path, i), applied_);
      describe(inner, items[i]);
      inner.finish();
    }
  }
  template <class MessageFn>
  void check(std::string_view relative_path, bool ok, MessageFn&& message) {
    if (ok || failed_check_) return;
    failed_check_ = std::make_pair(join(path_, relative_path), message());
  }
  void finish() const {
    if (failed_check_) context_.fail_at(failed_check_->first, failed_check_->second);
  }

 private:
  const std::map<std::string, YAML::Node>& values_;
  std::string path_;
  std::size_t& applied_;
  bool values_below_ = false;
  std::optional<std::pair<std::string, std::string>> failed_check_;
};

// A number or a boolean that YAML reads as the plain scalar it is: then a scalar node of the text
// stands for what YAML::Load would give, and no YAML needs parsing.
bool plain_scalar(std::string_view text) {
  for (const std::string_view word : {"true", "True", "TRUE", "false", "False", "FALSE"})
    if (text == word) return true;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i == text.size();
}

}  // namespace

ScenarioSpec load_string(std::string_view yaml, const std::string& filename,
                         const std::vector<std::string>& overrides) {
  Context context(filename);
  return load_into(context, yaml, filename, overrides);
}

struct ResolvedScenario::Impl {
  std::string yaml;
  std::string filename;
  std::vector<std::string> overrides;
  Context context;
  ScenarioSpec spec;
  // The scenario gives a value per worker (resolve_per_worker): its total depends on
  // workers.count, so a new count needs a full parse.
  bool per_worker = false;
};

ResolvedScenario::ResolvedScenario(std::string_view yaml, const std::string& filename,
                                   const std::vector<std::string>& overrides) {
  auto impl = std::make_shared<Impl>(
      Impl{std::string(yaml), filename, overrides, Context(filename), ScenarioSpec{}});
  impl->spec = load_into(impl->context, impl->yaml, impl->filename, impl->overrides);
  impl->per_worker = impl->context.resolved_per_worker;
  impl_ = std::move(impl);
}

const ScenarioSpec& ResolvedScenario::spec() const {
  return impl_->spec;
}

ScenarioSpec ResolvedScenario::with(
    const std::vector<std::pair<std::string, std::string>>& values) const {
  const Impl& impl = *impl_;
  const auto reparse = [&] {
    std::vector<std::string> all = impl.overrides;
    for (const auto& [path, text] : values) all.push_back(path + "=" + text);
    return load_string(impl.yaml, impl.filename, all);
  };
  std::map<std::string, YAML::Node> nodes;
  std::vector<OverrideSite> sites;
  for (const auto& [path, text] : values) {
    // The output panel's two keys interact (panel: N sets panel_workers): left to the parser.
    if (!plain_scalar(text) || path.starts_with("output") ||
        path.find(kPerWorkerDemandKey) != std::string::npos ||
        (impl.per_worker && path == "workers.count") ||
        !nodes.emplace(path, YAML::Node(text)).second)
      return reparse();
    sites.push_back(OverrideSite{path, static_cast<int>(path.size()) + 2});
  }
  Context context(impl.context, std::move(sites));
  ScenarioSpec spec = impl.spec;
  std::size_t applied = 0;
  try {
    Patcher patcher(context, nodes, "", applied);
    describe(patcher, spec);
    patcher.finish();
  } catch (const ScenarioError&) {
    if (applied != nodes.size()) return reparse();  // it may have failed before a value it lacks
    throw;
  }
  if (applied != nodes.size()) return reparse();  // a path it does not know (not canonical, ...)
  if (const std::optional<LimitBreach> breach = check_limits(spec))
    context.fail_at(breach->path, breach->message);
  return spec;
}

namespace {

// Scenario files are short (the largest shipped one is a few KiB); a cap keeps a hostile file,
// or /dev/zero behind a symlink, from exhausting memory.
constexpr std::uint64_t kMaxScenarioBytes = std::uint64_t{4} << 20;

std::string read_file(const std::string& path) {
  try {
    return os::read_regular_file(path, kMaxScenarioBytes, "scenario file");
  } catch (const os::FileError& e) {
    throw ScenarioError(path, 0, 0, "", e.reason());
  }
}

}  // namespace

ScenarioSpec load_file(const std::string& path, const std::vector<std::string>& overrides) {
  return load_string(read_file(path), path, overrides);
}

std::string canonical_key_path(std::string_view key_path) {
  return check_path(split_path(key_path));
}

std::optional<std::pair<int, int>> second_document_at(const std::string& text) {
  try {
    if (const std::optional<YAML::Mark> second = second_document(text))
      return std::pair<int, int>{second->line + 1, second->column + 1};
  } catch (const YAML::Exception&) {
    // Malformed YAML: the loader reports it with its position.
  }
  return std::nullopt;
}

bool sets_key(const std::string& path, std::string_view key_path,
              const std::vector<std::string>& overrides) {
  const std::vector<Segment> segments = split_path(key_path);
  const std::string wanted = check_path(segments);
  for (const std::string& override_text : overrides) {
    const std::size_t equals = override_text.find('=');
    if (equals == std::string::npos) continue;
    std::string_view key_text = std::string_view(override_text).substr(0, equals);
    while (!key_text.empty() && key_text.back() == ' ') key_text.remove_suffix(1);
    const std::string given = check_path(split_path(key_text));
    const bool covers =
        wanted == given ||
        (wanted.starts_with(given) && (wanted[given.size()] == '.' || wanted[given.size()] == '['));
    if (covers) return true;
  }
  YAML::Node node;
  try {
    node = YAML::Load(read_file(path));
  } catch (const YAML::ParserException& error) {
    throw ScenarioError(path, error.mark.line + 1, error.mark.column + 1, "", error.msg);
  }
  for (const Segment& segment : segments) {
    const YAML::Node& view = node;  // const lookups never insert keys
    if (segment.index) {
      if (!view.IsSequence() || *segment.index >= view.size()) return false;
      node.reset(view[*segment.index]);
    } else {
      if (!view.IsMap() || !view[segment.key]) return false;
      node.reset(view[segment.key]);
    }
  }
  return true;
}

}  // namespace gigsim::scenario
