//! What the generator made of each page, and totals: the numbers to hold the generator
//! to on a real corpus. Computed from the parsed pages, the model and the findings; test
//! outcomes are added when the generated crate's tests have run.

mod content;
mod hierarchy;
mod navigation;
mod replays;

pub use content::Content;
pub use hierarchy::Hierarchy;
pub use navigation::Navigation;
pub use replays::Replays;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::model::{Model, Response, TypeRef};
use crate::parse::{Page, PageKind};

/// Outcome of one generated test, by test name.
pub type TestResults = HashMap<String, TestOutcome>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestOutcome {
    Passed,
    /// The body did not deserialize into its type.
    NotDeserialized,
    /// It deserialized but did not serialize back to the same JSON, or another check failed.
    Failed,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct Counts {
    pub pages: usize,
    pub api_pages: usize,
    pub api_pages_with_operation: usize,
    pub api_pages_with_permissions: usize,
    /// Permission fragments included (`[!INCLUDE]`), and how many do not exist.
    pub permission_includes: usize,
    pub permission_includes_missing: usize,
    pub type_pages: usize,
    pub type_pages_with_type: usize,
    pub operations: usize,
    pub types: usize,
    pub enums: usize,
    pub property_rows: usize,
    pub property_rows_typed: usize,
    /// Example requests, and how many matched a documented path.
    pub example_requests: usize,
    pub example_requests_matched: usize,
    /// Example requests sent to another host (callbacks): not requests of this API.
    pub example_requests_other_host: usize,
    /// Example bodies (requests and responses) and what they are.
    pub example_bodies: usize,
    pub bodies_strict_json: usize,
    pub bodies_repaired_json: usize,
    pub bodies_invalid_json: usize,
    pub bodies_not_json_content: usize,
    /// JSON bodies (strict or repaired) with a generated test.
    pub bodies_tested: usize,
    /// JSON bodies without a test: each has a finding saying why.
    pub bodies_skipped: usize,
    /// From the test run, when there was one.
    pub bodies_deserialized: Option<usize>,
    pub bodies_round_tripped: Option<usize>,
    pub tests_run: Option<usize>,
    pub tests_passed: Option<usize>,
    pub findings: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        macro_rules! sum {
            ($($field:ident),*) => { $( self.$field += other.$field; )* };
        }
        sum!(
            pages,
            api_pages,
            api_pages_with_operation,
            api_pages_with_permissions,
            permission_includes,
            permission_includes_missing,
            type_pages,
            type_pages_with_type,
            operations,
            types,
            enums,
            property_rows,
            property_rows_typed,
            example_requests,
            example_requests_matched,
            example_requests_other_host,
            example_bodies,
            bodies_strict_json,
            bodies_repaired_json,
            bodies_invalid_json,
            bodies_not_json_content,
            bodies_tested,
            bodies_skipped,
            findings
        );
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PageRow {
    pub file: String,
    pub kind: PageKind,
    /// The page added an operation, type or enum to the model, or has a finding saying
    /// why not.
    pub accounted_for: bool,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub pages_by_kind: BTreeMap<String, usize>,
    /// Types by the namespace of their `@odata.type`; request body types made from a
    /// page's table have none.
    pub types_by_namespace: BTreeMap<String, usize>,
    pub findings_by_code: BTreeMap<String, usize>,
    pub totals: Counts,
    pub hierarchy: Hierarchy,
    pub replays: Replays,
    pub navigation: Navigation,
    pub content: Content,
    pub pages: Vec<PageRow>,
}

fn is_typed(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => false,
        TypeRef::Collection { item } => is_typed(item),
        _ => true,
    }
}

impl Report {
    pub fn new(
        pages: &[Page],
        model: &Model,
        diagnostics: &[Diagnostic],
        tests: Option<&TestResults>,
    ) -> Report {
        let mut rows: BTreeMap<&str, PageRow> = pages
            .iter()
            .map(|p| {
                let row = PageRow {
                    file: p.file.clone(),
                    kind: p.kind,
                    accounted_for: false,
                    counts: Counts::default(),
                };
                (p.file.as_str(), row)
            })
            .collect();
        let mut findings_by_code = BTreeMap::new();
        for d in diagnostics {
            *findings_by_code.entry(d.code.to_string()).or_insert(0) += 1;
            if let Some(row) = rows.get_mut(&*d.source.file) {
                row.counts.findings += 1;
                if d.code == Code::OtherHost && d.severity == Severity::Note {
                    row.counts.example_requests_other_host += 1;
                }
                if d.code == Code::MissingInclude {
                    row.counts.permission_includes_missing += 1;
                }
            }
        }
        let mut types_by_namespace = BTreeMap::new();
        for t in &model.types {
            let namespace = crate::model::odata_namespace(&t.odata_type);
            *types_by_namespace
                .entry(namespace.unwrap_or("(request bodies)").to_owned())
                .or_insert(0) += 1;
            if let Some(row) = rows.get_mut(&*t.source.file) {
                row.counts.types += 1;
            }
            for p in &t.properties {
                // Inherited properties are counted on the page that documents them.
                if p.source.file != t.source.file && t.base.is_some() {
                    continue;
                }
                if let Some(row) = rows.get_mut(&*p.source.file) {
                    row.counts.property_rows += 1;
                    row.counts.property_rows_typed += usize::from(is_typed(&p.ty));
                }
            }
        }
        for e in &model.enums {
            if let Some(row) = rows.get_mut(&*e.source.file) {
                row.counts.enums += 1;
            }
        }
        for op in &model.operations {
            if let Some(row) = rows.get_mut(&*op.source.file) {
                row.counts.operations += 1;
            }
            // An example counts on its own page, whichever page's operation it matched.
            for example in &op.examples {
                let Some(row) = rows.get_mut(&*example.source.file) else {
                    continue;
                };
                // Another response to an earlier request: its request is counted there.
                row.counts.example_requests_matched +=
                    usize::from(example.request.path_args.is_some() && !example.alternative);
                let outcome = |suffix: &str| {
                    tests.and_then(|t| t.get(&format!("{}_{suffix}", example.test_name)).copied())
                };
                let mut tested = Vec::new();
                if example.request.body.is_some() && !example.alternative {
                    tested.push(outcome("request"));
                }
                let response_tested = example.response.as_ref().is_some_and(|r| {
                    r.body.is_some()
                        && matches!(
                            op.response,
                            Response::Json { .. } | Response::Collection { .. }
                        )
                });
                if response_tested {
                    tested.push(outcome("response"));
                }
                row.counts.bodies_tested += tested.len();
                if tests.is_some() {
                    let deserialized = tested
                        .iter()
                        .filter(|o| matches!(o, Some(TestOutcome::Passed | TestOutcome::Failed)))
                        .count();
                    let round_tripped = tested
                        .iter()
                        .filter(|o| matches!(o, Some(TestOutcome::Passed)))
                        .count();
                    *row.counts.bodies_deserialized.get_or_insert(0) += deserialized;
                    *row.counts.bodies_round_tripped.get_or_insert(0) += round_tripped;
                }
            }
        }
        if let Some(tests) = tests {
            let owners: HashMap<String, &str> = model
                .operations
                .iter()
                .flat_map(|op| {
                    op.examples.iter().flat_map(move |e| {
                        ["request", "response", "replay"]
                            .map(|part| (format!("{}_{part}", e.test_name), &*e.source.file))
                    })
                })
                .collect();
            for (name, outcome) in tests {
                if let Some(row) = owners.get(name).and_then(|f| rows.get_mut(f)) {
                    *row.counts.tests_run.get_or_insert(0) += 1;
                    *row.counts.tests_passed.get_or_insert(0) +=
                        usize::from(*outcome == TestOutcome::Passed);
                }
            }
        }
        // Pages whose properties are in some type (merged into a type documented elsewhere).
        let property_pages: std::collections::HashSet<&str> = model
            .types
            .iter()
            .flat_map(|t| t.properties.iter().map(|p| &*p.source.file))
            .collect();
        for page in pages {
            let Some(row) = rows.get_mut(page.file.as_str()) else {
                continue;
            };
            let c = &mut row.counts;
            c.pages = 1;
            c.api_pages = usize::from(page.kind == PageKind::Api);
            c.api_pages_with_operation =
                usize::from(page.kind == PageKind::Api && c.operations > 0);
            c.api_pages_with_permissions =
                usize::from(page.kind == PageKind::Api && !page.permissions.is_empty());
            c.permission_includes = page.permission_includes.len();
            let declares_type = matches!(page.kind, PageKind::Resource | PageKind::Enum);
            c.type_pages = usize::from(declares_type);
            // A page merged into a type documented elsewhere still yields that type.
            let merged = property_pages.contains(page.file.as_str());
            c.type_pages_with_type =
                usize::from(declares_type && (c.types + c.enums > 0 || merged));
            c.example_requests = page.examples.iter().filter(|e| !e.alternative).count();
            let bodies = page.examples.iter().flat_map(|e| {
                let request = (e.request.body.as_ref())
                    .filter(|_| !e.alternative)
                    .map(|b| (b, &e.request.headers));
                let response = e
                    .response
                    .as_ref()
                    .and_then(|r| r.body.as_ref().map(|b| (b, &r.headers)));
                request.into_iter().chain(response)
            });
            for (body, headers) in bodies {
                c.example_bodies += 1;
                if crate::parse::non_json_content_type(headers).is_some() {
                    c.bodies_not_json_content += 1;
                    continue;
                }
                match &body.parsed {
                    crate::parse::Parsed::Json { repairs, .. } if repairs.is_empty() => {
                        c.bodies_strict_json += 1
                    }
                    crate::parse::Parsed::Json { .. } => c.bodies_repaired_json += 1,
                    crate::parse::Parsed::Invalid { .. } => c.bodies_invalid_json += 1,
                }
            }
            c.bodies_skipped =
                (c.bodies_strict_json + c.bodies_repaired_json).saturating_sub(c.bodies_tested);
            row.accounted_for = c.operations + c.types + c.enums > 0
                || c.type_pages_with_type > 0
                || c.findings > 0;
        }
        let mut totals = Counts::default();
        let mut pages_by_kind = BTreeMap::new();
        for row in rows.values() {
            totals.add(&row.counts);
            *pages_by_kind
                .entry(format!("{:?}", row.kind).to_lowercase())
                .or_insert(0) += 1;
            for (total, part) in [
                (
                    &mut totals.bodies_deserialized,
                    row.counts.bodies_deserialized,
                ),
                (
                    &mut totals.bodies_round_tripped,
                    row.counts.bodies_round_tripped,
                ),
                (&mut totals.tests_run, row.counts.tests_run),
                (&mut totals.tests_passed, row.counts.tests_passed),
            ] {
                if let Some(part) = part {
                    *total.get_or_insert(0) += part;
                }
            }
        }
        totals.operations = model.operations.len();
        totals.types = model.types.len();
        totals.enums = model.enums.len();
        Report {
            hierarchy: Hierarchy::new(model, diagnostics, tests),
            replays: Replays::new(model, tests),
            navigation: Navigation::new(model),
            content: Content::new(model),
            pages_by_kind,
            types_by_namespace,
            findings_by_code,
            totals,
            pages: rows.into_values().collect(),
        }
    }

    /// The totals as a short text for people, with the share each target is about.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let pct = |part: usize, whole: usize| {
            if whole == 0 {
                100.0
            } else {
                100.0 * part as f64 / whole as f64
            }
        };
        let accounted = self.pages.iter().filter(|p| p.accounted_for).count();
        let kinds: Vec<String> = self
            .pages_by_kind
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        let json_bodies = t.bodies_strict_json + t.bodies_repaired_json;
        let api_requests = t.example_requests - t.example_requests_other_host;
        let mut out = format!(
            "pages: {} ({}); accounted for: {} ({:.2}%)\n\
             api pages with an operation: {}/{} ({:.2}%)\n\
             api pages with permissions: {}/{} ({:.2}%); fragments included: {}, of which missing: {}\n\
             resource/enum pages with a type: {}/{} ({:.2}%)\n\
             operations: {}, types: {}, enums: {}\n\
             property rows typed: {}/{} ({:.2}%)\n\
             example requests matched to an operation: {}/{} ({:.2}%), plus {} to other hosts\n\
             example bodies: {} ({} strict JSON, {} repaired, {} invalid JSON, {} not JSON content)\n\
             JSON bodies with a test: {}/{} ({:.2}%), skipped with a finding: {}\n",
            t.pages,
            kinds.join(", "),
            accounted,
            pct(accounted, t.pages),
            t.api_pages_with_operation,
            t.api_pages,
            pct(t.api_pages_with_operation, t.api_pages),
            t.api_pages_with_permissions,
            t.api_pages,
            pct(t.api_pages_with_permissions, t.api_pages),
            t.permission_includes,
            t.permission_includes_missing,
            t.type_pages_with_type,
            t.type_pages,
            pct(t.type_pages_with_type, t.type_pages),
            t.operations,
            t.types,
            t.enums,
            t.property_rows_typed,
            t.property_rows,
            pct(t.property_rows_typed, t.property_rows),
            t.example_requests_matched,
            api_requests,
            pct(t.example_requests_matched, api_requests),
            t.example_requests_other_host,
            t.example_bodies,
            t.bodies_strict_json,
            t.bodies_repaired_json,
            t.bodies_invalid_json,
            t.bodies_not_json_content,
            t.bodies_tested,
            json_bodies,
            pct(t.bodies_tested, json_bodies),
            t.bodies_skipped,
        );
        let namespaces: Vec<String> = self
            .types_by_namespace
            .iter()
            .map(|(namespace, n)| format!("{namespace} {n}"))
            .collect();
        let tables_skipped = self
            .findings_by_code
            .get(Code::OtherTable.as_str())
            .copied()
            .unwrap_or(0);
        out.push_str(&format!(
            "types per namespace: {}; property tables not read as properties: {tables_skipped} ({})\n",
            namespaces.join(", "),
            Code::OtherTable,
        ));
        if let (Some(de), Some(rt), Some(run), Some(passed)) = (
            t.bodies_deserialized,
            t.bodies_round_tripped,
            t.tests_run,
            t.tests_passed,
        ) {
            out.push_str(&format!(
                "tested bodies deserialized: {de}/{} ({:.2}%), round-tripped: {rt}/{} ({:.2}%)\n\
                 generated tests passed: {passed}/{run} ({:.2}%)\n",
                t.bodies_tested,
                pct(de, t.bodies_tested),
                t.bodies_tested,
                pct(rt, t.bodies_tested),
                pct(passed, run),
            ));
        }
        let h = &self.hierarchy;
        out.push_str(&format!(
            "derived types resolved: {}; polymorphic types: {} ({} derived variants); typed polymorphically: {} properties/bodies/results, {} of them collections\n\
             inheritance cycles: {} types, {} reported; flag enums: {}\n\
             areas: {}; links to another area's resource kept as JSON: {} properties; the largest area's feature compiles {:.1}% of the type properties ({})\n",
            h.derived_types,
            h.polymorphic_types,
            h.variants,
            h.polymorphic_references,
            h.polymorphic_collections,
            h.types_in_inheritance_cycles,
            h.inheritance_cycle_findings,
            h.flag_enums,
            h.areas,
            h.links_to_other_areas,
            h.largest_area_share.1,
            h.largest_area_share.0,
        ));
        match h.derived_list_examples_round_tripped {
            Some(passed) => out.push_str(&format!(
                "list responses with derived items: {}, round-tripped: {passed} ({:.2}%)\n",
                h.derived_list_examples,
                pct(passed, h.derived_list_examples)
            )),
            None => out.push_str(&format!(
                "list responses with derived items: {}\n",
                h.derived_list_examples
            )),
        }
        let n = &self.navigation;
        out.push_str(&format!(
            "navigation: {} nodes, {} methods; path templates reached: {}/{} ({:.2}%); methods shared by several templates: {}; named by their type or page: {}; names ending in a digit: {}\n",
            n.nodes,
            n.methods,
            n.templates_reached,
            n.templates,
            pct(n.templates_reached, n.templates),
            n.shared_methods,
            n.named_by_type_or_page,
            n.names_ending_in_a_digit,
        ));
        let c = &self.content;
        out.push_str(&format!(
            "not JSON: {} operations return bytes ({} of them through a redirect), {} send content, {} return a count, {} a long-running operation to monitor; typed as JSON though an example answers otherwise: {}\n",
            c.bytes_results, c.redirects, c.content_bodies, c.counts, c.accepted, c.binary_typed_as_json,
        ));
        let r = &self.replays;
        let blocked: Vec<String> = r.blocked.iter().map(|(c, n)| format!("{c} {n}")).collect();
        out.push_str(&format!(
            "example pairs: {}; replayed over HTTP: {} ({:.2}%){}; not replayed: {} ({})\n",
            r.pairs,
            r.replayed,
            pct(r.replayed, r.pairs),
            r.passed.map_or(String::new(), |p| format!(
                ", passed: {p} ({:.2}% of replayed)",
                pct(p, r.replayed)
            )),
            r.pairs - r.replayed,
            blocked.join(", "),
        ));
        let codes: Vec<String> = self
            .findings_by_code
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        out.push_str(&format!(
            "findings: {} ({})\n",
            t.findings,
            codes.join(", ")
        ));
        out
    }
}
