// One case of the restore fuzzer (fuzz_restore.cpp), shared with the corpus replay in the normal
// test suite (test_corpus.cpp). The input does not hold a checkpoint: it is a list of choices that
// edit the state of a seed checkpoint (loaded once), field by field through the section encoding,
// the way a crafted file with a valid checksum could: a section, an entry, elements and the
// values written into them (raw bytes, the field's rule bounds and just beyond, type extremes,
// NaN and infinities, values copied from elsewhere in the field), sometimes an entry's count or
// length, its kind or type, its name, or a whole section. The edited state is restored into a
// fresh simulation of the checkpoint's scenario, which then runs to the end. Refusal by
// RestoreError is the only failure allowed; anything else escaping is a bug.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/checkpoint.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/section.hpp"
#include "support/saved_state.hpp"

namespace gigsim::fuzz {

// A seed checkpoint with its scenario and the rules of its state.
struct RestoreBase {
  std::string name;
  ScenarioSpec spec;
  checkpoint::Checkpoint ck;
  StateRules rules;
};

// The seeds the inputs' first choice picks from, by file name (a new seed goes at the end, so that
// the corpus keeps its meaning): the registered mechanisms on, then every part of the state on.
inline const std::vector<std::string>& restore_seed_names() {
  static const std::vector<std::string> names{"week5.ckpt", "week5_every_state.ckpt"};
  return names;
}

inline std::vector<RestoreBase> load_restore_bases(const std::filesystem::path& dir,
                                                   std::string_view version) {
  std::vector<RestoreBase> bases;
  for (const std::string& name : restore_seed_names()) {
    RestoreBase b;
    b.name = name;
    b.ck = checkpoint::load(dir / name, version);
    b.spec = scenario::load_string(b.ck.provenance.scenario_yaml, name + " (scenario)");
    b.rules = Simulation(b.spec, ExecutionContext{1}).state_rules();
    bases.push_back(std::move(b));
  }
  return bases;
}

// The fuzz input read as choices; past its end every choice is 0.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  template <class T>
  T next() {
    T v{};
    const std::size_t n = std::min(sizeof v, size_ - at_);
    if (n > 0) std::memcpy(&v, data_ + at_, n);
    at_ += n;
    return v;
  }
  std::uint32_t below(std::uint32_t n) { return n == 0 ? 0 : next<std::uint32_t>() % n; }
  std::uint8_t byte() { return next<std::uint8_t>(); }
  void bytes(char* out, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<char>(byte());
  }
  bool done() const { return at_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

namespace detail {

// The entries of a section that decode (all of them unless an earlier edit broke the encoding).
inline std::vector<SectionEntry> entries_of(std::string_view bytes) {
  std::vector<SectionEntry> out;
  SectionCursor cursor(bytes);
  SectionEntry e;
  while (!cursor.at_end() && cursor.next(e) == SectionCursor::Problem::none) out.push_back(e);
  return out;
}

// A value for an element of type `type` under `rule`, chosen by the input.
inline double pick_value(Choices& c, std::uint8_t type, ValueRule rule) {
  const ElementType t = element_type(type);
  const double lo = std::max(rule.min, t.lowest), hi = std::min(rule.max, t.highest);
  switch (c.byte() % 4) {
    case 0: {  // a rule bound, or just beyond it
      const double bounds[] = {rule.min,
                               rule.max,
                               std::ceil(rule.min) - 1,
                               std::floor(rule.max) + 1,
                               std::nextafter(rule.min, -INFINITY),
                               std::nextafter(rule.max, INFINITY)};
      return bounds[c.below(std::size(bounds))];
    }
    case 1: {  // an extreme or special value of the type
      const double specials[] = {
          0,    -1,    1,     2,   t.lowest, t.highest, NAN,          INFINITY,    -INFINITY,
          1e30, -1e30, 1e-40, 255, 65535,    -32768,    2147483647.0, 4294967296.0};
      return specials[c.below(std::size(specials))];
    }
    case 2:  // anywhere in the rule's range (within the type)
      if (std::isfinite(lo) && std::isfinite(hi) && lo <= hi) {
        const double u = c.next<std::uint32_t>() / 4294967295.0;
        return t.floating ? lo + u * (hi - lo) : std::floor(lo + u * (hi - lo + 1));
      }
      return lo <= 0 && 0 <= hi ? 0 : lo;
    default:  // a small integer
      return static_cast<double>(static_cast<std::int8_t>(c.byte()));
  }
}

// Writes element `index` of `e`: raw input bytes, or a value picked for its rule.
inline void edit_element(Choices& c, std::string& bytes, const SectionEntry& e, std::uint64_t index,
                         const ValueRule& rule, bool raw) {
  const std::size_t size = element_type(e.type).size;
  char* at = bytes.data() + e.data_offset + index * size;
  if (raw) {
    c.bytes(at, size);
    return;
  }
  if (c.byte() % 4 == 0 && e.count > 1) {  // a valid value from elsewhere in the same field
    std::memmove(at,
                 bytes.data() + e.data_offset + c.below(static_cast<std::uint32_t>(e.count)) * size,
                 size);
    return;
  }
  const double v = pick_value(c, e.type, rule);
  bool fits = false;
  testing::with_element_type(e.type, [&]<class T>(T) { fits = testing::holds<T>(v); });
  if (fits) testing::set_element(bytes, e, index, v);
}

// Replaces the count of `e` and resizes its values to match: a well-formed entry of another
// length (new values copy the last one, or are zero).
inline void resize_entry(std::string& bytes, const SectionEntry& e, std::uint64_t count) {
  const std::size_t size = element_type(e.type).size;
  const std::size_t old_end = e.data_offset + static_cast<std::size_t>(e.count) * size;
  std::string values = bytes.substr(e.data_offset, static_cast<std::size_t>(e.count) * size);
  const std::string last = e.count > 0 ? values.substr(values.size() - size) : std::string(size, 0);
  values.resize(std::min<std::size_t>(values.size(), count * size));
  while (values.size() < count * size) values += last;
  std::memcpy(bytes.data() + e.count_offset, &count, sizeof count);
  bytes.replace(e.data_offset, old_end - e.data_offset, values);
}

inline void edit_section(Choices& c, std::string& bytes, const std::vector<FieldRule>& rules) {
  const std::vector<SectionEntry> entries = entries_of(bytes);
  const std::uint8_t op = c.byte();
  if (entries.empty() || op >= 250) {  // bytes of the section itself: cut or extend it
    if (c.byte() % 2 == 0) {
      bytes.resize(c.below(static_cast<std::uint32_t>(bytes.size() + 1)));
    } else {
      std::string tail(1 + c.byte() % 16, '\0');
      c.bytes(tail.data(), tail.size());
      bytes += tail;
    }
    return;
  }
  const std::size_t k = c.below(static_cast<std::uint32_t>(entries.size()));
  const SectionEntry& e = entries[k];
  const ValueRule rule = k < rules.size() ? rules[k].rule : kAnyValue;
  const auto element = [&] { return c.below(static_cast<std::uint32_t>(e.count)); };
  switch (op % 12) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:  // one element
      if (e.count > 0) edit_element(c, bytes, e, element(), rule, op % 12 == 4);
      return;
    case 5: {  // a run of elements, each chosen anew
      if (e.count == 0) return;
      const std::uint64_t first = element();
      const std::uint64_t n = std::min<std::uint64_t>(1 + c.byte(), e.count - first);
      for (std::uint64_t j = 0; j < n; ++j) edit_element(c, bytes, e, first + j, rule, false);
      return;
    }
    case 6:  // the same value in every element
      if (e.count == 0) return;
      edit_element(c, bytes, e, 0, rule, false);
      for (std::uint64_t j = 1; j < e.count; ++j) {
        const std::size_t size = element_type(e.type).size;
        std::memcpy(bytes.data() + e.data_offset + j * size, bytes.data() + e.data_offset, size);
      }
      return;
    case 7: {  // another length, well formed
      const std::int64_t delta = static_cast<std::int8_t>(c.byte()) % 5;
      const std::uint64_t count = c.byte() % 4 == 0
                                      ? 0
                                      : static_cast<std::uint64_t>(std::max<std::int64_t>(
                                            0, static_cast<std::int64_t>(e.count) + delta));
      if (count <= e.count + 1024) resize_entry(bytes, e, count);
      return;
    }
    case 8: {  // the count alone
      const std::uint64_t count =
          c.byte() % 2 ? e.count + static_cast<std::int8_t>(c.byte()) : c.next<std::uint64_t>();
      std::memcpy(bytes.data() + e.count_offset, &count, sizeof count);
      return;
    }
    case 9:  // the kind or the element type
      bytes[e.count_offset - 2 + c.below(2)] = static_cast<char>(c.byte());
      return;
    case 10:  // a byte of the name
      if (!e.name.empty())
        bytes[e.header_offset + 2 + c.below(static_cast<std::uint32_t>(e.name.size()))] =
            static_cast<char>(c.byte());
      return;
    default:  // the whole entry removed
      bytes.erase(e.header_offset,
                  e.data_offset + static_cast<std::size_t>(e.count) * element_type(e.type).size -
                      e.header_offset);
      return;
  }
}

// Writes what the edits changed, field by field, for triage.
inline void describe_changes(const SavedState& base, const SavedState& edited, std::ostream& out) {
  for (const auto& section : base.sections) {
    const std::string& name = section.first;
    const std::string& bytes = section.second;
    const auto it = edited.sections.find(name);
    if (it == edited.sections.end()) {
      out << name << ": dropped\n";
      continue;
    }
    if (it->second == bytes) continue;
    const std::vector<SectionEntry> was = entries_of(bytes), now = entries_of(it->second);
    for (std::size_t k = 0; k < std::max(was.size(), now.size()); ++k) {
      if (k >= was.size() || k >= now.size() || was[k].name != now[k].name ||
          was[k].kind != now[k].kind || was[k].type != now[k].type ||
          was[k].count != now[k].count) {
        out << name << ": entries differ from entry " << k << " ('"
            << (k < was.size() ? was[k].name : "") << "' was "
            << (k < was.size() ? was[k].count : 0) << " values; now '"
            << (k < now.size() ? now[k].name : "") << "', " << (k < now.size() ? now[k].count : 0)
            << " values)\n";
        break;
      }
      testing::with_element_type(was[k].type, [&]<class T>(T) {
        for (std::uint64_t j = 0; j < was[k].count; ++j) {
          T a, b;
          std::memcpy(&a, bytes.data() + was[k].data_offset + j * sizeof(T), sizeof a);
          std::memcpy(&b, it->second.data() + now[k].data_offset + j * sizeof(T), sizeof b);
          if (std::memcmp(&a, &b, sizeof a) != 0)
            out << name << "." << was[k].name << "[" << j << "]: " << +a << " -> " << +b << "\n";
        }
      });
    }
  }
}

}  // namespace detail

// Whether the edited state was accepted (and then ran to the end) or refused.
enum class RestoreOutcome { refused, ran };

// Runs one case; with `trace`, first writes what the edits changed.
inline RestoreOutcome run_restore_case(const std::vector<RestoreBase>& bases,
                                       const std::uint8_t* data, std::size_t size,
                                       std::ostream* trace = nullptr) {
  Choices c(data, size);
  const RestoreBase& base = bases[c.below(static_cast<std::uint32_t>(bases.size()))];
  SavedState state = base.ck.state;
  const int edits = 1 + c.byte() % 4;
  for (int k = 0; k < edits && !state.sections.empty(); ++k) {
    auto it = std::next(state.sections.begin(),
                        c.below(static_cast<std::uint32_t>(state.sections.size())));
    if (c.byte() == 255) {  // a section dropped: a mechanism then opens as in a branch
      state.sections.erase(it);
      continue;
    }
    const auto rules = base.rules.find(it->first);
    detail::edit_section(c, it->second,
                         rules == base.rules.end() ? std::vector<FieldRule>{} : rules->second);
  }
  if (trace) {
    *trace << base.name << ":\n";
    detail::describe_changes(base.ck.state, state, *trace);
  }
  Simulation sim(base.spec, ExecutionContext{1});
  try {
    sim.restore(state);
  } catch (const RestoreError&) {
    return RestoreOutcome::refused;
  }
  // The header's week is not checked here (the CLI refuses a mismatch): a crafted file can give
  // the same week in both places, so any week the engine's section accepts must run.
  sim.run();
  return RestoreOutcome::ran;
}

}  // namespace gigsim::fuzz
