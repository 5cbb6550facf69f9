//! The pace of an evaluation: how many runs the next chunk holds, so that each takes about
//! [`Pace::TARGET_MS`] whatever the model's speed (progress moves and Cancel answers within a
//! fraction of a second, without a message per sample), and the progress in numbers: samples done
//! of the total, samples per second, and the time left at that rate.

/// Runs per chunk, adapted to the time the last chunk took.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pace {
    runs: usize,
}

impl Default for Pace {
    /// One run first: its time is the first measure.
    fn default() -> Self {
        Self { runs: 1 }
    }
}

impl Pace {
    /// The time a chunk should take.
    pub const TARGET_MS: f64 = 250.0;
    /// The most runs in one chunk.
    pub const MAX_RUNS: usize = 256;

    /// Runs the next chunk holds.
    pub fn runs(self) -> usize {
        self.runs
    }

    /// After a chunk of `runs` runs that took `millis`: runs that would have taken the target,
    /// growing at most fourfold a chunk (one fast run says little), never below one.
    pub fn after(self, runs: usize, millis: f64) -> Self {
        let per_run = millis.max(0.0) / runs.max(1) as f64;
        let fit = if per_run > 0.0 { (Self::TARGET_MS / per_run).floor() as usize } else { usize::MAX };
        Self { runs: fit.clamp(1, runs.max(1).saturating_mul(4).min(Self::MAX_RUNS)) }
    }
}

/// Where an evaluation stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tally {
    pub done: usize,
    pub total: usize,
    /// Time spent running so far.
    pub millis: f64,
}

impl Tally {
    /// Samples a second so far (`None` before any time has passed).
    pub fn per_second(&self) -> Option<f64> {
        (self.millis > 0.0 && self.done > 0).then(|| self.done as f64 * 1000.0 / self.millis)
    }

    /// Time left at the rate so far (`None` before there is a rate; 0 when done).
    pub fn left_ms(&self) -> Option<f64> {
        let left = self.total.saturating_sub(self.done);
        if left == 0 {
            return Some(0.0);
        }
        self.per_second().map(|rate| left as f64 * 1000.0 / rate)
    }

    /// Progress in words: `120 of 297 samples · 240 samples/s · about 1 s left`.
    pub fn words(&self) -> String {
        let mut words = format!("{} of {} samples", self.done, self.total);
        if let Some(rate) = self.per_second() {
            words.push_str(&format!(
                " · {} samples/s",
                if rate >= 10.0 { format!("{rate:.0}") } else { format!("{rate:.1}") }
            ));
        }
        if let Some(left) = self.left_ms().filter(|_| self.done < self.total) {
            words.push_str(&format!(" · about {} left", seconds_words(left / 1000.0)));
        }
        words
    }

    /// The share done, 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 { 1.0 } else { self.done.min(self.total) as f64 / self.total as f64 }
    }
}

/// `0.4` → `1 s`, `75` → `1 min 15 s`, `4000` → `1 h 7 min` (whole seconds, rounded up).
fn seconds_words(seconds: f64) -> String {
    let s = seconds.max(0.0).ceil().max(1.0) as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_grow_towards_the_target_time_and_shrink_when_runs_are_slow() {
        let pace = Pace::default();
        assert_eq!(pace.runs(), 1);
        // 1 ms a run: 250 would fit, but one run says little: fourfold at most.
        let pace = pace.after(1, 1.0);
        assert_eq!(pace.runs(), 4);
        let pace = pace.after(4, 4.0).after(16, 16.0).after(64, 64.0);
        assert_eq!(pace.runs(), 250);
        assert_eq!(pace.after(250, 100.0).runs(), Pace::MAX_RUNS);
        // 100 ms a run: two fit.
        assert_eq!(pace.after(250, 25_000.0).runs(), 2);
        // A run slower than the target: one a chunk.
        assert_eq!(pace.after(2, 2_000.0).runs(), 1);
        // A clock that says no time passed.
        assert_eq!(Pace::default().after(1, 0.0).runs(), 4);
    }

    #[test]
    fn the_rate_and_the_time_left_follow_from_the_samples_done() {
        let start = Tally { done: 0, total: 297, millis: 0.0 };
        assert_eq!((start.per_second(), start.left_ms(), start.fraction()), (None, None, 0.0));
        let mid = Tally { done: 99, total: 297, millis: 500.0 };
        assert_eq!(mid.per_second(), Some(198.0));
        assert_eq!(mid.left_ms(), Some(1000.0));
        let end = Tally { done: 297, total: 297, millis: 1500.0 };
        assert_eq!((end.left_ms(), end.fraction()), (Some(0.0), 1.0));
        assert_eq!(Tally { done: 0, total: 0, millis: 0.0 }.fraction(), 1.0);
        assert_eq!(start.words(), "0 of 297 samples");
        assert_eq!(mid.words(), "99 of 297 samples · 198 samples/s · about 1 s left");
        assert_eq!(end.words(), "297 of 297 samples · 198 samples/s");
        let slow = Tally { done: 3, total: 1000, millis: 1000.0 };
        assert_eq!(slow.words(), "3 of 1000 samples · 3.0 samples/s · about 5 min 33 s left");
        assert_eq!(
            Tally { done: 1, total: 20_000, millis: 1000.0 }.words(),
            "1 of 20000 samples · 1.0 samples/s · about 5 h 33 min left"
        );
    }
}
