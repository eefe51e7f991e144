// Work-integrating social enterprises (docs/ODD.md "WISE"; the ASF case, Gotland) and the public
// buyers' reserved contracts (docs/ODD.md "Public buyers"; the NIA case, Jamtland; Directive
// 2014/24/EU art. 20). A WISE is an employer of workers far from the labour market on supported
// contracts, with limited supervision capacity; it funds part of its employees' courses.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gigsim/mechanism.hpp"
#include "wise/spec.hpp"

namespace gigsim {

struct WiseTotals {
  std::int64_t open = 0;                  // WISEs still trading
  std::int64_t employees = 0;             // supported employees during the week
  double hours = 0;                       // hours the healthy employees worked
  std::int64_t hires = 0;                 // employees hired at the end of the week
  std::int64_t transitions = 0;           // employees who moved on to the open market
  std::int64_t closures = 0;              // WISEs that closed this week
  std::int64_t released = 0;              // employees who lost their job in a closure
  std::int64_t sales = 0;                 // paid by private buyers
  std::int64_t contracts = 0;             // paid by public buyers on reserved contracts
  std::int64_t procurement_reserved = 0;  // reserved budget offered to WISEs this week
  std::int64_t subsidy = 0;               // public wage subsidy
  std::int64_t wages = 0;                 // wages paid (part of worker_net_pay)
  std::int64_t wages_unpaid = 0;          // wages due but not paid: capital ran short
  std::int64_t supervision_costs = 0;     // supervision paid
  std::int64_t training_spent = 0;        // course costs paid (payer: employer)
  std::int64_t capital = 0;               // capital of all WISEs, open or closed
  static std::span<const TotalsField<WiseTotals>> fields();
};

class Wise final : public MechanismWith<WiseTotals>, public Employer, public CourseFunder {
 public:
  static constexpr std::string_view kKey = "wise";
  // Its employees report as "wise_employee" (code 4 of sim/model/gigsim/groups.hpp).
  static constexpr std::uint8_t kGroup = 4;
  // `sector`: the index of spec.sector among the scenario's sectors.
  Wise(const WiseSpec& spec, const PublicBuyersSpec& buyers, int sector)
      : MechanismWith(kKey), spec_(spec), buyers_(buyers), sector_(sector) {}

  void attach(Engine& engine, Declarations& d) override;
  void state(StateVisitor& v) override;
  void refresh() override;
  void check_restored() const override;

  // Employer
  double contract_hours(std::uint32_t i) const override;
  double hours_worked(std::uint32_t i) const override;
  int practice_sector() const override { return sector_; }
  // CourseFunder
  double course_share(std::uint32_t i) const override;
  bool pay_course(std::uint32_t i, std::int64_t cents) override;
  TrainingPayer payer() const override { return TrainingPayer::employer; }

  // The WISE employing worker i, or -1.
  std::int16_t employer_of(std::uint32_t i) const { return employer_of_[i]; }
  const std::vector<std::int16_t>& employers() const { return employer_of_; }
  std::int64_t capital(std::size_t e) const { return capital_[e]; }
  bool is_open(std::size_t e) const { return open_[e] != 0; }

 private:
  void settle();
  void turnover();
  void employ(std::uint32_t i, std::int16_t e);
  void release(std::uint32_t i);
  std::int64_t wage_of(std::uint32_t i) const;

  WiseSpec spec_;
  PublicBuyersSpec buyers_;
  int sector_;
  Engine* engine_ = nullptr;
  std::uint8_t code_ = 0;                  // the WISEs' employer code
  std::vector<std::int16_t> employer_of_;  // per worker: its WISE, -1: none
  // Books of each WISE.
  std::vector<std::int64_t> capital_;       // cents, never below zero
  std::vector<std::int32_t> weeks_unpaid_;  // consecutive weeks with wages or supervision short
  std::vector<std::int32_t> open_;          // 0 once closed
  // Supported employees of each WISE, in id order; candidates for hiring (week end).
  std::vector<std::vector<std::uint32_t>> staff_;
  std::vector<std::uint32_t> candidates_;
};

}  // namespace gigsim
