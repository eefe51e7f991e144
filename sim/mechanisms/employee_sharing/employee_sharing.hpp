// The employee-sharing pool (docs/ODD.md "Employee-sharing pool"; the SIV case, Denmark; Eurofound
// on strategic employee sharing): member employers jointly employ workers on continuous contracts
// and share them. The pool is an employer (its workers' contracts take their hours; it pays their
// wage every week, sick or not) and funds part of their courses.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "employee_sharing/spec.hpp"
#include "gigsim/mechanism.hpp"

namespace gigsim {

struct EmployeeSharingTotals {
  std::int64_t pooled_workers = 0;
  double demand_hours = 0;          // hours the member employers needed this week
  double hours_used = 0;            // hours of pooled workers they used
  std::int64_t charges = 0;         // what the employers paid the pool
  std::int64_t wages = 0;           // wages the pool paid (part of worker_net_pay)
  std::int64_t wages_unpaid = 0;    // wages due but not paid: the fund ran short
  std::int64_t training_spent = 0;  // course costs the pool paid (payer: employer)
  std::int64_t fund_balance = 0;
  static std::span<const TotalsField<EmployeeSharingTotals>> fields();
};

class EmployeeSharing final : public MechanismWith<EmployeeSharingTotals>,
                              public Employer,
                              public CourseFunder {
 public:
  static constexpr std::string_view kKey = "employee_sharing";
  // Its workers report as "pooled_worker" (code 3 of sim/model/gigsim/groups.hpp).
  static constexpr std::uint8_t kGroup = 3;
  explicit EmployeeSharing(const EmployeeSharingSpec& spec) : MechanismWith(kKey), spec_(spec) {}

  void attach(Engine& engine, Declarations& d) override;
  void state(StateVisitor& v) override;
  void refresh() override;

  // Employer
  double contract_hours(std::uint32_t) const override { return spec_.contract_hours; }
  double hours_worked(std::uint32_t i) const override;
  // CourseFunder
  double course_share(std::uint32_t i) const override;
  bool pay_course(std::uint32_t i, std::int64_t cents) override;
  TrainingPayer payer() const override { return TrainingPayer::employer; }

  bool pooled(std::uint32_t i) const;
  std::int64_t fund() const { return fund_; }

 private:
  void draw_workers(const Block& b);
  void settle();

  EmployeeSharingSpec spec_;
  Engine* engine_ = nullptr;
  std::uint8_t code_ = 0;               // the pool's employer code
  std::int64_t fund_ = 0;               // cents
  std::vector<std::uint32_t> members_;  // pooled workers in id order
  double utilisation_ = 0;  // share of contract hours the employers used this week (settlement)
};

}  // namespace gigsim
