// Unemployment insurance for the self-employed (docs/ODD.md "Unemployment insurance").
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gigsim/mechanism.hpp"
#include "unemployment_insurance/spec.hpp"

namespace gigsim {

struct UnemploymentInsuranceTotals {
  std::int64_t contributions = 0;
  std::int64_t benefits = 0;
  std::int64_t recipients = 0;
  std::int64_t fund_balance = 0;
  static std::span<const TotalsField<UnemploymentInsuranceTotals>> fields();
};

// One covered worker's month: the contribution on this month's `income`, and the top-up of a
// shortfall against the mean of the previous months in the history ring (`past`, before this
// month overwrites its oldest slot; `past_months` of them have been run), if the worker paid
// contributions in at least qualifying_months of them (`contributed`, a bit per ring slot).
struct InsuranceMonth {
  std::int64_t contribution = 0;
  std::int64_t benefit = 0;
};
InsuranceMonth insure_month(const UnemploymentInsuranceSpec& ui, std::int64_t income,
                            const std::int64_t* past, std::uint32_t past_months,
                            std::uint16_t contributed);

class UnemploymentInsurance final : public MechanismWith<UnemploymentInsuranceTotals> {
 public:
  static constexpr std::string_view kKey = "unemployment_insurance";
  explicit UnemploymentInsurance(const UnemploymentInsuranceSpec& spec)
      : MechanismWith("unemployment_insurance"), spec_(spec) {}

  void attach(Engine& engine, Declarations& d) override;
  void state(StateVisitor& v) override;

  std::int64_t fund() const { return fund_; }
  // Bit j set when the month in history slot j paid a contribution.
  const std::vector<std::uint16_t>& contributed() const { return contributed_; }

 private:
  void month_end(const Block& b);
  void books_reduce();

  UnemploymentInsuranceSpec spec_;
  Engine* engine_ = nullptr;
  std::vector<std::uint16_t> contributed_;
  std::int64_t fund_ = 0;                             // cents; may be negative (the state backs it)
  std::vector<UnemploymentInsuranceTotals> partial_;  // per block, this month end
};

}  // namespace gigsim
