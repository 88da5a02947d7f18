//! The Monte Carlo core: every trial walks forward one simulated day at a time, each day drawing
//! one day of the sampling window at random and finishing that much work.
//!
//! All trials advance in lockstep. After each simulated day the work done so far in each trial
//! (a count of stories, or points) is known for every trial at once, so the few order statistics
//! the percentiles need are taken then, and nothing per trial and per story is stored: story `k`
//! is done in a trial on the first day its cumulative threshold is reached, and since work done
//! only grows, "done by day d in at least m trials" is "the m-th largest work done on day d
//! reaches the threshold".

/// The confidence levels every forecast reports, in percent.
pub const LEVELS: [u32; 4] = [50, 70, 85, 95];

/// Simulated days are capped at ten years (3,653 days): what is not done by then is "not within
/// 10 years", never an endless loop.
pub const MAX_DAYS: usize = 3_653;

/// A small, fast generator with a documented algorithm (xoshiro256**, seeded through SplitMix64),
/// so a seed gives the same forecast on every platform and every version of cairn.
#[derive(Debug, Clone)]
pub struct Rng([u64; 4]);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform index below `n` (multiply-shift; the bias is below 2⁻⁵⁰ for any window length).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// Work done on each day of the sampling window (stories or points); one is drawn per
    /// simulated day.
    pub samples: &'a [f64],
    /// The largest amount of work anything asked about needs: simulation stops once every
    /// reported percentile has reached it.
    pub target: f64,
    /// Also keep every trial's work done at the end of this simulated day (1-based), for "how
    /// many by this date".
    pub keep_day: Option<usize>,
    /// Also count, per simulated day, the trials that reached this amount (for a histogram of
    /// completion dates).
    pub track: Option<f64>,
    /// Number of trials.
    pub trials: usize,
    /// Generator seed.
    pub seed: u64,
}

/// What the simulation found.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// `quantiles[l][d]`: the amount of work done by the end of simulated day `d + 1` in at
    /// least `LEVELS[l]` % of trials.
    pub quantiles: [Vec<f64>; 4],
    /// Every trial's work done at the end of `keep_day`, sorted ascending.
    pub kept: Option<Vec<f64>>,
    /// Per simulated day, how many trials had reached `track` by its end.
    pub tracked: Vec<usize>,
    /// Number of trials.
    pub trials: usize,
}

/// Work amounts are sums of estimates; compare with a little slack so `0.1 + 0.2` reaches `0.3`.
pub fn reaches(done: f64, needed: f64) -> bool {
    done + 1e-9 * needed.abs().max(1.0) >= needed
}

impl Outcome {
    /// The 1-based simulated day by which `needed` work is done in at least `LEVELS[level]` % of
    /// trials, or `None` when that is not within the simulated days.
    pub fn day(&self, level: usize, needed: f64) -> Option<usize> {
        let q = &self.quantiles[level];
        let first = q.partition_point(|&done| !reaches(done, needed));
        (first < q.len()).then_some(first + 1)
    }

    /// The share of trials in which `needed` work was done by `keep_day`.
    pub fn share_by(&self, needed: f64) -> Option<f64> {
        let kept = self.kept.as_ref()?;
        let short = kept.partition_point(|&done| !reaches(done, needed));
        Some((kept.len() - short) as f64 / self.trials.max(1) as f64)
    }
}

/// The position, in ascending order of work done, of the amount reached in at least `level` % of
/// `n` trials: at least ⌈level·n/100⌉ trials have done as much or more.
fn order_index(n: usize, level: u32) -> usize {
    n - (n * level as usize).div_ceil(100)
}

/// Runs the trials. With no samples, or only empty days, nothing is ever done: every quantile
/// stays at zero and no day is simulated beyond what `keep_day` needs.
pub fn run(input: &Input) -> Outcome {
    let n = input.trials.max(1);
    let mut outcome = Outcome {
        trials: n,
        ..Outcome::default()
    };
    let productive = input.samples.iter().any(|&s| s > 0.0);
    let mut done = vec![0.0f64; n];
    let mut scratch = vec![0.0f64; n];
    let mut rng = Rng::new(input.seed);
    let idx: [usize; 4] = LEVELS.map(|l| order_index(n, l));
    let last_day = if productive {
        MAX_DAYS
    } else {
        input.keep_day.unwrap_or(0).min(MAX_DAYS)
    };
    for day in 1..=last_day {
        if productive {
            for d in done.iter_mut() {
                *d += input.samples[rng.below(input.samples.len())];
            }
        }
        // The order statistics, largest index first: each select leaves the smaller values to
        // its left, so the next one only searches there.
        scratch.copy_from_slice(&done);
        let mut end = n;
        for (l, &at) in idx.iter().enumerate() {
            let i = at.min(end.saturating_sub(1));
            let (_, v, _) = scratch[..end].select_nth_unstable_by(i, f64::total_cmp);
            outcome.quantiles[l].push(*v);
            end = i + 1;
        }
        if let Some(t) = input.track {
            outcome
                .tracked
                .push(done.iter().filter(|&&d| reaches(d, t)).count());
        }
        if input.keep_day == Some(day) {
            let mut kept = done.clone();
            kept.sort_by(f64::total_cmp);
            outcome.kept = Some(kept);
        }
        let finished = reaches(outcome.quantiles[3][day - 1], input.target);
        if finished && input.keep_day.is_none_or(|k| day >= k) {
            break;
        }
    }
    if input.keep_day.is_some() && outcome.kept.is_none() {
        // `--by` beyond ten years, or a window with nothing done: the work done then is at least
        // what the last simulated day shows.
        let mut kept = done;
        kept.sort_by(f64::total_cmp);
        outcome.kept = Some(kept);
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(samples: &[f64], target: f64) -> Input<'_> {
        Input {
            samples,
            target,
            keep_day: None,
            track: None,
            trials: 1000,
            seed: 1,
        }
    }

    #[test]
    fn constant_throughput_is_exact() {
        let out = run(&input(&[1.0], 10.0));
        for l in 0..4 {
            assert_eq!(out.day(l, 1.0), Some(1));
            assert_eq!(out.day(l, 10.0), Some(10));
        }
        assert_eq!(
            out.quantiles[0].len(),
            10,
            "stops once the target is reached"
        );
    }

    #[test]
    fn nothing_done_never_loops() {
        let out = run(&input(&[0.0, 0.0], 5.0));
        assert!(out.quantiles[0].is_empty());
        assert_eq!(out.day(0, 1.0), None);
    }

    #[test]
    fn slow_pace_stops_at_ten_years() {
        let out = run(&Input {
            trials: 10,
            ..input(&[0.0, 1.0], 1e9)
        });
        assert_eq!(out.quantiles[2].len(), MAX_DAYS);
        assert_eq!(out.day(2, 1e9), None);
    }

    #[test]
    fn order_index_counts_trials_done() {
        assert_eq!(order_index(10_000, 85), 1_500);
        assert_eq!(order_index(10_000, 50), 5_000);
        assert_eq!(order_index(3, 85), 0); // ⌈2.55⌉ = 3 trials: the smallest value
        assert_eq!(order_index(3, 50), 1); // ⌈1.5⌉ = 2 trials
        assert_eq!(order_index(1, 95), 0);
    }

    #[test]
    fn same_seed_same_outcome_other_seed_other_draws() {
        let samples = [0.0, 1.0, 2.0, 5.0];
        let a = run(&input(&samples, 50.0));
        let b = run(&input(&samples, 50.0));
        assert_eq!(a.quantiles, b.quantiles);
        let mut x = Rng::new(1);
        let mut y = Rng::new(2);
        let xs: Vec<u64> = (0..4).map(|_| x.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| y.next_u64()).collect();
        assert_ne!(xs, ys);
    }

    #[test]
    fn rng_below_is_uniform_enough() {
        let mut rng = Rng::new(7);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[rng.below(3)] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn kept_day_and_share() {
        let out = run(&Input {
            keep_day: Some(4),
            ..input(&[1.0], 2.0)
        });
        assert_eq!(out.share_by(4.0), Some(1.0));
        assert_eq!(out.share_by(5.0), Some(0.0));
        assert_eq!(out.quantiles[0].len(), 4, "runs until the kept day");
    }
}
