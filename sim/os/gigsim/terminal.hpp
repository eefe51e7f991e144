// Text that came from outside (file names, scenario keys and names, checkpoint provenance) made
// safe to print: a terminal acts on control characters, so ESC could retitle or clear it and a
// carriage return could hide what came before. Every message gigsim prints goes through
// PrintableBuffer (sim/cli/app.cpp), so no message path can forget.
#pragma once

#include <streambuf>
#include <string>
#include <string_view>

namespace gigsim::os {

// `text` with every control character but newline and tab (C0, DEL and the C1 controls
// U+0080..U+009F) and every byte that is not part of valid UTF-8 written as \xNN; valid UTF-8
// (accents, CJK, emoji) passes unchanged. With !keep_newlines a newline is \x0A too: for text
// quoted inside a one-line message, where it could forge a line of its own.
std::string printable(std::string_view text, bool keep_newlines = true);

// A stream buffer that writes what it is given to `target` as printable() text. A UTF-8 sequence
// split across writes is held back until it is complete (or the buffer is flushed at the end).
class PrintableBuffer final : public std::streambuf {
 public:
  explicit PrintableBuffer(std::streambuf* target) : target_(target) {}
  ~PrintableBuffer() override;
  PrintableBuffer(const PrintableBuffer&) = delete;
  PrintableBuffer& operator=(const PrintableBuffer&) = delete;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void drain(bool at_end);
  std::streambuf* target_;
  std::string pending_;  // bytes not yet written: at most an incomplete UTF-8 sequence
};

}  // namespace gigsim::os
