// How results leave the engine: an observer interface called once at the start, after every step,
// after every month and at the end. Writers (HDF5, summary printer) and tests subscribe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/calendar.hpp"
#include "gigsim/totals.hpp"

namespace gigsim {

// Who paid for a worker's most recent training (a category of funder, not a mechanism).
enum class TrainingPayer : std::uint8_t {
  none = 0,
  self = 1,
  cooperative = 2,
  employer = 3,
  public_ = 4
};
std::string_view payer_name(TrainingPayer p);

// Reporting groups are codes; group 0 is every worker no mechanism claims (on investor-owned
// platforms only). Mechanisms claim the others; their names come with the run (RunInfo).
inline constexpr std::uint8_t kPlatformOnlyGroup = 0;

// Start of a run: what a writer needs to lay out its file.
struct RunInfo {
  std::uint64_t seed = 0;
  int threads = 1;
  std::uint32_t workers = 0;
  std::uint32_t weeks = 0;
  std::uint32_t months = 0;                  // complete 4-week months in the run
  std::vector<std::uint32_t> panel_workers;  // worker ids in the monthly panel, ascending
  std::vector<std::string> platform_names;
  std::vector<std::string> sector_names;
  std::vector<std::string> group_names;  // by group code
  std::vector<std::string> mechanisms;   // keys of the mechanisms that are on
  const TotalsLayout* layout = nullptr;  // the columns of every step record
};

// One month of the per-worker panel, for the panel workers in RunInfo order.
struct PanelMonth {
  std::uint32_t month = 0;
  std::vector<float> net_income;             // EUR in the month (cash basis)
  std::vector<float> paid_hours;             // hours in the month
  std::vector<float> unpaid_hours;           // hours in the month
  std::vector<float> training_hours;         // hours in the month
  std::vector<std::uint8_t> trained;         // 1 if in training at any week of the month
  std::vector<std::uint8_t> training_payer;  // TrainingPayer of the latest course
  std::vector<float> skill;              // skill in the worker's best sector, 0..1, end of month
  std::vector<float> cash;               // EUR, end of month
  std::vector<std::uint8_t> group;       // reporting group code
  std::vector<std::uint16_t> platforms;  // bitmask of registered platforms

  // Calls f(name, column) for every column, always in this order (writers, checkpoints).
  template <class Self, class F>
  static void for_each_column(Self& m, F&& f) {
    f("net_income", m.net_income);
    f("paid_hours", m.paid_hours);
    f("unpaid_hours", m.unpaid_hours);
    f("training_hours", m.training_hours);
    f("trained", m.trained);
    f("training_payer", m.training_payer);
    f("skill", m.skill);
    f("cash", m.cash);
    f("group", m.group);
    f("platforms", m.platforms);
  }
};

// Per-worker outcome metrics over the last 12 months (docs/ODD.md "Outcome metrics").
struct WorkerSummaries {
  double poverty_line = 0;            // EUR/month: 60% of the median worker's mean monthly income
  std::uint32_t months_observed = 0;  // months in the window (<= 12)
  std::vector<float> mean_monthly_income;  // EUR
  std::vector<float> income_cv;  // sd/mean of monthly income (population sd); NaN if mean <= 0
  std::vector<std::uint8_t> dip_months;    // months > 25% below own 12-month mean
  std::vector<std::uint8_t> large_swings;  // month-to-month changes above 30%
  std::vector<std::uint8_t> months_below_poverty;
  std::vector<std::uint8_t> trained_last_12m;  // 0/1
  std::vector<float> training_hours_12m;       // hours
  std::vector<std::uint8_t> training_payer;    // TrainingPayer of the latest course
  std::vector<std::uint8_t> group;             // reporting group code
  std::vector<float> distance;                 // from the labour market at the end, 0..1
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_start(const RunInfo&) {}
  virtual void on_step(const StepTotals&) {}
  virtual void on_month(const PanelMonth&) {}
  virtual void on_end(const WorkerSummaries&) {}
};

}  // namespace gigsim
