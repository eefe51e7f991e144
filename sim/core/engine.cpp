#include <limits>
#include <numbers>
#include <stdexcept>

#include "engine_impl.hpp"
#include "gigsim/metrics.hpp"
#include "gigsim/section.hpp"

namespace gigsim {

namespace {

// Collects what the mechanisms declare while they attach.
class DeclarationCollector final : public Declarations {
 public:
  struct Hook {
    Phase phase;
    std::string_view key;
    std::function<void()> sequential;
    std::function<void(const Block&)> block;
  };
  void on(Phase phase, std::function<void()> hook) override {
    hooks.push_back({phase, key, std::move(hook), {}});
  }
  void on_block(Phase phase, std::function<void(const Block&)> hook) override {
    hooks.push_back({phase, key, {}, std::move(hook)});
  }
  int affiliation(const Affiliation& a) override {
    if (affiliations.size() >= 8)
      throw std::logic_error("more than 8 affiliations: the affiliations column holds 8 bits");
    affiliations.push_back(a);
    return static_cast<int>(affiliations.size()) - 1;
  }
  std::uint8_t employer(Employer& e) override {
    if (employers.size() >= 255) throw std::logic_error("more than 255 employer kinds");
    employers.push_back(&e);
    return static_cast<std::uint8_t>(employers.size());
  }
  void course_funder(CourseFunder& f) override { funders.push_back({key, &f}); }
  void course_copayer(CourseCopayer& c) override {
    if (copayer != nullptr) throw std::logic_error("more than one course co-payer");
    copayer = &c;
  }
  void group(std::uint8_t code, std::function<bool(std::uint32_t)> claims) override {
    groups.push_back({key, code, std::move(claims)});
  }
  struct Funder {
    std::string_view key;
    CourseFunder* funder;
  };
  struct Group {
    std::string_view key;
    std::uint8_t code;
    std::function<bool(std::uint32_t)> claims;
  };
  std::string_view key;
  std::vector<Hook> hooks;
  std::vector<Affiliation> affiliations;
  std::vector<Employer*> employers;
  std::vector<Funder> funders;
  CourseCopayer* copayer = nullptr;
  std::vector<Group> groups;
};

}  // namespace

std::string_view phase_name(Phase p) {
  switch (p) {
    case Phase::initialise:
      return "initialise";
    case Phase::setup:
      return "setup";
    case Phase::offer:
      return "offer";
    case Phase::settle:
      return "settle";
    case Phase::month_end:
      return "month_end";
    case Phase::books_reduce:
      return "books_reduce";
    case Phase::week_end:
      return "week_end";
    case Phase::report:
      return "report";
  }
  return "unknown";
}

Engine::Engine(EngineSpec spec, ExecutionContext ctx, ModelParts parts)
    : spec_(std::move(spec)), ctx_(ctx), parts_(std::move(parts)) {
  if (ctx_.threads < 1) throw std::invalid_argument("ExecutionContext.threads must be >= 1");
  if (spec_.sectors.empty() || spec_.sectors.size() > kMaxSectors)
    throw std::invalid_argument("scenario needs 1 to 8 sectors");
  if (spec_.platforms.empty() || spec_.platforms.size() > kMaxPlatforms)
    throw std::invalid_argument("scenario needs 1 to 8 platforms");
  if (spec_.workers.count == 0) throw std::invalid_argument("scenario needs at least one worker");
  if (!parts_.schedule || !parts_.layout)
    throw std::invalid_argument("the engine needs a schedule and a step layout");
  impl_ = std::make_unique<Impl>(ctx_.threads);
  impl_->blocks = (spec_.workers.count + kBlockSize - 1) / kBlockSize;
  attach_mechanisms();
  initialise();
}

Engine::~Engine() = default;

// Each mechanism declares its hooks; the schedule orders them per phase. A hook in a phase whose
// schedule line does not name its mechanism is a programming error, caught for every scenario.
void Engine::attach_mechanisms() {
  DeclarationCollector c;
  for (Mechanism* m : parts_.mechanisms) {
    c.key = m->key();
    m->attach(*this, c);
  }
  impl_->affiliations = c.affiliations;
  impl_->employers = c.employers;
  impl_->copayer = c.copayer;
  // Course funders in the schedule's order of funders, reporting groups in its precedence.
  const auto listed = [](const std::vector<std::string_view>& order, std::string_view key,
                         const char* what) {
    if (std::find(order.begin(), order.end(), key) == order.end())
      throw std::logic_error("mechanism '" + std::string(key) + "' declares a " + what +
                             ", but the schedule does not list it");
  };
  for (const auto& f : c.funders) listed(parts_.schedule->course_funders, f.key, "course funder");
  for (const auto& g : c.groups) listed(parts_.schedule->groups, g.key, "reporting group");
  for (const std::string_view key : parts_.schedule->course_funders)
    for (const auto& f : c.funders)
      if (f.key == key) impl_->funders.push_back(f.funder);
  for (const std::string_view key : parts_.schedule->groups)
    for (auto& g : c.groups)
      if (g.key == key) impl_->group_claims.emplace_back(g.code, std::move(g.claims));
  for (int p = 0; p < kPhaseCount; ++p) {
    const auto phase = static_cast<Phase>(p);
    const auto& order = parts_.schedule->phases[static_cast<std::size_t>(p)];
    for (const auto& h : c.hooks) {
      if (h.phase == phase && std::find(order.begin(), order.end(), h.key) == order.end())
        throw std::logic_error("mechanism '" + std::string(h.key) + "' hooks phase '" +
                               std::string(phase_name(phase)) +
                               "', but the schedule does not list it there");
    }
    for (const std::string_view key : order) {
      bool hooked = false;
      for (auto& h : c.hooks) {
        if (h.phase != phase || h.key != key) continue;
        if (!hooked) impl_->hook_order.emplace_back(phase, key);
        hooked = true;
        if (h.sequential) impl_->hooks[static_cast<std::size_t>(p)].push_back(h.sequential);
        if (h.block) impl_->block_hooks[static_cast<std::size_t>(p)].push_back(h.block);
      }
    }
  }
}

const std::vector<std::pair<Phase, std::string_view>>& Engine::hook_order() const {
  return impl_->hook_order;
}

void Engine::run_hooks(Phase phase) {
  for (const auto& h : impl_->hooks[static_cast<std::size_t>(phase)]) h();
}

void Engine::run_block_hooks(Phase phase, const Block& b) {
  for (const auto& h : impl_->block_hooks[static_cast<std::size_t>(phase)]) h(b);
}

std::uint32_t Engine::blocks() const {
  return impl_->blocks;
}

CoreTotals& Engine::totals() {
  return impl_->totals;
}

void Engine::for_blocks(const std::function<void(const Block&)>& f) {
  impl_->parallel_blocks(workers_.count, f);
}

bool Engine::employed(std::uint32_t i) const {
  return workers_.employer[i] != 0;
}

PanelMonth& Engine::panel() {
  return impl_->panel;
}

std::ptrdiff_t Engine::panel_index(std::uint32_t worker) const {
  return impl_->panel_slot(worker, spec_.output.panel == PanelMode::all);
}

void Engine::state_changed() {
  refresh_member_lists();
  for (Mechanism* m : parts_.mechanisms) m->refresh();
}

void Engine::add_observer(Observer& observer) {
  observers_.push_back(&observer);
}

void Engine::initialise() {
  const auto S = static_cast<int>(spec_.sectors.size());
  const auto P = static_cast<int>(spec_.platforms.size());
  const std::uint32_t N = spec_.workers.count;
  const std::uint64_t seed = spec_.run.seed;
  Impl& im = *impl_;

  std::uint32_t max_lag = spec_.umbrella_coop.enabled ? spec_.umbrella_coop.payout_lag_weeks : 0;
  for (const auto& p : spec_.platforms) {
    im.platform_lag.push_back(p.payout_lag_weeks);
    max_lag = std::max(max_lag, p.payout_lag_weeks);
  }
  const int ring = static_cast<int>(std::max<std::uint32_t>(2, max_lag + 1));
  workers_.resize(N, S, P, ring, patronage_width(spec_));
  workers_.affiliation_bits = static_cast<int>(im.affiliations.size());
  workers_.employer_kinds = static_cast<int>(im.employers.size());
  market_.coop_receivable.assign(static_cast<std::size_t>(ring), {});
  market_.platform_coops.assign(static_cast<std::size_t>(P), {});
  for (int p = 0; p < P; ++p) {
    const PlatformCoopSpec& pc = spec_.platforms[static_cast<std::size_t>(p)].cooperative;
    if (!pc.enabled) continue;
    im.coop_platform_mask = static_cast<std::uint16_t>(im.coop_platform_mask | (1u << p));
    if (pc.rotating_allocation)
      im.rotating_mask = static_cast<std::uint16_t>(im.rotating_mask | (1u << p));
    market_.platform_coops[static_cast<std::size_t>(p)].training_levy = pc.training_levy;
  }
  for (const auto& s : spec_.sectors) im.base_price_cents.push_back(to_cents(s.base_price));
  // Search ratios and recruitment bias by affiliations held (the legacy umbrella membership is
  // the lowest bit of the search-ratio index).
  const std::size_t combinations = std::size_t{1} << im.affiliations.size();
  im.search_ratios.assign(2 * combinations, 0.0);
  im.search_ratios[0] = spec_.workers.search_minutes_per_paid_hour / 60.0;
  im.search_ratios[1] = im.search_ratios[0] * (1.0 - spec_.umbrella_coop.search_time_reduction);
  im.recruitment_bias.assign(combinations, spec_.workers.recruitment_bias);
  for (std::size_t k = 0; k < im.affiliations.size(); ++k) {
    const std::size_t bit = std::size_t{1} << k;
    for (std::size_t held = 0; held < bit; ++held) {
      for (std::size_t member = 0; member < 2; ++member)
        im.search_ratios[member + 2 * (held | bit)] =
            im.search_ratios[member + 2 * held] * (1.0 - im.affiliations[k].search_time_reduction);
      im.recruitment_bias[held | bit] =
          im.recruitment_bias[held] * (1.0 - im.affiliations[k].bias_reduction);
    }
  }
  im.rating_memory = 1.0 - spec_.skills.reputation_learning_rate;
  im.log_rating_memory = std::log(im.rating_memory);
  im.rating_variance_denominator = 1.0 - im.rating_memory * im.rating_memory;
  for (std::int64_t n = 0; n < Impl::kFoldTable; ++n) {
    const auto [keep, sd] = im.fold_exact(n);
    im.fold_keep.push_back(keep);
    im.fold_sd.push_back(sd);
  }
  im.log_practice_keep = std::log1p(-std::min(spec_.skills.practice_gain_per_hour, 1.0 - 1e-12));
  im.acc.resize(im.blocks);
  im.weight.assign(static_cast<std::size_t>(N) * static_cast<std::size_t>(P), 0.f);
  im.standing.assign(static_cast<std::size_t>(N) * static_cast<std::size_t>(P), 0.f);
  im.coop_due_by_slot.assign(static_cast<std::size_t>(ring), 0);
  im.capacity_left.assign(N, 0);
  im.tasks_done.assign(N, 0);
  im.earned_cents.assign(N, 0);

  if (spec_.umbrella_coop.enabled) {
    market_.guarantee_fund = to_cents(spec_.umbrella_coop.initial_guarantee_fund);
    market_.training_fund = to_cents(spec_.umbrella_coop.initial_training_fund);
  }

  // Mechanisms' columns, zero-filled; their initial draws and books come in their hooks.
  StateResize resize(N);
  for (Mechanism* m : parts_.mechanisms) m->state(resize);

  const WorkerSpec& ws = spec_.workers;
  WorkerState& w = workers_;
  im.parallel_blocks(N, [&](const Block& b) {
    for (std::uint32_t i = b.lo; i < b.hi; ++i) {
      RandomStream rs(seed, Stream::init_worker, i, 0);
      w.hours_budget[i] = static_cast<float>(
          std::clamp(ws.hours_budget_mean + ws.hours_budget_sd * rs.normal(), 2.0, 80.0));
      w.fixed_costs[i] = to_cents(ws.fixed_costs_mean * (0.5 + rs.uniform()));
      w.cash[i] = to_cents(rs.exponential(ws.initial_cash_mean));
      // Own sectors: a partial Fisher-Yates shuffle of the sector indices.
      std::array<int, kMaxSectors> order{};
      for (int s = 0; s < S; ++s) order[static_cast<std::size_t>(s)] = s;
      for (std::uint32_t j = 0; j < ws.sectors_per_worker; ++j) {
        const std::uint32_t pick = j + rs.below(static_cast<std::uint32_t>(S) - j);
        std::swap(order[j], order[pick]);
        const double k = std::max(0.001, rs.beta_mean_sd(ws.skill_mean, ws.skill_sd));
        w.skill[static_cast<std::size_t>(i) * S + order[j]] = static_cast<float>(k);
      }
      RandomStream rp(seed, Stream::init_platforms, i, 0);
      std::uint16_t mask = 0;
      for (int p = 0; p < P; ++p) {
        if (rp.bernoulli(spec_.platforms[static_cast<std::size_t>(p)].worker_share))
          mask = static_cast<std::uint16_t>(mask | (1u << p));
      }
      if (mask == 0)
        mask = static_cast<std::uint16_t>(1u << rp.below(static_cast<std::uint32_t>(P)));
      w.platform_mask[i] = mask;
      for (int p = 0; p < P; ++p) {
        const std::size_t ip = static_cast<std::size_t>(i) * P + p;
        const PlatformSpec& ps = spec_.platforms[static_cast<std::size_t>(p)];
        w.reputation[ip] = static_cast<float>(ps.initial_reputation);
        im.standing[ip] = Impl::standing_of(ps, w.reputation[ip], w.reviews[ip]);
      }
      if (spec_.umbrella_coop.enabled)
        w.coop_member[i] = draws_coop_membership(seed, i, spec_.umbrella_coop.initial_member_share);
      if (ws.far_from_market_share > 0) {
        RandomStream rd(seed, Stream::init_distance, i, 0);
        if (rd.bernoulli(ws.far_from_market_share))
          w.distance[i] = static_cast<float>(0.5 + 0.5 * rd.uniform());
      }
    }
    run_block_hooks(Phase::initialise, b);
  });
  run_hooks(Phase::setup);
  refresh_member_lists();
  for (Mechanism* m : parts_.mechanisms) m->refresh();

  // Panel workers: evenly spaced ids (initial agents are exchangeable draws, so this is a sample).
  const OutputSpec& out = spec_.output;
  std::uint32_t n_panel = 0;
  if (out.panel == PanelMode::all) n_panel = N;
  if (out.panel == PanelMode::sampled) n_panel = std::min(N, out.panel_workers);
  for (std::uint32_t k = 0; k < n_panel; ++k) {
    im.panel_ids.push_back(static_cast<std::uint32_t>((static_cast<std::uint64_t>(2 * k + 1) * N) /
                                                      (2 * static_cast<std::uint64_t>(n_panel))));
  }

  info_.seed = seed;
  info_.threads = ctx_.threads;
  info_.workers = N;
  info_.weeks = spec_.run.weeks;
  info_.months = spec_.run.weeks / kWeeksPerMonth;
  info_.panel_workers = im.panel_ids;
  for (const auto& p : spec_.platforms) info_.platform_names.push_back(p.name);
  for (const auto& s : spec_.sectors) info_.sector_names.push_back(s.name);
  info_.group_names = parts_.group_names;
  for (const Mechanism* m : parts_.mechanisms) info_.mechanisms.emplace_back(m->key());
  info_.layout = parts_.layout;
  last_ = parts_.layout->empty_record();
  before_ = stocks_now();
}

std::uint64_t Engine::bytes_per_worker(const EngineSpec& spec) {
  std::uint32_t max_lag = spec.umbrella_coop.enabled ? spec.umbrella_coop.payout_lag_weeks : 0;
  for (const auto& p : spec.platforms) max_lag = std::max(max_lag, p.payout_lag_weeks);
  WorkerState one;
  one.resize(1, static_cast<int>(spec.sectors.size()), static_cast<int>(spec.platforms.size()),
             static_cast<int>(std::max<std::uint32_t>(2, max_lag + 1)), patronage_width(spec));
  // Ranking weights and cached standings per platform; capacity, tasks done and earnings.
  std::uint64_t scratch =
      2 * spec.platforms.size() * sizeof(float) + 2 * sizeof(std::int32_t) + sizeof(std::int64_t);
  // Peer learning: member ids and a snapshot of their skills (at most every worker a member).
  if (spec.peer_learning.enabled)
    scratch += sizeof(std::uint32_t) + spec.sectors.size() * sizeof(float);
  // WorkerSummaries (about 30 bytes) plus the sorted copy of mean incomes for the median.
  const std::uint64_t summaries = 32 + 2 * sizeof(double);
  return one.bytes() + scratch + summaries;
}

// The engine's own state: the step, last week's market signal, the worker columns and the books.
void Engine::state(StateVisitor& v) {
  std::uint32_t step = step_;
  v.value("step", &step, ValueRule{0, static_cast<double>(spec_.run.weeks)});
  std::vector<double> weights(impl_->weight_total.begin(), impl_->weight_total.end());
  v.values("ranking_weight_totals", &weights, weights.size(), kNonNegative);
  WorkerState::for_each_column(
      workers_, [&](const char* name, auto& column, std::size_t per, ValueRule rule) {
        v.column(name, &column, per, rule);
      });
  MarketState& m = market_;
  v.value("escrow_balance", &m.escrow_balance, kMoneyNonNegative);
  v.value("guarantee_fund", &m.guarantee_fund, kMoneyNonNegative);
  v.value("training_fund", &m.training_fund, kMoneyNonNegative);
  std::vector<std::int64_t> to_gf, to_tf, retained;
  for (const auto& r : m.coop_receivable) {
    to_gf.push_back(r.to_guarantee_fund);
    to_tf.push_back(r.to_training_fund);
    retained.push_back(r.retained);
  }
  const std::size_t ring = m.coop_receivable.size();
  v.values("coop_receivable_to_guarantee_fund", &to_gf, ring, kMoneyNonNegative);
  v.values("coop_receivable_to_training_fund", &to_tf, ring, kMoneyNonNegative);
  v.values("coop_receivable_retained", &retained, ring, kMoneyNonNegative);
  std::vector<std::int64_t> operating, training;
  std::vector<double> levy;
  for (const auto& b : m.platform_coops) {
    operating.push_back(b.operating);
    training.push_back(b.training_fund);
    levy.push_back(b.training_levy);
  }
  const std::size_t platforms = m.platform_coops.size();
  v.values("platform_coop_operating", &operating, platforms, kMoney);
  v.values("platform_coop_training_fund", &training, platforms, kMoneyNonNegative);
  v.values("platform_coop_training_levy", &levy, platforms, kShare);
  // A reader filled the copies: put them back.
  step_ = step;
  std::copy(weights.begin(), weights.end(), impl_->weight_total.begin());
  for (std::size_t k = 0; k < ring; ++k) m.coop_receivable[k] = {to_gf[k], to_tf[k], retained[k]};
  for (std::size_t p = 0; p < platforms; ++p)
    m.platform_coops[p] = {operating[p], training[p], levy[p]};
}

SavedState Engine::save_state() const {
  SavedState saved;
  // state() is one list for reading and writing; writing leaves everything as it is.
  auto& self = const_cast<Engine&>(*this);
  SectionWriter engine;
  self.state(engine);
  saved.sections.emplace("engine", engine.bytes());
  for (Mechanism* m : parts_.mechanisms) {
    SectionWriter w;
    m->state(w);
    saved.sections.emplace(std::string(m->key()), w.bytes());
  }
  return saved;
}

StateRules Engine::state_rules() const {
  StateRules rules;
  auto& self = const_cast<Engine&>(*this);  // as in save_state: the visitor changes nothing
  FieldRules engine;
  self.state(engine);
  rules.emplace("engine", std::move(engine.fields));
  for (Mechanism* m : parts_.mechanisms) {
    FieldRules fields;
    m->state(fields);
    rules.emplace(std::string(m->key()), std::move(fields.fields));
  }
  return rules;
}

void Engine::restore(const SavedState& saved) {
  SavedMoney money;  // over all sections
  const auto engine_section = saved.sections.find("engine");
  if (engine_section == saved.sections.end())
    throw RestoreError("saved state has no 'engine' section");
  {
    SectionReader in(engine_section->second, "engine", workers_.count, money);
    state(in);
    in.finish();
  }
  check_restored_workers();
  WorkerState& w = workers_;
  for (std::size_t p = 0; p < market_.platform_coops.size(); ++p) {
    auto& books = market_.platform_coops[p];
    const PlatformSpec& ps = spec_.platforms[p];
    if (!ps.cooperative.enabled &&
        (books.operating != 0 || books.training_fund != 0 || books.training_levy != 0))
      throw RestoreError("saved books for a platform that is not a cooperative");
    // The levy is part of the fee: a branch that lowers the fee lowers a levy above it.
    books.training_levy = std::min(books.training_levy, ps.take_rate);
  }
  for (Mechanism* m : parts_.mechanisms) {
    const auto it = saved.sections.find(m->key());
    if (it == saved.sections.end()) {
      m->open_in_branch();
      continue;
    }
    SectionReader in(it->second, std::string(m->key()), w.count, money);
    m->state(in);
    in.finish();
    m->check_restored();
  }
  started_ = true;
  refresh_derived();
  before_ = stocks_now();
}

// Peer-to-peer competence exchange (docs/ODD.md "Peer learning"), after the week's books: on a
// snapshot of the members' skills, so the result does not depend on the order of the updates.
// Member k (in id order) is tied to members k +- 1 .. k +- h of the ring of members, h = half the
// ties (at most (n - 1) / 2, so no tie is counted twice). A healthy member's skill in sector s
// moves by rate * (level - skill) when its ties' level is above it, where level is the larger of
// the ties' best skill in s and cross_sector_share times their best skill in any sector. No draws.
void Engine::peer_learning() {
  const PeerLearningSpec& pl = spec_.peer_learning;
  Impl& im = *impl_;
  WorkerState& w = workers_;
  const auto S = static_cast<std::size_t>(w.sectors);
  const auto& members = im.learners;
  const std::size_t n = members.size();
  if (n < 3) return;  // a ring needs three members for a tie on each side
  const std::size_t half = std::min<std::size_t>(pl.ties_per_member / 2, (n - 1) / 2);
  auto& snapshot = im.learner_skill;
  snapshot.resize(n * S);
  for (std::size_t k = 0; k < n; ++k) std::copy_n(&w.skill[members[k] * S], S, &snapshot[k * S]);
  std::array<float, kMaxSectors> best{};
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint32_t i = members[k];
    if (w.absent_weeks_left[i] > 0) continue;
    best.fill(0.f);
    float best_any = 0.f;
    for (std::size_t d = 1; d <= half; ++d) {
      for (const std::size_t j : {(k + d) % n, (k + n - d) % n}) {
        for (std::size_t s = 0; s < S; ++s) {
          best[s] = std::max(best[s], snapshot[j * S + s]);
          best_any = std::max(best_any, snapshot[j * S + s]);
        }
      }
    }
    for (std::size_t s = 0; s < S; ++s) {
      const double own = snapshot[k * S + s];
      const double level = std::max(static_cast<double>(best[s]), pl.cross_sector_share * best_any);
      if (level > own)
        w.skill[i * S + s] = static_cast<float>(own + pl.rate_per_week * (level - own));
    }
  }
}

// One member, one vote (docs/ODD.md "Platform cooperative"), at the end of a year before the
// year's patronage is paid out: platform cooperative p sets next year's training levy to the
// median of its members' proposals; with no members the levy stays.
void Engine::vote_training_levy(int p) {
  std::vector<double> proposals;
  for (std::uint32_t i = 0; i < workers_.count; ++i) {
    if ((workers_.platform_mask[i] >> p) & 1u)
      proposals.push_back(proposed_training_levy(spec_, workers_, i, p, impl_->own_course_share()));
  }
  if (!proposals.empty())
    market_.platform_coops[static_cast<std::size_t>(p)].training_levy =
        median_vote(std::move(proposals));
}

double proposed_training_levy(const EngineSpec& spec, const WorkerState& w, std::uint32_t i,
                              int platform, double own_course_share) {
  const PlatformCoopSpec& pc = spec.platforms[static_cast<std::size_t>(platform)].cooperative;
  const TrainingSpec& tr = spec.training;
  const int s = w.work_sector[i];
  TrainingDecisionInputs in{};
  in.skill = w.skill[static_cast<std::size_t>(i) * static_cast<std::size_t>(w.sectors) +
                     static_cast<std::size_t>(s)];
  in.skill_premium = spec.sectors[static_cast<std::size_t>(s)].skill_premium;
  in.recent_weekly_earnings = w.recent_weekly_earnings[i];
  in.recent_hourly_earnings = w.recent_hourly_earnings[i];
  in.own_course_cost = tr.course_cost * (1.0 - pc.training_cost_share) * own_course_share;
  if (!evaluate_training(tr, in).worthwhile()) return 0.0;
  const std::int64_t gross = w.patronage[static_cast<std::size_t>(i) * w.patronage_width +
                                         static_cast<std::size_t>(platform)];
  if (gross <= 0) return pc.max_training_levy;
  return std::min(pc.max_training_levy, pc.training_cost_share * tr.course_cost / to_eur(gross));
}

double median_vote(std::vector<double> proposals) {
  if (proposals.empty()) throw std::invalid_argument("median_vote: no proposals");
  const auto median = proposals.begin() + static_cast<std::ptrdiff_t>((proposals.size() - 1) / 2);
  std::nth_element(proposals.begin(), median, proposals.end());
  return *median;
}

// Reporting groups (codes of sim/model/gigsim/groups.hpp), while their mechanisms are inline: an
// employee of a WISE or of the employee-sharing pool is an employee first (in that order); a
// worker in both cooperatives counts as an umbrella member.
std::uint8_t Engine::group_of(std::uint32_t i) const {
  for (const auto& [code, claims] : impl_->group_claims)
    if (claims(i)) return code;
  if (workers_.coop_member[i]) return 1;
  if (workers_.platform_mask[i] & impl_->coop_platform_mask) return 2;
  return kPlatformOnlyGroup;
}

// Membership decisions (docs/ODD.md "Membership decisions"), at a month end once 12 months of
// history exist, after the month's books. A first pass sums, per block and then over blocks in
// order, the 12-month mean income and income CV of the members and of the non-members with income;
// a second pass lets each worker review with the monthly probability (own stream, keyed by worker
// and week) and switch when membership_switch_gain exceeds the switching cost. Nobody switches
// while either side has fewer than 10 workers with income. A leaver's averaged-salary account is
// paid out at once, as income of the month just closed (its history slot and panel record).
void Engine::review_membership(CoreTotals& tot) {
  const UmbrellaCoopSpec& coop = spec_.umbrella_coop;
  Impl& im = *impl_;
  WorkerState& w = workers_;
  const std::uint32_t months_done = (step_ + 1) / kWeeksPerMonth;
  const auto own_income = [&](std::uint32_t i) {
    std::array<double, kHistoryMonths> x{};
    income_window(w, i, months_done, kHistoryMonths, x);
    return income_metrics(x.data(), kHistoryMonths, 0.0);
  };
  for (auto& a : im.acc) a.clear();
  im.for_blocks(w.count, [&](BlockAcc& a, std::uint32_t lo, std::uint32_t hi) {
    for (std::uint32_t i = lo; i < hi; ++i) {
      const IncomeMetrics m = own_income(i);
      if (std::isnan(m.cv)) continue;  // no income in the window (so no CV)
      const std::size_t g = w.coop_member[i] ? 1 : 0;
      a.group_mean_sum[g] += m.mean;
      a.group_cv_sum[g] += m.cv;
      ++a.group_n[g];
    }
  });
  std::array<double, 2> mean_sum{}, cv_sum{};
  std::array<std::int64_t, 2> n{};
  for (const auto& a : im.acc) {
    for (std::size_t g = 0; g < 2; ++g) {
      mean_sum[g] += a.group_mean_sum[g];
      cv_sum[g] += a.group_cv_sum[g];
      n[g] += a.group_n[g];
    }
  }
  constexpr std::int64_t kMinGroup = 10;
  if (n[0] < kMinGroup || n[1] < kMinGroup) return;
  std::array<GroupIncome, 2> group{};
  for (std::size_t g = 0; g < 2; ++g) {
    group[g] = {mean_sum[g] / static_cast<double>(n[g]), cv_sum[g] / static_cast<double>(n[g])};
  }
  if (!(group[0].mean > 0 && group[1].mean > 0)) return;
  const std::uint64_t seed = spec_.run.seed;
  const std::uint32_t t = step_;
  const std::size_t closed_slot = (months_done - 1) % kHistoryMonths;
  const bool panel_all = spec_.output.panel == PanelMode::all;
  for (auto& a : im.acc) a.clear();
  im.for_blocks(w.count, [&](BlockAcc& a, std::uint32_t lo, std::uint32_t hi) {
    for (std::uint32_t i = lo; i < hi; ++i) {
      if (!RandomStream(seed, Stream::membership_review, i, t)
               .bernoulli(coop.membership_review_probability))
        continue;
      const IncomeMetrics m = own_income(i);
      if (std::isnan(m.cv)) continue;  // no income to compare
      const std::size_t g = w.coop_member[i] ? 1 : 0;
      const double gain =
          membership_switch_gain(m.mean, m.cv, group[g], group[1 - g], coop.risk_aversion);
      if (!(gain > coop.switching_cost)) continue;
      if (g == 1) {
        w.coop_member[i] = 0;
        ++a.leaves;
        const std::int64_t payout = w.salary_account[i];
        w.salary_account[i] = 0;
        w.cash[i] += payout;
        // Income of the month just closed, whose books (history, panel) are already written.
        w.income_history[static_cast<std::size_t>(i) * kHistoryMonths + closed_slot] += payout;
        const std::ptrdiff_t k = im.panel_slot(i, panel_all);
        if (k >= 0) {
          im.panel.net_income[static_cast<std::size_t>(k)] += static_cast<float>(to_eur(payout));
          im.panel.cash[static_cast<std::size_t>(k)] = static_cast<float>(to_eur(w.cash[i]));
        }
        a.leaver_payout += payout;
      } else {
        w.coop_member[i] = 1;
        ++a.joins;
      }
    }
  });
  std::int64_t payout = 0, switches = 0;
  for (const auto& a : im.acc) {
    tot.coop_joins += a.joins;
    tot.coop_leaves += a.leaves;
    switches += a.joins + a.leaves;
    payout += a.leaver_payout;
  }
  // The payout leaves the salary accounts for the workers' cash this week.
  tot.worker_net_pay += payout;
  tot.salary_accounts_balance -= payout;
  if (switches > 0) refresh_member_lists();
}

double certainty_equivalent(double mean, double cv, double rho) {
  return mean * std::pow(1.0 + cv * cv, -rho / 2.0);
}

double membership_switch_gain(double own_mean, double own_cv, const GroupIncome& own_group,
                              const GroupIncome& other_group, double rho) {
  const double expected_mean = own_mean * other_group.mean / own_group.mean;
  return certainty_equivalent(expected_mean, other_group.cv, rho) -
         certainty_equivalent(own_mean, own_cv, rho);
}

void Engine::refresh_member_lists() {
  Impl& im = *impl_;
  const WorkerState& w = workers_;
  im.learners.clear();
  if (spec_.peer_learning.enabled) {
    for (std::uint32_t i = 0; i < w.count; ++i)
      if (w.coop_member[i]) im.learners.push_back(i);
  }
}

// Engine caches that are functions of the saved state, rebuilt after a restore (a branch may also
// have changed the platforms' ranking exponents).
void Engine::refresh_derived() {
  derived_stale_ = false;
  Impl& im = *impl_;
  const WorkerState& w = workers_;
  const auto P = static_cast<std::size_t>(w.platforms);
  im.for_blocks(w.count, [&](BlockAcc&, std::uint32_t lo, std::uint32_t hi) {
    for (std::size_t ip = lo * P; ip < hi * P; ++ip) {
      im.standing[ip] = Impl::standing_of(spec_.platforms[ip % P], w.reputation[ip], w.reviews[ip]);
    }
  });
  refresh_member_lists();
  for (Mechanism* m : parts_.mechanisms) m->refresh();
  std::fill(im.coop_due_by_slot.begin(), im.coop_due_by_slot.end(), 0);
  for (int slot = 0; slot < w.ring; ++slot) {
    for (std::uint32_t i = 0; i < w.count; ++i)
      im.coop_due_by_slot[static_cast<std::size_t>(slot)] += w.coop_due[w.ring_index(slot, i)];
  }
}

void Engine::open_umbrella_coop() {
  const UmbrellaCoopSpec& coop = spec_.umbrella_coop;
  if (!coop.enabled) throw std::invalid_argument("umbrella_coop.enabled is false");
  for (std::uint32_t i = 0; i < workers_.count; ++i)
    workers_.coop_member[i] = draws_coop_membership(spec_.run.seed, i, coop.initial_member_share);
  derived_stale_ = true;  // membership lists
  market_.guarantee_fund = to_cents(coop.initial_guarantee_fund);
  market_.training_fund = to_cents(coop.initial_training_fund);
}

void Engine::start_if_needed() {
  if (started_) return;
  started_ = true;
  for (Observer* o : observers_) o->on_start(info_);
}

void Engine::run() {
  while (step()) {
  }
  finish();
}

bool Engine::step() {
  if (step_ >= spec_.run.weeks) return false;
  start_if_needed();
  advance(RunPhase::all);
  return true;
}

void Engine::run_phase(RunPhase phase) {
  start_if_needed();
  advance(phase);
}

// One week. With RunPhase::all every phase runs and the step counter advances; a single phase is
// run in isolation only by benchmarks.
void Engine::advance(RunPhase phase) {
  if (derived_stale_) refresh_derived();
  const bool all = phase == RunPhase::all;
  Impl& im = *impl_;
  WorkerState& w = workers_;
  const std::uint32_t N = w.count;
  const int S = w.sectors;
  const int P = w.platforms;
  const int ring = w.ring;
  const std::uint32_t t = step_;
  const std::uint64_t seed = spec_.run.seed;
  const UmbrellaCoopSpec& coop = spec_.umbrella_coop;
  const TrainingSpec& tr = spec_.training;
  const SkillSpec& sk = spec_.skills;
  const auto slot_of = [ring](std::uint32_t step) {
    return static_cast<int>(step % static_cast<std::uint32_t>(ring));
  };
  const int slot_now = slot_of(t);
  const bool month_end = (t + 1) % kWeeksPerMonth == 0;
  // Hours a worker can give to platform work and search this week: none while absent, the budget
  // less the course hours while in training and less the hours of its employment contract.
  // Unpaid search per paid hour; affiliations cut it, and the recruitment bias workers meet.
  const auto search_ratio_of = [&](std::uint32_t i) {
    return im.search_ratio(w.coop_member[i] != 0, w.affiliations[i]);
  };
  const auto hours_available = [&](std::uint32_t i) {
    if (w.absent_weeks_left[i] > 0) return 0.0;
    return w.hours_budget[i] - (w.training_weeks_left[i] > 0 ? tr.course_hours_per_week : 0.0) -
           im.contract_hours(w.employer[i], i);
  };

  // Expected demand of a week per (platform, sector): the yearly cycle around the mean times the
  // month's demand shock, split over platforms by market share. A function of the week only.
  using DemandTable = std::array<double, kMaxPlatforms * kMaxSectors>;
  const auto demand_in = [&](std::uint32_t week, DemandTable& demand) {
    const double week_of_year = static_cast<double>(week % 52);
    for (int s = 0; s < S; ++s) {
      const SectorSpec& sec = spec_.sectors[static_cast<std::size_t>(s)];
      double season =
          1.0 + sec.seasonal_amplitude * std::cos(2.0 * std::numbers::pi *
                                                  (week_of_year - sec.seasonal_peak_week) / 52.0);
      if (sec.shock_sd > 0) season *= demand_shock(seed, s, sec, week / kWeeksPerMonth);
      for (int p = 0; p < P; ++p) {
        demand[static_cast<std::size_t>(p * S + s)] =
            sec.tasks_per_week * season * spec_.platforms[static_cast<std::size_t>(p)].market_share;
      }
    }
  };
  demand_in(t, im.demand);

  week_ = Week{t, t / kWeeksPerMonth, (t + 1) % kWeeksPerMonth == 0, (t + 1) % kWeeksPerYear == 0,
               ring_slot(t)};
  if (all) {
    im.totals = CoreTotals{};
    for (Mechanism* m : parts_.mechanisms) m->clear_totals();
  }
  CoreTotals& tot = im.totals;
  tot.step = t;

  if (all || phase == RunPhase::offer) {
    // ---- Pass 1: offer. Each worker keeps its sector or, now and then, re-chooses it from last
    // week's market, and is ranked on every platform it is registered with:
    // weight = eligibility * rep^gamma * (1 + reviews)^delta.
    for (auto& a : im.acc) a.clear();
    // Tasks per unit of ranking weight last week, per (platform, sector): the congestion signal
    // workers use when they re-choose their sector (they know last week's market, not this
    // week's demand shock). Infinite where nobody offered last week but there was demand.
    DemandTable last_demand{};
    if (t > 0) demand_in(t - 1, last_demand);
    std::array<double, kMaxPlatforms * kMaxSectors> tasks_per_weight{};
    for (std::size_t k = 0; k < tasks_per_weight.size(); ++k) {
      tasks_per_weight[k] = im.weight_total[k] > 0 ? last_demand[k] / im.weight_total[k]
                            : last_demand[k] > 0   ? std::numeric_limits<double>::infinity()
                                                   : 0.0;
    }
    im.parallel_blocks(N, [&](const Block& b) {
      BlockAcc& a = im.acc[b.index];
      run_block_hooks(Phase::offer, b);
      std::array<double, kMaxPlatforms> standing{};  // on the platforms it is registered with
      for (std::uint32_t i = b.lo; i < b.hi; ++i) {
        const float* skill = &w.skill[static_cast<std::size_t>(i) * S];
        const double available = hours_available(i);
        // Clients' recruitment bias against workers far from the labour market, where clients
        // choose by rank (not where a cooperative rotates work).
        const double bias_factor = 1.0 - im.recruitment_bias[w.affiliations[i]] * w.distance[i];
        for (int p = 0; p < P; ++p) {
          standing[static_cast<std::size_t>(p)] =
              (w.platform_mask[i] & (1u << p))
                  ? static_cast<double>(im.standing[static_cast<std::size_t>(i) * P + p])
                  : 0.0;
          if (bias_factor < 1.0 && !im.rotates(p))
            standing[static_cast<std::size_t>(p)] *= bias_factor;
        }
        int best = w.work_sector[i];
        if (t == 0) {
          // No market signal yet: the sector with the best earnings index per hour.
          double best_value = -1;
          for (int s = 0; s < S; ++s) {
            const SectorSpec& sec = spec_.sectors[static_cast<std::size_t>(s)];
            const double value =
                earnings_index(skill[s], sec.skill_premium) * sec.base_price / sec.task_hours;
            if (value > best_value) {
              best_value = value;
              best = s;
            }
          }
        } else if (RandomStream(seed, Stream::sector_choice, i, t)
                       .bernoulli(spec_.workers.sector_review_probability)) {
          // Expected gross pay next week in each sector: expected tasks (own weight times last
          // week's tasks per unit weight, summed over platforms), capped by hours, times the
          // mean price of the tasks the worker qualifies for.
          const double search_ratio = search_ratio_of(i);
          double best_value = -1;
          for (int s = 0; s < S; ++s) {
            if (skill[s] <= 0) continue;
            const SectorSpec& sec = spec_.sectors[static_cast<std::size_t>(s)];
            const double capacity = Impl::task_capacity(available, sec.task_hours, search_ratio);
            double expected_tasks = 0;
            for (int p = 0; p < P; ++p) {
              // Only platforms the worker is on (standing 0 would give 0 * inf where nobody
              // offered last week). A rotating cooperative weighs free hours, not rank.
              if (standing[static_cast<std::size_t>(p)] <= 0) continue;
              expected_tasks += skill[s] * standing[static_cast<std::size_t>(p)] *
                                (im.rotates(p) ? capacity : 1.0) *
                                tasks_per_weight[static_cast<std::size_t>(p * S + s)];
            }
            const double value = std::min(expected_tasks, capacity) * sec.base_price *
                                 (1.0 + sec.skill_premium * skill[s] / 2.0);
            if (value > best_value) {
              best_value = value;
              best = s;
            }
          }
        }
        w.work_sector[i] = static_cast<std::uint8_t>(best);
        const double eligibility = skill[best];
        // Ranked only with room for at least one task: a worker with a few hours left but not
        // enough for one task would draw offers it must decline, and the work pass never draws
        // them (it skips workers without capacity), so that demand would vanish uncounted.
        const SectorSpec& best_sec = spec_.sectors[static_cast<std::size_t>(best)];
        const std::int32_t capacity =
            Impl::task_capacity(available, best_sec.task_hours, search_ratio_of(i));
        const bool can_work = eligibility > 0 && capacity > 0;
        for (int p = 0; p < P; ++p) {
          const auto wt = static_cast<float>(
              can_work ? eligibility * standing[static_cast<std::size_t>(p)] : 0.0);
          // The work pass divides each worker's offer weight by the sum of the same values: the
          // weight itself on ranked platforms, the weight times the worker's task capacity where a
          // cooperative rotates work (float times a small integer: exact in double).
          im.weight[static_cast<std::size_t>(i) * P + p] = wt;
          a.weight[static_cast<std::size_t>(p * S + best)] +=
              im.rotates(p) ? static_cast<double>(wt) * capacity : static_cast<double>(wt);
          if (wt > 0) a.capacity[static_cast<std::size_t>(p * S + best)] += capacity;
        }
      }
    });
    im.weight_total.fill(0.0);
    DemandTable capacity{};
    for (const auto& a : im.acc) {
      for (std::size_t k = 0; k < im.weight_total.size(); ++k) {
        im.weight_total[k] += a.weight[k];
        capacity[k] += a.capacity[k];
      }
    }
    // Bidding mode: prices fall with the competing capacity per task (1 on posted-price
    // platforms and wherever tasks outnumber what the ranked workers can take).
    for (int p = 0; p < P; ++p) {
      const PlatformSpec& ps = spec_.platforms[static_cast<std::size_t>(p)];
      for (int s = 0; s < S; ++s) {
        const std::size_t k = static_cast<std::size_t>(p * S + s);
        const double ratio = im.demand[k] > 0 ? capacity[k] / im.demand[k] : 0.0;
        im.price_factor[k] = ps.bid_elasticity > 0 && ratio > 1
                                 ? std::max(ps.bid_floor, std::pow(ratio, -ps.bid_elasticity))
                                 : 1.0;
      }
    }
  }

  if (all || phase == RunPhase::work) {
    for (auto& a : im.acc) a.clear();
    // ---- Pass 2: work, in rounds. In each round a platform's tasks reach workers as a thinned
    // Poisson process: worker i gets Poisson(demand * w_i / W) tasks and takes what its hours
    // allow. Tasks declined by full workers are offered again in the next round to the workers
    // who still have hours, up to the platform's reoffer_rounds; after that they are lost.
    // Pay is booked by due step.
    int rounds = 1;
    for (const auto& ps : spec_.platforms)
      rounds = std::max(rounds, 1 + static_cast<int>(ps.reoffer_rounds));
    std::array<double, kMaxPlatforms* kMaxSectors> round_demand = im.demand;
    std::array<double, kMaxPlatforms* kMaxSectors> round_weight = im.weight_total;
    const int coop_slot = slot_of(t + coop.payout_lag_weeks);
    for (int round = 0; round < rounds; ++round) {
      for (auto& a : im.acc) {
        a.declined.fill(0);
        a.weight_with_hours.fill(0.0);
      }
      im.for_blocks(N, [&](BlockAcc& a, std::uint32_t lo, std::uint32_t hi) {
        for (std::uint32_t i = lo; i < hi; ++i) {
          if (round > 0 && im.capacity_left[i] == 0) continue;  // most workers, in later rounds
          const int s = w.work_sector[i];
          const SectorSpec& sec = spec_.sectors[static_cast<std::size_t>(s)];
          const bool member = w.coop_member[i] != 0;
          if (round == 0) {
            im.capacity_left[i] =
                Impl::task_capacity(hours_available(i), sec.task_hours, search_ratio_of(i));
            im.tasks_done[i] = 0;
            im.earned_cents[i] = 0;
          }
          std::int64_t capacity = im.capacity_left[i];
          if (capacity == 0) continue;
          const float k = w.skill[static_cast<std::size_t>(i) * S + s];
          RandomStream r_tasks(seed, Stream::tasks, i, t, static_cast<std::uint32_t>(round));
          RandomStream r_detail(seed, Stream::task_details, i, t,
                                static_cast<std::uint32_t>(round));
          for (int p = 0; p < P; ++p) {
            const std::size_t ip = static_cast<std::size_t>(i) * P + p;
            const float wt = im.weight[ip];
            const std::size_t ps_idx = static_cast<std::size_t>(p * S + s);
            if (wt <= 0.f || round_demand[ps_idx] <= 0) continue;
            // Re-offers (round > 0), and every offer of a rotating cooperative, weigh ranking by
            // the tasks the worker still has room for.
            const double offer_weight =
                round == 0 && !im.rotates(p)
                    ? static_cast<double>(wt)
                    : static_cast<double>(wt) * static_cast<double>(im.capacity_left[i]);
            const double mean = round_demand[ps_idx] * offer_weight / round_weight[ps_idx];
            const auto offered = static_cast<std::int64_t>(r_tasks.poisson(mean));
            const std::int64_t n = std::min(offered, capacity);
            a.declined[ps_idx] += offered - n;
            capacity -= n;
            if (n == 0) continue;
            const PlatformSpec& ps = spec_.platforms[static_cast<std::size_t>(p)];
            const int platform_slot = slot_of(t + im.platform_lag[static_cast<std::size_t>(p)]);
            // The batch of n tasks this worker takes on this platform, settled as one weekly
            // statement. Each task defaults with the sector's rate and has a skill need uniform on
            // [0, k] (the worker qualifies for needs up to its skill).
            const auto n_default = static_cast<std::int64_t>(
                r_detail.binomial(static_cast<std::uint32_t>(n), sec.client_default_rate));
            double need_paid = 0, need_default = 0;  // sums of need / k (tasks are exchangeable)
            for (std::int64_t j = 0; j < n; ++j) {
              (j < n_default ? need_default : need_paid) += r_detail.uniform32();
            }
            const double price_factor = im.price_factor[ps_idx];
            const auto batch_price = [&](std::int64_t count, double sum_u) {
              return std::llround(
                  static_cast<double>(im.base_price_cents[static_cast<std::size_t>(s)]) *
                  price_factor * (static_cast<double>(count) + sec.skill_premium * k * sum_u));
            };
            const std::int64_t gross = batch_price(n - n_default, need_paid);
            const std::int64_t gross_default = batch_price(n_default, need_default);
            // Ratings k + rating_noise * N(0,1), one per task, folded into the moving average:
            // after n ratings the average is Gaussian with the mean and sd below, so one draw
            // replaces n (exact for the unclamped ratings; the average is clamped to [0, 1]).
            float& rep = w.reputation[ip];
            if (im.rating_memory < 1) {
              const auto [keep, sd] =
                  im.rating_fold(n, spec_.workers.rating_noise * sk.reputation_learning_rate);
              rep = static_cast<float>(
                  std::clamp(keep * rep + (1 - keep) * k + sd * r_detail.normal(), 0.0, 1.0));
            }
            const auto commission_on = [&](std::int64_t amount) {
              return std::llround(static_cast<double>(amount) * ps.take_rate);
            };
            const std::int64_t commission = commission_on(gross);
            const std::int64_t net = gross - commission;
            const bool coop_platform = (im.coop_platform_mask >> p) & 1u;
            if (coop_platform) {
              // The fee stays with the members: the levy goes to the training fund, the rest to
              // the operating account; the gross counts towards the member's patronage.
              const std::size_t pp = static_cast<std::size_t>(p);
              a.coop_gross[pp] += gross;
              a.coop_fee[pp] += commission;
              a.coop_levy[pp] += std::llround(static_cast<double>(gross) *
                                              market_.platform_coops[pp].training_levy);
              w.patronage[ip] += gross;
            }
            if (member) {
              // Members invoice through the cooperative: fee on the invoiced amount, paid by the
              // cooperative at its own lag; the platform pays the cooperative at the platform's
              // lag. Defaulted work is owed to the member all the same: the guarantee fund pays.
              const auto fee_on = [&](std::int64_t invoiced) {
                return std::llround(static_cast<double>(invoiced) * coop.fee_rate);
              };
              const std::int64_t fee = fee_on(net);
              const std::int64_t due = net - fee;
              const std::int64_t net_default = gross_default - commission_on(gross_default);
              const std::int64_t due_default = net_default - fee_on(net_default);
              w.coop_due[w.ring_index(coop_slot, i)] += due + due_default;
              a.coop_due_added += due + due_default;
              a.defaults_absorbed += due_default;
              const std::int64_t to_gf =
                  std::llround(static_cast<double>(fee) * coop.guarantee_fund_share);
              const std::int64_t to_tf =
                  std::llround(static_cast<double>(fee) * coop.training_fund_share);
              PlatformReceivable& rcv = a.coop_receivable[static_cast<std::size_t>(p)];
              rcv.to_guarantee_fund += due + to_gf;
              rcv.to_training_fund += to_tf;
              rcv.retained += fee - to_gf - to_tf;
              im.earned_cents[i] += due + due_default;
            } else {
              w.platform_due[w.ring_index(platform_slot, i)] += net;
              a.defaults_lost += gross_default;
              im.earned_cents[i] += net;
            }
            a.tasks_defaulted += n_default;
            a.client_paid += gross;
            if (!coop_platform) a.commission += commission;
            a.escrow_in += net;
            w.reviews[ip] += static_cast<float>(n);
            // Rating threshold: below it, after enough ratings, the platform deactivates the
            // worker for good (the registration ends; this week's tasks are still paid).
            if (ps.deactivation_rating > 0 && rep < ps.deactivation_rating &&
                w.reviews[ip] >= static_cast<float>(ps.deactivation_min_reviews) &&
                (w.platform_mask[i] & (1u << p))) {
              w.platform_mask[i] = static_cast<std::uint16_t>(w.platform_mask[i] & ~(1u << p));
              im.weight[ip] = 0.f;  // no re-offers from this platform in later rounds
              ++a.deactivations;
            }
            im.standing[ip] = Impl::standing_of(ps, rep, w.reviews[ip]);
            im.tasks_done[i] += static_cast<std::int32_t>(n);
          }
          im.capacity_left[i] = static_cast<std::int32_t>(capacity);
          if (capacity > 0) {
            for (int p = 0; p < P; ++p) {
              a.weight_with_hours[static_cast<std::size_t>(p * S + s)] +=
                  static_cast<double>(im.weight[static_cast<std::size_t>(i) * P + p]) *
                  static_cast<double>(capacity);
            }
          }
        }
      });
      // Declined tasks go round again on platforms that re-offer; the rest are lost.
      round_demand.fill(0.0);
      round_weight.fill(0.0);
      for (const auto& a : im.acc) {
        for (std::size_t k = 0; k < round_demand.size(); ++k) {
          round_demand[k] += static_cast<double>(a.declined[k]);
          round_weight[k] += a.weight_with_hours[k];
        }
      }
      for (int p = 0; p < P; ++p) {
        const bool reoffers =
            round < static_cast<int>(spec_.platforms[static_cast<std::size_t>(p)].reoffer_rounds);
        for (int s = 0; s < S; ++s) {
          const std::size_t k = static_cast<std::size_t>(p * S + s);
          if (!reoffers || round_weight[k] <= 0) {
            tot.tasks_declined += static_cast<std::int64_t>(round_demand[k]);
            round_demand[k] = 0;
          }
        }
      }
    }

    auto& receivable = im.receivable;
    receivable = {};
    std::int64_t coop_due_added = 0;
    im.coop_gross_week = {};
    for (const auto& a : im.acc) {
      for (int p = 0; p < P; ++p) {
        const auto pp = static_cast<std::size_t>(p);
        auto& books = market_.platform_coops[pp];
        im.coop_gross_week[pp] += a.coop_gross[pp];
        books.training_fund += a.coop_levy[pp];
        books.operating += a.coop_fee[pp] - a.coop_levy[pp];
        tot.platform_coop_fees += a.coop_fee[pp];
      }
      tot.client_paid += a.client_paid;
      tot.platform_commission += a.commission;
      tot.defaults_absorbed += a.defaults_absorbed;
      tot.defaults_lost += a.defaults_lost;
      tot.tasks_defaulted += a.tasks_defaulted;
      tot.deactivations += a.deactivations;
      coop_due_added += a.coop_due_added;
      market_.escrow_balance += a.escrow_in;
      for (int p = 0; p < P; ++p) {
        const auto& r = a.coop_receivable[static_cast<std::size_t>(p)];
        auto& dst = receivable[static_cast<std::size_t>(p)];
        dst.to_guarantee_fund += r.to_guarantee_fund;
        dst.to_training_fund += r.to_training_fund;
        dst.retained += r.retained;
      }
    }
    im.coop_due_by_slot[static_cast<std::size_t>(coop_slot)] += coop_due_added;
  }

  if (all || phase == RunPhase::settle) {
    const std::int64_t coop_due_now = im.coop_due_by_slot[static_cast<std::size_t>(slot_now)];
    const auto& receivable = im.receivable;
    // ---- Settlement (sequential, market level). Platforms pay the cooperative what falls due;
    // the cooperative then pays members from the guarantee fund, pro rata if the fund runs short.
    for (int p = 0; p < P; ++p) {
      auto& slot = market_.coop_receivable[static_cast<std::size_t>(
          slot_of(t + im.platform_lag[static_cast<std::size_t>(p)]))];
      const auto& r = receivable[static_cast<std::size_t>(p)];
      slot.to_guarantee_fund += r.to_guarantee_fund;
      slot.to_training_fund += r.to_training_fund;
      slot.retained += r.retained;
    }
    {
      auto& slot = market_.coop_receivable[static_cast<std::size_t>(slot_now)];
      market_.escrow_balance -= slot.to_guarantee_fund + slot.to_training_fund + slot.retained;
      market_.guarantee_fund += slot.to_guarantee_fund;
      market_.training_fund += slot.to_training_fund;
      tot.coop_fee_retained = slot.retained;
      slot = {};
    }
    // Members are paid in full when the fund can cover every claim due now, otherwise each claim is
    // paid floor(claim * fund / claims) and the rest stays due next week.
    const std::int64_t fund_available = market_.guarantee_fund;
    const bool pay_in_full = coop_due_now <= fund_available;

    run_hooks(Phase::settle);

    // Platform cooperatives: this week's running costs; at the end of a year, the surplus in the
    // operating account is shared out in proportion to patronage (paid in the pass below) and the
    // members vote next year's training levy.
    const bool year_end = (t + 1) % kWeeksPerYear == 0;
    std::array<std::int64_t, kMaxPlatforms> dividend_pool{}, patronage_total{};
    for (int p = 0; p < P; ++p) {
      if (!((im.coop_platform_mask >> p) & 1u)) continue;
      const auto pp = static_cast<std::size_t>(p);
      const PlatformCoopSpec& pc = spec_.platforms[pp].cooperative;
      auto& books = market_.platform_coops[pp];
      const std::int64_t cost =
          std::llround(static_cast<double>(im.coop_gross_week[pp]) * pc.operating_cost_rate) +
          to_cents(pc.operating_cost_per_week);
      books.operating -= cost;
      tot.platform_coop_costs += cost;
      if (!year_end) continue;
      for (std::uint32_t i = 0; i < N; ++i)
        patronage_total[pp] += w.patronage[static_cast<std::size_t>(i) * P + pp];
      if (patronage_total[pp] > 0) dividend_pool[pp] = std::max<std::int64_t>(0, books.operating);
      if (pc.governance) vote_training_levy(p);
    }

    // ---- Pass 3: the books of the work week, then settle, train, keep the books of the month.
    for (auto& a : im.acc) a.clear();
    const std::uint32_t month = t / kWeeksPerMonth;
    const int history_slot = static_cast<int>(month % kHistoryMonths);
    const bool panel_all = spec_.output.panel == PanelMode::all;
    if (month_end) {
      const std::size_t n_panel = im.panel_ids.size();
      PanelMonth& pm = im.panel;
      pm.month = month;
      pm.net_income.assign(n_panel, 0.f);
      pm.paid_hours.assign(n_panel, 0.f);
      pm.unpaid_hours.assign(n_panel, 0.f);
      pm.training_hours.assign(n_panel, 0.f);
      pm.trained.assign(n_panel, 0);
      pm.training_payer.assign(n_panel, 0);
      pm.skill.assign(n_panel, 0.f);
      pm.cash.assign(n_panel, 0.f);
      pm.group.assign(n_panel, 0);
      pm.platforms.assign(n_panel, 0);
    }
    im.parallel_blocks(N, [&](const Block& b) {
      BlockAcc& a = im.acc[b.index];
      for (std::uint32_t i = b.lo; i < b.hi; ++i) {
        float platform_hours = 0;  // paid hours of platform work (not of a pool contract)
        {
          // Hours and skills of the work week.
          const int s = w.work_sector[i];
          const SectorSpec& sec = spec_.sectors[static_cast<std::size_t>(s)];
          const double search_ratio = search_ratio_of(i);
          const std::int64_t done = im.tasks_done[i];
          const double paid_hours = static_cast<double>(done) * sec.task_hours;
          platform_hours = static_cast<float>(paid_hours);
          const double unpaid_hours = paid_hours * search_ratio;
          // A worker with an employment contract also works its contract hours (paid by its wage,
          // without search), which count as practice in its employer's sector, if any.
          const std::uint8_t employer = w.employer[i];
          const double contract_worked =
              employer == 0 ? 0.0 : im.employers[employer - 1u]->hours_worked(i);
          const int contract_sector =
              employer == 0 ? -1 : im.employers[employer - 1u]->practice_sector();
          w.week_paid_hours[i] = static_cast<float>(paid_hours + contract_worked);
          w.week_unpaid_hours[i] = static_cast<float>(unpaid_hours);
          // Practice closes part of the gap to the practice ceiling per paid hour (learning by
          // doing plateaus; only courses go beyond it); unused skills decay.
          for (int q = 0; q < S; ++q) {
            float& kq = w.skill[static_cast<std::size_t>(i) * S + q];
            const double practice =
                (q == s ? paid_hours : 0.0) + (q == contract_sector ? contract_worked : 0.0);
            if (practice > 0) {
              const double gap = std::max(0.0, sk.practice_ceiling - kq);
              kq += static_cast<float>(-std::expm1(practice * im.log_practice_keep) * gap);
            } else {
              kq *= static_cast<float>(1.0 - sk.decay_per_week);
            }
          }
          a.tasks += done;
          a.workers_with_work += done > 0 ? 1 : 0;
          a.paid_hours += paid_hours + contract_worked;
          a.unpaid_hours += unpaid_hours;
        }
        const std::size_t now = w.ring_index(slot_now, i);
        const std::int64_t from_platforms = w.platform_due[now];
        w.platform_due[now] = 0;
        std::int64_t from_coop = w.coop_due[now];
        w.coop_due[now] = 0;
        if (!pay_in_full && from_coop > 0) {
          const std::int64_t paid = pro_rata(from_coop, fund_available, coop_due_now);
          w.coop_due[w.ring_index(slot_of(t + 1), i)] += from_coop - paid;
          from_coop = paid;
        }
        a.platform_paid += from_platforms;
        a.coop_paid += from_coop;
        // Averaged salary (Smart Germany): a member's cooperative pay goes into a salary account,
        // and at each month end the member is paid 1/N of the account.
        std::int64_t from_coop_to_cash = from_coop;
        if (coop.salary_smoothing_months > 0 && w.coop_member[i]) {
          w.salary_account[i] += from_coop;
          a.salary_in += from_coop;
          from_coop_to_cash = 0;
          if (month_end) {
            from_coop_to_cash = w.salary_account[i] / coop.salary_smoothing_months;
            w.salary_account[i] -= from_coop_to_cash;
            a.salary_out += from_coop_to_cash;
          }
          a.salary_balance += w.salary_account[i];
        }
        std::int64_t received = from_platforms + from_coop_to_cash;
        if (im.coop_platform_mask != 0 && year_end) {
          // Patronage dividends: floor(pool * patronage / total patronage), so the shares never
          // exceed the pool. The year's patronage then starts again.
          for (int p = 0; p < P; ++p) {
            if (!((im.coop_platform_mask >> p) & 1u)) continue;
            const auto pp = static_cast<std::size_t>(p);
            std::int64_t& patronage = w.patronage[static_cast<std::size_t>(i) * P + pp];
            if (patronage > 0 && dividend_pool[pp] > 0) {
              const std::int64_t dividend =
                  pro_rata(patronage, dividend_pool[pp], patronage_total[pp]);
              received += dividend;
              a.dividends[pp] += dividend;
            }
            patronage = 0;
          }
        }
        w.cash[i] += received - w.fixed_costs[i];
        w.month_income[i] += received;

        // Expectations for decisions, from this week's earned (accrual) pay.
        const auto earned = static_cast<float>(to_eur(im.earned_cents[i]));
        w.recent_weekly_earnings[i] =
            kEarningsMemory * w.recent_weekly_earnings[i] + (1 - kEarningsMemory) * earned;
        if (platform_hours > 0) {
          w.recent_hourly_earnings[i] = kEarningsMemory * w.recent_hourly_earnings[i] +
                                        (1 - kEarningsMemory) * earned / platform_hours;
        }
        w.month_paid_hours[i] += w.week_paid_hours[i];
        w.month_unpaid_hours[i] += w.week_unpaid_hours[i];

        // Training: attend this week's course hours; the skill gain comes at completion. A sick
        // worker neither attends (the course waits) nor considers one.
        const bool sick = w.absent_weeks_left[i] > 0;
        if (sick) {
          ++a.sick;
          ++w.absent_weeks_elapsed[i];
          if (--w.absent_weeks_left[i] == 0) w.absent_weeks_elapsed[i] = 0;
        } else if (w.training_weeks_left[i] > 0) {
          ++a.in_training;
          a.training_hours += tr.course_hours_per_week;
          w.month_training_hours[i] += static_cast<float>(tr.course_hours_per_week);
          w.month_trained[i] = 1;
          w.last_training_step[i] = static_cast<std::int32_t>(t);
          if (--w.training_weeks_left[i] == 0) {
            float& kt = w.skill[static_cast<std::size_t>(i) * S + w.training_sector[i]];
            kt += static_cast<float>(tr.skill_gain * (1.0 - kt));
          }
        } else {
          RandomStream r_train(seed, Stream::training, i, t);
          if (r_train.bernoulli(tr.consider_probability)) {
            const int s = w.work_sector[i];
            const bool member = w.coop_member[i] != 0;
            TrainingDecisionInputs in{};
            in.skill = w.skill[static_cast<std::size_t>(i) * S + s];
            in.skill_premium = spec_.sectors[static_cast<std::size_t>(s)].skill_premium;
            in.recent_weekly_earnings = w.recent_weekly_earnings[i];
            in.recent_hourly_earnings = w.recent_hourly_earnings[i];
            const double cash_eur = to_eur(w.cash[i]);
            // A co-payer (the public subsidy) pays its share of what the worker would pay.
            const double own_share = im.own_course_share();
            in.own_course_cost = tr.course_cost * own_share;
            const bool wants_self =
                cash_eur >= in.own_course_cost && evaluate_training(tr, in).worthwhile();
            bool wants_subsidised = false;
            if (member && coop.training_cost_share > 0) {
              in.own_course_cost = tr.course_cost * (1.0 - coop.training_cost_share) * own_share;
              wants_subsidised =
                  cash_eur >= in.own_course_cost && evaluate_training(tr, in).worthwhile();
            }
            // A platform cooperative's fund: the first cooperative the worker is a member of.
            const int fund =
                std::countr_zero(static_cast<unsigned>(w.platform_mask[i] & im.coop_platform_mask));
            bool wants_platform_fund = false;
            if (fund < P &&
                spec_.platforms[static_cast<std::size_t>(fund)].cooperative.training_cost_share >
                    0) {
              const PlatformCoopSpec& pc =
                  spec_.platforms[static_cast<std::size_t>(fund)].cooperative;
              in.own_course_cost = tr.course_cost * (1.0 - pc.training_cost_share) * own_share;
              wants_platform_fund =
                  cash_eur >= in.own_course_cost && evaluate_training(tr, in).worthwhile();
            }
            // Course funders (an employer, a cooperative fund) offer their share.
            std::uint8_t funders = 0;
            for (std::size_t k = 0; k < im.funders.size(); ++k) {
              const double share = im.funders[k]->course_share(i);
              if (!(share > 0)) continue;
              in.own_course_cost = tr.course_cost * (1.0 - share) * own_share;
              if (cash_eur >= in.own_course_cost && evaluate_training(tr, in).worthwhile())
                funders = static_cast<std::uint8_t>(funders | (1u << k));
            }
            if (wants_self || wants_subsidised || wants_platform_fund || funders != 0)
              a.training_requests.push_back({i, wants_subsidised, wants_platform_fund, wants_self,
                                             static_cast<std::int8_t>(fund < P ? fund : -1),
                                             funders});
          }
        }

        if (w.coop_member[i]) ++a.members;
        if (w.platform_mask[i] & im.coop_platform_mask) ++a.platform_coop_members;
        a.registrations += std::popcount(w.platform_mask[i]);
      }
      if (!month_end) return;
      // Unemployment insurance and whatever else acts on the month's income, then the books of
      // the month: its history slot, the panel record and the month's accumulators.
      run_block_hooks(Phase::month_end, b);
      for (std::uint32_t i = b.lo; i < b.hi; ++i) {
        {
          w.income_history[static_cast<std::size_t>(i) * kHistoryMonths + history_slot] =
              w.month_income[i];
          w.training_hours_history[static_cast<std::size_t>(i) * kHistoryMonths + history_slot] =
              w.month_training_hours[i];
          const std::ptrdiff_t k = im.panel_slot(i, panel_all);
          if (k >= 0) {
            PanelMonth& pm = im.panel;
            const auto u = static_cast<std::size_t>(k);
            pm.net_income[u] = static_cast<float>(to_eur(w.month_income[i]));
            pm.paid_hours[u] = w.month_paid_hours[i];
            pm.unpaid_hours[u] = w.month_unpaid_hours[i];
            pm.training_hours[u] = w.month_training_hours[i];
            pm.trained[u] = w.month_trained[i];
            pm.training_payer[u] = w.training_payer[i];
            const float* sk_row = &w.skill[static_cast<std::size_t>(i) * S];
            pm.skill[u] = *std::max_element(sk_row, sk_row + S);
            pm.cash[u] = static_cast<float>(to_eur(w.cash[i]));
            pm.group[u] = group_of(i);
            pm.platforms[u] = w.platform_mask[i];
          }
          w.month_income[i] = 0;
          w.month_paid_hours[i] = 0;
          w.month_unpaid_hours[i] = 0;
          w.month_training_hours[i] = 0;
          w.month_trained[i] = 0;
        }
      }
    });

    std::int64_t platform_paid = 0, coop_paid = 0, salary_in = 0, salary_out = 0, dividends = 0;
    for (const auto& a : im.acc) {
      for (int p = 0; p < P; ++p) {
        const auto pp = static_cast<std::size_t>(p);
        market_.platform_coops[pp].operating -= a.dividends[pp];
        dividends += a.dividends[pp];
      }
      tot.platform_coop_members += a.platform_coop_members;
      tot.tasks_completed += a.tasks;
      tot.workers_with_work += a.workers_with_work;
      tot.paid_hours += a.paid_hours;
      tot.unpaid_hours += a.unpaid_hours;
      platform_paid += a.platform_paid;
      coop_paid += a.coop_paid;
      tot.workers_in_training += a.in_training;
      tot.training_hours += a.training_hours;
      tot.coop_members += a.members;
      tot.platform_registrations += a.registrations;
      tot.workers_sick += a.sick;
      salary_in += a.salary_in;
      salary_out += a.salary_out;
      tot.salary_accounts_balance += a.salary_balance;
    }
    market_.escrow_balance -= platform_paid;
    market_.guarantee_fund -= coop_paid;
    // What was due now and not paid stays due next week (pro rata payment above).
    im.coop_due_by_slot[static_cast<std::size_t>(slot_now)] = 0;
    im.coop_due_by_slot[static_cast<std::size_t>(slot_of(t + 1))] += coop_due_now - coop_paid;
    // Employers add the wages they paid in settlement; these are the payouts of the books pass.
    tot.worker_net_pay += platform_paid + coop_paid - salary_in + salary_out + dividends;
    tot.platform_coop_dividends = dividends;
    run_hooks(Phase::books_reduce);

    // ---- Course enrolment (sequential, in worker id order): the training fund pays its share of a
    // member's course while it holds enough; otherwise the worker pays if that is still worthwhile.
    // A co-payer (the public subsidy) pays its share of whatever the worker would pay.
    const std::int64_t course_cents = to_cents(tr.course_cost);
    const std::int64_t fund_share_cents = to_cents(tr.course_cost * coop.training_cost_share);
    const double subsidy = im.copayer ? im.copayer->copaid_share() : 0.0;
    const auto pay_rest = [&](std::uint32_t i, std::int64_t rest) {
      const std::int64_t from_public = std::llround(static_cast<double>(rest) * subsidy);
      w.cash[i] -= rest - from_public;
      tot.worker_training_spent += rest - from_public;
      if (from_public != 0) im.copayer->copay(i, from_public);
    };
    for (const auto& a : im.acc) {
      for (const auto& req : a.training_requests) {
        const std::uint32_t i = req.worker;
        TrainingPayer payer = TrainingPayer::none;
        const auto platform_fund_share = [&] {
          const auto& pc = spec_.platforms[static_cast<std::size_t>(req.platform_fund)].cooperative;
          return to_cents(tr.course_cost * pc.training_cost_share);
        };
        // The course funders in the schedule's order: the first that pays its share is the payer.
        for (std::size_t k = 0; k < im.funders.size() && payer == TrainingPayer::none; ++k) {
          if (!((req.funders >> k) & 1u)) continue;
          CourseFunder& funder = *im.funders[k];
          const std::int64_t share = to_cents(tr.course_cost * funder.course_share(i));
          if (!funder.pay_course(i, share)) continue;
          payer = funder.payer();
          if (payer == TrainingPayer::cooperative) tot.training_fund_spent += share;
          pay_rest(i, course_cents - share);
        }
        if (payer != TrainingPayer::none) {
        } else if (req.wants_subsidised && market_.training_fund >= fund_share_cents) {
          payer = TrainingPayer::cooperative;
          market_.training_fund -= fund_share_cents;
          tot.training_fund_spent += fund_share_cents;
          pay_rest(i, course_cents - fund_share_cents);
        } else if (req.wants_platform_fund &&
                   market_.platform_coops[static_cast<std::size_t>(req.platform_fund)]
                           .training_fund >= platform_fund_share()) {
          payer = TrainingPayer::cooperative;
          const std::int64_t share = platform_fund_share();
          market_.platform_coops[static_cast<std::size_t>(req.platform_fund)].training_fund -=
              share;
          tot.training_fund_spent += share;
          tot.platform_coop_training_spent += share;
          pay_rest(i, course_cents - share);
        } else if (req.wants_self) {
          // Who paid: the party that paid the larger share.
          payer = subsidy > 0.5 ? im.copayer->payer() : TrainingPayer::self;
          pay_rest(i, course_cents);
        }
        if (payer == TrainingPayer::none) continue;
        w.training_payer[i] = static_cast<std::uint8_t>(payer);
        w.training_sector[i] = w.work_sector[i];
        w.training_weeks_left[i] =
            static_cast<std::uint8_t>(std::min<std::uint32_t>(tr.course_weeks, 255));
        ++tot.training_starts;
      }
    }
    run_hooks(Phase::week_end);
    if (month_end && coop.enabled && coop.membership_review_probability > 0 &&
        (t + 1) / kWeeksPerMonth >= static_cast<std::uint32_t>(kHistoryMonths))
      review_membership(tot);
  }

  if (spec_.peer_learning.enabled && (all || phase == RunPhase::settle)) peer_learning();

  if (!all) return;
  core_stocks(tot);
  run_hooks(Phase::report);
  report_step();
}

// The engine's balances at the end of a step (and, while they are inline, the legacy mechanisms').
void Engine::core_stocks(CoreTotals& tot) const {
  tot.escrow_balance = market_.escrow_balance;
  tot.guarantee_fund_balance = market_.guarantee_fund;
  tot.training_fund_balance = market_.training_fund;
  tot.platform_coop_balance = 0;
  for (const auto& books : market_.platform_coops)
    tot.platform_coop_balance += books.operating + books.training_fund;
  if (impl_->coop_platform_mask != 0) {
    tot.platform_coop_levy =
        market_
            .platform_coops[static_cast<std::size_t>(std::countr_zero(impl_->coop_platform_mask))]
            .training_levy;
  }
}

// A record of the balances now, without flows: the reference of the next step's conservation check.
StepTotals Engine::stocks_now() {
  CoreTotals stocks;
  core_stocks(stocks);
  for (const std::int64_t s : workers_.salary_account) stocks.salary_accounts_balance += s;
  StepTotals r = parts_.layout->empty_record();
  pack(stocks, CoreTotals::fields(), parts_.core_totals, r);
  run_hooks(Phase::report);
  for (const Mechanism* m : parts_.mechanisms) m->pack_totals(r);
  cash_sum_ = 0;
  for (const std::int64_t c : workers_.cash) cash_sum_ += c;
  return r;
}

void Engine::report_step() {
  const CoreTotals& tot = impl_->totals;
  pack(tot, CoreTotals::fields(), parts_.core_totals, last_);
  for (const Mechanism* m : parts_.mechanisms) m->pack_totals(last_);
  last_.step = tot.step;
  if (ctx_.check_conservation) check_conservation(before_, last_);
  before_ = last_;
  ++step_;
  for (Observer* o : observers_) o->on_step(last_);
  if (week_.month_end) {
    for (Observer* o : observers_) o->on_month(impl_->panel);
  }
}

// The money identities of docs/ODD.md "Conservation", to the cent.
void Engine::check_conservation(const StepTotals& before, const StepTotals& now) {
  std::int64_t cash = 0, fixed = 0;
  for (std::uint32_t i = 0; i < workers_.count; ++i) {
    cash += workers_.cash[i];
    fixed += workers_.fixed_costs[i];
  }
  const ConservationResidual r = conservation_residual(before, now, cash - cash_sum_, fixed);
  cash_sum_ = cash;
  if (r.books != 0 || r.workers != 0)
    throw std::logic_error("money is not conserved in week " + std::to_string(now.step) +
                           ": the books are off by " + std::to_string(r.books) +
                           " cents, the workers' cash by " + std::to_string(r.workers) + " cents");
}

void Engine::finish() {
  if (finished_) return;
  start_if_needed();
  finished_ = true;
  const WorkerSummaries s = summaries();
  for (Observer* o : observers_) o->on_end(s);
}

WorkerSummaries Engine::summaries() const {
  const WorkerState& w = workers_;
  const std::uint32_t N = w.count;
  const std::uint32_t months_done = step_ / kWeeksPerMonth;
  const int m = static_cast<int>(std::min<std::uint32_t>(kHistoryMonths, months_done));
  WorkerSummaries out;
  out.months_observed = static_cast<std::uint32_t>(m);
  out.mean_monthly_income.resize(N);
  out.income_cv.resize(N);
  out.dip_months.resize(N);
  out.large_swings.resize(N);
  out.months_below_poverty.resize(N);
  out.trained_last_12m.resize(N);
  out.training_hours_12m.resize(N);
  out.training_payer.resize(N);
  out.group.resize(N);
  out.distance = w.distance;

  // Chronological monthly incomes (EUR) of worker i over the window.
  auto window = [&](std::uint32_t i, std::array<double, kHistoryMonths>& x) {
    income_window(w, i, months_done, m, x);
  };
  std::vector<double> means(N);
  for (std::uint32_t i = 0; i < N; ++i) {
    std::array<double, kHistoryMonths> x{};
    window(i, x);
    double sum = 0;
    for (int j = 0; j < m; ++j) sum += x[static_cast<std::size_t>(j)];
    means[i] = m > 0 ? sum / m : 0.0;
  }
  // Poverty line: 60% of the median worker's mean monthly income (Eurostat convention).
  if (N > 0 && m > 0) {
    std::vector<double> sorted = means;
    std::sort(sorted.begin(), sorted.end());
    const double median = N % 2 ? sorted[N / 2] : 0.5 * (sorted[N / 2 - 1] + sorted[N / 2]);
    out.poverty_line = 0.6 * median;
  }
  const std::int32_t window_start =
      static_cast<std::int32_t>(step_) - kHistoryMonths * kWeeksPerMonth;
  for (std::uint32_t i = 0; i < N; ++i) {
    std::array<double, kHistoryMonths> x{};
    window(i, x);
    const IncomeMetrics im = income_metrics(x.data(), m, out.poverty_line);
    out.mean_monthly_income[i] = static_cast<float>(im.mean);
    out.income_cv[i] = static_cast<float>(im.cv);
    out.dip_months[i] = static_cast<std::uint8_t>(im.dip_months);
    out.large_swings[i] = static_cast<std::uint8_t>(im.large_swings);
    out.months_below_poverty[i] = static_cast<std::uint8_t>(im.months_below);
    out.trained_last_12m[i] =
        w.last_training_step[i] != kNever && w.last_training_step[i] >= window_start ? 1 : 0;
    float hours = 0;
    for (int j = 0; j < m; ++j) {
      const std::uint32_t month =
          months_done - static_cast<std::uint32_t>(m) + static_cast<std::uint32_t>(j);
      hours += w.training_hours_history[static_cast<std::size_t>(i) * kHistoryMonths +
                                        month % kHistoryMonths];
    }
    out.training_hours_12m[i] = hours;
    out.training_payer[i] = w.training_payer[i];
    out.group[i] = group_of(i);
  }
  return out;
}

TrainingDecision evaluate_training(const TrainingSpec& t, const TrainingDecisionInputs& in) {
  const double k = std::clamp(in.skill, 0.0, 1.0);
  const double k_after = k + t.skill_gain * (1.0 - k);
  const double index_now = std::max(1e-9, earnings_index(k, in.skill_premium));
  const double relative_gain = earnings_index(k_after, in.skill_premium) / index_now - 1.0;
  // Present value of one EUR a week over the horizon, starting after the course.
  const double r = t.discount_per_week;
  const double horizon = t.horizon_weeks;
  const double annuity = r > 0 ? (1.0 - std::pow(1.0 + r, -horizon)) / r : horizon;
  const double delay = std::pow(1.0 + r, -static_cast<double>(t.course_weeks));
  TrainingDecision d{};
  d.expected_gain = in.recent_weekly_earnings * relative_gain * annuity * delay;
  d.cost = in.own_course_cost + static_cast<double>(t.course_weeks) * t.course_hours_per_week *
                                    in.recent_hourly_earnings;
  return d;
}

}  // namespace gigsim
