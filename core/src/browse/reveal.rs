//! When arrived cards are shown: a throttle with both edges. The grid is rebuilt for the first
//! card after a quiet spell at once (a visitor does not wait a window for the first card), then
//! at most once per window while more arrive, and at once for the last one.

/// What to do with a card that just arrived.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reveal {
    /// Show it (and whatever else arrived) now.
    Now,
    /// Show it in this many milliseconds, with everything arriving meanwhile.
    After(f64),
    /// A reveal is already scheduled and will show it.
    Scheduled,
}

/// The reveal of a card arriving `since_last` ms after cards were last shown (`None`: never),
/// with `window` ms between reveals; `last`: no card is still on its way; `scheduled`: a reveal
/// is already due.
pub fn reveal(last: bool, scheduled: bool, since_last: Option<f64>, window: f64) -> Reveal {
    let wait = since_last.map_or(0.0, |since| window - since);
    if last || (!scheduled && wait <= 0.0) {
        Reveal::Now
    } else if scheduled {
        Reveal::Scheduled
    } else {
        Reveal::After(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_card_is_shown_at_once() {
        assert_eq!(reveal(false, false, None, 200.0), Reveal::Now);
    }

    #[test]
    fn a_card_after_a_quiet_window_is_shown_at_once() {
        assert_eq!(reveal(false, false, Some(200.0), 200.0), Reveal::Now);
        assert_eq!(reveal(false, false, Some(5_000.0), 200.0), Reveal::Now);
    }

    #[test]
    fn cards_within_the_window_wait_for_its_end_together() {
        assert_eq!(reveal(false, false, Some(50.0), 200.0), Reveal::After(150.0));
        assert_eq!(reveal(false, true, Some(60.0), 200.0), Reveal::Scheduled);
    }

    #[test]
    fn the_last_card_is_shown_at_once_even_within_the_window() {
        assert_eq!(reveal(true, true, Some(10.0), 200.0), Reveal::Now);
        assert_eq!(reveal(true, false, Some(10.0), 200.0), Reveal::Now);
    }
}
