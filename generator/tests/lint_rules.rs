//! Every finding code: a small page that triggers it, and the clean pages that do not.

use generator::diagnostics::{Diagnostic, Severity};
use generator::lint::{self, Baseline, Config, Setting, Sources};

const RESOURCE: &str = r#"---
title: "widget resource type"
description: "A widget."
doc_type: resourcePageType
---
# widget resource type

## Properties
|Property|Type|Description|
|:---|:---|:---|
|id|String|Id.|
|size|Int32|Size.|
|state|[widgetState](widgetstate.md)|State.|
|serial|Guid|Serial number.|
|warranty|Duration|Warranty period.|
"#;

const ENUM: &str = r#"---
title: "widgetState enum type"
description: "States."
doc_type: enumPageType
---
# widgetState enum type

## Members
|Member|Description|
|:---|:---|
|on|On.|
|off|Off.|
"#;

const API: &str = r#"---
title: "Get widget"
description: "Get a widget."
doc_type: apiPageType
---
# Get widget

## Permissions
|Permission type|Permissions (from least to most privileged)|
|:---|:---|
|Application|Widget.Read.All|

## HTTP request
```http
GET /widgets/{id}
```

## Request body
Do not supply a request body for this method.

## Response
If successful, this method returns a `200 OK` response code and a [widget](../resources/widget.md) object in the response body.

## Example
### Request
<!-- { "blockType": "request", "name": "get_widget" } -->
```http
GET https://graph.microsoft.com/beta/widgets/1
```

### Response
```http
HTTP/1.1 200 OK
Content-Type: application/json

{"id": "1", "size": 2, "state": "on"}
```
"#;

/// The findings for the three pages, with one text replaced in the page named `file`.
fn findings(file: &str, from: &str, to: &str, extra: &[(&str, &str)]) -> Vec<Diagnostic> {
    let mut pages: Vec<(String, String)> = vec![
        ("api/widget-get.md".into(), API.into()),
        ("resources/widget.md".into(), RESOURCE.into()),
        ("resources/widgetstate.md".into(), ENUM.into()),
    ];
    for (name, text) in &mut pages {
        if name == file {
            assert!(text.contains(from), "{from:?} is not in {file}");
            *text = text.replacen(from, to, 1);
        }
    }
    pages.extend(extra.iter().map(|(f, t)| (f.to_string(), t.to_string())));
    let borrowed: Vec<(&str, &[u8])> = pages
        .iter()
        .map(|(f, t)| (f.as_str(), t.as_bytes()))
        .collect();
    generator::understand_pages(&borrowed).diagnostics
}

#[test]
fn the_clean_pages_have_no_findings() {
    let found = findings("api/widget-get.md", "", "", &[]);
    assert!(found.is_empty(), "{found:#?}");
}

/// (code, page, text, replacement): the change must produce a finding with the code.
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "GD0001",
        "api/widget-get.md",
        "---\ntitle: \"Get widget\"\ndescription: \"Get a widget.\"\ndoc_type: apiPageType\n---\n",
        "",
    ),
    (
        "GD0001",
        "api/widget-get.md",
        "title: \"Get widget\"",
        "title: [unclosed",
    ),
    (
        "GD0002",
        "api/widget-get.md",
        "doc_type: apiPageType",
        "doc_type: apiPage",
    ),
    (
        "GD0003",
        "api/widget-get.md",
        "## HTTP request\n```http\nGET /widgets/{id}\n```\n",
        "",
    ),
    (
        "GD0101",
        "resources/widget.md",
        "|size|Int32|Size.|",
        "|size|Int32|Size.|extra|",
    ),
    (
        "GD0101",
        "resources/widget.md",
        "|Property|Type|Description|\n|:---|:---|:---|",
        "|Property|Description|\n|:---|:---|",
    ),
    (
        "GD0102",
        "resources/widget.md",
        "|size|Int32|",
        "|size|Int23|",
    ),
    (
        "GD0103",
        "api/widget-get.md",
        "[widget](../resources/widget.md)",
        "[widget](../resources/widgit.md)",
    ),
    (
        "GD0103",
        "resources/widget.md",
        "## Properties",
        "See also [gizmo](gizmo.md).\n\n## Properties",
    ),
    (
        "GD0104",
        "resources/widget.md",
        "## Properties",
        "Inherits from [gadget](gadget.md).\n\n## Properties",
    ),
    (
        "GD0105",
        "resources/widget.md",
        "|id|String|Id.|",
        "|id|String|Id.|\n|id|String|Again.|",
    ),
    (
        "GD0201",
        "api/widget-get.md",
        "GET /widgets/{id}",
        "FETCH /widgets/{id}",
    ),
    (
        "GD0202",
        "api/widget-get.md",
        "<!-- { \"blockType\": \"request\", \"name\": \"get_widget\" } -->",
        "<!-- { \"blockType\": } -->",
    ),
    (
        "GD0203",
        "api/widget-get.md",
        "```http\nGET https://graph.microsoft.com/beta/widgets/1\n```",
        "",
    ),
    (
        "GD0204",
        "api/widget-get.md",
        "\"state\": \"on\"}\n```\n",
        "\"state\": \"on\"}\n",
    ),
    (
        "GD0301",
        "api/widget-get.md",
        "beta/widgets/1",
        "beta\\widgets/1",
    ),
    (
        "GD0301",
        "api/widget-get.md",
        "graph.microsoft.com/beta/widgets/1",
        "graph.microsoft.com/widgets/1",
    ),
    (
        "GD0302",
        "api/widget-get.md",
        "beta/widgets/1",
        "beta/gizmos/1",
    ),
    (
        "GD0303",
        "api/widget-get.md",
        "\"size\": 2",
        "\"size\": <2>",
    ),
    (
        "GD0304",
        "api/widget-get.md",
        "\"state\": \"on\"}",
        "\"state\": \"on\",}",
    ),
    (
        "GD0305",
        "api/widget-get.md",
        "\"size\": 2",
        "\"size\": 2, \"colour\": \"red\"",
    ),
    (
        "GD0306",
        "api/widget-get.md",
        "{\"id\": \"1\", \"size\": 2, \"state\": \"on\"}",
        "{\"value\": {\"id\": \"1\"}}",
    ),
    (
        "GD0307",
        "api/widget-get.md",
        "beta/widgets/1\n",
        "beta/widgets/1\n\n{\"id\": \"1\"}\n",
    ),
    (
        "GD0308",
        "api/widget-get.md",
        "### Response\n",
        "```http\nPOST https://bot.example.com/callback\n```\n### Response\n",
    ),
    (
        "GD0309",
        "api/widget-get.md",
        "Content-Type: application/json\n\n{\"id\": \"1\", \"size\": 2, \"state\": \"on\"}",
        "",
    ),
    (
        "GD0310",
        "api/widget-get.md",
        "\"size\": 2",
        "\"size\": \"two\"",
    ),
    (
        "GD0310",
        "api/widget-get.md",
        "\"size\": 2",
        "\"size\": 2, \"serial\": \"Guid\"",
    ),
    (
        "GD0310",
        "api/widget-get.md",
        "\"size\": 2",
        "\"size\": 2, \"warranty\": \"2 years\"",
    ),
    (
        "GD0311",
        "api/widget-get.md",
        "GET https://graph",
        "POST https://graph",
    ),
    (
        "GD0312",
        "api/widget-get.md",
        "\"state\": \"on\"",
        "\"state\": \"broken\"",
    ),
    (
        "GD0313",
        "api/widget-get.md",
        "HTTP/1.1 200 OK",
        "HTTP/1.1 202 Accepted",
    ),
    (
        "GD0315",
        "api/widget-get.md",
        "Content-Type: application/json\n",
        "Content-Type: application/json\nContent-Length: 5\n",
    ),
    (
        "GD0318",
        "api/widget-get.md",
        "\"state\": \"on\"}\n```\n",
        "\"state\": \"on\"}\n```\n\n### Request\n```http\nGET https://graph.microsoft.com/beta/widgets/2\n```\n\n### Response\n```http\nHTTP/1.1 200 OK\nContent-Type: text/plain\n\n{\"id\": \"2\"}\n```\n",
    ),
    (
        "GD0319",
        "api/widget-get.md",
        "{\"id\": \"1\", \"size\": 2",
        "{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#widgets/$entity\", \"id\": \"1\", \"size\": 2",
    ),
    (
        "GD0401",
        "api/widget-get.md",
        "|Application|Widget.Read.All|",
        "|Application|TODO: scopes|",
    ),
];

#[test]
fn each_rule_is_triggered_by_its_defect() {
    for (code, file, from, to) in CASES {
        let found = findings(file, from, to, &[]);
        assert!(
            found.iter().any(|d| d.code == *code),
            "{code}: replacing {from:?} with {to:?} in {file} gave {:#?}",
            found.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        );
    }
}

#[test]
fn conceptual_pages_and_duplicate_example_names_are_reported() {
    let conceptual =
        "---\ntitle: Overview\ndoc_type: conceptualPageType\n---\n# Overview\n\nWords.\n";
    let found = findings(
        "api/widget-get.md",
        "",
        "",
        &[("resources/overview.md", conceptual)],
    );
    assert!(
        found
            .iter()
            .any(|d| d.code == "GD0004" && d.severity == Severity::Note)
    );
    let found = findings(
        "api/widget-get.md",
        "",
        "",
        &[("api/widget-get-again.md", API)],
    );
    assert!(
        found
            .iter()
            .any(|d| d.code == "GD0314" && &*d.source.file == "api/widget-get.md"),
        "{found:#?}"
    );
}

#[test]
fn an_odata_type_outside_the_declared_hierarchy_is_reported() {
    const GIZMO: &str = "---\ntitle: \"gizmo resource type\"\ndoc_type: resourcePageType\n---\n# gizmo resource type\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|Id.|\n";
    let gadget = GIZMO.replace("gizmo", "gadget").replace(
        "## Properties",
        "Inherits from [widget](widget.md).\n\n## Properties",
    );
    let extra = [
        ("resources/gizmo.md", GIZMO),
        ("resources/gadget.md", gadget.as_str()),
    ];
    let typed = |name: &str| {
        findings(
            "api/widget-get.md",
            "{\"id\": \"1\",",
            &format!("{{\"@odata.type\": \"#microsoft.graph.{name}\", \"id\": \"1\","),
            &extra,
        )
    };
    // A derived type, the type itself and an unknown type are fine.
    for name in ["gadget", "widget", "futureWidget"] {
        let found = typed(name);
        assert!(
            found.iter().all(|d| d.code != "GD0317"),
            "{name}: {found:#?}"
        );
    }
    let found = typed("gizmo");
    let finding = found.iter().find(|d| d.code == "GD0317").expect("GD0317");
    assert_eq!(&*finding.source.file, "api/widget-get.md");
    assert!(finding.message.contains("`gizmo`"), "{}", finding.message);
}

#[test]
fn unknown_type_suggests_the_nearest_name() {
    let found = findings("resources/widget.md", "|size|Int32|", "|size|Int23|", &[]);
    let finding = found.iter().find(|d| d.code == "GD0102").unwrap();
    assert_eq!(finding.help, "did you mean `Int32`?");
    assert_eq!((finding.source.line, finding.source.column), (12, 2));
}

#[test]
fn invalid_example_bodies_are_errors_that_skip_their_test() {
    let pages = [
        (
            "api/widget-get.md",
            API.replacen("\"size\": 2", "\"size\": \"two\"", 1),
        ),
        ("resources/widget.md", RESOURCE.to_owned()),
        ("resources/widgetstate.md", ENUM.to_owned()),
    ];
    let borrowed: Vec<(&str, &[u8])> = pages.iter().map(|(f, t)| (*f, t.as_bytes())).collect();
    let understood = generator::understand_pages(&borrowed);
    let finding = understood
        .diagnostics
        .iter()
        .find(|d| d.code == "GD0310")
        .unwrap();
    assert_eq!(finding.severity, Severity::Error);
    let example = &understood.model.operations[0].examples[0];
    let skipped = example
        .response
        .as_ref()
        .unwrap()
        .body_skipped
        .as_ref()
        .unwrap();
    assert_eq!(skipped.tally(), "GD0310", "{skipped}");
}

fn scratch(name: &str, api: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in [
        ("api/widget-get.md", api),
        ("resources/widget.md", RESOURCE),
        ("resources/widgetstate.md", ENUM),
    ] {
        std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn configuration_sets_severity_and_the_baseline_survives_edits_elsewhere() {
    let defective = API.replacen(
        "|Application|Widget.Read.All|",
        "|Application|TODO: scopes|",
        1,
    );
    let dir = scratch("baseline", &defective);
    let understood = generator::understand(&dir).unwrap();

    let mut config = Config::default();
    config.severity.insert("GD0401".into(), Setting::Deny);
    let found = lint::findings(
        &understood.diagnostics,
        &config,
        &Baseline::default(),
        &mut Sources::new(&dir),
    );
    assert_eq!(found[0].level, Severity::Error);
    config.severity.insert("GD0401".into(), Setting::Allow);
    assert!(
        lint::findings(
            &understood.diagnostics,
            &config,
            &Baseline::default(),
            &mut Sources::new(&dir)
        )
        .is_empty()
    );

    let baseline = lint::baseline_of(&lint::findings(
        &understood.diagnostics,
        &Config::default(),
        &Baseline::default(),
        &mut Sources::new(&dir),
    ));
    // Lines added above the finding move it, but it stays accepted.
    let moved = defective.replacen(
        "# Get widget\n",
        "# Get widget\n\nMore words.\n\nAnd more.\n",
        1,
    );
    std::fs::write(dir.join("api/widget-get.md"), &moved).unwrap();
    let understood = generator::understand(&dir).unwrap();
    let found = lint::findings(
        &understood.diagnostics,
        &Config::default(),
        &baseline,
        &mut Sources::new(&dir),
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].diagnostic.source.line, 15);
    assert!(found[0].baselined);
    // A new defect is not.
    let worse = moved.replacen("beta/widgets/1", "beta\\widgets/1", 1);
    std::fs::write(dir.join("api/widget-get.md"), worse).unwrap();
    let understood = generator::understand(&dir).unwrap();
    let found = lint::findings(
        &understood.diagnostics,
        &Config::default(),
        &baseline,
        &mut Sources::new(&dir),
    );
    assert!(
        found
            .iter()
            .any(|f| f.diagnostic.code == "GD0301" && !f.baselined)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn findings_render_for_people_tools_and_github() {
    let dir = scratch(
        "render",
        &API.replacen("beta/widgets/1", "beta\\widgets/1", 1),
    );
    let understood = generator::understand(&dir).unwrap();
    let mut sources = Sources::new(&dir);
    let found = lint::findings(
        &understood.diagnostics,
        &Config::default(),
        &Baseline::default(),
        &mut sources,
    );
    let finding = found
        .iter()
        .find(|f| f.diagnostic.code == "GD0301")
        .unwrap();

    let human = lint::render_human(finding, &mut sources);
    assert!(human.starts_with("warning[GD0301]: example URL"), "{human}");
    assert!(human.contains("--> api/widget-get.md:28:37"), "{human}");
    assert!(
        human.contains("28 | GET https://graph.microsoft.com/beta\\widgets/1"),
        "{human}"
    );
    assert!(
        human.contains("= help: separate URL segments with `/`"),
        "{human}"
    );

    let json: serde_json::Value = serde_json::from_str(&lint::render_json(finding)).unwrap();
    assert_eq!(json["code"], "GD0301");
    assert_eq!(json["source"]["line"], 28);
    assert_eq!(json["level"], "warning");

    let github = lint::render_github(finding, "docs/");
    assert!(
        github.starts_with(
            "::warning file=docs/api/widget-get.md,line=28,col=37,title=GD0301::example URL"
        ),
        "{github}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The README's table of codes is the table in `diagnostics`, row for row.
#[test]
fn the_readme_lists_every_code_with_its_severity_and_summary() {
    let readme = include_str!("../../README.md");
    let documented: Vec<(&str, &str, &str)> = readme
        .lines()
        .filter_map(|line| {
            let row = line.strip_prefix("| ")?.strip_suffix(" |")?;
            let mut cells = row.splitn(3, " | ");
            let (code, severity, summary) = (cells.next()?, cells.next()?, cells.next()?);
            code.starts_with("GD").then_some((code, severity, summary))
        })
        .collect();
    let severities: Vec<String> = generator::diagnostics::Code::ALL
        .iter()
        .map(|code| code.severity().to_string())
        .collect();
    let table: Vec<(&str, &str, &str)> = generator::diagnostics::Code::ALL
        .iter()
        .zip(&severities)
        .map(|(code, severity)| (code.as_str(), severity.as_str(), code.summary()))
        .collect();
    assert_eq!(documented, table);
}
