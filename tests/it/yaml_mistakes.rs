//! The YAML mistakes editors make most, each answered in plain words: what
//! is wrong, where (file, line, column, the line and a caret) and what to
//! write instead, never the YAML reader's own terms.

use crate::harness::{Site, golden};

/// An actor whose front matter holds `fields` after its title.
fn actor(fields: &str) -> String {
    format!("---\ntitle: An actor\nkind: ngo\n{fields}---\n\nText.\n")
}

#[test]
fn each_common_yaml_mistake_is_told_in_plain_words_in_one_run() {
    let built = Site::new()
        // A tab used to indent a list item.
        .file("content/actors/tab.md", &actor("aliases:\n\t- The Group\n"))
        // A quotation mark inside a value in quotation marks.
        .file(
            "content/actors/nested-quote.md",
            &actor("summary: \"Known as \"the group\" locally.\"\n"),
        )
        // An apostrophe inside a value in single quotes.
        .file(
            "content/actors/apostrophe.md",
            &actor("summary: 'The group's own name.'\n"),
        )
        // Curly quotes pasted from a word processor.
        .file(
            "content/actors/curly.md",
            &actor("summary: “Formed in 2003: in Basra.”\n"),
        )
        // A number where text is expected.
        .file(
            "content/actors/number.md",
            "---\ntitle: 1984\nkind: ngo\n---\n\nText.\n",
        )
        // A list item less indented than the ones above it.
        .file(
            "content/actors/outdented.md",
            &actor("aliases:\n  - The Group\n - Al-Jamaa\n"),
        )
        // A list item more indented, which YAML reads as more words.
        .file(
            "content/actors/indented.md",
            &actor("aliases:\n  - The Group\n    - Al-Jamaa\n"),
        )
        .build()
        .fails_with(7);
    let shown = built.diagnostics();
    for reader_words in [
        "cannot start any token",
        "did not find expected key",
        "mapping values are not allowed",
        "while parsing",
        "put quotes around values",
    ] {
        assert!(!shown.contains(reader_words), "{reader_words}:\n{shown}");
    }
    golden("yaml-mistakes.txt", &shown);
}
