//! What an operation page says it takes besides its path and body: the query options
//! ("Optional query parameters", "Query parameters") and the request headers.

use super::*;

/// The OData system query options (OData 4.01 part 2, 5.1) and the two paging tokens
/// Graph adds; a `$word` in a query section is one of them or not an option at all
/// (`$value` is a path segment).
const ODATA_OPTIONS: &[&str] = &[
    "$apply",
    "$compute",
    "$count",
    "$deltatoken",
    "$expand",
    "$filter",
    "$format",
    "$index",
    "$levels",
    "$orderby",
    "$schemaversion",
    "$search",
    "$select",
    "$skip",
    "$skiptoken",
    "$top",
];

/// First-column headings of a table that lists parameters or headers by name; other
/// tables in these sections describe something else (filterable properties, values).
const NAME_COLUMNS: &[&str] = &[
    "name",
    "parameter",
    "parameters",
    "query parameter",
    "parameter name",
    "header",
    "request header",
    "header name",
];

impl Reader<'_> {
    pub(super) fn query_and_headers(&self, page: &mut Page) {
        let headers = ["request headers", "optional request headers"];
        for section in self.sections(&["optional query parameters", "query parameters"]) {
            // Some pages put their headers in a subsection of the query parameters.
            let section = section.until(&headers);
            for paragraph in section.paragraphs() {
                self.query_prose(&paragraph.text, &mut page.query);
            }
            for table in section.tables() {
                for row in self.named_rows(table) {
                    if row.name.starts_with('$') {
                        let option = row.name.split_whitespace().next().unwrap_or_default();
                        add_option(&mut page.query, option);
                    } else {
                        page.query.parameters.push(row);
                    }
                }
            }
        }
        for section in self.sections(&headers) {
            for table in section.tables() {
                page.headers.extend(self.named_rows(table).map(header));
            }
        }
    }

    /// The options a paragraph says are supported, sentence by sentence: "supports the
    /// `$select` and `$top` ... query parameters" names them, "supports the OData query
    /// parameters" names none, "does not support" (or "`$skip` isn't supported") denies.
    fn query_prose(&self, text: &str, query: &mut QueryDoc) {
        for sentence in text.split_inclusive(['.', ':']) {
            let lower = sentence.to_lowercase();
            if !lower.contains("support") {
                continue;
            }
            let denied = [
                "not support",
                "n't support",
                "not supported",
                "n't supported",
            ]
            .iter()
            .any(|no| lower.contains(no));
            let named: Vec<&str> = sentence
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '$'))
                .filter(|word| ODATA_OPTIONS.contains(&word.to_ascii_lowercase().as_str()))
                .collect();
            if denied {
                if named.is_empty() && lower.contains("query param") && query.odata.is_empty() {
                    query.support = OdataSupport::None;
                }
                continue;
            }
            for option in named.iter() {
                add_option(query, option);
            }
            if named.is_empty() && lower.contains("query param") && query.odata.is_empty() {
                query.support = OdataSupport::General;
            }
        }
    }

    /// The rows of a table whose first column names parameters or headers.
    fn named_rows<'t>(&'t self, table: &'t Table) -> impl Iterator<Item = Parameter> + 't {
        let named = table
            .header
            .first()
            .is_some_and(|h| NAME_COLUMNS.contains(&header_key(h).as_str()));
        let ty = column(table, &["type"]);
        table
            .rows
            .iter()
            .filter(move |_| named)
            .filter_map(move |row| {
                let name = markdown::normalize_space(&row.first()?.text);
                let name = name.trim_matches(['*', '_', '`', ' ']).to_owned();
                if name.is_empty() {
                    return None;
                }
                let description: Vec<&str> = (1..row.len())
                    .filter(|&i| Some(i) != ty)
                    .map(|i| row[i].text.trim())
                    .filter(|text| !text.is_empty())
                    .collect();
                let description = markdown::normalize_space(&description.join(" "));
                Some(Parameter {
                    required: says_required(&description),
                    ty: ty
                        .and_then(|i| row.get(i))
                        .map(|cell| cell.text.trim().to_owned())
                        .filter(|t| !t.is_empty()),
                    name,
                    value: None,
                    description,
                    source: self.source(row[0].offset),
                })
            })
    }
}

/// Records a supported OData option once, in the docs' spelling lowercased.
fn add_option(query: &mut QueryDoc, option: &str) {
    let option = option.to_ascii_lowercase();
    if !ODATA_OPTIONS.contains(&option.as_str()) {
        return;
    }
    if !query.odata.contains(&option) {
        query.odata.push(option);
    }
    query.support = OdataSupport::Named;
}

/// A header row: `Prefer: outlook.timezone` is the header `Prefer` with that value.
fn header(mut row: Parameter) -> Parameter {
    if let Some((name, value)) = row.name.split_once(':')
        && is_token(name.trim())
    {
        row.value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        row.name = name.trim().to_owned();
    }
    row
}

/// An HTTP token (RFC 9110, 5.6.2): what a header name is made of.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether a description says the parameter must be given: docs write "Required." as a
/// sentence of its own ("Required when ..." is a condition, not a rule).
fn says_required(description: &str) -> bool {
    description
        .split(['.', ';'])
        .any(|sentence| sentence.trim().eq_ignore_ascii_case("required"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;

    fn api_page(sections: &str) -> Page {
        let text = format!(
            "---\ndoc_type: apiPageType\n---\n# List widgets\n\n## HTTP request\n\n```http\nGET /widgets\n```\n\n{sections}"
        );
        page("api/widget-list.md", &text, &mut Diagnostics::default())
    }

    #[test]
    fn named_options_are_read_from_prose_and_tables_and_denials_are_kept_out() {
        let page = api_page(
            "## Optional query parameters\n\nThis method supports the `$count`, `$filter`, and `$top` [OData query parameters](/graph/query-parameters). `$skip` isn't supported.\n\n\
             | Name | Type | Description |\n|---|---|---|\n| startDateTime | String | The start of the range. Required. |\n| $select | string | Properties to return. |\n",
        );
        assert_eq!(page.query.support, OdataSupport::Named);
        assert_eq!(page.query.odata, ["$count", "$filter", "$top", "$select"]);
        let [parameter] = &page.query.parameters[..] else {
            panic!("one parameter: {:?}", page.query.parameters)
        };
        assert_eq!(parameter.name, "startDateTime");
        assert_eq!(parameter.ty.as_deref(), Some("String"));
        assert!(parameter.required);
        assert_eq!(parameter.source.line, 18, "the row's own line");
    }

    #[test]
    fn general_and_denied_support_are_told_apart() {
        let general = api_page(
            "## Optional query parameters\n\nThis method supports the [OData Query Parameters](/graph/query-parameters) to help customize the response.\n",
        );
        assert_eq!(general.query.support, OdataSupport::General);
        assert!(general.query.odata.is_empty());
        let none = api_page(
            "## Optional query parameters\n\nThis method does not support OData query parameters to customize the response.\n",
        );
        assert_eq!(none.query.support, OdataSupport::None);
        let unstated = api_page("## Request body\n\nDon't supply a request body.\n");
        assert_eq!(unstated.query.support, OdataSupport::Unstated);
    }

    #[test]
    fn headers_keep_their_value_and_whether_they_are_required() {
        let page = api_page(
            "## Request headers\n\n| Header | Value |\n|:--|:--|\n| Authorization | Bearer {token}. Required. |\n| Prefer: outlook.timezone | The time zone of the response. Optional. |\n\n\
             ## Optional request headers\n\n| Name | Description |\n|:--|:--|\n| ConsistencyLevel | eventual. |\n",
        );
        let headers: Vec<(&str, Option<&str>, bool)> = page
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_deref(), h.required))
            .collect();
        assert_eq!(
            headers,
            [
                ("Authorization", None, true),
                ("Prefer", Some("outlook.timezone"), false),
                ("ConsistencyLevel", None, false),
            ]
        );
        assert_eq!(page.headers[2].description, "eventual.");
    }

    #[test]
    fn tables_of_other_things_are_not_parameters() {
        let page = api_page(
            "## Optional query parameters\n\nThis method supports the `$filter` query parameter.\n\n\
             | Attribute | Supported operators |\n|---|---|\n| activityDateTime | eq, ge |\n",
        );
        assert!(page.query.parameters.is_empty());
        assert_eq!(page.query.odata, ["$filter"]);
    }
}
