// SummaryPrinter: both groups' columns, values as mean ± CI, empty groups skipped.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "gigsim/output.hpp"
#include "test_support.hpp"

namespace gigsim::output {
namespace {

using testing::feed;
using testing::make_run;

std::string print(const testing::SyntheticRun& run) {
  std::ostringstream out;
  SummaryPrinter printer(out);
  feed(printer, run);
  return out.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SummaryPrinter, PrintsBothGroupsWithMeansAndIntervals) {
  const std::string text = print(make_run());
  SCOPED_TRACE(text);
  EXPECT_TRUE(contains(text, "platform_only"));
  EXPECT_TRUE(contains(text, "coop_member"));
  EXPECT_TRUE(contains(text, "6 workers, 12 weeks"));
  EXPECT_TRUE(contains(text, "poverty line 612.50 EUR/month"));
  // platform-only workers 0, 2, 4: income 900, 902, 904 -> mean 902.00, sd 2, ci 1.96*2/sqrt(3)
  EXPECT_TRUE(contains(text, "902.00 ± 2.26"));
  // coop members 1, 3, 5: income 1501, 1503, 1505 -> mean 1503.00
  EXPECT_TRUE(contains(text, "1503.00 ± 2.26"));
  EXPECT_TRUE(contains(text, "income CV"));
  EXPECT_TRUE(contains(text, "0.400 ± 0.000"));
  EXPECT_TRUE(contains(text, "0.100 ± 0.000"));
  EXPECT_TRUE(contains(text, "dip months"));
  EXPECT_TRUE(contains(text, "large swings"));
  EXPECT_TRUE(contains(text, "months below poverty line"));
  // coop members all trained; platform-only workers 0, 2, 4 have i % 2 == 0 -> none trained
  EXPECT_TRUE(contains(text, "100.0 ± 0.0 %"));
  EXPECT_TRUE(contains(text, "0.0 ± 0.0 %"));
}

TEST(SummaryPrinter, SkipsGroupsWithoutWorkers) {
  const std::string text = print(make_run(5, 3, {0, 1}, /*with_coop=*/false));
  SCOPED_TRACE(text);
  EXPECT_TRUE(contains(text, "platform_only"));
  EXPECT_FALSE(contains(text, "coop_member"));
}

TEST(SummaryPrinter, RowsAreAligned) {
  const std::string text = print(make_run());
  std::istringstream lines(text);
  std::string line, header, workers;
  while (std::getline(lines, line)) {
    if (contains(line, "platform_only")) header = line;
    if (line.rfind("workers ", 0) == 0) workers = line;
  }
  ASSERT_FALSE(header.empty());
  ASSERT_FALSE(workers.empty());
  EXPECT_EQ(header.size(), workers.size());  // right-aligned columns of equal width
}

TEST(CombineReplications, MeansOverRunsWithStudentTIntervals) {
  // Three runs whose platform-only income CV means are 0.2, 0.3 and 0.4: mean 0.3, sd 0.1,
  // half-width t(0.975, 2) * 0.1 / sqrt(3) = 4.302653 * 0.057735 = 0.248414.
  std::vector<std::vector<GroupSummary>> runs;
  for (const double cv : {0.2, 0.3, 0.4}) {
    GroupSummary platform{};
    platform.group = static_cast<std::uint8_t>(WorkerGroup::platform_only);
    platform.workers = cv > 0.35 ? 101 : 100;
    platform.income_cv = {cv, 0.01};
    GroupSummary members{};
    members.group = static_cast<std::uint8_t>(WorkerGroup::coop_member);
    members.workers = cv > 0.25 ? 10 : 0;  // absent from the first run
    runs.push_back({platform, members});
  }
  const std::vector<GroupSummary> c = combine_replications(runs);
  ASSERT_EQ(c.size(), 1u) << "a group absent from one replication is left out";
  EXPECT_EQ(c[0].group, static_cast<std::uint8_t>(WorkerGroup::platform_only));
  EXPECT_EQ(c[0].workers, 100u);
  EXPECT_NEAR(c[0].income_cv.mean, 0.3, 1e-12);
  EXPECT_NEAR(c[0].income_cv.ci95, 0.248414, 1e-5);
  // One replication: no spread to report.
  const std::vector<GroupSummary> single = combine_replications({runs[1]});
  ASSERT_EQ(single.size(), 2u);
  EXPECT_EQ(single[0].income_cv.ci95, 0.0);
}

}  // namespace
}  // namespace gigsim::output
