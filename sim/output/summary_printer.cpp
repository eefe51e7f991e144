// The end-of-run table on a terminal: one column per reporting group, one row per metric.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <ostream>
#include <string>
#include <vector>

#include "gigsim/groups.hpp"
#include "gigsim/output.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/stats.hpp"

namespace gigsim::output {

namespace {

constexpr int kLabelWidth = 36;
constexpr int kColumnWidth = 22;

// "1234.56 ± 12.30" with `decimals` decimals, values multiplied by `scale` (100 for percent).
std::string format_stat(const GroupSummary::Stat& s, int decimals, double scale,
                        const char* suffix) {
  return fmt::format("{:.{}f} ± {:.{}f}{}", s.mean * scale, decimals, s.ci95 * scale, decimals,
                     suffix);
}

// Pads to `width` display columns; "±" is two bytes in UTF-8 but one column.
std::string pad_left(const std::string& text, int width) {
  int columns = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++columns;
  }
  return std::string(static_cast<std::size_t>(std::max(0, width - columns)), ' ') + text;
}

std::string pad_right(const std::string& text, int width) {
  return text +
         std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                     ' ');
}

}  // namespace

SummaryPrinter::SummaryPrinter(std::ostream& out) : out_(&out) {}

void SummaryPrinter::on_start(const RunInfo& info) {
  seed_ = info.seed;
  workers_ = info.workers;
  weeks_ = info.weeks;
  started_ = true;
}

namespace {

// The summary of every worker as one group (reported under the name "all").
GroupSummary everyone(const WorkerSummaries& s) {
  WorkerSummaries one_group = s;
  std::fill(one_group.group.begin(), one_group.group.end(), std::uint8_t{0});
  return summarize_groups(one_group, kGroupCount).front();
}

// Column "all" first, then one column per group with workers, one row per metric, each cell
// "mean ± half-width"; then what the columns can and cannot be compared for.
void print_table(std::ostream& out, const GroupSummary& all,
                 const std::vector<GroupSummary>& all_groups) {
  std::vector<GroupSummary> groups;
  std::vector<std::string> names;
  if (all.workers > 0) {
    groups.push_back(all);
    names.emplace_back("all");
  }
  for (const GroupSummary& g : all_groups) {
    if (g.workers == 0) continue;
    groups.push_back(g);
    names.emplace_back(group_name(static_cast<WorkerGroup>(g.group)));
  }
  out << pad_right("", kLabelWidth);
  for (const std::string& name : names) out << pad_left(name, kColumnWidth);
  out << "\n";

  auto row = [&](const char* label, auto cell) {
    out << pad_right(label, kLabelWidth);
    for (const GroupSummary& g : groups) out << pad_left(cell(g), kColumnWidth);
    out << "\n";
  };
  row("workers", [](const GroupSummary& g) { return std::to_string(g.workers); });
  row("mean monthly income (EUR)",
      [](const GroupSummary& g) { return format_stat(g.mean_monthly_income, 2, 1, ""); });
  row("income CV", [](const GroupSummary& g) { return format_stat(g.income_cv, 3, 1, ""); });
  row("dip months (>25% below own mean)",
      [](const GroupSummary& g) { return format_stat(g.dip_months, 2, 1, ""); });
  row("large swings (>30% month to month)",
      [](const GroupSummary& g) { return format_stat(g.large_swings, 2, 1, ""); });
  row("months below poverty line",
      [](const GroupSummary& g) { return format_stat(g.months_below_poverty, 2, 1, ""); });
  row("trained in last 12 months",
      [](const GroupSummary& g) { return format_stat(g.trained_last_12m, 1, 100, " %"); });
  if (groups.empty()) out << "(no workers)\n";
  if (groups.size() > 2) {
    out << "\nGroups are where workers are at the end of the run, and members chose to join: "
           "members\nversus non-members is not the effect of the cooperative. Compare scenarios "
           "on 'all'\n(and on the same group across scenarios) with gigsim report.\n";
  }
  out.flush();
}

}  // namespace

void SummaryPrinter::on_end(const WorkerSummaries& summaries) {
  std::ostream& out = *out_;
  out << "gigsim run summary";
  if (started_) {
    out << ": " << workers_ << " workers, " << weeks_ << " weeks, seed " << seed_;
  }
  out << "\n";
  out << fmt::format("last {} months; poverty line {:.2f} EUR/month (60% of median income)\n",
                     summaries.months_observed, summaries.poverty_line);
  out << "values are group means ± 95% CI half-width across workers (one run; "
         "--replications R gives the spread across runs)\n\n";
  print_table(out, everyone(summaries), summarize_groups(summaries, kGroupCount));
}

std::vector<GroupSummary> combine_replications(const std::vector<std::vector<GroupSummary>>& runs) {
  std::vector<GroupSummary> combined;
  if (runs.empty()) return combined;
  const double n = static_cast<double>(runs.size());
  for (int gi = 0; gi < kGroupCount; ++gi) {
    const auto g = static_cast<std::uint8_t>(gi);
    std::vector<const GroupSummary*> per_run;
    for (const auto& run : runs) {
      const auto it = std::find_if(run.begin(), run.end(), [g](const GroupSummary& s) {
        return s.group == g && s.workers > 0;
      });
      if (it != run.end()) per_run.push_back(&*it);
    }
    if (per_run.size() != runs.size()) continue;  // absent from some replication
    GroupSummary out{};
    out.group = g;
    double workers = 0;
    for (const GroupSummary* s : per_run) workers += s->workers;
    out.workers = static_cast<std::uint32_t>(std::lround(workers / n));
    const auto combine = [&](GroupSummary::Stat GroupSummary::*field) {
      std::vector<double> means;
      for (const GroupSummary* s : per_run) means.push_back((s->*field).mean);
      const MeanInterval m = mean_t95(means);
      return GroupSummary::Stat{m.mean, runs.size() > 1 ? m.half_width : 0.0};
    };
    out.mean_monthly_income = combine(&GroupSummary::mean_monthly_income);
    out.income_cv = combine(&GroupSummary::income_cv);
    out.dip_months = combine(&GroupSummary::dip_months);
    out.large_swings = combine(&GroupSummary::large_swings);
    out.months_below_poverty = combine(&GroupSummary::months_below_poverty);
    out.trained_last_12m = combine(&GroupSummary::trained_last_12m);
    combined.push_back(out);
  }
  return combined;
}

void print_replicated_summary(std::ostream& out, const RunInfo& info,
                              const std::vector<std::uint64_t>& seeds,
                              const std::vector<WorkerSummaries>& runs) {
  std::vector<std::vector<GroupSummary>> groups;
  std::vector<std::vector<GroupSummary>> all;  // every worker, as group 0 of each run
  double poverty = 0;
  for (const WorkerSummaries& s : runs) {
    groups.push_back(summarize_groups(s, kGroupCount));
    all.push_back({everyone(s)});
    poverty += s.poverty_line / static_cast<double>(runs.size());
  }
  out << "gigsim run summary: " << info.workers << " workers, " << info.weeks << " weeks, "
      << runs.size() << " replications, seeds";
  for (const std::uint64_t s : seeds) out << " " << s;
  out << "\n";
  out << fmt::format(
      "last {} months; poverty line {:.2f} EUR/month (60% of median income; mean over "
      "replications)\n",
      runs.empty() ? 0u : runs.front().months_observed, poverty);
  out << "values are means over replications ± 95% CI half-width across replications "
         "(Student's t)\n\n";
  const std::vector<GroupSummary> combined_all = combine_replications(all);
  print_table(out, combined_all.empty() ? GroupSummary{} : combined_all.front(),
              combine_replications(groups));
}

std::uint64_t estimate_file_bytes(const ScenarioSpec& spec) {
  const std::uint64_t weeks = spec.run.weeks;
  const std::uint64_t months = weeks / kWeeksPerMonth;
  std::uint64_t panel = 0;
  if (spec.output.panel == PanelMode::all) panel = spec.workers.count;
  if (spec.output.panel == PanelMode::sampled)
    panel = std::min<std::uint64_t>(spec.workers.count, spec.output.panel_workers);
  const std::uint64_t series = weeks * step_columns().size() * 8;
  const std::uint64_t panel_bytes = months * panel * (6 * 4 + 4 * 1 + 2);  // floats, codes, mask
  const std::uint64_t workers = static_cast<std::uint64_t>(spec.workers.count) * 32;
  return series + panel_bytes + workers + (1u << 20);  // plus metadata and scenario text
}

}  // namespace gigsim::output
