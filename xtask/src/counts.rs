//! Reads pass/fail counts from each test runner's output, so one closing line can sum them.

use serde::Deserialize;

/// Passed and failed tests of one suite.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Self) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

fn number_before(text: &str, word: &str) -> Option<u64> {
    let at = text.find(word)?;
    text[..at].split_whitespace().last()?.parse().ok()
}

/// Sums every `test result: … N passed; M failed; …` line (cargo test, wasm-bindgen-test-runner).
pub fn cargo_test(output: &str) -> Option<Counts> {
    let mut total = None::<Counts>;
    for line in output.lines().filter_map(|l| l.trim().strip_prefix("test result: ")) {
        let counts = Counts { passed: number_before(line, " passed")?, failed: number_before(line, " failed")? };
        *total.get_or_insert_with(Counts::default) += counts;
    }
    total
}

/// forge's closing `Ran N test suites in …: X tests passed, Y failed, Z skipped (T total tests)`.
pub fn forge(output: &str) -> Option<Counts> {
    let line = output.lines().rev().find(|l| l.starts_with("Ran ") && l.contains("tests passed"))?;
    let summary = line.rsplit_once(": ")?.1;
    Some(Counts { passed: number_before(summary, " tests passed")?, failed: number_before(summary, " failed")? })
}

/// node's test runner, TAP reporter: `# pass N` and `# fail N`.
pub fn node_test(output: &str) -> Option<Counts> {
    let find =
        |key: &str| output.lines().rev().find_map(|l| l.trim().strip_prefix(key).and_then(|n| n.trim().parse().ok()));
    Some(Counts { passed: find("# pass ")?, failed: find("# fail ")? })
}

#[derive(Deserialize)]
struct PlaywrightReport {
    stats: PlaywrightStats,
}

#[derive(Deserialize)]
struct PlaywrightStats {
    expected: u64,
    unexpected: u64,
    flaky: u64,
}

/// Playwright's JSON report: `expected` and `flaky` passed (a flaky test passed on retry),
/// `unexpected` failed.
pub fn playwright_json(report: &str) -> Option<Counts> {
    let report: PlaywrightReport = serde_json::from_str(report).ok()?;
    let stats = report.stats;
    Some(Counts { passed: stats.expected + stats.flaky, failed: stats.unexpected })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_sums_every_test_binary() {
        let output = "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\n\
                      test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.2s\n";
        assert_eq!(cargo_test(output), Some(Counts { passed: 8, failed: 2 }));
        assert_eq!(cargo_test("error: could not compile"), None);
    }

    #[test]
    fn forge_reads_the_closing_summary() {
        let output = "Suite result: ok. 12 passed; 0 failed; 0 skipped; finished in 2.1s\n\
                      Ran 9 test suites in 3.45s (12.1s CPU time): 143 tests passed, 1 failed, 0 skipped (144 total tests)\n";
        assert_eq!(forge(output), Some(Counts { passed: 143, failed: 1 }));
        assert_eq!(forge("Compiler run failed"), None);
    }

    #[test]
    fn node_reads_the_tap_summary() {
        let output = "TAP version 13\nok 1 - adds\n1..26\n# tests 26\n# suites 4\n# pass 25\n# fail 1\n# cancelled 0\n";
        assert_eq!(node_test(output), Some(Counts { passed: 25, failed: 1 }));
    }

    #[test]
    fn playwright_counts_flaky_as_passed_and_unexpected_as_failed() {
        let report = r#"{"config":{},"suites":[],"stats":{"startTime":"x","duration":1.0,"expected":9,"skipped":0,"unexpected":2,"flaky":1}}"#;
        assert_eq!(playwright_json(report), Some(Counts { passed: 10, failed: 2 }));
        assert_eq!(playwright_json("{}"), None);
    }
}
