//! The mistakes editors make most in YAML, told in their words: a tab,
//! a quotation mark that ends a value early, curly quotes pasted from a
//! word processor, a list item out of line. The YAML reader reports these
//! in its own terms ("found character that cannot start any token") or not
//! at all; each explanation here names the mistake, points at it and says
//! what to write instead. Pure: text in, explanation out.

/// A mistake found in a block of front matter, at a byte offset of it.
#[derive(Debug, PartialEq, Eq)]
pub struct Explained {
    pub offset: usize,
    pub width: usize,
    pub message: String,
    pub hint: String,
}

/// Explains the syntax error the YAML reader reported at `offset` of
/// `yaml`, when it is one of the mistakes this module knows. `first_line`
/// is the line number, in the file, of the block's first line, so that a
/// hint can name another line of the file.
pub fn explain(yaml: &str, offset: usize, first_line: usize) -> Option<Explained> {
    let (start, line) = line_at(yaml, offset);
    tab(start, line)
        .or_else(|| curly_quote(start, line))
        .or_else(|| quote_ending_early(start, line))
        .or_else(|| item_out_of_line(yaml, start, line, first_line))
}

/// A list item indented deeper than a one-word item above it. YAML reads
/// it as more words of that item (`- army - police`), so the reader finds
/// no error and the item is lost; this finds it before the fields are read.
pub fn deeper_item(yaml: &str, first_line: usize) -> Option<Explained> {
    let mut above: Option<(usize, usize, &str)> = None;
    let mut start = 0;
    for (number, line) in yaml.split_inclusive('\n').enumerate() {
        let text = line.trim_end_matches(['\n', '\r']);
        let trimmed = text.trim_start();
        let indent = text.len() - trimmed.len();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            if let (Some((above_number, above_indent, item)), Some(_)) = (above, list_item(trimmed))
                && indent > above_indent
                && is_plain_word(item)
            {
                return Some(Explained {
                    offset: start + indent,
                    width: 1,
                    message: "this list item is indented deeper than the item above it, so YAML reads it as more words of that item".to_string(),
                    hint: format!(
                        "start it at column {}, as the item on line {} does",
                        above_indent + 1,
                        first_line + above_number
                    ),
                });
            }
            above = list_item(trimmed).map(|item| (number, indent, item));
        }
        start += line.len();
    }
    None
}

/// The start and the text (without its line end) of the line `offset` is on.
fn line_at(yaml: &str, offset: usize) -> (usize, &str) {
    let offset = offset.min(yaml.len());
    let start = yaml[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = yaml[start..].find('\n').map_or(yaml.len(), |i| start + i);
    (start, yaml[start..end].trim_end_matches('\r'))
}

/// The text after a list item's `- `, if the line is one.
fn list_item(trimmed: &str) -> Option<&str> {
    match trimmed.strip_prefix('-') {
        Some("") => Some(""),
        Some(rest) if rest.starts_with([' ', '\t']) => Some(rest.trim_start()),
        _ => None,
    }
}

/// Text YAML reads as a plain value that a deeper line can continue: not
/// quoted, not a group, not a field.
fn is_plain_word(item: &str) -> bool {
    !item.is_empty()
        && !item.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '#'])
        && !item.ends_with(':')
        && !item.contains(": ")
}

fn tab(start: usize, line: &str) -> Option<Explained> {
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    let at = indent.find('\t')?;
    Some(Explained {
        offset: start + at,
        width: 1,
        message: "this line is indented with a tab, and YAML allows only spaces there"
            .to_string(),
        hint: "replace the tab (shown as `→`) with spaces: two for each level, in line with the lines around it".to_string(),
    })
}

/// Where a line's value starts: after the indentation, any list item's
/// `- `, and a field's `name: `.
fn value_start(line: &str) -> usize {
    let mut at = line.len() - line.trim_start().len();
    while let Some(rest) = list_item(&line[at..]) {
        at = line.len() - rest.len();
    }
    let rest = &line[at..];
    if let Some(colon) = rest.find(": ")
        && !rest[..colon].contains(['"', '\'', '[', '{', '#'])
        && !rest[..colon].contains(CURLY)
    {
        at += colon + 1;
        at += line[at..].len() - line[at..].trim_start().len();
    }
    at
}

const CURLY: [char; 6] = ['“', '”', '„', '‘', '’', '‚'];

fn curly_quote(start: usize, line: &str) -> Option<Explained> {
    let at = value_start(line);
    let mark = line[at..].chars().next().filter(|c| CURLY.contains(c))?;
    let straight = if matches!(mark, '‘' | '’' | '‚') {
        '\''
    } else {
        '"'
    };
    Some(Explained {
        offset: start + at,
        width: 1,
        message: format!(
            "this value starts with `{mark}`, a curly quotation mark, which YAML does not read as a quote"
        ),
        hint: format!(
            "type straight quotes at both ends instead, `{straight}…{straight}` (word processors turn them curly); curly quotes inside straight ones are kept as written"
        ),
    })
}

fn quote_ending_early(start: usize, line: &str) -> Option<Explained> {
    let at = value_start(line);
    let quote = line[at..]
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\''))?;
    let inside = &line[at + 1..];
    let close = if quote == '"' {
        let mut escaped = false;
        inside.char_indices().find_map(|(i, c)| match c {
            '\\' if !escaped => {
                escaped = true;
                None
            }
            '"' if !escaped => Some(i),
            _ => {
                escaped = false;
                None
            }
        })?
    } else {
        let mut i = inside.find('\'')?;
        while inside[i + 1..].starts_with('\'') {
            i += 2 + inside[i + 2..].find('\'')?;
        }
        i
    };
    let after = inside[close + 1..].trim_start();
    if after.is_empty() || after.starts_with('#') {
        return None;
    }
    let offset = at + 1 + close;
    let column = line[..offset].chars().count() + 1;
    let (message, hint) = if quote == '"' {
        (
            format!("the quotation mark at column {column} ends this value early: text in double quotes cannot hold a `\"` of its own"),
            "put the value in single quotes instead ('… \"like this\" …'), or write each quotation mark inside it as `\\\"`".to_string(),
        )
    } else {
        (
            format!("the apostrophe at column {column} ends this value early: text in single quotes cannot hold a `'` of its own"),
            "write each apostrophe inside it twice (`it''s`), or put the value in double quotes instead".to_string(),
        )
    };
    Some(Explained {
        offset: start + offset,
        width: 1,
        message,
        hint,
    })
}

fn item_out_of_line(yaml: &str, start: usize, line: &str, first_line: usize) -> Option<Explained> {
    let trimmed = line.trim_start();
    list_item(trimmed)?;
    let indent = line.len() - trimmed.len();
    let before = &yaml[..start];
    for (back, above) in before.lines().rev().enumerate() {
        let above_trimmed = above.trim_start();
        let above_indent = above.len() - above_trimmed.len();
        if above_trimmed.is_empty() || above_trimmed.starts_with('#') {
            continue;
        }
        if list_item(above_trimmed).is_some() {
            if above_indent == indent {
                return None;
            }
            let number = first_line + before.lines().count() - 1 - back;
            return Some(Explained {
                offset: start + indent,
                width: 1,
                message: "this list item is not in line with the items above it".to_string(),
                hint: format!(
                    "start it at column {}, as the item on line {number} does",
                    above_indent + 1
                ),
            });
        }
        if above_indent == 0 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(yaml: &str, at: &str) -> Explained {
        explain(yaml, yaml.find(at).unwrap(), 2).unwrap()
    }

    #[test]
    fn a_tab_in_the_indentation_is_named_and_pointed_at() {
        let yaml = "title: T\nperpetrators:\n\t- army\n";
        let found = explained(yaml, "- army");
        assert_eq!(found.offset, yaml.find('\t').unwrap());
        assert!(found.message.contains("tab"), "{}", found.message);
        assert!(found.hint.contains('→'));
    }

    #[test]
    fn a_value_opened_with_a_curly_quote_is_named() {
        let yaml = "summary: “What happened: where”\n";
        let found = explained(yaml, "where");
        assert_eq!(found.offset, yaml.find('“').unwrap());
        assert!(found.message.contains("`“`"), "{}", found.message);
        assert!(found.hint.contains("`\"…\"`"), "{}", found.hint);
        let single = explained("- ‘x: y’\n", "x");
        assert!(single.hint.contains("`'…'`"), "{}", single.hint);
    }

    #[test]
    fn a_quote_inside_a_quoted_value_says_where_it_ends_and_how_to_write_it() {
        let yaml = "title: T\nsummary: \"What the \"army\" did\"\n";
        let found = explained(yaml, "army");
        assert_eq!(found.offset, yaml.find("\"army").unwrap());
        assert!(found.message.contains("column 20"), "{}", found.message);
        assert!(found.hint.contains("single quotes"), "{}", found.hint);
        let yaml = "summary: 'it's bad'\n";
        let found = explained(yaml, "s bad");
        assert_eq!(found.offset, yaml.find("'s").unwrap());
        assert!(found.hint.contains("`it''s`"), "{}", found.hint);
    }

    #[test]
    fn escaped_and_doubled_quotes_do_not_end_a_value() {
        for yaml in [
            "summary: \"a \\\"b\\\" c\"\n",
            "summary: 'it''s'\n",
            "summary: \"a\" # note\n",
        ] {
            assert_eq!(
                quote_ending_early(0, yaml.lines().next().unwrap()),
                None,
                "{yaml}"
            );
        }
    }

    #[test]
    fn a_list_item_out_of_line_is_given_the_column_of_the_items_above() {
        let yaml = "perpetrators:\n  - army\n\n - police\n";
        let found = explained(yaml, "- police");
        assert_eq!(found.offset, yaml.find("- police").unwrap());
        assert_eq!(
            found.hint,
            "start it at column 3, as the item on line 3 does"
        );
        let yaml = "perpetrators:\n  - army\n- police\n";
        let found = explained(yaml, "- police");
        assert_eq!(
            found.hint,
            "start it at column 3, as the item on line 3 does"
        );
        assert_eq!(explain("tags:\n  - a\n  - b\n", 14, 2), None);
    }

    #[test]
    fn a_deeper_item_under_a_word_is_found_though_yaml_accepts_it() {
        let yaml = "title: T\nperpetrators:\n  - army\n    - police\n";
        let found = deeper_item(yaml, 2).unwrap();
        assert_eq!(found.offset, yaml.find("- police").unwrap());
        assert_eq!(
            found.hint,
            "start it at column 3, as the item on line 4 does"
        );
        for fine in [
            "sources:\n  - source: a\n    locator: b\n",
            "a:\n  - x\n  - y\nb:\n    - z\n",
            "a:\n  -\n    - nested\n",
            "a:\n  - \"quoted\"\n    - odd\n",
        ] {
            assert_eq!(deeper_item(fine, 2), None, "{fine}");
        }
    }
}
