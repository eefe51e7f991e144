// The market's part of a scenario as plain C++ values. The engine sees only this: no YAML, no
// files. Units are given per field; money in the spec is in EUR (double), converted to integer
// cents where it enters the engine. Defaults here are the documented defaults of the model; the
// scenario library's schema (sim/scenario) attaches ranges, units and sources to every field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gigsim {

inline constexpr int kMaxSectors = 8;    // skills are stored per sector in fixed-width rows
inline constexpr int kMaxPlatforms = 8;  // affiliations are a bitmask of platforms
inline constexpr int kMaxPayoutLagWeeks = 12;
inline constexpr std::uint64_t kDefaultSeed =
    20'221'231;  // used when neither scenario nor CLI sets one

struct RunSpec {
  std::uint32_t weeks = 260;          // steps, one step = one week
  std::uint64_t seed = kDefaultSeed;  // run seed; all streams derive from it by hashing
};

// One sector of client demand (e.g. delivery, design, care). Tasks arrive as a Poisson process.
struct SectorSpec {
  std::string name;
  double tasks_per_week = 10'000;     // tasks/week, mean over the year, whole market
  double base_price = 20.0;           // EUR per task at skill need 0
  double skill_premium = 1.0;         // price multiplier slope: price = base * (1 + premium * need)
  double task_hours = 1.5;            // paid hours per task
  double seasonal_amplitude = 0.10;   // relative amplitude of the yearly sine cycle, 0..1
  double seasonal_peak_week = 48;     // week of year (0..51) with the highest demand
  double client_default_rate = 0.02;  // share of tasks whose client never pays, 0..1
  // Demand shocks: each month's demand is multiplied by exp(shock_sd * z - shock_sd^2 / 2), z a
  // stationary Gaussian AR(1) over months with correlation shock_persistence (0: off).
  double shock_sd = 0;
  double shock_persistence = 0.5;
};

// A worker-owned platform (platform cooperative: The Drivers Cooperative, Up&Go). Its fee
// (take_rate) stays with the members: a training levy, voted by the members once a year, goes into
// its training fund; operating costs are paid from the rest, and what is left at the end of a year
// is paid back to the members in proportion to the gross they earned on it (patronage dividend).
struct PlatformCoopSpec {
  bool enabled = false;
  bool rotating_allocation = true;     // offers shared by free hours; ratings ignored
  double operating_cost_rate = 0.05;   // share of the gross price spent running the platform
  double operating_cost_per_week = 0;  // EUR/week of fixed running costs
  double training_levy = 0.02;         // share of the gross price paid into the training fund
  double training_cost_share = 0.75;   // share of a member's course cost the fund pays
  bool governance = true;              // members vote the training levy once a year
  double max_training_levy = 0.05;     // highest levy a member may propose
};

// A platform: investor-owned (Uber/Upwork type) unless `cooperative.enabled`.
struct PlatformSpec {
  std::string name;
  double take_rate = 0.25;             // share of the gross price kept as commission
  std::uint32_t payout_lag_weeks = 1;  // weeks from task completion to payout
  double market_share = 1.0;           // share of each sector's tasks posted on this platform, 0..1
  double worker_share = 1.0;           // probability an initial worker is registered here, 0..1
  double reputation_exponent = 2.0;    // gamma in weight = rep^gamma * (1+reviews)^delta
  double review_exponent = 0.3;        // delta: cumulative-advantage of review counts
  std::uint32_t reoffer_rounds = 1;    // times a task declined by a full worker is offered again
  double initial_reputation = 0.7;     // rating average of newcomers, 0..1
  double deactivation_rating = 0;  // rating average below which a worker is deactivated (0: never)
  std::uint32_t deactivation_min_reviews = 20;  // ratings before the threshold applies
  // Bidding mode (Jager et al. 2019): when the task capacity of the workers competing for a
  // sector's tasks exceeds the tasks, prices fall to posted * (capacity / tasks)^-bid_elasticity,
  // but not below bid_floor * posted. 0: posted prices.
  double bid_elasticity = 0;
  double bid_floor = 0.5;
  PlatformCoopSpec cooperative{};
};

struct WorkerSpec {
  std::uint32_t count = 10'000;          // workers
  std::uint32_t sectors_per_worker = 2;  // sectors in which a worker starts with skill > 0
  double hours_budget_mean = 27;         // hours/week available for paid, unpaid and training
  double hours_budget_sd = 8;            // hours/week
  double fixed_costs_mean = 150;         // EUR/week (rent share, phone, vehicle)
  double initial_cash_mean = 1'500;      // EUR, exponential distribution
  double skill_mean = 0.45;              // initial skill in own sectors, 0..1 (beta distribution)
  double skill_sd = 0.15;                // 0..0.5, with sd^2 < mean (1 - mean)
  double search_minutes_per_paid_hour =
      21.5;                                // unpaid minutes per paid hour (ILO WESO 2021: 20-23)
  double sector_review_probability = 0.1;  // per week: chance to re-choose the sector worked in
  double rating_noise = 0.15;  // sd of a single client rating around skill-based quality
  // Distance from the labour market ([ASFGotland], [NIA]): this share of workers starts far from
  // it, at a distance uniform on [0.5, 1) (0: close); clients' recruitment bias scales a worker's
  // ranking weight on ranked platforms by 1 - recruitment_bias * distance.
  double far_from_market_share = 0;
  double recruitment_bias = 0;
};

struct SkillSpec {
  double practice_ceiling = 0.7;  // skill level up to which practice alone raises skill, 0..1
  double practice_gain_per_hour = 0.0015;  // share of the gap to 1 closed per paid hour
  double decay_per_week = 0.002;           // share of skill lost per week without practice
  double reputation_learning_rate = 0.05;  // weight of a new rating in the rating average
};

struct TrainingSpec {
  double consider_probability = 0.04;  // per worker per week: chance to weigh a course
  std::uint32_t course_weeks = 4;      // weeks
  double course_hours_per_week = 6;    // hours/week taken from the hours budget
  double course_cost = 400;            // EUR per course
  double skill_gain = 0.10;            // share of the gap to 1 closed at completion
  double horizon_weeks = 52;           // weeks over which the worker counts the gain
  double discount_per_week = 0.002;    // weekly discount rate
};

// Umbrella cooperative (SMart / Convoy type): members invoice through the cooperative.
struct UmbrellaCoopSpec {
  bool enabled = false;
  double initial_member_share = 0.0;    // share of workers who are members at start, 0..1
  double fee_rate = 0.065;              // share of invoiced amount (SMart 6.5%)
  double guarantee_fund_share = 0.30;   // share of the fee paid into the guarantee fund
  double training_fund_share = 0.20;    // share of the fee paid into the training fund
  double initial_guarantee_fund = 0;    // EUR
  double initial_training_fund = 0;     // EUR
  std::uint32_t payout_lag_weeks = 1;   // members are paid within 7 working days (SMart)
  double training_cost_share = 0.75;    // share of a member's course cost the training fund pays
  double search_time_reduction = 0.25;  // relative cut in unpaid search time for members
  std::uint32_t salary_smoothing_months = 0;  // >0: members get a monthly salary (Smart DE)
  // Membership decisions (Barbet, Bourles & Rouchier): at each month end once 12 months of income
  // history exist, a worker reviews its membership with this probability (0: membership fixed)
  // and switches when the certainty equivalent it expects on the other side beats its own by
  // switching_cost.
  double membership_review_probability = 0;  // per worker and month
  double risk_aversion = 2;                  // relative risk aversion in the certainty equivalent
  double switching_cost = 50;                // EUR/month of certainty equivalent
};

// Peer-to-peer competence exchange among umbrella-cooperative members ([GigGemenskaper]):
// members are tied to their nearest fellow members in id order (a ring lattice); each week a
// healthy member closes a share of the gap between its skill and what its ties know, in the same
// sector and, discounted, across sectors.
struct PeerLearningSpec {
  bool enabled = false;
  std::uint32_t ties_per_member = 4;  // even; half on each side in the ring of members
  double rate_per_week = 0.02;        // share of the gap to the ties' level closed per week
  double cross_sector_share = 0.3;    // a tie's best skill in any sector counts this much elsewhere
};

enum class PanelMode : std::uint8_t { all, sampled, none };

struct OutputSpec {
  PanelMode panel = PanelMode::sampled;
  std::uint32_t panel_workers = 1'000;  // sampled workers (when panel = sampled)
};

// What the engine reads of a scenario: the market itself. Each mechanism's parameters live in its
// own folder (sim/mechanisms/<name>/spec.hpp) and reach the engine only through that mechanism;
// the fields after `output` are mechanisms still inline in the engine while they are ported.
struct EngineSpec {
  RunSpec run;
  WorkerSpec workers;
  std::vector<SectorSpec> sectors;
  std::vector<PlatformSpec> platforms;
  SkillSpec skills;
  TrainingSpec training;
  OutputSpec output;
  UmbrellaCoopSpec umbrella_coop;
  PeerLearningSpec peer_learning;
};

}  // namespace gigsim
