//! What the operations send and return besides JSON: bytes, content, counts and
//! long-running operations, and the examples that say "not JSON" of an operation typed
//! as JSON.

use super::*;
use crate::model::Body;

#[derive(Debug, Default, Clone, Serialize)]
pub struct Content {
    /// Operations whose result is bytes (a stream, `$value`, a redirect, non-JSON).
    pub bytes_results: usize,
    /// Of those, the ones answered with a redirect (downloads).
    pub redirects: usize,
    /// Operations that send content (`PUT .../content`, a photo) rather than JSON.
    pub content_bodies: usize,
    pub counts: usize,
    pub accepted: usize,
    /// Operations typed as JSON whose example (at one of its paths, not at a `$count`
    /// or `$value` below it) answers with a `Content-Type` that is not JSON.
    pub binary_typed_as_json: usize,
}

impl Content {
    pub(super) fn new(model: &Model) -> Self {
        let mut c = Content::default();
        for op in &model.operations {
            match op.response {
                Response::Bytes => {
                    c.bytes_results += 1;
                    c.redirects += usize::from((300..400).contains(&op.status));
                }
                Response::Count => c.counts += 1,
                Response::Accepted => c.accepted += 1,
                Response::Json { .. } | Response::Collection { .. } => {
                    let matched = op.examples.iter().filter(|e| e.request.path_args.is_some());
                    let not_json = matched.filter_map(|e| e.response.as_ref()).any(|r| {
                        (200..300).contains(&r.status)
                            && r.content_type
                                .as_deref()
                                .is_some_and(|t| !t.to_ascii_lowercase().contains("json"))
                    });
                    c.binary_typed_as_json += usize::from(not_json);
                }
                Response::Empty => {}
            }
            c.content_bodies += usize::from(op.body == Some(Body::Content));
        }
        c
    }
}
