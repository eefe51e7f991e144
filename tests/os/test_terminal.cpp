// Text made safe for a terminal: control characters and invalid UTF-8 as \xNN, UTF-8 unchanged,
// also when a stream writes a sequence in pieces.
#include <gtest/gtest.h>

#include <ostream>
#include <sstream>

#include "gigsim/terminal.hpp"

namespace gigsim::os {
namespace {

TEST(Printable, EscapesControlsAndKeepsUtf8) {
  EXPECT_EQ(printable("plain text, tab\tand newline\n"), "plain text, tab\tand newline\n");
  EXPECT_EQ(printable("\x1b]0;owned\x07"), "\\x1B]0;owned\\x07");  // retitles a terminal
  EXPECT_EQ(printable("\x1b[2J\x1b[H"), "\\x1B[2J\\x1B[H");        // clears it
  EXPECT_EQ(printable("workers\x01"), "workers\\x01");
  EXPECT_EQ(printable("a\rb"), "a\\x0Db");
  EXPECT_EQ(printable("del\x7f"), "del\\x7F");
  EXPECT_EQ(printable(std::string("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(printable("G\xc3\xb6teborg \xe2\x82\xac \xf0\x9f\x98\x80"),
            "G\xc3\xb6teborg \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(printable("csi \xc2\x9b"
                      "2J"),
            "csi \\xC2\\x9B2J");  // C1 control U+009B
  EXPECT_EQ(printable("bad \xff\xfe \xc0\xaf \xed\xa0\x80"),
            "bad \\xFF\\xFE \\xC0\\xAF \\xED\\xA0\\x80");  // not UTF-8, overlong, surrogate
  EXPECT_EQ(printable("cut \xe2\x82"), "cut \\xE2\\x82");
  EXPECT_EQ(printable("two\nlines", false), "two\\x0Alines");
}

TEST(PrintableBuffer, FiltersAStreamAndJoinsSplitSequences) {
  std::ostringstream target;
  {
    PrintableBuffer buffer(target.rdbuf());
    std::ostream out(&buffer);
    out << "key '"
        << "x\x1b[31m"
        << "' \xe2";
    out << "\x82"
        << "\xac" << 42 << '\x07' << std::flush;
    EXPECT_EQ(target.str(),
              "key 'x\\x1B[31m' \xe2\x82\xac"
              "42\\x07");
    out << "tail \xe2\x82";  // incomplete at the end: escaped when the buffer goes
  }
  EXPECT_EQ(target.str(),
            "key 'x\\x1B[31m' \xe2\x82\xac"
            "42\\x07tail \\xE2\\x82");
}

}  // namespace
}  // namespace gigsim::os
