// Synthetic runs for the output tests: hand-built RunInfo, StepTotals, PanelMonth and
// WorkerSummaries with values that identify their position, so a read-back can check each one.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gigsim/groups.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/registry.hpp"

namespace gigsim::output::testing {

struct SyntheticRun {
  RunInfo info;
  std::vector<StepTotals> steps;
  std::vector<PanelMonth> months;
  WorkerSummaries summaries;
};

// Worker i is a cooperative member when `coop(i)`; panel is `panel_workers`.
inline SyntheticRun make_run(std::uint32_t workers = 6, std::uint32_t months = 3,
                             std::vector<std::uint32_t> panel_workers = {0, 2, 5},
                             bool with_coop = true) {
  SyntheticRun run;
  run.info.seed = 0xFEEDFACECAFEBEEFull;  // above 2^63: checks the attribute is unsigned
  run.info.threads = 4;
  run.info.workers = workers;
  run.info.months = months;
  run.info.weeks = months * static_cast<std::uint32_t>(kWeeksPerMonth);
  run.info.panel_workers = std::move(panel_workers);
  run.info.platform_names = {"gigly", "drivers_coop"};
  run.info.sector_names = {"delivery", "care", "it"};

  run.info.layout = &step_layout();
  for (std::uint32_t w = 0; w < run.info.weeks; ++w) {
    StepTotals s = step_layout().empty_record();
    const auto set = [&s](std::string_view name, double value) {
      const StepColumn& c = *step_layout().find(name);
      if (c.is_integer) {
        s.integers[c.index] = static_cast<std::int64_t>(value);
      } else {
        s.reals[c.index] = value;
      }
    };
    s.step = w;
    set("step", w);
    set("client_paid", 100000 + w);
    set("worker_net_pay", 80000 + w);
    set("platform_commission", 15000);
    set("coop_fee_retained", 5000 - w);
    set("escrow_balance", 7 * w);
    set("tasks_completed", 10 * w);
    set("paid_hours", 1.5 * w);
    set("unpaid_hours", 0.25 * w);
    set("training_hours", 0.125 * w);
    set("coop_members", 2);
    run.steps.push_back(s);
  }

  const std::size_t n = run.info.panel_workers.size();
  for (std::uint32_t m = 0; m < months; ++m) {
    PanelMonth pm;
    pm.month = m;
    for (std::size_t j = 0; j < n; ++j) {
      const float x = static_cast<float>(100 * m + j);
      pm.net_income.push_back(1000.0f + x);
      pm.paid_hours.push_back(80.0f + x);
      pm.unpaid_hours.push_back(20.0f + x);
      pm.training_hours.push_back(static_cast<float>(j));
      pm.trained.push_back(static_cast<std::uint8_t>((m + j) % 2));
      pm.training_payer.push_back(static_cast<std::uint8_t>(j % 5));
      pm.skill.push_back(0.5f);
      pm.cash.push_back(-10.0f + x);
      pm.group.push_back(static_cast<std::uint8_t>(with_coop ? run.info.panel_workers[j] % 2 : 0));
      pm.platforms.push_back(static_cast<std::uint16_t>(1 + j % 3));
    }
    run.months.push_back(pm);
  }

  WorkerSummaries& s = run.summaries;
  s.poverty_line = 612.5;
  s.months_observed = months;
  for (std::uint32_t i = 0; i < workers; ++i) {
    const bool coop = with_coop && i % 2 == 1;
    s.mean_monthly_income.push_back(coop ? 1500.0f + static_cast<float>(i)
                                         : 900.0f + static_cast<float>(i));
    s.income_cv.push_back(coop ? 0.1f : 0.4f);
    s.dip_months.push_back(static_cast<std::uint8_t>(coop ? 0 : 2));
    s.large_swings.push_back(static_cast<std::uint8_t>(i % 3));
    s.months_below_poverty.push_back(static_cast<std::uint8_t>(coop ? 0 : 1));
    s.trained_last_12m.push_back(static_cast<std::uint8_t>(coop ? 1 : i % 2));
    s.training_hours_12m.push_back(static_cast<float>(i) * 2.0f);
    s.training_payer.push_back(static_cast<std::uint8_t>(coop ? 2 : 1));
    s.group.push_back(static_cast<std::uint8_t>(coop ? 1 : 0));
    s.distance.push_back(i % 4 == 0 ? 0.75f : 0.0f);
  }
  return run;
}

template <class Obs>
void feed(Obs& observer, const SyntheticRun& run) {
  observer.on_start(run.info);
  std::size_t month = 0;
  for (const StepTotals& s : run.steps) {
    observer.on_step(s);
    if ((s.step + 1) % kWeeksPerMonth == 0 && month < run.months.size()) {
      observer.on_month(run.months[month++]);
    }
  }
  observer.on_end(run.summaries);
}

// A fresh, empty directory per test, removed afterwards.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("gigsim-output-test-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      names.push_back(e.path().filename().string());
    }
    return names;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace gigsim::output::testing
