#include "gigsim/section.hpp"

#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <type_traits>
#include <variant>
#include <vector>

namespace gigsim {

namespace {

// Scalar type codes follow the vector ones: 8 + ScalarData's index.
constexpr std::uint8_t kScalarBase = 8;

const char* kind_name(EntryKind kind) {
  return kind == EntryKind::column ? "column" : kind == EntryKind::value ? "value" : "values";
}

template <class T>
std::string text_of(const T& v) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::to_string(static_cast<double>(v));
  } else {
    return std::to_string(v);
  }
}

template <class T>
constexpr ElementType type_of() {
  return {sizeof(T), std::is_floating_point_v<T>, std::is_signed_v<T>,
          static_cast<double>(std::numeric_limits<T>::lowest()),
          static_cast<double>(std::numeric_limits<T>::max())};
}

// The element types of ColumnData's and ScalarData's alternatives, by index.
template <class P>
struct Element {
  using type = std::remove_pointer_t<P>;
};
template <class T>
struct Element<std::vector<T>*> {
  using type = T;
};
template <class Variant>
struct ElementTypes;
template <class... P>
struct ElementTypes<std::variant<P...>> {
  static constexpr ElementType of[] = {type_of<typename Element<P>::type>()...};
};

}  // namespace

ElementType element_type(std::uint8_t code) {
  constexpr auto& vectors = ElementTypes<ColumnData>::of;
  constexpr auto& scalars = ElementTypes<ScalarData>::of;
  static_assert(std::size(vectors) <= kScalarBase);
  if (code < std::size(vectors)) return vectors[code];
  if (code >= kScalarBase && code < kScalarBase + std::size(scalars))
    return scalars[code - kScalarBase];
  return {};
}

SectionCursor::Problem SectionCursor::next(SectionEntry& e) {
  std::string_view rest = bytes_.substr(offset_);
  std::uint16_t n = 0;
  if (rest.size() < sizeof n) return Problem::truncated;
  std::memcpy(&n, rest.data(), sizeof n);
  rest.remove_prefix(sizeof n);
  if (rest.size() < n + 2u + sizeof(std::uint64_t)) return Problem::truncated;
  e.header_offset = offset_;
  e.name = rest.substr(0, n);
  e.kind = static_cast<EntryKind>(static_cast<std::uint8_t>(rest[n]));
  e.type = static_cast<std::uint8_t>(rest[n + 1u]);
  e.count_offset = offset_ + sizeof n + n + 2u;
  std::memcpy(&e.count, bytes_.data() + e.count_offset, sizeof e.count);
  e.data_offset = e.count_offset + sizeof e.count;
  const std::size_t size = element_type(e.type).size;
  if (size == 0) return Problem::unknown_type;
  if (e.count > (bytes_.size() - e.data_offset) / size) return Problem::exceeds_section;
  offset_ = e.data_offset + static_cast<std::size_t>(e.count) * size;
  return Problem::none;
}

std::vector<SectionEntry> section_entries(std::string_view bytes, const std::string& section) {
  std::vector<SectionEntry> entries;
  SectionCursor cursor(bytes);
  while (!cursor.at_end()) {
    SectionEntry e;
    switch (cursor.next(e)) {
      case SectionCursor::Problem::none:
        entries.push_back(e);
        continue;
      case SectionCursor::Problem::truncated:
        throw RestoreError("saved state, section '" + section + "': truncated");
      case SectionCursor::Problem::unknown_type:
      case SectionCursor::Problem::exceeds_section:
        throw RestoreError("saved state, section '" + section + "', '" + std::string(e.name) +
                           "': not a field of known type and length");
    }
  }
  return entries;
}

void SectionWriter::entry(std::string_view name, EntryKind kind, std::uint8_t type,
                          std::uint64_t count, const void* data, std::size_t size) {
  const auto n = static_cast<std::uint16_t>(name.size());
  bytes_.append(reinterpret_cast<const char*>(&n), sizeof n);
  bytes_.append(name);
  bytes_.push_back(static_cast<char>(kind));
  bytes_.push_back(static_cast<char>(type));
  bytes_.append(reinterpret_cast<const char*>(&count), sizeof count);
  if (size > 0) bytes_.append(static_cast<const char*>(data), size);
}

void SectionWriter::column(std::string_view name, ColumnData data, std::size_t, ValueRule) {
  std::visit(
      [&](auto* v) {
        entry(name, EntryKind::column, static_cast<std::uint8_t>(data.index()), v->size(),
              v->data(), v->size() * sizeof((*v)[0]));
      },
      data);
}

void SectionWriter::values(std::string_view name, ColumnData data, std::size_t, ValueRule) {
  std::visit(
      [&](auto* v) {
        entry(name, EntryKind::values, static_cast<std::uint8_t>(data.index()), v->size(),
              v->data(), v->size() * sizeof((*v)[0]));
      },
      data);
}

void SectionWriter::value(std::string_view name, ScalarData data, ValueRule) {
  std::visit(
      [&](auto* x) {
        entry(name, EntryKind::value, static_cast<std::uint8_t>(kScalarBase + data.index()), 1, x,
              sizeof *x);
      },
      data);
}

void SectionReader::fail(std::string_view field, const std::string& what) const {
  throw RestoreError("saved state, section '" + section_ + "'" +
                     (field.empty() ? std::string() : ", '" + std::string(field) + "'") + ": " +
                     what);
}

template <class V>
void SectionReader::read_vector(std::string_view name, EntryKind kind, std::uint8_t type,
                                std::size_t expected, V& v, ValueRule rule) {
  using T = typename V::value_type;
  if (cursor_.at_end()) fail(name, "missing (the section ends)");
  SectionEntry e;
  const SectionCursor::Problem problem = cursor_.next(e);
  if (problem == SectionCursor::Problem::truncated) fail(name, "truncated");
  if (e.name != name) fail(name, "expected here, found '" + std::string(e.name) + "'");
  if (e.kind != kind || e.type != type)
    fail(name, std::string("saved as another kind or type (expected a ") + kind_name(kind) + ")");
  if (expected != kAnyLength && e.count != expected)
    fail(name, "has " + std::to_string(e.count) + " values, expected " + std::to_string(expected));
  if (problem != SectionCursor::Problem::none) fail(name, "length exceeds the section");
  v.resize(e.count);
  if (e.count > 0) std::memcpy(v.data(), bytes_.data() + e.data_offset, e.count * sizeof(T));
  for (std::size_t j = 0; j < v.size(); ++j) {
    if (breaks(v[j], rule))
      fail(name, "value " + text_of(v[j]) + " at index " + std::to_string(j) +
                     " is outside its range [" + text_of(rule.min) + ", " + text_of(rule.max) +
                     "]" + (std::is_floating_point_v<T> ? " or not finite" : ""));
  }
  if constexpr (std::is_integral_v<T>) {
    if (!rule.money) return;
    // Each value is within +-kMaxSavedMoneyCents < 2^63 (its rule), and the sum is checked after
    // each one, so it stays below 2^64 until it has passed the bound.
    constexpr auto max = static_cast<std::uint64_t>(kMaxSavedMoneyCents);
    for (const T x : v) {
      const auto cents = static_cast<std::int64_t>(x);
      money_.cents += static_cast<std::uint64_t>(cents < 0 ? -cents : cents);
      if (money_.cents > max)
        fail(name, "the state's money reaches " + std::to_string(money_.cents) +
                       " cents here, more than a run can hold (" + std::to_string(max) + ")");
    }
  }
}

void SectionReader::column(std::string_view name, ColumnData data, std::size_t per_worker,
                           ValueRule rule) {
  std::visit(
      [&](auto* v) {
        read_vector(name, EntryKind::column, static_cast<std::uint8_t>(data.index()),
                    static_cast<std::size_t>(workers_) * per_worker, *v, rule);
      },
      data);
}

void SectionReader::values(std::string_view name, ColumnData data, std::size_t length,
                           ValueRule rule) {
  std::visit(
      [&](auto* v) {
        read_vector(name, EntryKind::values, static_cast<std::uint8_t>(data.index()), length, *v,
                    rule);
      },
      data);
}

void SectionReader::value(std::string_view name, ScalarData data, ValueRule rule) {
  std::visit(
      [&](auto* x) {
        using T = std::remove_pointer_t<decltype(x)>;
        std::vector<T> one;
        read_vector(name, EntryKind::value, static_cast<std::uint8_t>(kScalarBase + data.index()),
                    1, one, rule);
        *x = one[0];
      },
      data);
}

void SectionReader::finish() const {
  if (!cursor_.at_end()) fail("", "unexpected bytes after its last field");
}

void StateBytes::add(ColumnData data) {
  std::visit([&](auto* v) { bytes += v->capacity() * sizeof((*v)[0]); }, data);
}

void StateResize::column(std::string_view, ColumnData data, std::size_t per_worker, ValueRule) {
  std::visit([&](auto* v) { v->assign(static_cast<std::size_t>(workers_) * per_worker, {}); },
             data);
}

}  // namespace gigsim
