// The scenario schema: ONE description per spec struct, used by the parser (parse.cpp), the
// emitter (emit.cpp) and the parameter list (params.cpp). Each describe() calls, on a visitor V:
//   v.field(key, member, Meta)                     scalar field (double, uint32, uint64, bool,
//   string) v.section(key, member_struct, Meta)            nested mapping, described by its own
//   describe() v.list(key, member_vector, Meta)               list of mappings; Meta.min/max bound
//   the length v.panel(key, mode, workers_key, workers, Meta) PanelMode: all|sampled|none or an
//   integer N v.check(rel_path, ok, message_fn)              cross-field rule, checked after the
//   fields above
// Keys are named exactly as the C++ members. Sources cite /work/shared/BRIEF.md where a published
// figure exists; "assumption" marks a modelling choice.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/spec.hpp"

namespace gigsim::scenario::schema {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

struct Meta {
  std::string_view unit = {};
  double min = -kInf;  // inclusive unless min_open
  double max = kInf;   // inclusive
  std::string_view doc = {};
  std::string_view source = {};
  bool required = false;  // key must be present (and, for strings, non-empty)
  bool min_open = false;  // range is (min, max]
};

// Shortest text that reads back as exactly `value` (integral values without exponent).
std::string format_number(double value);

template <class V>
void describe(V& v, RunSpec& s) {
  v.field(
      "weeks", s.weeks,
      Meta{
          .unit = "weeks", .min = 1, .max = 5'200, .doc = "simulated weeks; one step is one week"});
  v.field("seed", s.seed,
          Meta{.min = 0,
               .doc = "run seed; every random stream is derived from it by hashing",
               .source = "default gigsim::kDefaultSeed"});
}

template <class V>
void describe(V& v, WorkerSpec& s) {
  v.field("count", s.count,
          Meta{.unit = "workers", .min = 1, .max = 1e8, .doc = "workers in the market"});
  v.field(
      "sectors_per_worker", s.sectors_per_worker,
      Meta{.unit = "sectors",
           .min = 1,
           .max = kMaxSectors,
           .doc = "sectors in which a worker starts with skill > 0 (at most the number of sectors)",
           .source = "assumption"});
  v.field("hours_budget_mean", s.hours_budget_mean,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 168,
               .doc = "mean weekly hours available for paid work, unpaid search and training",
               .source = "ILO WESO 2021: online web-based workers ~27 h/week"});
  v.field("hours_budget_sd", s.hours_budget_sd,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 168,
               .doc = "standard deviation of the weekly hours budget across workers",
               .source = "assumption"});
  v.field("fixed_costs_mean", s.fixed_costs_mean,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "mean fixed costs (rent share, phone, vehicle)",
               .source = "assumption"});
  v.field("initial_cash_mean", s.initial_cash_mean,
          Meta{.unit = "EUR",
               .min = 0,
               .doc = "mean initial cash buffer (exponential distribution)",
               .source = "assumption"});
  v.field("skill_mean", s.skill_mean,
          Meta{.unit = "skill 0..1",
               .min = 0,
               .max = 1,
               .doc = "mean initial skill in a worker's own sectors (beta distribution)",
               .source = "assumption"});
  v.field("skill_sd", s.skill_sd,
          Meta{.unit = "skill 0..1",
               .min = 0,
               .max = 0.5,
               .doc = "standard deviation of initial skill (beta distribution)",
               .source = "assumption"});
  v.field("search_minutes_per_paid_hour", s.search_minutes_per_paid_hour,
          Meta{.unit = "minutes/paid hour",
               .min = 0,
               .max = 600,
               .doc = "unpaid search minutes per paid hour on platforms",
               .source = "ILO WESO 2021: 20-23 unpaid minutes per paid hour"});
  v.field("sector_review_probability", s.sector_review_probability,
          Meta{.unit = "probability/week",
               .min = 0,
               .max = 1,
               .doc = "chance per week that a worker re-chooses its sector from last week's "
                      "tasks per unit of ranking weight",
               .source = "assumption"});
  v.field("rating_noise", s.rating_noise,
          Meta{.unit = "rating sd",
               .min = 0,
               .max = 1,
               .doc = "standard deviation of one client rating around skill-based quality",
               .source = "assumption"});
  v.field("far_from_market_share", s.far_from_market_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers far from the labour market at the start, at a distance "
                      "uniform on [0.5, 1) (the others at 0); WISEs hire from them",
               .source = "seeds 002 (ASF: people furthest from the labour market) and 004 (NIA); "
                         "value a scenario choice"});
  v.field("recruitment_bias", s.recruitment_bias,
          Meta{.unit = "share of ranking weight",
               .min = 0,
               .max = 1,
               .doc = "clients' recruitment bias: a worker at distance d from the labour market "
                      "ranks with weight times 1 - recruitment_bias * d on platforms that rank "
                      "(not where a cooperative rotates work)",
               .source = "seed 004 (NIA: discrimination, prejudice and recruitment habits as "
                         "barriers); value an assumption"});
  // A beta distribution with mean m exists only for sd^2 < m (1 - m); sd = 0 means no spread.
  v.check("skill_sd",
          s.skill_sd == 0 || s.skill_sd * s.skill_sd < s.skill_mean * (1 - s.skill_mean), [&] {
            return "skill_sd " + format_number(s.skill_sd) +
                   " too large for a beta distribution with skill_mean " +
                   format_number(s.skill_mean) +
                   " (needs skill_sd^2 < skill_mean * (1 - skill_mean))";
          });
}

template <class V>
void describe(V& v, SectorSpec& s) {
  v.field("name", s.name, Meta{.doc = "sector name, unique among sectors", .required = true});
  v.field("tasks_per_week", s.tasks_per_week,
          Meta{.unit = "tasks/week",
               .min = 0,
               .max = 1e9,
               .doc = "mean task arrivals per week over the year, whole market (Poisson)",
               .source = "assumption"});
  // Demand per worker, so that a scenario keeps its market's balance when workers.count changes:
  // resolved into tasks_per_week before parsing (parse.cpp), never stored.
  v.per_worker("tasks_per_week_per_worker", "tasks_per_week",
               Meta{.unit = "tasks/week per worker",
                    .min = 0,
                    .max = 1e5,
                    .doc = "instead of tasks_per_week: mean task arrivals per week per worker in "
                           "the market; tasks_per_week becomes this times workers.count, so "
                           "changing the population keeps supply and demand in balance",
                    .source = "assumption: the shipped scenarios' demand divided by their 10,000 "
                              "workers"});
  v.field("base_price", s.base_price,
          Meta{.unit = "EUR/task",
               .min = 0,
               .doc = "price of a task with skill need 0",
               .source = "assumption"});
  v.field("skill_premium", s.skill_premium,
          Meta{.unit = "price multiplier slope",
               .min = 0,
               .max = 100,
               .doc = "price = base_price * (1 + skill_premium * skill need)",
               .source = "assumption"});
  v.field("task_hours", s.task_hours,
          Meta{.unit = "paid hours/task",
               .min = 0,
               .max = 168,
               .doc = "paid hours per task",
               .source = "assumption",
               .min_open = true});
  v.field("seasonal_amplitude", s.seasonal_amplitude,
          Meta{.unit = "relative amplitude",
               .min = 0,
               .max = 1,
               .doc = "relative amplitude of the yearly sine cycle of demand",
               .source = "assumption"});
  v.field("seasonal_peak_week", s.seasonal_peak_week,
          Meta{.unit = "week of year",
               .min = 0,
               .max = 51,
               .doc = "week of the year (0..51) with the highest demand",
               .source = "assumption"});
  v.field("client_default_rate", s.client_default_rate,
          Meta{.unit = "share of tasks",
               .min = 0,
               .max = 1,
               .doc = "share of tasks whose client never pays",
               .source = "assumption"});
  v.field(
      "shock_sd", s.shock_sd,
      Meta{.unit = "sd of log demand",
           .min = 0,
           .max = 2,
           .doc = "monthly demand shocks: sd of the log multiplier (0: no shocks); the "
                  "multiplier has mean 1",
           .source = "BRIEF (client demand: Poisson, seasonality, shocks); size an assumption"});
  v.field("shock_persistence", s.shock_persistence,
          Meta{.unit = "correlation",
               .min = 0,
               .max = 0.99,
               .doc = "correlation of the log demand shock from one month to the next (AR(1))",
               .source = "assumption"});
}

template <class V>
void describe(V& v, PlatformCoopSpec& s) {
  v.field(
      "enabled", s.enabled,
      Meta{.doc = "the platform is a platform cooperative, owned by the workers registered on "
                  "it: its fee (take_rate) stays with them",
           .source = "BRIEF: platform cooperatives (The Drivers Cooperative 15% fee; Up&Go 5%)"});
  v.field("rotating_allocation", s.rotating_allocation,
          Meta{.doc = "offers are shared in proportion to members' free hours, as a rotation "
                      "would over the weeks, and ratings do not rank; false: ranked like an "
                      "investor-owned platform",
               .source = "BRIEF: fair or rotating allocation"});
  v.field("operating_cost_rate", s.operating_cost_rate,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "running costs of the platform that grow with its turnover (payments, "
                      "support, insurance), paid from the fee",
               .source = "assumption"});
  v.field("operating_cost_per_week", s.operating_cost_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "fixed running costs (software, staff): a small network spreads them over "
                      "less turnover",
               .source = "assumption"});
  v.field("training_levy", s.training_levy,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "part of the fee paid into the platform's training fund; with governance "
                      "the levy of the first year, then the members' vote",
               .source = "BRIEF: one-member-one-vote governance on training levies; value an "
                         "assumption"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of a member's course cost the platform's training fund pays while it "
                      "holds enough",
               .source = "assumption"});
  v.field("governance", s.governance,
          Meta{.doc = "at the end of each year the members (one vote each) set next year's "
                      "training levy to the median of their proposals",
               .source = "BRIEF: one-member-one-vote governance (ICA principle 2)"});
  v.field("max_training_levy", s.max_training_levy,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "highest training levy a member proposes",
               .source = "assumption"});
}

template <class V>
void describe(V& v, PlatformSpec& s) {
  v.field("name", s.name, Meta{.doc = "platform name, unique among platforms", .required = true});
  v.field("take_rate", s.take_rate,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "commission the platform keeps",
               .source = "BRIEF: ride-hailing ~25% advertised, 35-38% effective (2019 fare study); "
                         "food delivery 15-35%; Upwork 20/10/5%"});
  v.field("payout_lag_weeks", s.payout_lag_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = kMaxPayoutLagWeeks,
               .doc = "weeks from task completion to payout",
               .source = "assumption"});
  v.field("market_share", s.market_share,
          Meta{.unit = "share of tasks",
               .min = 0,
               .max = 1,
               .doc = "share of each sector's tasks posted on this platform",
               .source = "assumption"});
  v.field("worker_share", s.worker_share,
          Meta{.unit = "probability",
               .min = 0,
               .max = 1,
               .doc = "probability that an initial worker is registered on this platform",
               .source = "assumption"});
  v.field("reputation_exponent", s.reputation_exponent,
          Meta{.unit = "exponent gamma",
               .min = 0,
               .max = 20,
               .doc = "ranking weight = reputation^gamma * (1 + reviews)^delta",
               .source =
                   "winner-takes-all ranking: Lukac & Grow 2021, J. Comput. Soc. Sci. 4:207-229"});
  v.field("review_exponent", s.review_exponent,
          Meta{.unit = "exponent delta",
               .min = 0,
               .max = 5,
               .doc = "cumulative advantage of review counts in the ranking weight",
               .source = "Lukac & Grow 2021, J. Comput. Soc. Sci. 4:207-229"});
  v.field("reoffer_rounds", s.reoffer_rounds,
          Meta{.unit = "rounds",
               .min = 0,
               .max = 10,
               .doc = "times a task declined by a worker with no hours left is offered again to "
                      "workers who still have hours; after that it is lost",
               .source = "assumption"});
  v.field("initial_reputation", s.initial_reputation,
          Meta{.unit = "rating 0..1",
               .min = 0,
               .max = 1,
               .doc = "rating average of newcomers",
               .source = "assumption"});
  v.field("deactivation_rating", s.deactivation_rating,
          Meta{.unit = "rating 0..1",
               .min = 0,
               .max = 1,
               .doc = "a worker whose rating average falls below this is deactivated (removed from "
                      "the platform for good); 0: nobody is",
               .source = "BRIEF: rating thresholds and deactivation (ride-hailing apps deactivate "
                         "drivers below a minimum rating); value an assumption"});
  v.field("deactivation_min_reviews", s.deactivation_min_reviews,
          Meta{.unit = "ratings",
               .min = 0,
               .max = 1e6,
               .doc = "ratings a worker must have on the platform before the threshold applies",
               .source = "assumption"});
  v.field("bid_elasticity", s.bid_elasticity,
          Meta{.unit = "elasticity",
               .min = 0,
               .max = 5,
               .doc = "bidding mode: when competing workers' task capacity exceeds the tasks, "
                      "prices are posted * (capacity / tasks)^-bid_elasticity; 0: posted prices",
               .source = "BRIEF: bidding drives prices down (Jager et al. 2019, J. Econ. Interact. "
                         "Coord. 14:761-788); value an assumption"});
  v.field("bid_floor", s.bid_floor,
          Meta{.unit = "share of posted price",
               .min = 0,
               .max = 1,
               .doc = "bidding mode: lowest price as a share of the posted price",
               .source = "assumption"});
  v.section("cooperative", s.cooperative, Meta{.doc = "worker ownership: a platform cooperative"});
  // The levy is part of the fee: the members cannot pay more into training than the fee takes.
  v.check("cooperative.training_levy",
          !s.cooperative.enabled || s.cooperative.training_levy <= s.take_rate, [&] {
            return "levy " + format_number(s.cooperative.training_levy) +
                   " exceeds the platform's fee (take_rate " + format_number(s.take_rate) + ")";
          });
  v.check("cooperative.max_training_levy",
          !s.cooperative.enabled || s.cooperative.max_training_levy <= s.take_rate, [&] {
            return "levy " + format_number(s.cooperative.max_training_levy) +
                   " exceeds the platform's fee (take_rate " + format_number(s.take_rate) + ")";
          });
}

template <class V>
void describe(V& v, SkillSpec& s) {
  v.field("practice_ceiling", s.practice_ceiling,
          Meta{.unit = "skill 0..1",
               .min = 0,
               .max = 1,
               .doc = "skill up to which learning by doing raises skill; courses go beyond it",
               .source = "assumption"});
  v.field("practice_gain_per_hour", s.practice_gain_per_hour,
          Meta{.unit = "share of gap to 1 per paid hour",
               .min = 0,
               .max = 1,
               .doc = "learning by doing: share of the gap to full skill closed per paid hour",
               .source = "assumption"});
  v.field("decay_per_week", s.decay_per_week,
          Meta{.unit = "share/week",
               .min = 0,
               .max = 1,
               .doc = "share of skill lost per week without practice",
               .source = "assumption"});
  v.field("reputation_learning_rate", s.reputation_learning_rate,
          Meta{.unit = "weight",
               .min = 0,
               .max = 1,
               .doc = "weight of a new rating in the running rating average",
               .source = "assumption"});
}

template <class V>
void describe(V& v, TrainingSpec& s) {
  v.field("consider_probability", s.consider_probability,
          Meta{.unit = "probability/week",
               .min = 0,
               .max = 1,
               .doc = "chance per worker and week to weigh taking a course",
               .source = "assumption"});
  v.field(
      "course_weeks", s.course_weeks,
      Meta{.unit = "weeks", .min = 1, .max = 520, .doc = "course length", .source = "assumption"});
  v.field("course_hours_per_week", s.course_hours_per_week,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 168,
               .doc = "hours per week a course takes from the hours budget",
               .source = "assumption"});
  v.field("course_cost", s.course_cost,
          Meta{.unit = "EUR/course", .min = 0, .doc = "fee of one course", .source = "assumption"});
  v.field("skill_gain", s.skill_gain,
          Meta{.unit = "share of gap to 1",
               .min = 0,
               .max = 1,
               .doc = "share of the gap to full skill closed when the course is completed",
               .source = "assumption"});
  v.field("horizon_weeks", s.horizon_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 5'200,
               .doc = "weeks over which a worker counts the gain of a course",
               .source = "assumption"});
  v.field("discount_per_week", s.discount_per_week,
          Meta{.unit = "rate/week",
               .min = 0,
               .max = 1,
               .doc = "weekly discount rate in the training decision",
               .source = "assumption"});
}

template <class V>
void describe(V& v, UmbrellaCoopSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "whether the umbrella cooperative exists; if false the other keys are unused",
               .source = "SMart (BE), Convoy (SE)"});
  v.field("initial_member_share", s.initial_member_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers who are members at the start",
               .source = "assumption"});
  v.field("fee_rate", s.fee_rate,
          Meta{.unit = "share of invoiced amount",
               .min = 0,
               .max = 1,
               .doc = "cooperative fee on invoiced amounts",
               .source = "SMart 6.5%; Convoy 6.5% up to SEK 100k/yr then 5.5%"});
  v.field("guarantee_fund_share", s.guarantee_fund_share,
          Meta{.unit = "share of fee",
               .min = 0,
               .max = 1,
               .doc = "share of the fee paid into the guarantee fund",
               .source = "assumption (SMart mutualises ~16% of turnover)"});
  v.field("training_fund_share", s.training_fund_share,
          Meta{.unit = "share of fee",
               .min = 0,
               .max = 1,
               .doc = "share of the fee paid into the training fund",
               .source = "assumption"});
  v.field(
      "initial_guarantee_fund", s.initial_guarantee_fund,
      Meta{.unit = "EUR", .min = 0, .doc = "guarantee fund at the start", .source = "assumption"});
  v.field(
      "initial_training_fund", s.initial_training_fund,
      Meta{.unit = "EUR", .min = 0, .doc = "training fund at the start", .source = "assumption"});
  v.field("payout_lag_weeks", s.payout_lag_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = kMaxPayoutLagWeeks,
               .doc = "weeks from invoicing to payment of members (guarantee fund pays)",
               .source = "SMart pays within 7 working days"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of a member's course cost that the training fund pays",
               .source = "assumption"});
  v.field("search_time_reduction", s.search_time_reduction,
          Meta{.unit = "relative cut",
               .min = 0,
               .max = 1,
               .doc = "relative cut in unpaid search time for members",
               .source = "assumption (BRIEF: membership can lower search time)"});
  v.field("salary_smoothing_months", s.salary_smoothing_months,
          Meta{.unit = "months",
               .min = 0,
               .max = 120,
               .doc = "averaged monthly salary: members' pay goes into a salary account and each "
                      "(4-week) month they are paid 1/N of it; 0: paid as invoices are settled",
               .source = "Smart Germany's averaged monthly salary (BRIEF); N an assumption"});
  v.field("membership_review_probability", s.membership_review_probability,
          Meta{.unit = "per worker and month",
               .min = 0,
               .max = 1,
               .doc = "membership decisions: chance that a worker reviews its membership at a "
                      "month end (once 12 months of income history exist); 0: membership fixed",
               .source = "Barbet, Bourles & Rouchier, J. Evol. Econ. (membership by expected "
                         "utility including risk); value an assumption"});
  v.field("risk_aversion", s.risk_aversion,
          Meta{.unit = "relative risk aversion",
               .min = 0,
               .max = 20,
               .doc = "rho in the certainty equivalent mean * (1 + CV^2)^(-rho / 2) a reviewing "
                      "worker compares (constant relative risk aversion, lognormal income)",
               .source = "assumption (estimates of relative risk aversion mostly lie between 1 and "
                         "4)"});
  v.field("switching_cost", s.switching_cost,
          Meta{.unit = "EUR/month",
               .min = 0,
               .doc = "gain in monthly certainty equivalent a worker needs before it joins or "
                      "leaves",
               .source = "assumption"});
  v.check("training_fund_share", s.guarantee_fund_share + s.training_fund_share <= 1, [&] {
    return "guarantee_fund_share + training_fund_share = " +
           format_number(s.guarantee_fund_share + s.training_fund_share) + " exceeds 1";
  });
}

template <class V>
void describe(V& v, SicknessSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "workers fall sick now and then and cannot work while sick",
               .source = "BRIEF: sickness events; seed 003 (no sick pay for the precariat)"});
  v.field("weekly_onset_probability", s.weekly_onset_probability,
          Meta{.unit = "per healthy worker and week",
               .min = 0,
               .max = 1,
               .doc = "chance that a healthy worker falls sick in a week",
               .source = "assumption: with 3-week spells about 3% of weeks are lost, the order of "
                         "EU sickness absence rates"});
  v.field("mean_duration_weeks", s.mean_duration_weeks,
          Meta{.unit = "weeks",
               .min = 1,
               .max = 520,
               .doc = "mean length of a sickness spell (geometric distribution)",
               .source = "assumption"});
}

template <class V>
void describe(V& v, PeerLearningSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "umbrella-cooperative members learn from each other along member ties "
                      "(needs umbrella_coop.enabled)",
               .source = "seed 000 (Gig-gemenskaper: peer-to-peer competence exchange across "
                         "sectors)"});
  v.field("ties_per_member", s.ties_per_member,
          Meta{.unit = "ties",
               .min = 2,
               .max = 64,
               .doc = "ties of each member to the nearest fellow members in id order (a ring "
                      "lattice; rounded down to even)",
               .source = "assumption"});
  v.field("rate_per_week", s.rate_per_week,
          Meta{.unit = "share of gap per week",
               .min = 0,
               .max = 1,
               .doc = "share of the gap between a member's skill and its ties' level closed each "
                      "healthy week",
               .source = "assumption"});
  v.field("cross_sector_share", s.cross_sector_share,
          Meta{.unit = "share",
               .min = 0,
               .max = 1,
               .doc = "weight of a tie's best skill in any sector as a level in the other sectors "
                      "(learning across sectors)",
               .source = "seed 000 asks for exchange across sectors; value an assumption"});
}

template <class V>
void describe(V& v, SicknessPoolSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "a mutual sickness pool (Broodfonds type) is open to workers",
               .source = "Broodfonds (NL); JASSS 25(2) 5, 2022"});
  v.field("initial_member_share", s.initial_member_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers who are pool members at the start",
               .source = "assumption"});
  v.field("group_size", s.group_size,
          Meta{.unit = "members",
               .min = 1,
               .max = 50,
               .doc = "members per group; each group has its own pot",
               .source = "Broodfonds groups have 20 to 50 members (JASSS 25(2) 5, 2022)"});
  v.field("contribution_rate", s.contribution_rate,
          Meta{.unit = "share of the insured weekly amount",
               .min = 0,
               .max = 1,
               .doc = "what a healthy member pays into the group's pot each week, as a share of "
                      "the benefit they insure",
               .source = "assumption (Broodfonds deposits scale with the insured amount)"});
  v.field("replacement_rate", s.replacement_rate,
          Meta{.unit = "share of recent weekly earnings",
               .min = 0,
               .max = 2,
               .doc = "insured benefit per week as a share of the member's recent weekly "
                      "earnings; a spell's benefit is the amount insured when it began",
               .source = "assumption (Broodfonds members insure an amount near their income)"});
  v.field("max_monthly_benefit", s.max_monthly_benefit,
          Meta{.unit = "EUR/month",
               .min = 0,
               .doc = "cap of the benefit per 4-week month",
               .source = "Broodfonds benefits range from EUR 750 to 2,500 a month"});
  v.field("waiting_weeks", s.waiting_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 520,
               .doc = "weeks of sickness before the benefit starts",
               .source = "Broodfonds pays from the second month of sickness"});
  v.field("max_benefit_weeks", s.max_benefit_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 520,
               .doc = "weeks of benefit per sickness spell at most",
               .source = "Broodfonds pays for at most two years"});
}

template <class V>
void describe(V& v, EmployeeSharingSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "an employee-sharing pool: member employers jointly employ workers on "
                      "continuous contracts and share them",
               .source = "seed 003 (SIV, Denmark: cooperative job and employee sharing for the "
                         "precariat); Eurofound, strategic employee sharing"});
  v.field("initial_worker_share", s.initial_worker_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers the pool employs at the start",
               .source = "assumption"});
  v.field("employers", s.employers,
          Meta{.unit = "employers",
               .min = 1,
               .max = 1e6,
               .doc = "member employers sharing the pool's workers",
               .source = "assumption"});
  v.field("demand_hours_mean", s.demand_hours_mean,
          Meta{.unit = "hours/week",
               .min = 0,
               .doc = "mean hours one employer needs from the pool each week",
               .source = "assumption"});
  v.field("demand_cv", s.demand_cv,
          Meta{.unit = "coefficient of variation",
               .min = 0,
               .max = 5,
               .doc = "spread of an employer's weekly need (gamma distributed, independent across "
                      "employers and weeks): the fluctuation sharing pools",
               .source = "assumption"});
  v.field("contract_hours", s.contract_hours,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 80,
               .doc = "hours of a pooled worker's continuous contract, taken from its hours budget",
               .source = "assumption"});
  v.field("hourly_wage", s.hourly_wage,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "wage per contract hour, paid every week whatever the employers use, also "
                      "while sick",
               .source = "seed 003: continuous contracts instead of casual gigs; value an "
                         "assumption"});
  v.field("charge_per_hour", s.charge_per_hour,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "what the employers pay the pool per hour they use",
               .source = "assumption"});
  v.field("initial_fund", s.initial_fund,
          Meta{.unit = "EUR",
               .min = 0,
               .doc = "the pool's fund at the start (the members' capital)",
               .source = "assumption"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of a pooled worker's course the pool pays, as its employer, while the "
                      "fund holds enough",
               .source = "BRIEF: who pays for training depends on status (employer)"});
}

template <class V>
void describe(V& v, WiseSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "work-integrating social enterprises: supported employment for workers far "
                      "from the labour market",
               .source = "seed 002 (ASF incubator, Gotland: WISEs owned by people furthest from "
                         "the labour market)"});
  v.field("count", s.count,
          Meta{.unit = "WISEs",
               .min = 1,
               .max = kMaxWises,
               .doc = "enterprises (identical)",
               .source = "assumption"});
  v.field("sector", s.sector,
          Meta{.doc = "name of the sector the WISEs work in; supported hours are practice there"});
  v.field("supervisors", s.supervisors,
          Meta{.unit = "supervisors",
               .min = 1,
               .max = 1000,
               .doc = "supervisors per WISE",
               .source = "seed 002: WISEs employ managers and supervisors (handledare)"});
  v.field("places_per_supervisor", s.places_per_supervisor,
          Meta{.unit = "employees",
               .min = 1,
               .max = 1000,
               .doc = "supported employees one supervisor can take: supervision capacity",
               .source = "assumption"});
  v.field("min_distance", s.min_distance,
          Meta{.unit = "distance",
               .min = 0,
               .max = 1,
               .doc = "distance from the labour market at which a worker is eligible; an employee "
                      "below it is job-ready and may move on",
               .source = "assumption"});
  v.field("hours_per_week", s.hours_per_week,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 80,
               .doc = "contract hours of a supported employee (fewer for a worker whose hours "
                      "budget is smaller), taken from its hours budget",
               .source = "assumption"});
  v.field("hourly_wage", s.hourly_wage,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "wage per contract hour, paid every week, also while sick",
               .source = "assumption (collective-agreement wage)"});
  v.field("wage_subsidy_share", s.wage_subsidy_share,
          Meta{.unit = "share of wages due",
               .min = 0,
               .max = 1,
               .doc = "public wage subsidy for supported employees (policy lever)",
               .source = "Swedish wage subsidies (lonebidrag) cover up to about 80% of the wage; "
                         "value a scenario choice"});
  v.field("value_per_hour", s.value_per_hour,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "output per supported hour at skill 1 (times the employee's skill in the "
                      "sector)",
               .source = "assumption"});
  v.field("sales_per_week", s.sales_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "mean of what private buyers want from one WISE a week",
               .source = "assumption"});
  v.field("sales_cv", s.sales_cv,
          Meta{.unit = "coefficient of variation",
               .min = 0,
               .max = 5,
               .doc = "spread of a week's private demand (gamma, independent across WISEs and "
                      "weeks)",
               .source = "assumption"});
  v.field("supervision_cost_per_week", s.supervision_cost_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "cost of one supervisor a week (wage and overhead)",
               .source = "assumption"});
  v.field("initial_capital", s.initial_capital,
          Meta{.unit = "EUR",
               .min = 0,
               .doc = "capital of each WISE at the start",
               .source = "assumption"});
  v.field("distance_reduction_per_week", s.distance_reduction_per_week,
          Meta{.unit = "distance/week",
               .min = 0,
               .max = 1,
               .doc = "fall in an employee's distance from the labour market per healthy week of "
                      "supported employment",
               .source = "seed 002: WISEs bring people furthest from the labour market into it; "
                         "value an assumption"});
  v.field("transition_rate", s.transition_rate,
          Meta{.unit = "per week",
               .min = 0,
               .max = 1,
               .doc = "weekly chance that a job-ready employee moves on to the open market",
               .source = "assumption"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of an employee's course the WISE pays, as employer, while its capital "
                      "holds enough",
               .source = "BRIEF: who pays for training depends on status (employer)"});
  v.field(
      "insolvency_weeks", s.insolvency_weeks,
      Meta{.unit = "weeks",
           .min = 1,
           .max = 520,
           .doc = "weeks in a row with wages or supervision not paid in full after which a WISE "
                  "closes (business viability)",
           .source = "assumption"});
}

template <class V>
void describe(V& v, PublicBuyersSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "public buyers that reserve part of their purchases for WISEs",
               .source = "seed 004 (NIA, Jamtland: social procurement); Directive 2014/24/EU "
                         "art. 20 (reserved contracts)"});
  v.field("purchases_per_week", s.purchases_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "public purchases in the region the WISEs could serve",
               .source = "assumption"});
  v.field("reserved_share", s.reserved_share,
          Meta{.unit = "share of purchases",
               .min = 0,
               .max = 1,
               .doc = "share reserved for WISEs: the minimum share of social procurement (policy "
                      "lever)",
               .source = "seed 004; BRIEF: policy levers; value a scenario choice"});
  v.field("min_disadvantaged_share", s.min_disadvantaged_share,
          Meta{.unit = "share of staff",
               .min = 0,
               .max = 1,
               .doc = "share of a WISE's staff (employees and supervisors) who must be supported "
                      "employees for it to bid",
               .source = "Directive 2014/24/EU art. 20: at least 30%"});
}

template <class V>
void describe(V& v, IntermediarySpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "an intermediary node for inclusive working life that links workers far "
                      "from the labour market with clients and support services",
               .source = "seed 004 (NIA, Jamtland: a node coordinating employers, public services "
                         "and social enterprises against discrimination and recruitment habits)"});
  v.field("reach", s.reach,
          Meta{.unit = "share of far workers",
               .min = 0,
               .max = 1,
               .doc = "share of the workers far from the labour market linked to the node (drawn "
                      "at the start)",
               .source = "assumption"});
  v.field("bias_reduction", s.bias_reduction,
          Meta{.unit = "share of recruitment bias",
               .min = 0,
               .max = 1,
               .doc = "share of the clients' recruitment bias the node removes for its linked "
                      "workers",
               .source = "seed 004: the node is to lower recruitment bias; value an assumption"});
  v.field(
      "search_time_reduction", s.search_time_reduction,
      Meta{.unit = "share of search time",
           .min = 0,
           .max = 1,
           .doc = "relative cut in the linked workers' unpaid search time (compounded with an "
                  "umbrella cooperative's)",
           .source = "BRIEF: node membership can lower unpaid search time; value an assumption"});
  v.field("cost_per_linked_worker", s.cost_per_linked_worker,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "public cost of the node per linked worker and week (reported as node_cost)",
               .source = "assumption (seed 004 is ESF-funded)"});
}

template <class V>
void describe(V& v, PolicySpec& s) {
  v.field("training_subsidy_share", s.training_subsidy_share,
          Meta{.unit = "share of the worker's own course cost",
               .min = 0,
               .max = 1,
               .doc = "public training subsidy: the share of what a worker would pay for a course "
                      "that the public budget pays instead (after any cooperative fund share)",
               .source = "BRIEF: policy levers (training subsidy); value a scenario choice"});
}

template <class V>
void describe(V& v, UnemploymentInsuranceSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "unemployment insurance for the self-employed, as income-loss insurance: "
                      "every worker not employed by the pool or a WISE is covered",
               .source = "BRIEF: policy levers (unemployment insurance rules for the "
                         "self-employed); seed 003: the precariat has no unemployment benefit"});
  v.field("contribution_rate", s.contribution_rate,
          Meta{.unit = "share of monthly income",
               .min = 0,
               .max = 1,
               .doc = "contribution paid on each month's income",
               .source = "assumption"});
  v.field("replacement_rate", s.replacement_rate,
          Meta{.unit = "share of the shortfall",
               .min = 0,
               .max = 1,
               .doc = "share of the shortfall below the reference income (the mean of the "
                      "previous 12 months) the benefit replaces",
               .source = "assumption (unemployment benefits commonly replace 60-80%)"});
  v.field("shortfall_threshold", s.shortfall_threshold,
          Meta{.unit = "share of reference income",
               .min = 0,
               .max = 1,
               .doc = "a month with income below this share of the reference income is a claim",
               .source = "assumption"});
  v.field("benefit_cap", s.benefit_cap,
          Meta{.unit = "EUR/month",
               .min = 0,
               .max = 1e6,
               .doc = "highest benefit in a month",
               .source = "assumption"});
  v.field("qualifying_months", s.qualifying_months,
          Meta{.unit = "months",
               .min = 0,
               .max = 12,
               .doc = "months among the previous 12 in which the worker paid contributions, "
                      "needed to claim",
               .source = "assumption (contribution-period rules)"});
}

template <class V>
void describe(V& v, OutputSpec& s) {
  v.panel("panel", s.panel, "panel_workers", s.panel_workers,
          Meta{.unit = "workers (integer form)",
               .min = 1,
               .max = 1e8,
               .doc = "which workers get a weekly panel record; an integer N means sampled with "
                      "panel_workers = N"});
  v.field("panel_workers", s.panel_workers,
          Meta{.unit = "workers",
               .min = 0,
               .max = 1e8,
               .doc = "workers sampled into the panel when panel = sampled (at least 1 then)"});
  v.check("panel_workers", s.panel != PanelMode::sampled || s.panel_workers >= 1,
          [] { return std::string("must be at least 1 when panel is sampled"); });
}

template <class V>
void describe(V& v, ScenarioSpec& s) {
  v.field("name", s.name, Meta{.doc = "scenario name, recorded in outputs"});
  v.field("description", s.description, Meta{.doc = "free text, recorded in outputs"});
  v.section("run", s.run, Meta{.doc = "run length and seed"});
  v.section("workers", s.workers, Meta{.doc = "worker population"});
  v.list("sectors", s.sectors,
         Meta{.unit = "sectors",
              .min = 1,
              .max = kMaxSectors,
              .doc = "sectors of client demand",
              .required = true});
  v.list("platforms", s.platforms,
         Meta{.unit = "platforms",
              .min = 1,
              .max = kMaxPlatforms,
              .doc = "platforms: investor-owned, or platform cooperatives",
              .required = true});
  v.section("skills", s.skills, Meta{.doc = "skill growth and decay, reputation"});
  v.section("training", s.training, Meta{.doc = "training decisions and courses"});
  v.section("umbrella_coop", s.umbrella_coop,
            Meta{.doc = "umbrella cooperative (SMart/Convoy type)"});
  v.section("sickness", s.sickness, Meta{.doc = "sickness events"});
  v.section("sickness_pool", s.sickness_pool,
            Meta{.doc = "mutual sickness pool (Broodfonds type)"});
  v.section("peer_learning", s.peer_learning,
            Meta{.doc = "peer-to-peer competence exchange among cooperative members"});
  v.section("employee_sharing", s.employee_sharing,
            Meta{.doc = "employee-sharing pool (seed 003, SIV)"});
  v.section("wise", s.wise, Meta{.doc = "work-integrating social enterprises (seed 002, ASF)"});
  v.section("public_buyers", s.public_buyers,
            Meta{.doc = "public buyers with reserved contracts (seed 004, NIA)"});
  v.section("intermediary", s.intermediary,
            Meta{.doc = "intermediary node for inclusive working life (seed 004, NIA)"});
  v.section("policy", s.policy, Meta{.doc = "policy levers"});
  v.section("unemployment_insurance", s.unemployment_insurance,
            Meta{.doc = "unemployment insurance for the self-employed (a policy lever)"});
  v.section("output", s.output, Meta{.doc = "what the run writes"});

  v.check("peer_learning.enabled", !s.peer_learning.enabled || s.umbrella_coop.enabled, [] {
    return std::string(
        "peer learning runs among umbrella-cooperative members: set "
        "umbrella_coop.enabled: true as well");
  });
  if (s.wise.enabled) {
    bool known = false;
    for (const auto& sec : s.sectors) known = known || sec.name == s.wise.sector;
    v.check("wise.sector", known, [&] {
      std::string names;
      for (const auto& sec : s.sectors) names += (names.empty() ? "'" : ", '") + sec.name + "'";
      return "'" + s.wise.sector + "' is not a sector (sectors: " + names + ")";
    });
    v.check("wise.min_distance", s.wise.min_distance < 1, [] {
      return std::string(
          "distances from the labour market are below 1, so nobody could ever be hired: use a "
          "value below 1");
    });
    v.check("wise.enabled", s.workers.far_from_market_share > 0 || s.wise.min_distance <= 0, [] {
      return std::string(
          "no worker is far enough from the labour market for a WISE to hire: set "
          "workers.far_from_market_share above 0 (or wise.min_distance to 0)");
    });
  }
  v.check("intermediary.enabled", !s.intermediary.enabled || s.workers.far_from_market_share > 0,
          [] {
            return std::string(
                "the node links workers far from the labour market, and there are none: set "
                "workers.far_from_market_share above 0");
          });
  v.check("public_buyers.enabled", !s.public_buyers.enabled || s.wise.enabled, [] {
    return std::string("public buyers reserve contracts for WISEs: set wise.enabled: true as well");
  });
  v.check("workers.sectors_per_worker", s.workers.sectors_per_worker <= s.sectors.size(), [&] {
    return "value " + std::to_string(s.workers.sectors_per_worker) +
           " exceeds the number of sectors (" + std::to_string(s.sectors.size()) + ")";
  });
  auto check_unique = [&v](std::string_view list_key, std::string_view what, const auto& items) {
    for (std::size_t j = 1; j < items.size(); ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (items[i].name != items[j].name) continue;
        const std::string path = std::string(list_key) + "[" + std::to_string(j) + "].name";
        v.check(path, false, [&] {
          return "duplicate " + std::string(what) + " name '" + items[j].name + "' (also " +
                 std::string(list_key) + "[" + std::to_string(i) + "].name)";
        });
      }
    }
  };
  check_unique("sectors", "sector", s.sectors);
  check_unique("platforms", "platform", s.platforms);
}

// "[0, 1]", "(0, 168]", "[0, inf)"; integral ranges without a max end at type_max.
std::string range_text(const Meta& meta, bool integral, std::string_view type_max = "");

// Names of the list element kinds, for messages and the parameter list.
inline std::string_view element_name(const SectorSpec*) {
  return "sector";
}
inline std::string_view element_name(const PlatformSpec*) {
  return "platform";
}

// Edit distance (optimal string alignment: insertions, deletions, substitutions, transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `key` if it is close enough to be a likely typo, else "".
std::string_view nearest_key(std::string_view key, const std::vector<std::string_view>& candidates);

}  // namespace gigsim::scenario::schema
