//! The resolver's rules as data: each folder under `tests/model-cases/` holds a few pages
//! (`docs/`), the model made of them (`model.json`) and the findings
//! (`findings.txt`). After an intended change, update them with
//! `UPDATE_EXPECT=1 cargo test -p generator --test model_cases`, and read the diff.

use std::path::{Path, PathBuf};

use expect_test::expect_file;

/// The pages of a case.
fn case_docs(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/model-cases")
        .join(case)
        .join("docs")
}

fn check(case: &str) {
    let understood = generator::understand(&case_docs(case)).unwrap();
    let model = serde_json::to_string_pretty(&understood.model).unwrap();
    expect_file![format!("model-cases/{case}/model.json")].assert_eq(&format!("{model}\n"));
    let findings: Vec<String> = understood
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    expect_file![format!("model-cases/{case}/findings.txt")]
        .assert_eq(&format!("{}\n", findings.join("\n")));
}

/// A base's properties reach the types derived from it, across pages and levels.
#[test]
fn inheritance_across_pages() {
    check("inheritance_across_pages");
}

/// A type others derive from is read as its `AnyX` wherever it is used.
#[test]
fn anyx_for_base_types() {
    check("anyx_for_base_types");
}

/// A type cell naming no type is JSON, with a finding that suggests the closest name;
/// one whose description lists its values ("Possible values are ...") is an enum of them.
#[test]
fn unknown_type_cell() {
    check("unknown_type_cell");
}

/// An enumeration whose values are powers of two (0, if any, being `none`) is a set of
/// flags; others, such as one numbered 0, 1, 2, 4 with a plain member at 0, are not.
#[test]
fn flag_enums() {
    check("flag_enums");
}

/// A function's parameters in the path (`getUsage(period='{period_value}')`); only the
/// required ones: a function with only optional parameters keeps its documented path.
#[test]
fn function_parameters_in_the_path() {
    check("function_parameters_in_the_path");
}

/// Each path of an `http` block is an operation of its own, with its own name.
#[test]
fn several_paths_on_one_page() {
    check("several_paths_on_one_page");
}

/// Two pages with one title give two functions with different names.
#[test]
fn pages_sharing_a_title() {
    check("pages_sharing_a_title");
}

/// A property an example object has that its declared type lacks but types derived
/// from it declare: the finding names them, for the object's `@odata.type`.
#[test]
fn properties_of_derived_types() {
    check("properties_of_derived_types");
}

/// A single object shown wrapped in `value` is unwrapped, with a finding.
#[test]
fn value_wrapping() {
    check("value_wrapping");
}

/// A `Content-Length` counts the body in a form the docs show it in (line breaks as
/// `\r\n`, JSON compact as sent, a `truncated` response longer than shown), or it is
/// a finding.
#[test]
fn content_length_forms() {
    check("content_length_forms");
}

/// An example may answer with any success status its page names (`200 OK` with
/// `Prefer: return=representation` beside a `204 No Content`), and with no other.
#[test]
fn statuses_a_page_names() {
    check("statuses_a_page_names");
}

/// Responses after a pair are other responses to its request: pairs of their own, at
/// their own lines, whose other statuses are no finding.
#[test]
fn further_responses() {
    check("further_responses");
}

/// A response example whose `value` is an array makes the operation a collection, even
/// where the prose says "object".
#[test]
fn example_value_array_makes_a_collection() {
    check("example_value_array_makes_a_collection");
}

/// An example URL that matches no documented path is not replayed, with a finding; one
/// that holds the template's placeholder (`{id}`) where a value belongs is reported.
#[test]
fn unmatched_urls() {
    check("unmatched_urls");
}

/// A body that is a resource is that type; an update sends its resource (the one its
/// title names, unlisted rows reported); a parameter table is a body type of its own,
/// named from the title's words with type names in their own casing.
#[test]
fn body_type_choice() {
    check("body_type_choice");
}

/// Two pages of one type make one type.
#[test]
fn pages_of_one_type_merged() {
    check("pages_of_one_type_merged");
}

/// Bases that come back to a type are a finding, and nothing loops.
#[test]
fn inheritance_cycles() {
    check("inheritance_cycles");
}

/// "A collection of" is a collection result; "204 No Content" is no result.
#[test]
fn collection_and_empty_responses() {
    check("collection_and_empty_responses");
}

/// A resource (it has an `id`) of another area is kept as JSON, a value of another area
/// stays typed and is compiled by both areas' features, a resource of the same area
/// stays typed.
#[test]
fn links_to_other_areas() {
    check("links_to_other_areas");
}

/// A page's area follows all its metadata: `ms.prod`, else `ms.subservice`; a type page
/// that names neither takes its operations' area, and an operation page that names
/// neither takes its type's. A template placeholder (`<ms.prod>`) names nothing.
#[test]
fn areas_from_metadata() {
    check("areas_from_metadata");
}

/// A base named in prose: "a subclass of [x]" on the derived page, "a base type for
/// [a] and [b]" on the base page (which gives a base to a page that names none, and
/// is a finding where the derived page names another).
#[test]
fn inheritance_from_prose() {
    check("inheritance_from_prose");
}

/// The query options a page names (or says it does not take), its own query parameters
/// and its request headers, from prose and tables; other tables in those sections are
/// not parameters.
#[test]
fn query_options_and_headers() {
    check("query_options_and_headers");
}

/// A link into a section of a page (`chat.md#chattype-values`) names what the section
/// documents (the `chatType` enum), not the page's own type; a link whose text names
/// another type than its target (`[DateTimeOffset](chat.md)`) is typed by its text, with
/// a finding.
#[test]
fn links_into_sections() {
    check("links_into_sections");
}

/// A type is its namespace and name: `microsoft.graph.group` and
/// `microsoft.graph.termStore.group` are two types, the second named with its namespace;
/// links, bases and an example's `@odata.type` find each.
#[test]
fn namespaces_keep_types_apart() {
    check("namespaces_keep_types_apart");
}

/// A finding about a value of an example body points at that value (or its key), each
/// item of a list at its own line and column, as the body's text has them; a member
/// written in other letter case is named as its page spells it.
#[test]
fn findings_at_their_values() {
    check("findings_at_their_values");
}

/// An example URL no path of its page matches is matched to another page's operation
/// whose path it fits (GD0321); `$count` and a function call `name(...)` are no key
/// values, so they fit no `{id}` (GD0302).
#[test]
fn urls_documented_on_another_page() {
    check("urls_documented_on_another_page");
}

/// Every "HTTP request" section documents paths (a page of alternatives has one under
/// each heading), but one inside an example, whose request is the example's; a response
/// right after a template is the template's, not an example without a request.
#[test]
fn request_sections_of_alternatives() {
    check("request_sections_of_alternatives");
}

/// The navigation mirrors the URL: `/me` and `/users/{id}` reach one node, and so do
/// `/education/me` and `/education/users/{id}`; keys are `id(user_id)`, a type segment
/// is a cast, `$ref`/`$count` are `reference`/`count`, function overloads are told
/// apart by their arguments, OneDrive's `root:/{path}:` is `root().path(item_path)`,
/// and two creates on one node are named by their types. An example's call goes the
/// way its URL does (`users().id("me")` where no template writes that root's `me`).
#[test]
fn navigation_mirrors_the_url() {
    check("navigation_mirrors_the_url");
    let tests = emitted_tests("navigation_mirrors_the_url");
    for call in [
        "api().education().me().messages().list()",
        "api().school().users().id(\"me\").messages().list()",
        "api().users().id(\"42\").messages().create(&body)",
    ] {
        assert!(tests.contains(call), "no example calls {call}");
    }
}

/// The example tests emitted for a case's pages, one file after another.
fn emitted_tests(case: &str) -> String {
    let understood = generator::understand(&case_docs(case)).unwrap();
    let files = generator::emit::emit(&understood.model, Default::default(), &|_, _| None);
    let tests = files.iter().filter(|f| f.path.starts_with("tests/"));
    tests
        .map(|f| f.contents.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What HTTP and OData say is not JSON: a stream property or `$value` is read as bytes
/// and written as content (the example's `Content-Type`), a `302` answers with where
/// the bytes are, `$count` is a number as text, and a `202 Accepted` with a `Location`
/// is a long-running operation to monitor. An error status the prose mentions is not
/// the success status.
#[test]
fn content_and_long_running_operations() {
    check("content_and_long_running_operations");
}

/// A property the table writes in another case than the JSON representation takes the
/// representation's spelling, which is JSON as it goes on the wire, with a finding.
#[test]
fn property_names_spelled_by_the_representation() {
    check("property_names_spelled_by_the_representation");
}

/// An example URL that is a documented path followed by what OData lets it take (a
/// cast to a derived type, `/$count`, `/$value`) gets an operation at that path; a
/// segment that names no type is still an unmatched URL.
#[test]
fn casts_count_and_value_from_examples() {
    check("casts_count_and_value_from_examples");
}

/// OData addresses an entity's navigation or complex property as a segment after the
/// entity's path: `GET /widgets/w1/owner` reads the `owner` of what `GET /widgets/{id}`
/// returns, and gets an operation typed as the property (a collection for `parts`); a
/// string property (`/name`) is no such path, and stays an unmatched URL.
#[test]
fn properties_after_a_documented_path() {
    check("properties_after_a_documented_path");
}

/// OneDrive's addressing: `/drive` is the signed-in user's `/me/drive`, and `root` the
/// item with id `root`, so `/me/drive/root/children` exercises
/// `/me/drive/items/{item-id}/children` and `root:/a/b.txt:` an item path after one;
/// an item addressed by its path below the root (`root:/Documents/Reports:`) is the
/// item the template writes by id, and every drive's items are reachable both ways; a
/// drive reached through its owner (`/me/drive`) is a drive of `/drives`, so
/// `/me/drive/recent` exercises `/drives/{drive-id}/recent`.
#[test]
fn drive_addressing() {
    check("drive_addressing");
}

/// Function arguments as the docs write them: placeholders (`groupId-value`,
/// `'parameterValue'`, `count=n`) are parameters, quoted by type; an example's arguments
/// match by name in any order; an example that leaves out or adds arguments matches by
/// the function's name, with GD0322, and so does one that gives other values where the
/// template writes sample values (`endDateTime='2017-01-10'`), whose call sends the
/// template's.
#[test]
fn function_arguments_written_otherwise() {
    check("function_arguments_written_otherwise");
}

/// Request lines outside the "HTTP request" sections and the examples: under a heading
/// of their own (or on a page with no other) they are templates; under a standard
/// section ("Remarks") they are neither templates nor examples. Samples and other
/// placeholder forms in templates (`(team-id)`, `'{id}'`, a GUID) are placeholders,
/// with GD0205; `path[?query]` is an optional query.
#[test]
fn templates_outside_the_request_section() {
    check("templates_outside_the_request_section");
}

/// A stream property after a documented `GET` path (a report's `/content`) is an
/// operation of its own that returns bytes; after a documented `PATCH` path
/// (`.../branding/bannerLogo`), one that sends content.
#[test]
fn stream_property_after_a_documented_path() {
    check("stream_property_after_a_documented_path");
}
