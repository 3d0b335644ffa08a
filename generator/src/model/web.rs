//! Where each page is published, from the docs' configuration (`[links]` in
//! `docgen.toml`): a URL per top folder, `{stem}` standing for the file name without
//! `.md`. The generated docs link every type, enumeration and operation to it.

use std::collections::BTreeMap;

use super::Model;

/// Sets the `web` address of every item whose page is in a configured folder.
pub fn link(model: &mut Model, templates: &BTreeMap<String, String>) {
    if templates.is_empty() {
        return;
    }
    for op in &mut model.operations {
        op.web = address(templates, &op.source.file);
    }
    for t in &mut model.types {
        t.web = address(templates, &t.source.file);
    }
    for e in &mut model.enums {
        e.web = address(templates, &e.source.file);
    }
}

/// `api/user-get.md` with `api = "https://example.com/api/{stem}"` is
/// `https://example.com/api/user-get`.
pub fn address(templates: &BTreeMap<String, String>, file: &str) -> Option<String> {
    let (folder, name) = file.split_once('/')?;
    let stem = name.strip_suffix(".md")?;
    Some(templates.get(folder)?.replace("{stem}", stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_published_where_its_folder_says() {
        let templates = BTreeMap::from([(
            "resources".to_owned(),
            "https://learn.microsoft.com/graph/api/resources/{stem}".to_owned(),
        )]);
        assert_eq!(
            address(&templates, "resources/user.md").as_deref(),
            Some("https://learn.microsoft.com/graph/api/resources/user")
        );
        assert_eq!(address(&templates, "api/user-get.md"), None);
        assert_eq!(address(&templates, "README.md"), None);
    }
}
