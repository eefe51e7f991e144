#include "unemployment_insurance/unemployment_insurance.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "gigsim/engine.hpp"

namespace gigsim {

namespace {
using T = UnemploymentInsuranceTotals;
const TotalsField<T> kFields[] = {
    integer_field<T>("ui_contributions", "EUR cents",
                     "contributions to the self-employed's unemployment insurance (month ends)",
                     Role::from_workers, &T::contributions),
    integer_field<T>("ui_benefits", "EUR cents",
                     "its benefits, topping up months of income shortfall", Role::to_workers,
                     &T::benefits),
    integer_field<T>("ui_recipients", "workers", "workers it topped up this month", Role::count,
                     &T::recipients),
    integer_field<T>("ui_fund_balance", "EUR cents",
                     "its fund, end of step (may be negative: the state backs it)", Role::stock,
                     &T::fund_balance),
};
}  // namespace

std::span<const TotalsField<T>> UnemploymentInsuranceTotals::fields() {
  return kFields;
}

InsuranceMonth insure_month(const UnemploymentInsuranceSpec& ui, std::int64_t income,
                            const std::int64_t* past, std::uint32_t past_months,
                            std::uint16_t contributed) {
  InsuranceMonth r;
  const double earned = static_cast<double>(std::max<std::int64_t>(0, income));
  r.contribution = std::llround(ui.contribution_rate * earned);
  if (past_months == 0 ||
      static_cast<std::uint32_t>(std::popcount(contributed)) < ui.qualifying_months)
    return r;
  std::int64_t past_sum = 0;
  for (int j = 0; j < kHistoryMonths; ++j) past_sum += past[j];
  const double reference = static_cast<double>(past_sum) / static_cast<double>(past_months);
  if (reference > 0 && earned < ui.shortfall_threshold * reference)
    r.benefit =
        std::llround(std::min(ui.benefit_cap * 100.0, ui.replacement_rate * (reference - earned)));
  return r;
}

void UnemploymentInsurance::attach(Engine& engine, Declarations& d) {
  engine_ = &engine;
  partial_.assign(engine.blocks(), {});
  d.on_block(Phase::month_end, [this](const Block& b) { month_end(b); });
  d.on(Phase::books_reduce, [this] { books_reduce(); });
  d.on(Phase::report, [this] { totals_.fund_balance = fund_; });
}

void UnemploymentInsurance::state(StateVisitor& v) {
  v.column("ui_contributed", &contributed_, 1, {0, (1u << kHistoryMonths) - 1});
  v.value("ui_fund", &fund_, kMoney);
}

// At a month end, after all of the month's pay and before the month's history slot is written:
// the contribution on the month's income and the top-up of a shortfall, for every worker without
// an employment contract.
void UnemploymentInsurance::month_end(const Block& b) {
  WorkerState& w = engine_->workers();
  const std::uint32_t month = engine_->week().month;
  const int history_slot = static_cast<int>(month % kHistoryMonths);
  T& a = partial_[b.index];
  a = T{};
  for (std::uint32_t i = b.lo; i < b.hi; ++i) {
    std::uint16_t& contributed = contributed_[i];
    InsuranceMonth r;
    if (!engine_->employed(i)) {
      r = insure_month(spec_, w.month_income[i],
                       &w.income_history[static_cast<std::size_t>(i) * kHistoryMonths],
                       std::min<std::uint32_t>(month, kHistoryMonths), contributed);
      w.cash[i] += r.benefit - r.contribution;
      w.month_income[i] += r.benefit - r.contribution;
      a.contributions += r.contribution;
      a.benefits += r.benefit;
      a.recipients += r.benefit > 0 ? 1 : 0;
    }
    const auto slot_bit = static_cast<std::uint16_t>(1u << history_slot);
    contributed = static_cast<std::uint16_t>(r.contribution > 0 ? contributed | slot_bit
                                                                : contributed & ~slot_bit);
  }
}

void UnemploymentInsurance::books_reduce() {
  if (!engine_->week().month_end) return;
  for (const T& a : partial_) add_flows(totals_, a, T::fields());
  fund_ += totals_.contributions - totals_.benefits;
}

}  // namespace gigsim
