// The scenario schema: ONE description per spec struct, used by the parser (parse.cpp), the
// emitter (emit.cpp) and the parameter list (params.cpp). Each describe() calls, on a visitor V:
//   v.field(key, member, Meta)                     scalar field (double, uint32, uint64, bool,
//   string) v.section(key, member_struct, Meta)            nested mapping, described by its own
//   describe() v.list(key, member_vector, Meta)               list of mappings; Meta.min/max bound
//   the length v.panel(key, mode, workers_key, workers, Meta) PanelMode: all|sampled|none or an
//   integer N v.check(rel_path, ok, message_fn)              cross-field rule, checked after the
//   fields above
//   v.per_worker(key, whole_key, Meta)  key times workers.count gives whole_key (parse.cpp)
// Keys are named exactly as the C++ members. Sources name an entry of docs/references.md in square
// brackets, or say "assumption:" (or "scenario choice:") with the reason for the value.
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
          .unit = "weeks", .min = 1, .max = 5'200, .doc = "simulated weeks; one step is one week",
          .source = "scenario choice: five years, so that 12-month metrics follow four years "
                    "of market history"});
  v.field("seed", s.seed,
          Meta{.min = 0,
               .doc = "run seed; every random stream is derived from it by hashing",
               .source = "scenario choice: the default gigsim::kDefaultSeed; replications "
                         "derive their seeds from it by hashing"});
}

template <class V>
void describe(V& v, WorkerSpec& s) {
  v.field("count", s.count,
          Meta{.unit = "workers", .min = 1, .max = 1e8, .doc = "workers in the market",
               .source = "scenario choice: 10,000 workers give group means to within a few "
                         "percent in one run"});
  v.field(
      "sectors_per_worker", s.sectors_per_worker,
      Meta{.unit = "sectors",
           .min = 1,
           .max = kMaxSectors,
           .doc = "sectors in which a worker starts with skill > 0 (at most the number of sectors)",
           .source = "assumption: gig workers hold skills in a few sectors; 2 of the 3 shipped "
                     "sectors"});
  v.field("hours_budget_mean", s.hours_budget_mean,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 168,
               .doc = "mean weekly hours available for paid work, unpaid search and training",
               .source = "[ILO2021]: online web-based workers spend about 27 hours a week on "
                         "platform work (paid and unpaid); calibrated in scenarios/calibrated"});
  v.field("hours_budget_sd", s.hours_budget_sd,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 168,
               .doc = "standard deviation of the weekly hours budget across workers",
               .source = "assumption: spread of platform hours between occasional and "
                         "full-time workers; sd 8 keeps almost everyone between 10 and 45 h"});
  v.field("fixed_costs_mean", s.fixed_costs_mean,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "mean fixed costs (rent share, phone, vehicle)",
               .source = "assumption: costs a gig worker carries whether or not it works (rent "
                         "share, phone, transport), a round EUR 150 a week"});
  v.field("initial_cash_mean", s.initial_cash_mean,
          Meta{.unit = "EUR",
               .min = 0,
               .doc = "mean initial cash buffer (exponential distribution)",
               .source = "assumption: about two months of the shipped markets' mean income as "
                         "savings at the start"});
  v.field("skill_mean", s.skill_mean,
          Meta{.unit = "skill 0..1",
               .min = 0,
               .max = 1,
               .doc = "mean initial skill in a worker's own sectors (beta distribution)",
               .source = "assumption: newcomers are mid-skilled (0.45 on a 0..1 scale), "
                         "leaving room for practice and courses"});
  v.field("skill_sd", s.skill_sd,
          Meta{.unit = "skill 0..1",
               .min = 0,
               .max = 0.5,
               .doc = "standard deviation of initial skill (beta distribution)",
               .source = "assumption: moderate spread of initial skill; larger values give "
                         "near-zero or full skill to many"});
  v.field("search_minutes_per_paid_hour", s.search_minutes_per_paid_hour,
          Meta{.unit = "minutes/paid hour",
               .min = 0,
               .max = 600,
               .doc = "unpaid search minutes per paid hour on platforms",
               .source = "[ILO2021]: 20-23 unpaid minutes per paid hour (about 8 of 27 weekly "
                         "hours unpaid)"});
  v.field("sector_review_probability", s.sector_review_probability,
          Meta{.unit = "probability/week",
               .min = 0,
               .max = 1,
               .doc = "chance per week that a worker re-chooses its sector from last week's "
                      "tasks per unit of ranking weight",
               .source = "assumption: workers reconsider their sector every few months; "
                         "calibrated in scenarios/calibrated"});
  v.field("rating_noise", s.rating_noise,
          Meta{.unit = "rating sd",
               .min = 0,
               .max = 1,
               .doc = "standard deviation of one client rating around skill-based quality",
               .source = "assumption: one client rating is a noisy signal of quality "
                         "([LukacGrow2021] model such noise); sd 0.15 on a 0..1 scale"});
  v.field("far_from_market_share", s.far_from_market_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers far from the labour market at the start, at a distance "
                      "uniform on [0.5, 1) (the others at 0); WISEs hire from them",
               .source = "[ASFGotland], [NIA]: people furthest from the labour market; the "
                         "share is a scenario choice (0 in the baseline)"});
  v.field("recruitment_bias", s.recruitment_bias,
          Meta{.unit = "share of ranking weight",
               .min = 0,
               .max = 1,
               .doc = "clients' recruitment bias: a worker at distance d from the labour market "
                      "ranks with weight times 1 - recruitment_bias * d on platforms that rank "
                      "(not where a cooperative rotates work)",
               .source = "[NIA] names recruitment habits and discrimination; [Carlsson2007] "
                         "measures such a gap (50% more callbacks); value an assumption"});
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
  v.field("name", s.name, Meta{.doc = "sector name, unique among sectors",
                               .source = "scenario choice",
                               .required = true});
  v.field("tasks_per_week", s.tasks_per_week,
          Meta{.unit = "tasks/week",
               .min = 0,
               .max = 1e9,
               .doc = "mean task arrivals per week over the year, whole market (Poisson)",
               .source = "assumption: the shipped markets' demand is set so that demand is "
                         "about 86% of the workers' paid-hour capacity (scenario check); "
                         "calibrated in scenarios/calibrated"});
  // Demand per worker, so that a scenario keeps its market's balance when workers.count changes:
  // resolved into tasks_per_week before parsing (parse.cpp), never stored.
  v.per_worker(
      "tasks_per_week_per_worker", "tasks_per_week",
      Meta{.unit = "tasks/week per worker",
           .min = 0,
           .max = 1e5,
           .doc = "instead of tasks_per_week: mean task arrivals per week per worker in "
                  "the market; tasks_per_week becomes this times workers.count, so "
                  "changing the population keeps supply and demand in balance",
           .source = "assumption: the shipped scenarios' demand divided by their 10,000 workers"});
  v.field("base_price", s.base_price,
          Meta{.unit = "EUR/task",
               .min = 0,
               .doc = "price of a task with skill need 0",
               .source = "assumption: EUR 20 for a simple task of 1.5 hours, near a low hourly "
                         "wage before commission"});
  v.field("skill_premium", s.skill_premium,
          Meta{.unit = "price multiplier slope",
               .min = 0,
               .max = 100,
               .doc = "price = base_price * (1 + skill_premium * skill need)",
               .source = "assumption: the most demanding task pays twice the simplest"});
  v.field("task_hours", s.task_hours,
          Meta{.unit = "paid hours/task",
               .min = 0,
               .max = 168,
               .doc = "paid hours per task",
               .source = "assumption: a typical short gig (a delivery round, a small online "
                         "task) of 1.5 paid hours",
               .min_open = true});
  v.field("seasonal_amplitude", s.seasonal_amplitude,
          Meta{.unit = "relative amplitude",
               .min = 0,
               .max = 1,
               .doc = "relative amplitude of the yearly sine cycle of demand",
               .source = "assumption: 10% yearly swing of demand; calibrated in "
                         "scenarios/calibrated"});
  v.field("seasonal_peak_week", s.seasonal_peak_week,
          Meta{.unit = "week of year",
               .min = 0,
               .max = 51,
               .doc = "week of the year (0..51) with the highest demand",
               .source = "assumption: demand peaks before the year's end (week 48), as in "
                         "retail and delivery"});
  v.field("client_default_rate", s.client_default_rate,
          Meta{.unit = "share of tasks",
               .min = 0,
               .max = 1,
               .doc = "share of tasks whose client never pays",
               .source = "assumption: 2% of clients never pay, the risk an umbrella "
                         "cooperative's guarantee fund covers ([SMart])"});
  v.field(
      "shock_sd", s.shock_sd,
      Meta{.unit = "sd of log demand",
           .min = 0,
           .max = 2,
           .doc = "monthly demand shocks: sd of the log multiplier (0: no shocks); the "
                  "multiplier has mean 1",
           .source = "assumption: demand varies from month to month beyond its seasonal cycle; "
                     "0 by default, sized in scenarios/calibrated"});
  v.field("shock_persistence", s.shock_persistence,
          Meta{.unit = "correlation",
               .min = 0,
               .max = 0.99,
               .doc = "correlation of the log demand shock from one month to the next (AR(1))",
               .source = "assumption: a bad month makes the next one likelier to be bad "
                         "(correlation 0.5)"});
}

template <class V>
void describe(V& v, PlatformCoopSpec& s) {
  v.field(
      "enabled", s.enabled,
      Meta{.doc = "the platform is a platform cooperative, owned by the workers registered on "
                  "it: its fee (take_rate) stays with them",
           .source = "[DriversCoop] (15% fee), [UpAndGo] (5%): worker-owned platforms"});
  v.field("rotating_allocation", s.rotating_allocation,
          Meta{.doc = "offers are shared in proportion to members' free hours, as a rotation "
                      "would over the weeks, and ratings do not rank; false: ranked like an "
                      "investor-owned platform",
               .source = "[DriversCoop], [UpAndGo]: platform cooperatives share work fairly "
                         "instead of ranking by rating"});
  v.field("operating_cost_rate", s.operating_cost_rate,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "running costs of the platform that grow with its turnover (payments, "
                      "support, insurance), paid from the fee",
               .source = "assumption: payment processing, support and insurance of about 5% of "
                         "turnover"});
  v.field("operating_cost_per_week", s.operating_cost_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "fixed running costs (software, staff): a small network spreads them over "
                      "less turnover",
               .source = "assumption: 0, fixed costs folded into the turnover share unless a "
                         "scenario sets them"});
  v.field("training_levy", s.training_levy,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "part of the fee paid into the platform's training fund; with governance "
                      "the levy of the first year, then the members' vote",
               .source = "[ICA1995] one member one vote on levies; the first year's 2% of "
                         "turnover is an assumption"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of a member's course cost the platform's training fund pays while it "
                      "holds enough",
               .source = "assumption: the fund pays three quarters of a course, as the "
                         "umbrella cooperative's does"});
  v.field("governance", s.governance,
          Meta{.doc = "at the end of each year the members (one vote each) set next year's "
                      "training levy to the median of their proposals",
               .source = "[ICA1995], principle 2: democratic member control, one member one "
                         "vote"});
  v.field("max_training_levy", s.max_training_levy,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "highest training levy a member proposes",
               .source = "assumption: no member proposes more than 5% of turnover, a third of "
                         "a 15% fee ([DriversCoop])"});
}

template <class V>
void describe(V& v, PlatformSpec& s) {
  v.field("name", s.name, Meta{.doc = "platform name, unique among platforms",
                               .source = "scenario choice",
                               .required = true});
  v.field("take_rate", s.take_rate,
          Meta{.unit = "share of gross price",
               .min = 0,
               .max = 1,
               .doc = "commission the platform keeps",
               .source = "[TakeRates]: ride-hailing about 25% advertised, 35-38% effective; "
                         "food delivery 15-35%; Upwork 20/10/5%"});
  v.field("payout_lag_weeks", s.payout_lag_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = kMaxPayoutLagWeeks,
               .doc = "weeks from task completion to payout",
               .source = "assumption: platforms pay out the week after the work"});
  v.field("market_share", s.market_share,
          Meta{.unit = "share of tasks",
               .min = 0,
               .max = 1,
               .doc = "share of each sector's tasks posted on this platform",
               .source = "assumption: one platform carries all of a sector's tasks unless a "
                         "scenario splits them"});
  v.field("worker_share", s.worker_share,
          Meta{.unit = "probability",
               .min = 0,
               .max = 1,
               .doc = "probability that an initial worker is registered on this platform",
               .source = "assumption: every initial worker is registered unless a scenario "
                         "says otherwise"});
  v.field("reputation_exponent", s.reputation_exponent,
          Meta{.unit = "exponent gamma",
               .min = 0,
               .max = 20,
               .doc = "ranking weight = reputation^gamma * (1 + reviews)^delta",
               .source =
                   "[LukacGrow2021]: ranking by reputation gives winner-takes-all hiring; the "
                   "exponent is an assumption in their range"});
  v.field("review_exponent", s.review_exponent,
          Meta{.unit = "exponent delta",
               .min = 0,
               .max = 5,
               .doc = "cumulative advantage of review counts in the ranking weight",
               .source = "[LukacGrow2021]: cumulative advantage of review counts; value an "
                         "assumption"});
  v.field("reoffer_rounds", s.reoffer_rounds,
          Meta{.unit = "rounds",
               .min = 0,
               .max = 10,
               .doc = "times a task declined by a worker with no hours left is offered again to "
                      "workers who still have hours; after that it is lost",
               .source = "assumption: a declined task is offered once more before it is lost"});
  v.field("initial_reputation", s.initial_reputation,
          Meta{.unit = "rating 0..1",
               .min = 0,
               .max = 1,
               .doc = "rating average of newcomers",
               .source = "assumption: newcomers start at a middling 0.7 on a 0..1 scale "
                         "([Pallais2014]: newcomers are under-hired)"});
  v.field("deactivation_rating", s.deactivation_rating,
          Meta{.unit = "rating 0..1",
               .min = 0,
               .max = 1,
               .doc = "a worker whose rating average falls below this is deactivated (removed from "
                      "the platform for good); 0: nobody is",
               .source = "[Filippas2022] ratings inflate; ride-hailing apps deactivate below a "
                         "minimum rating; 0 (off) by default, the threshold an assumption"});
  v.field("deactivation_min_reviews", s.deactivation_min_reviews,
          Meta{.unit = "ratings",
               .min = 0,
               .max = 1e6,
               .doc = "ratings a worker must have on the platform before the threshold applies",
               .source = "assumption: 20 ratings before a threshold applies, so that a "
                         "newcomer is not removed on a few ratings"});
  v.field("bid_elasticity", s.bid_elasticity,
          Meta{.unit = "elasticity",
               .min = 0,
               .max = 5,
               .doc = "bidding mode: when competing workers' task capacity exceeds the tasks, "
                      "prices are posted * (capacity / tasks)^-bid_elasticity; 0: posted prices",
               .source = "[Jager2019]: bidding drives prices down; 0 (posted prices) by "
                         "default, the elasticity an assumption"});
  v.field("bid_floor", s.bid_floor,
          Meta{.unit = "share of posted price",
               .min = 0,
               .max = 1,
               .doc = "bidding mode: lowest price as a share of the posted price",
               .source = "assumption: bids never go below half the posted price"});
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
               .source = "assumption: learning by doing stops at 0.7; beyond it only courses "
                         "raise skill"});
  v.field("practice_gain_per_hour", s.practice_gain_per_hour,
          Meta{.unit = "share of gap to 1 per paid hour",
               .min = 0,
               .max = 1,
               .doc = "learning by doing: share of the gap to full skill closed per paid hour",
               .source = "assumption: 0.15% of the gap to full skill per paid hour: a year at "
                         "20 paid hours a week closes about three quarters of it (up to the "
                         "ceiling)"});
  v.field("decay_per_week", s.decay_per_week,
          Meta{.unit = "share/week",
               .min = 0,
               .max = 1,
               .doc = "share of skill lost per week without practice",
               .source = "assumption: 0.2% of skill lost per idle week, about 10% a year "
                         "without practice"});
  v.field("reputation_learning_rate", s.reputation_learning_rate,
          Meta{.unit = "weight",
               .min = 0,
               .max = 1,
               .doc = "weight of a new rating in the running rating average",
               .source = "assumption: a new rating weighs 5%, so the rating average reflects "
                         "about the last 20 ratings"});
}

template <class V>
void describe(V& v, TrainingSpec& s) {
  v.field("consider_probability", s.consider_probability,
          Meta{.unit = "probability/week",
               .min = 0,
               .max = 1,
               .doc = "chance per worker and week to weigh taking a course",
               .source = "assumption: a worker weighs a course about twice a year"});
  v.field(
      "course_weeks", s.course_weeks,
      Meta{.unit = "weeks", .min = 1, .max = 520, .doc = "course length",
           .source = "assumption: a short vocational course of 4 weeks"});
  v.field("course_hours_per_week", s.course_hours_per_week,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 168,
               .doc = "hours per week a course takes from the hours budget",
               .source = "assumption: 6 hours a week, 24 hours a course"});
  v.field("course_cost", s.course_cost,
          Meta{.unit = "EUR/course", .min = 0, .doc = "fee of one course",
               .source = "assumption: EUR 400 for a short course, the order of adult-education "
                         "fees"});
  v.field("skill_gain", s.skill_gain,
          Meta{.unit = "share of gap to 1",
               .min = 0,
               .max = 1,
               .doc = "share of the gap to full skill closed when the course is completed",
               .source = "assumption: a course closes 10% of the gap to full skill; calibrated "
                         "in scenarios/calibrated"});
  v.field("horizon_weeks", s.horizon_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 5'200,
               .doc = "weeks over which a worker counts the gain of a course",
               .source = "assumption: workers count a year of gains; calibrated in "
                         "scenarios/calibrated"});
  v.field("discount_per_week", s.discount_per_week,
          Meta{.unit = "rate/week",
               .min = 0,
               .max = 1,
               .doc = "weekly discount rate in the training decision",
               .source = "assumption: 0.2% a week, about 10% a year"});
}

template <class V>
void describe(V& v, UmbrellaCoopSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "whether the umbrella cooperative exists; if false the other keys are unused",
               .source = "[SMart], [Convoy]: umbrella cooperatives that employ freelancers"});
  v.field("initial_member_share", s.initial_member_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers who are members at the start",
               .source = "scenario choice: 0 in the baseline; the cooperative scenarios start "
                         "with members"});
  v.field("fee_rate", s.fee_rate,
          Meta{.unit = "share of invoiced amount",
               .min = 0,
               .max = 1,
               .doc = "cooperative fee on invoiced amounts",
               .source = "[SMart] 6.5%; [Convoy] 6.5% up to SEK 100k a year, then 5.5%"});
  v.field("guarantee_fund_share", s.guarantee_fund_share,
          Meta{.unit = "share of fee",
               .min = 0,
               .max = 1,
               .doc = "share of the fee paid into the guarantee fund",
               .source = "assumption: 30% of the fee; [SMart] mutualises about 16% of turnover "
                         "for all its services"});
  v.field("training_fund_share", s.training_fund_share,
          Meta{.unit = "share of fee",
               .min = 0,
               .max = 1,
               .doc = "share of the fee paid into the training fund",
               .source = "assumption: 20% of the fee, about 1.3% of turnover, for members' "
                         "courses"});
  v.field(
      "initial_guarantee_fund", s.initial_guarantee_fund,
      Meta{.unit = "EUR", .min = 0, .doc = "guarantee fund at the start",
           .source = "scenario choice: 0 for a new cooperative; the shipped scenarios give an "
                     "established one a fund"});
  v.field(
      "initial_training_fund", s.initial_training_fund,
      Meta{.unit = "EUR", .min = 0, .doc = "training fund at the start",
           .source = "scenario choice: 0 for a new cooperative"});
  v.field("payout_lag_weeks", s.payout_lag_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = kMaxPayoutLagWeeks,
               .doc = "weeks from invoicing to payment of members (guarantee fund pays)",
               .source = "[SMart] pays members within 7 working days"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of a member's course cost that the training fund pays",
               .source = "assumption: the fund pays three quarters of a course, the member the "
                         "rest"});
  v.field("search_time_reduction", s.search_time_reduction,
          Meta{.unit = "relative cut",
               .min = 0,
               .max = 1,
               .doc = "relative cut in unpaid search time for members",
               .source = "assumption: a quarter less unpaid search through the cooperative's "
                         "client relations"});
  v.field("salary_smoothing_months", s.salary_smoothing_months,
          Meta{.unit = "months",
               .min = 0,
               .max = 120,
               .doc = "averaged monthly salary: members' pay goes into a salary account and each "
                      "(4-week) month they are paid 1/N of it; 0: paid as invoices are settled",
               .source = "[SmartDE]: the averaged monthly salary; 0 (off) by default, N an "
                         "assumption"});
  v.field("membership_review_probability", s.membership_review_probability,
          Meta{.unit = "per worker and month",
               .min = 0,
               .max = 1,
               .doc = "membership decisions: chance that a worker reviews its membership at a "
                      "month end (once 12 months of income history exist); 0: membership fixed",
               .source = "[BBR2019]: membership by expected utility including risk; 0 (fixed "
                         "membership) by default, the rate an assumption"});
  v.field("risk_aversion", s.risk_aversion,
          Meta{.unit = "relative risk aversion",
               .min = 0,
               .max = 20,
               .doc = "rho in the certainty equivalent mean * (1 + CV^2)^(-rho / 2) a reviewing "
                      "worker compares (constant relative risk aversion, lognormal income)",
               .source = "assumption: 2, inside the range 1 to 4 that most estimates of "
                         "relative risk aversion fall in"});
  v.field("switching_cost", s.switching_cost,
          Meta{.unit = "EUR/month",
               .min = 0,
               .doc = "gain in monthly certainty equivalent a worker needs before it joins or "
                      "leaves",
               .source = "assumption: EUR 50 a month of certainty equivalent, the paperwork "
                         "and habit of changing status"});
  v.check("training_fund_share", s.guarantee_fund_share + s.training_fund_share <= 1, [&] {
    return "guarantee_fund_share + training_fund_share = " +
           format_number(s.guarantee_fund_share + s.training_fund_share) + " exceeds 1";
  });
}

template <class V>
void describe(V& v, SicknessSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "workers fall sick now and then and cannot work while sick",
               .source = "[SIV]: the precariat has no sick pay; off by default"});
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
               .source = "assumption: 3 weeks, most spells being short and a few long"});
}

template <class V>
void describe(V& v, PeerLearningSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "umbrella-cooperative members learn from each other along member ties "
                      "(needs umbrella_coop.enabled)",
               .source = "[GigGemenskaper]: peer-to-peer competence exchange among cooperative "
                         "members, across sectors"});
  v.field("ties_per_member", s.ties_per_member,
          Meta{.unit = "ties",
               .min = 2,
               .max = 64,
               .doc = "ties of each member to the nearest fellow members in id order (a ring "
                      "lattice; rounded down to even)",
               .source = "assumption: each member learns from 4 fellow members"});
  v.field("rate_per_week", s.rate_per_week,
          Meta{.unit = "share of gap per week",
               .min = 0,
               .max = 1,
               .doc = "share of the gap between a member's skill and its ties' level closed each "
                      "healthy week",
               .source = "assumption: 2% of the gap to the ties' level a week, slower than a "
                         "course"});
  v.field("cross_sector_share", s.cross_sector_share,
          Meta{.unit = "share",
               .min = 0,
               .max = 1,
               .doc = "weight of a tie's best skill in any sector as a level in the other sectors "
                      "(learning across sectors)",
               .source = "[GigGemenskaper] asks for exchange across sectors; the 30% weight is "
                         "an assumption"});
}

template <class V>
void describe(V& v, SicknessPoolSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "a mutual sickness pool (Broodfonds type) is open to workers",
               .source = "[Broodfonds], [JASSS2022]: mutual sickness pools of the self-employed"});
  v.field("initial_member_share", s.initial_member_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers who are pool members at the start",
               .source = "scenario choice: 0 in the baseline"});
  v.field("group_size", s.group_size,
          Meta{.unit = "members",
               .min = 1,
               .max = 50,
               .doc = "members per group; each group has its own pot",
               .source = "[Broodfonds], [JASSS2022]: groups of 20 to 50 members"});
  v.field("contribution_rate", s.contribution_rate,
          Meta{.unit = "share of the insured weekly amount",
               .min = 0,
               .max = 1,
               .doc = "what a healthy member pays into the group's pot each week, as a share of "
                      "the benefit they insure",
               .source = "assumption: 1% of the insured weekly amount a week; [Broodfonds] "
                         "deposits scale with the insured amount"});
  v.field("replacement_rate", s.replacement_rate,
          Meta{.unit = "share of recent weekly earnings",
               .min = 0,
               .max = 2,
               .doc = "insured benefit per week as a share of the member's recent weekly "
                      "earnings; a spell's benefit is the amount insured when it began",
               .source = "assumption: 70% of recent earnings; [Broodfonds] members insure an "
                         "amount near their income"});
  v.field("max_monthly_benefit", s.max_monthly_benefit,
          Meta{.unit = "EUR/month",
               .min = 0,
               .doc = "cap of the benefit per 4-week month",
               .source = "[Broodfonds]: benefits between EUR 750 and 2,500 a month"});
  v.field("waiting_weeks", s.waiting_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 520,
               .doc = "weeks of sickness before the benefit starts",
               .source = "[Broodfonds] pays from the second month of sickness"});
  v.field("max_benefit_weeks", s.max_benefit_weeks,
          Meta{.unit = "weeks",
               .min = 0,
               .max = 520,
               .doc = "weeks of benefit per sickness spell at most",
               .source = "[Broodfonds] pays for at most two years"});
}

template <class V>
void describe(V& v, EmployeeSharingSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "an employee-sharing pool: member employers jointly employ workers on "
                      "continuous contracts and share them",
               .source = "[SIV], [Eurofound2015]: employers jointly employ and share workers "
                         "on continuous contracts"});
  v.field("initial_worker_share", s.initial_worker_share,
          Meta{.unit = "share of workers",
               .min = 0,
               .max = 1,
               .doc = "share of workers the pool employs at the start",
               .source = "assumption: 4% of the workers (400 of 10,000), the contract hours "
                         "the employers need"});
  v.field("employers", s.employers,
          Meta{.unit = "employers",
               .min = 1,
               .max = 1e6,
               .doc = "member employers sharing the pool's workers",
               .source = "assumption: 100 small employers in the pool"});
  v.field("demand_hours_mean", s.demand_hours_mean,
          Meta{.unit = "hours/week",
               .min = 0,
               .doc = "mean hours one employer needs from the pool each week",
               .source = "assumption: 80 hours a week per employer, 8,000 in all, the "
                         "contracts of the pooled workers"});
  v.field("demand_cv", s.demand_cv,
          Meta{.unit = "coefficient of variation",
               .min = 0,
               .max = 5,
               .doc = "spread of an employer's weekly need (gamma distributed, independent across "
                      "employers and weeks): the fluctuation sharing pools",
               .source = "assumption: an employer's weekly need varies by half its mean, the "
                         "fluctuation pooling smooths"});
  v.field("contract_hours", s.contract_hours,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 80,
               .doc = "hours of a pooled worker's continuous contract, taken from its hours budget",
               .source = "assumption: a half-time continuous contract of 20 hours"});
  v.field("hourly_wage", s.hourly_wage,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "wage per contract hour, paid every week whatever the employers use, also "
                      "while sick",
               .source = "[SIV]: continuous contracts instead of casual gigs; EUR 14 an hour "
                         "an assumption near a low collective-agreement wage"});
  v.field("charge_per_hour", s.charge_per_hour,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "what the employers pay the pool per hour they use",
               .source = "assumption: the wage plus about 20% for the pool's costs"});
  v.field("initial_fund", s.initial_fund,
          Meta{.unit = "EUR",
               .min = 0,
               .doc = "the pool's fund at the start (the members' capital)",
               .source = "assumption: the members' starting capital, a buffer of a few days of "
                         "wages"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of a pooled worker's course the pool pays, as its employer, while the "
                      "fund holds enough",
               .source = "[EWCS2010]: employees' training is mostly paid by the employer; the "
                         "pool pays all"});
}

template <class V>
void describe(V& v, WiseSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "work-integrating social enterprises: supported employment for workers far "
                      "from the labour market",
               .source = "[ASFGotland]: work-integrating social enterprises owned by people "
                         "furthest from the labour market"});
  v.field("count", s.count,
          Meta{.unit = "WISEs",
               .min = 1,
               .max = kMaxWises,
               .doc = "enterprises (identical)",
               .source = "assumption: 4 small enterprises in the region"});
  v.field("sector", s.sector,
          Meta{.doc = "name of the sector the WISEs work in; supported hours are practice there",
               .source = "scenario choice"});
  v.field("supervisors", s.supervisors,
          Meta{.unit = "supervisors",
               .min = 1,
               .max = 1000,
               .doc = "supervisors per WISE",
               .source = "[ASFGotland]: WISEs employ managers and supervisors (handledare); 2 "
                         "each an assumption"});
  v.field("places_per_supervisor", s.places_per_supervisor,
          Meta{.unit = "employees",
               .min = 1,
               .max = 1000,
               .doc = "supported employees one supervisor can take: supervision capacity",
               .source = "assumption: one supervisor for 5 supported employees"});
  v.field("min_distance", s.min_distance,
          Meta{.unit = "distance",
               .min = 0,
               .max = 1,
               .doc = "distance from the labour market at which a worker is eligible; an employee "
                      "below it is job-ready and may move on",
               .source = "assumption: half-way (0.5) on the 0..1 distance scale, the lowest "
                         "starting distance of far workers"});
  v.field("hours_per_week", s.hours_per_week,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 80,
               .doc = "contract hours of a supported employee (fewer for a worker whose hours "
                      "budget is smaller), taken from its hours budget",
               .source = "assumption: 30 hours a week of supported employment"});
  v.field("hourly_wage", s.hourly_wage,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "wage per contract hour, paid every week, also while sick",
               .source = "assumption: EUR 12 an hour, a collective-agreement wage at the low "
                         "end"});
  v.field("wage_subsidy_share", s.wage_subsidy_share,
          Meta{.unit = "share of wages due",
               .min = 0,
               .max = 1,
               .doc = "public wage subsidy for supported employees (policy lever)",
               .source = "[Lonebidrag] covers up to about 80% of the wage; 50% a scenario "
                         "choice"});
  v.field("value_per_hour", s.value_per_hour,
          Meta{.unit = "EUR/hour",
               .min = 0,
               .doc = "output per supported hour at skill 1 (times the employee's skill in the "
                      "sector)",
               .source = "assumption: EUR 25 of output an hour at full skill"});
  v.field("sales_per_week", s.sales_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "mean of what private buyers want from one WISE a week",
               .source = "assumption: EUR 1,500 a week of private orders for a small enterprise"});
  v.field("sales_cv", s.sales_cv,
          Meta{.unit = "coefficient of variation",
               .min = 0,
               .max = 5,
               .doc = "spread of a week's private demand (gamma, independent across WISEs and "
                      "weeks)",
               .source = "assumption: weekly private orders vary by 40%"});
  v.field("supervision_cost_per_week", s.supervision_cost_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "cost of one supervisor a week (wage and overhead)",
               .source = "assumption: EUR 800 a week for a supervisor's wage and overhead"});
  v.field("initial_capital", s.initial_capital,
          Meta{.unit = "EUR",
               .min = 0,
               .doc = "capital of each WISE at the start",
               .source = "assumption: EUR 15,000, about three weeks of the default wage and "
                         "supervision costs"});
  v.field("distance_reduction_per_week", s.distance_reduction_per_week,
          Meta{.unit = "distance/week",
               .min = 0,
               .max = 1,
               .doc = "fall in an employee's distance from the labour market per healthy week of "
                      "supported employment",
               .source = "[ASFGotland]: WISEs bring people furthest from the labour market "
                         "into it; 0.01 a week (about 0.5 a year) an assumption"});
  v.field("transition_rate", s.transition_rate,
          Meta{.unit = "per week",
               .min = 0,
               .max = 1,
               .doc = "weekly chance that a job-ready employee moves on to the open market",
               .source = "assumption: a job-ready employee moves on within about 20 weeks"});
  v.field("training_cost_share", s.training_cost_share,
          Meta{.unit = "share of course cost",
               .min = 0,
               .max = 1,
               .doc = "share of an employee's course the WISE pays, as employer, while its capital "
                      "holds enough",
               .source = "[EWCS2010]: employees' training is mostly paid by the employer; the "
                         "WISE pays all"});
  v.field(
      "insolvency_weeks", s.insolvency_weeks,
      Meta{.unit = "weeks",
           .min = 1,
           .max = 520,
           .doc = "weeks in a row with wages or supervision not paid in full after which a WISE "
                  "closes (business viability)",
           .source = "assumption: 8 weeks of unpaid bills close a WISE"});
}

template <class V>
void describe(V& v, PublicBuyersSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "public buyers that reserve part of their purchases for WISEs",
               .source = "[NIA]: social procurement; [Dir2014-24] art. 20: reserved contracts"});
  v.field("purchases_per_week", s.purchases_per_week,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "public purchases in the region the WISEs could serve",
               .source = "assumption: EUR 100,000 a week of regional public purchases the "
                         "WISEs could serve"});
  v.field("reserved_share", s.reserved_share,
          Meta{.unit = "share of purchases",
               .min = 0,
               .max = 1,
               .doc = "share reserved for WISEs: the minimum share of social procurement (policy "
                      "lever)",
               .source = "[NIA], [Dir2014-24]: reserved contracts as a policy lever; 2% a "
                         "scenario choice"});
  v.field("min_disadvantaged_share", s.min_disadvantaged_share,
          Meta{.unit = "share of staff",
               .min = 0,
               .max = 1,
               .doc = "share of a WISE's staff (employees and supervisors) who must be supported "
                      "employees for it to bid",
               .source = "[Dir2014-24] art. 20: at least 30% of the staff"});
}

template <class V>
void describe(V& v, IntermediarySpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "an intermediary node for inclusive working life that links workers far "
                      "from the labour market with clients and support services",
               .source = "[NIA]: a node coordinating employers, public services and social "
                         "enterprises against discrimination and recruitment habits"});
  v.field("reach", s.reach,
          Meta{.unit = "share of far workers",
               .min = 0,
               .max = 1,
               .doc = "share of the workers far from the labour market linked to the node (drawn "
                      "at the start)",
               .source = "assumption: the node links half of the far workers"});
  v.field("bias_reduction", s.bias_reduction,
          Meta{.unit = "share of recruitment bias",
               .min = 0,
               .max = 1,
               .doc = "share of the clients' recruitment bias the node removes for its linked "
                      "workers",
               .source = "[NIA]: the node is to lower recruitment bias; halving it is an "
                         "assumption"});
  v.field(
      "search_time_reduction", s.search_time_reduction,
      Meta{.unit = "share of search time",
           .min = 0,
           .max = 1,
           .doc = "relative cut in the linked workers' unpaid search time (compounded with an "
                  "umbrella cooperative's)",
           .source = "[NIA]: the node coordinates employers and services; a quarter less "
                     "search is an assumption, as for the umbrella cooperative"});
  v.field("cost_per_linked_worker", s.cost_per_linked_worker,
          Meta{.unit = "EUR/week",
               .min = 0,
               .doc = "public cost of the node per linked worker and week (reported as node_cost)",
               .source = "assumption: EUR 10 a week per linked worker, the order of an "
                         "ESF-funded coordination project ([NIA])"});
}

template <class V>
void describe(V& v, PolicySpec& s) {
  v.field("training_subsidy_share", s.training_subsidy_share,
          Meta{.unit = "share of the worker's own course cost",
               .min = 0,
               .max = 1,
               .doc = "public training subsidy: the share of what a worker would pay for a course "
                      "that the public budget pays instead (after any cooperative fund share)",
               .source = "scenario choice: a policy lever (0 in the baseline); [EU2030] sets a "
                         "target of 60% of adults in training a year"});
}

template <class V>
void describe(V& v, UnemploymentInsuranceSpec& s) {
  v.field("enabled", s.enabled,
          Meta{.doc = "unemployment insurance for the self-employed, as income-loss insurance: "
                      "every worker not employed by the pool or a WISE is covered",
               .source = "[SIV]: the precariat has no unemployment benefit; [Eurofound2024]: "
                         "60% of the EU's self-employed lack cover; a policy lever, off by "
                         "default"});
  v.field("contribution_rate", s.contribution_rate,
          Meta{.unit = "share of monthly income",
               .min = 0,
               .max = 1,
               .doc = "contribution paid on each month's income",
               .source = "assumption: 2% of income, the order of a voluntary insurance "
                         "contribution"});
  v.field("replacement_rate", s.replacement_rate,
          Meta{.unit = "share of the shortfall",
               .min = 0,
               .max = 1,
               .doc = "share of the shortfall below the reference income (the mean of the "
                      "previous 12 months) the benefit replaces",
               .source = "assumption: unemployment benefits commonly replace 60-80% of lost "
                         "income"});
  v.field("shortfall_threshold", s.shortfall_threshold,
          Meta{.unit = "share of reference income",
               .min = 0,
               .max = 1,
               .doc = "a month with income below this share of the reference income is a claim",
               .source = "assumption: a month below 60% of the usual income counts as a loss "
                         "of work"});
  v.field("benefit_cap", s.benefit_cap,
          Meta{.unit = "EUR/month",
               .min = 0,
               .max = 1e6,
               .doc = "highest benefit in a month",
               .source = "assumption: EUR 1,200 a month, above the shipped markets' mean "
                         "income, so that the cap rarely binds"});
  v.field("qualifying_months", s.qualifying_months,
          Meta{.unit = "months",
               .min = 0,
               .max = 12,
               .doc = "months among the previous 12 in which the worker paid contributions, "
                      "needed to claim",
               .source = "assumption: contributions in 6 of the last 12 months, as "
                         "contribution-period rules ask"});
}

template <class V>
void describe(V& v, OutputSpec& s) {
  v.panel("panel", s.panel, "panel_workers", s.panel_workers,
          Meta{.unit = "workers (integer form)",
               .min = 1,
               .max = 1e8,
               .doc = "which workers get a weekly panel record; an integer N means sampled with "
                      "panel_workers = N",
               .source = "scenario choice"});
  v.field("panel_workers", s.panel_workers,
          Meta{.unit = "workers",
               .min = 0,
               .max = 1e8,
               .doc = "workers sampled into the panel when panel = sampled (at least 1 then)",
               .source = "scenario choice: 1,000 panel workers give smooth monthly means"});
  v.check("panel_workers", s.panel != PanelMode::sampled || s.panel_workers >= 1,
          [] { return std::string("must be at least 1 when panel is sampled"); });
}

template <class V>
void describe(V& v, ScenarioSpec& s) {
  v.field("name", s.name, Meta{.doc = "scenario name, recorded in outputs",
                               .source = "scenario choice"});
  v.field("description", s.description, Meta{.doc = "free text, recorded in outputs",
                                             .source = "scenario choice"});
  v.section("run", s.run, Meta{.doc = "run length and seed"});
  v.section("workers", s.workers, Meta{.doc = "worker population"});
  v.list("sectors", s.sectors,
         Meta{.unit = "sectors",
              .min = 1,
              .max = kMaxSectors,
              .doc = "sectors of client demand",
              .source = "scenario choice",
              .required = true});
  v.list("platforms", s.platforms,
         Meta{.unit = "platforms",
              .min = 1,
              .max = kMaxPlatforms,
              .doc = "platforms: investor-owned, or platform cooperatives",
              .source = "scenario choice",
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
            Meta{.doc = "employee-sharing pool (SIV)"});
  v.section("wise", s.wise, Meta{.doc = "work-integrating social enterprises (ASF)"});
  v.section("public_buyers", s.public_buyers,
            Meta{.doc = "public buyers with reserved contracts (NIA)"});
  v.section("intermediary", s.intermediary,
            Meta{.doc = "intermediary node for inclusive working life (NIA)"});
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
