// Generated parts of the documentation match what the program prints now.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "cli/in_process.hpp"

namespace gigsim {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(Docs, OddScheduleTableIsWhatGigsimSchedulePrints) {
  // docs/ODD.md §1.3 holds `gigsim schedule --format markdown` between the two markers.
  const std::string path = std::string(GIGSIM_SOURCE_DIR) + "/docs/ODD.md";
  const std::string odd = read_text(path);
  ASSERT_FALSE(odd.empty()) << "cannot read " << path;
  const std::string begin = "<!-- schedule:begin -->\n", end = "<!-- schedule:end -->\n";
  const std::size_t b = odd.find(begin);
  const std::size_t e = odd.find(end);
  ASSERT_NE(b, std::string::npos) << path << " has no line '" << begin.substr(0, begin.size() - 1)
                                  << "'";
  ASSERT_NE(e, std::string::npos) << path << " has no line '" << end.substr(0, end.size() - 1)
                                  << "'";
  ASSERT_LT(b, e) << path << ": the schedule markers are in the wrong order";
  const std::string table = odd.substr(b + begin.size(), e - b - begin.size());
  const testing::CliResult printed = testing::run_in_process({"schedule", "--format", "markdown"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  EXPECT_EQ(table, printed.out)
      << "docs/ODD.md's schedule table is out of date; regenerate it (from the repository root, "
         "after building gigsim): scripts/update-odd-schedule.sh";
}

}  // namespace
}  // namespace gigsim
