// The engine's private state, shared by the files of sim/core that implement its phases.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <functional>
#include <thread>
#include <vector>

#include "gigsim/engine.hpp"
#include "gigsim/money.hpp"
#include "gigsim/rng.hpp"

namespace gigsim {

// Weight of the previous value in the moving averages of earnings the training decision uses.
constexpr float kEarningsMemory = 0.9f;

// Earnings index of a worker with skill k in a sector (docs/ODD.md "Work"): the share of tasks the
// worker qualifies for (task skill needs are uniform on [0,1]) times the mean price factor of
// those tasks.
inline double earnings_index(double k, double premium) {
  return k * (1.0 + premium * k / 2.0);
}

// Demand shock multiplier of sector s in month m (market/demand.cpp).
double demand_shock(std::uint64_t seed, int s, const SectorSpec& sec, std::uint32_t month);

// Whether worker i is an umbrella-cooperative member when the cooperative opens (at the start of
// a run or in a branch): the same draw either way.
inline std::uint8_t draws_coop_membership(std::uint64_t seed, std::uint32_t i, double share) {
  RandomStream rm(seed, Stream::init_membership, i, 0);
  return rm.bernoulli(share) ? 1 : 0;
}

// Worker i's monthly incomes (EUR) over the m (<= 12) months before `months_done`, oldest first.
inline void income_window(const WorkerState& w, std::uint32_t i, std::uint32_t months_done, int m,
                          std::array<double, kHistoryMonths>& x) {
  for (int j = 0; j < m; ++j) {
    const std::uint32_t month =
        months_done - static_cast<std::uint32_t>(m) + static_cast<std::uint32_t>(j);
    x[static_cast<std::size_t>(j)] = to_eur(
        w.income_history[static_cast<std::size_t>(i) * kHistoryMonths + month % kHistoryMonths]);
  }
}

// Columns of patronage a scenario needs: one per platform when any platform is a cooperative.
inline int patronage_width(const EngineSpec& spec) {
  for (const auto& p : spec.platforms)
    if (p.cooperative.enabled) return static_cast<int>(spec.platforms.size());
  return 0;
}

struct PlatformReceivable {
  std::int64_t to_guarantee_fund = 0;
  std::int64_t to_training_fund = 0;
  std::int64_t retained = 0;
};

// Per-block partial results. Reduced over blocks in block order after each pass.
struct BlockAcc {
  std::array<double, kMaxPlatforms * kMaxSectors> weight{};
  std::array<double, kMaxPlatforms * kMaxSectors> weight_with_hours{};  // after a work round
  std::array<std::int64_t, kMaxPlatforms * kMaxSectors> declined{};     // in a work round
  std::array<double, kMaxPlatforms * kMaxSectors> capacity{};  // tasks the ranked workers can take
  std::array<PlatformReceivable, kMaxPlatforms> coop_receivable{};
  // Platform cooperatives, by platform: gross price of paid tasks, fee and levy (work pass);
  // patronage dividends (settlement pass).
  std::array<std::int64_t, kMaxPlatforms> coop_gross{}, coop_fee{}, coop_levy{}, dividends{};
  std::int64_t client_paid = 0, commission = 0, escrow_in = 0, defaults_absorbed = 0,
               defaults_lost = 0, tasks = 0, tasks_defaulted = 0, workers_with_work = 0,
               coop_due_added = 0, sick = 0, deactivations = 0, salary_in = 0, salary_out = 0,
               salary_balance = 0, platform_paid = 0, coop_paid = 0, in_training = 0, members = 0,
               registrations = 0, platform_coop_members = 0;
  // Membership decisions: sums of 12-month mean income and CV by [non-member, member]; switches.
  std::array<double, 2> group_mean_sum{}, group_cv_sum{};
  std::array<std::int64_t, 2> group_n{};
  std::int64_t joins = 0, leaves = 0, leaver_payout = 0;
  double paid_hours = 0, unpaid_hours = 0, training_hours = 0;
  struct TrainingRequest {
    std::uint32_t worker;
    bool wants_subsidised;     // with the umbrella cooperative's training fund
    bool wants_platform_fund;  // with the training fund of platform cooperative `platform_fund`
    bool wants_self;
    std::int8_t platform_fund;
    std::uint8_t funders;  // bit k: wants the course with course funder k paying its share
  };
  std::vector<TrainingRequest> training_requests;

  void clear() {
    auto requests = std::move(training_requests);
    requests.clear();
    *this = BlockAcc{};
    training_requests = std::move(requests);
  }
};

struct Engine::Impl {
  explicit Impl(int thread_count) : arena(thread_count), threads(thread_count) {}
  tbb::task_arena arena;
  int threads;
  // Mechanisms' hooks, per phase in the schedule's order.
  std::array<std::vector<std::function<void()>>, kPhaseCount> hooks;
  std::array<std::vector<std::function<void(const Block&)>>, kPhaseCount> block_hooks;
  std::vector<std::pair<Phase, std::string_view>> hook_order;
  std::uint32_t blocks = 0;
  std::vector<BlockAcc> acc;
  std::vector<float> weight;  // [count * platforms] this step's ranking weights
  // [count * platforms] rep^gamma * (1 + reviews)^delta, refreshed whenever reputation or reviews
  // change (only when the worker works on the platform), so idle pairs cost no exp/log per week.
  std::vector<float> standing;
  // Sum over workers of coop_due per payout slot, kept in step with the ring so that settlement
  // knows what members are owed this week before its pass over workers.
  std::vector<std::int64_t> coop_due_by_slot;
  // Umbrella-cooperative members in id order (peer learning only) and a snapshot of their skills.
  std::vector<std::uint32_t> learners;
  std::vector<float> learner_skill;
  // Per worker, within the work phase of one step
  std::vector<std::int32_t> capacity_left;  // tasks the worker can still take
  std::vector<std::int32_t> tasks_done;
  std::vector<std::int64_t> earned_cents;                          // net pay earned (accrual)
  std::array<double, kMaxPlatforms * kMaxSectors> demand{};        // tasks/week this step
  std::array<double, kMaxPlatforms * kMaxSectors> weight_total{};  // sum of weights
  // Price multiplier this step (bidding mode; 1 for posted prices).
  std::array<double, kMaxPlatforms* kMaxSectors> price_factor = [] {
    std::array<double, kMaxPlatforms * kMaxSectors> ones{};
    ones.fill(1.0);
    return ones;
  }();
  // Constants derived from the spec
  std::uint16_t coop_platform_mask = 0;  // bit p: platform p is a cooperative
  std::uint16_t rotating_mask = 0;       // bit p: platform p allocates by free hours, not rank
  bool rotates(int p) const { return (rotating_mask >> p) & 1u; }
  std::array<std::int64_t, kMaxPlatforms> coop_gross_week{};  // this week's, work -> settle
  std::vector<std::int64_t> base_price_cents;
  std::vector<std::uint32_t> platform_lag;
  // Affiliations the mechanisms declared, by bit. Unpaid hours per paid hour by [umbrella member
  // (legacy, inline) + 2 * affiliation bits]: the base ratio times (1 - cut) for each one held, in
  // bit order; clients' recruitment bias by affiliation bits likewise.
  std::vector<Affiliation> affiliations;
  // Employer kinds by code - 1; course funders in the schedule's order; group claims by precedence.
  std::vector<Employer*> employers;
  std::vector<CourseFunder*> funders;
  CourseCopayer* copayer = nullptr;
  // The part of a course left to the worker after the co-payer.
  double own_course_share() const { return copayer ? 1.0 - copayer->copaid_share() : 1.0; }
  std::vector<std::pair<std::uint8_t, std::function<bool(std::uint32_t)>>> group_claims;
  // Hours a worker's contract takes from its budget, and the hours it worked this week.
  double contract_hours(std::uint8_t employer, std::uint32_t i) const {
    return employer == 0 ? 0.0 : employers[employer - 1u]->contract_hours(i);
  }
  std::vector<double> search_ratios;
  std::vector<double> recruitment_bias;
  double search_ratio(bool member, std::uint8_t bits) const {
    return search_ratios[(member ? 1u : 0u) + 2u * bits];
  }
  // Tasks of `task_hours` paid hours each, with their unpaid search, that fit in `available` hours.
  static std::int32_t task_capacity(double available, double task_hours, double search_ratio) {
    return static_cast<std::int32_t>(
        std::max(0.0, std::floor(available / (task_hours * (1.0 + search_ratio)))));
  }
  double rating_memory = 1;                // 1 - reputation_learning_rate
  double log_rating_memory = 0;            // log(rating_memory)
  double rating_variance_denominator = 1;  // 1 - rating_memory^2
  double log_practice_keep = 0;            // log(1 - practice_gain_per_hour)
  // The rating fold's weight of the old average, m^n, and sd factor sqrt((1 - m^2n) / (1 - m^2))
  // for batches of n ratings, tabulated for the batch sizes a week can have (computed exactly as
  // rating_fold computes them beyond the table, so results do not depend on the table).
  static constexpr std::int64_t kFoldTable = 256;
  std::vector<double> fold_keep, fold_sd;
  std::pair<double, double> fold_exact(std::int64_t n) const {
    const double keep = std::exp(static_cast<double>(n) * log_rating_memory);
    return {keep, std::sqrt((1 - keep * keep) / rating_variance_denominator)};
  }
  std::pair<double, double> rating_fold(std::int64_t n, double noise_scale) const {
    if (n < kFoldTable) {
      return {fold_keep[static_cast<std::size_t>(n)],
              noise_scale * fold_sd[static_cast<std::size_t>(n)]};
    }
    const auto [keep, sd] = fold_exact(n);
    return {keep, noise_scale * sd};
  }
  PanelMonth panel;
  std::vector<std::uint32_t> panel_ids;
  // Worker i's index in the monthly panel, or -1 when it is not a panel worker.
  std::ptrdiff_t panel_slot(std::uint32_t i, bool panel_all) const {
    if (panel_all) return i;
    const auto it = std::lower_bound(panel_ids.begin(), panel_ids.end(), i);
    return it != panel_ids.end() && *it == i ? it - panel_ids.begin() : -1;
  }
  // Carried between the phases of one step
  CoreTotals totals;
  std::array<PlatformReceivable, kMaxPlatforms> receivable{};  // this week's, per platform

  // rep^gamma * (1 + reviews)^delta of worker i on platform p, in float as the offer pass uses it;
  // 1 on a platform cooperative that rotates work (ratings do not rank there).
  static float standing_of(const PlatformSpec& ps, float reputation, float reviews) {
    if (ps.cooperative.enabled && ps.cooperative.rotating_allocation) return 1.f;
    const float rep = std::max(1e-6f, reputation);
    return std::exp(static_cast<float>(ps.reputation_exponent) * std::log(rep) +
                    static_cast<float>(ps.review_exponent) * std::log1p(reviews));
  }

  // Runs f(block) for every block of n workers on the simulation's threads.
  template <class F>
  void parallel_blocks(std::uint32_t n, F&& f) {
#ifdef GIGSIM_PLAIN_THREADS
    // ThreadSanitizer builds: Debian's libtbb is not instrumented, so TSan cannot see the
    // synchronisation inside its scheduler and reports its task hand-offs as races. The same
    // per-block work runs here on plain threads that take blocks from a shared counter, which
    // TSan understands; any race it reports is then in gigsim's own phase code.
    std::atomic<std::uint32_t> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (std::uint32_t b = next++; b < blocks; b = next++) {
          const std::uint32_t lo = b * kBlockSize;
          f(Block{b, lo, std::min(n, lo + kBlockSize)});
        }
      });
    }
    for (auto& thread : pool) thread.join();
#else
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, blocks, 1),
                        [&](const tbb::blocked_range<std::uint32_t>& r) {
                          for (std::uint32_t b = r.begin(); b != r.end(); ++b) {
                            const std::uint32_t lo = b * kBlockSize;
                            f(Block{b, lo, std::min(n, lo + kBlockSize)});
                          }
                        });
    });
#endif
  }
  // The same with the block's engine partials: f(acc, lo, hi).
  template <class F>
  void for_blocks(std::uint32_t n, F&& f) {
    parallel_blocks(n, [&](const Block& b) { f(acc[b.index], b.lo, b.hi); });
  }
};

}  // namespace gigsim
