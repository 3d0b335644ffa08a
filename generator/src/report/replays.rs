//! Example request/response pairs, and how many were replayed over HTTP.

use super::*;

/// Example request/response pairs replayed over HTTP (the `_replay` tests).
#[derive(Debug, Default, Clone, Serialize)]
pub struct Replays {
    /// Examples with both a request and a response.
    pub pairs: usize,
    pub replayed: usize,
    /// From the test run, when there was one.
    pub passed: Option<usize>,
    /// Pairs not replayed, by the finding code of their `Skip`; "redirect" for
    /// redirects to other hosts, which cannot be followed offline; "other".
    pub blocked: BTreeMap<String, usize>,
}

impl Replays {
    pub(super) fn new(model: &Model, tests: Option<&TestResults>) -> Self {
        let mut r = Replays::default();
        for op in &model.operations {
            for example in &op.examples {
                match example.replay_blocker(op) {
                    None => {}
                    Some(Ok(())) => {
                        r.pairs += 1;
                        r.replayed += 1;
                        if let Some(tests) = tests {
                            let name = format!("{}_replay", example.test_name);
                            *r.passed.get_or_insert(0) +=
                                usize::from(tests.get(&name) == Some(&TestOutcome::Passed));
                        }
                    }
                    Some(Err(skip)) => {
                        r.pairs += 1;
                        *r.blocked.entry(skip.tally().to_owned()).or_default() += 1;
                    }
                }
            }
        }
        r
    }
}
