// The scenario schema: ONE description per spec struct (see gigsim/meta.hpp for the visitor
// protocol), used by the parser (parse.cpp), the emitter (emit.cpp), the flattener and the
// parameter list (params.cpp). Mechanisms describe their own sections beside their specs
// (sim/mechanisms/<name>/schema.hpp); this file describes the market's sections and the root.
// Sources name an entry of docs/references.md in square brackets, or say "assumption:" (or
// "scenario choice:") with the reason for the value.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/meta.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/spec.hpp"

namespace gigsim::scenario::schema {

using gigsim::schema::format_number;
using gigsim::schema::kInf;
using gigsim::schema::Meta;

template <class V>
void describe(V& v, RunSpec& s) {
  v.field("weeks", s.weeks,
          Meta{.unit = "weeks",
               .min = 1,
               .max = 5'200,
               .doc = "simulated weeks; one step is one week",
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
          Meta{.unit = "workers",
               .min = 1,
               .max = 1e8,
               .doc = "workers in the market",
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
               .max = 1e6,
               .doc = "mean fixed costs (rent share, phone, vehicle)",
               .source = "assumption: costs a gig worker carries whether or not it works (rent "
                         "share, phone, transport), a round EUR 150 a week"});
  v.field("initial_cash_mean", s.initial_cash_mean,
          Meta{.unit = "EUR",
               .min = 0,
               .max = 1e9,
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
  v.field("name", s.name,
          Meta{.doc = "sector name, unique among sectors",
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
               .max = 1e6,
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
  v.field("shock_sd", s.shock_sd,
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
  v.field("enabled", s.enabled,
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
               .max = 1e9,
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
  v.field("name", s.name,
          Meta{.doc = "platform name, unique among platforms",
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
  v.field(
      "reputation_exponent", s.reputation_exponent,
      Meta{.unit = "exponent gamma",
           .min = 0,
           .max = 20,
           .doc = "ranking weight = reputation^gamma * (1 + reviews)^delta",
           .source = "[LukacGrow2021]: ranking by reputation gives winner-takes-all hiring; the "
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
  v.field("course_weeks", s.course_weeks,
          Meta{.unit = "weeks",
               .min = 1,
               .max = 520,
               .doc = "course length",
               .source = "assumption: a short vocational course of 4 weeks"});
  v.field("course_hours_per_week", s.course_hours_per_week,
          Meta{.unit = "hours/week",
               .min = 0,
               .max = 168,
               .doc = "hours per week a course takes from the hours budget",
               .source = "assumption: 6 hours a week, 24 hours a course"});
  v.field("course_cost", s.course_cost,
          Meta{.unit = "EUR/course",
               .min = 0,
               .max = 1e6,
               .doc = "fee of one course",
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
  v.field("initial_guarantee_fund", s.initial_guarantee_fund,
          Meta{.unit = "EUR",
               .min = 0,
               .max = 1e12,
               .doc = "guarantee fund at the start",
               .source = "scenario choice: 0 for a new cooperative; the shipped scenarios give an "
                         "established one a fund"});
  v.field("initial_training_fund", s.initial_training_fund,
          Meta{.unit = "EUR",
               .min = 0,
               .max = 1e12,
               .doc = "training fund at the start",
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
               .max = 1e6,
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
  v.field("name", s.name,
          Meta{.doc = "scenario name, recorded in outputs", .source = "scenario choice"});
  v.field("description", s.description,
          Meta{.doc = "free text, recorded in outputs", .source = "scenario choice"});
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
  v.section("peer_learning", s.peer_learning,
            Meta{.doc = "peer-to-peer competence exchange among cooperative members"});
  describe_mechanisms(v, s);
  v.section("output", s.output, Meta{.doc = "what the run writes"});

  v.check("peer_learning.enabled", !s.peer_learning.enabled || s.umbrella_coop.enabled, [] {
    return std::string(
        "peer learning runs among umbrella-cooperative members: set "
        "umbrella_coop.enabled: true as well");
  });
  mechanism_requirements(v, s);
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
