//! Reading built pages in tests: the HTML pages of an output, the
//! attributes of tags, relative links resolved, a page's alternates, the
//! text in a page's own language, links that stay in one language.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every HTML page of an output, as paths relative to it (`/`-separated),
/// sorted; the search bundle's files are not pages.
pub fn pages(output: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![output.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(output).unwrap().to_string_lossy();
            if path.is_dir() {
                if relative != "pagefind" {
                    stack.push(path);
                }
            } else if relative.ends_with(".html") {
                found.push(relative.replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// The attributes of every `<name ...>` tag of a page, in order.
pub fn tags(html: &str, name: &str) -> Vec<BTreeMap<String, String>> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .map(|(start, _)| {
            let tag = &html[start + open.len()..];
            let tag = &tag[..tag.find('>').unwrap()];
            let mut attributes = BTreeMap::new();
            let mut rest = tag;
            while let Some(eq) = rest.find("=\"") {
                let key = rest[..eq].trim().to_string();
                let value_start = eq + 2;
                let end = value_start + rest[value_start..].find('"').unwrap();
                attributes.insert(key, rest[value_start..end].to_string());
                rest = &rest[end + 1..];
            }
            attributes
        })
        .collect()
}

/// A relative link from `page` resolved to a path from the output's root.
pub fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split(['#', '?']).next().unwrap().split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// `hreflang` → the page it names, from the `<link rel="alternate">`s.
pub fn alternates(output: &Path, page: &str) -> BTreeMap<String, String> {
    let html = fs::read_to_string(output.join(page)).unwrap();
    tags(&html, "link")
        .into_iter()
        .filter(|a| {
            a.get("rel").map(String::as_str) == Some("alternate") && a.contains_key("hreflang")
        })
        .map(|a| (a["hreflang"].clone(), resolve(page, &a["href"])))
        .collect()
}

/// Checks that each version `found` names (a page's `alternates`) exists and
/// names the same versions back; returns how many it checked.
pub fn assert_alternates_reciprocal(
    output: &Path,
    page: &str,
    found: &BTreeMap<String, String>,
) -> usize {
    for (hreflang, target) in found {
        assert!(
            output.join(target).is_file(),
            "{page}: {hreflang} → {target}"
        );
        assert_eq!(
            &alternates(output, target),
            found,
            "{page} names {target}, which does not name the same versions"
        );
    }
    found.len()
}

/// The text of a page that is in the page's own language: what is not
/// inside an element marked with another `lang`, nor script or style, one
/// run per text node; and the `aria-label`s, which readers hear.
pub fn own_language_text(html: &str, page_lang: &str) -> Vec<String> {
    const VOID: [&str; 8] = ["meta", "link", "br", "img", "input", "hr", "source", "wbr"];
    let mut runs = Vec::new();
    // (element, whether its text is in another language or not text)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if !stack.iter().any(|(_, foreign)| *foreign) && !text.trim().is_empty() {
            runs.push(text.trim().to_string());
        }
        let end = open + rest[open..].find('>').unwrap();
        let tag = &rest[open + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if let Some(at) = stack.iter().rposition(|(n, _)| n == name.trim()) {
                stack.truncate(at);
            }
            continue;
        }
        if tag.starts_with('!') {
            continue;
        }
        let name = tag.split([' ', '\n']).next().unwrap().to_string();
        let attributes = tags(&format!("<{tag} >"), &name).pop().unwrap_or_default();
        if let Some(label) = attributes.get("aria-label") {
            runs.push(label.clone());
        }
        if VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        let foreign = matches!(name.as_str(), "script" | "style" | "code" | "pre")
            || attributes.get("lang").is_some_and(|l| l != page_lang);
        stack.push((name, foreign));
    }
    runs
}

/// Every link of an Arabic page that leads to another page leads to an
/// Arabic one, but for the language switch, the link of a translation to
/// its original (`rel="alternate"`, to this page's own English version),
/// and links to documents that have no Arabic version, which say which
/// language they lead to.
pub fn assert_links_stay_in_arabic(output: &Path, page: &str) -> usize {
    let html = fs::read_to_string(output.join(page)).unwrap();
    let switch = html
        .find("class=\"language-switch\"")
        .map(|start| start..start + html[start..].find("</nav>").unwrap());
    let mut checked = 0;
    for (at, _) in html.match_indices("<a ") {
        let attributes = tags(&html[at..], "a").remove(0);
        let Some(href) = attributes.get("href") else {
            continue;
        };
        let target = resolve(page, href);
        if !target.ends_with(".html") || href.starts_with('#') {
            continue;
        }
        assert!(output.join(&target).is_file(), "{page}: broken link {href}");
        checked += 1;
        if target.starts_with("ar/") || switch.as_ref().is_some_and(|s| s.contains(&at)) {
            continue;
        }
        let versions = alternates(output, &target);
        let to_original = attributes.get("rel").map(String::as_str) == Some("alternate")
            && versions.get("ar").map(String::as_str) == Some(page);
        if to_original {
            assert_eq!(
                attributes.get("hreflang").map(String::as_str),
                Some("en"),
                "{page}: the link to its original {target} does not say its language"
            );
            continue;
        }
        // Another language's page: only a document with no Arabic
        // version, and the link says so.
        assert!(
            !versions.contains_key("ar"),
            "{page} links to {target}, which has an Arabic version {:?}",
            versions.get("ar")
        );
        assert_eq!(
            attributes.get("hreflang").map(String::as_str),
            Some("en"),
            "{page}: the link to the English {target} does not say its language"
        );
    }
    checked
}
