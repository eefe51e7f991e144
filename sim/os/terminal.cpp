#include "gigsim/terminal.hpp"

#include <cstdint>
#include <cstdio>

namespace gigsim::os {

namespace {

void escape_byte(std::string& out, unsigned char c) {
  char text[5];
  std::snprintf(text, sizeof text, "\\x%02X", c);
  out += text;
}

// Length of the valid UTF-8 sequence at text[0] (1 for ASCII); 0 if it is not valid UTF-8; -1 if
// it is a valid start that `text` cuts short.
int sequence_length(std::string_view text, std::uint32_t& code_point) {
  const auto c = static_cast<unsigned char>(text[0]);
  if (c < 0x80) {
    code_point = c;
    return 1;
  }
  int extra = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    extra = 1;
    code_point = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2;
    code_point = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3;
    code_point = c & 0x07u;
  } else {
    return 0;
  }
  for (int k = 1; k <= extra; ++k) {
    if (static_cast<std::size_t>(k) >= text.size()) return -1;
    const auto d = static_cast<unsigned char>(text[static_cast<std::size_t>(k)]);
    if ((d & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (d & 0x3Fu);
  }
  static constexpr std::uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
  if (code_point < kMinimum[extra] || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF))
    return 0;
  return extra + 1;
}

// Appends the printable form of `text` to `out`; returns how many bytes were consumed (fewer
// than text.size() only when !at_end and the text ends in an incomplete UTF-8 sequence).
std::size_t append_printable(std::string& out, std::string_view text, bool at_end,
                             bool keep_newlines = true) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint32_t code_point = 0;
    const int n = sequence_length(text.substr(i), code_point);
    if (n < 0 && !at_end) break;
    if (n <= 0) {
      escape_byte(out, static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    const bool line_break = code_point == '\n' && keep_newlines;
    const bool control = (code_point < 0x20 && !line_break && code_point != '\t') ||
                         (code_point >= 0x7F && code_point <= 0x9F);
    if (control) {
      for (int k = 0; k < n; ++k) escape_byte(out, static_cast<unsigned char>(text[i + k]));
    } else {
      out.append(text.substr(i, static_cast<std::size_t>(n)));
    }
    i += static_cast<std::size_t>(n);
  }
  return i;
}

}  // namespace

std::string printable(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  append_printable(out, text, true, keep_newlines);
  return out;
}

PrintableBuffer::~PrintableBuffer() {
  drain(true);
  target_->pubsync();
}

void PrintableBuffer::drain(bool at_end) {
  std::string out;
  const std::size_t used = append_printable(out, pending_, at_end);
  pending_.erase(0, used);
  target_->sputn(out.data(), static_cast<std::streamsize>(out.size()));
}

PrintableBuffer::int_type PrintableBuffer::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

std::streamsize PrintableBuffer::xsputn(const char* s, std::streamsize n) {
  pending_.append(s, static_cast<std::size_t>(n));
  drain(false);
  return n;
}

int PrintableBuffer::sync() {
  // An incomplete sequence stays pending: the rest of it may come with the next write.
  drain(false);
  return target_->pubsync();
}

}  // namespace gigsim::os
