//! jsii docs to rustdoc: summary, remarks, default, returns, see, stability and deprecation,
//! plus the jsii name the item binds. Code fences become `text` blocks: the examples are
//! TypeScript, and must not run as doctests.
//!
//! jsii docs are TSDoc Markdown written for TypeScript readers; rustdoc reads them as its own
//! Markdown, with HTML and intra-doc links. So outside code, text is escaped the way rustdoc
//! needs: `<...>` that is not a link is text (`&lt;region>`, not an unclosed HTML tag), a bare URL
//! becomes a link (`<https://...>`), brackets that are not a Markdown link are literal
//! (`^[a-z]`, not an intra-doc link), and a `{@link X}` the resolver could not turn into a
//! rustdoc link reads as code. Links to generated types are made by the resolver.

use crate::model::DocModel;

/// `///` lines (and a `#[deprecated]` attribute) for an item.
pub fn render(d: &DocModel) -> String {
    let mut paras: Vec<String> = Vec::new();
    if let Some(s) = &d.summary {
        paras.push(markdown(s.trim()));
    }
    if let Some(r) = &d.remarks {
        paras.push(markdown(r.trim()));
    }
    if let Some(r) = &d.returns {
        paras.push(format!("Returns: {}", markdown(r.trim())));
    }
    if let Some(v) = &d.default {
        paras.push(format!("Default: {}", markdown(v.trim())));
    }
    if let Some(v) = &d.see {
        paras.push(format!("See: {}", markdown(v.trim())));
    }
    if d.experimental {
        paras.push("**Experimental**: this API may change in a future release.".to_owned());
    }
    // The FQN of a type (members keep their jsii name in snake case: no line needed).
    if d.jsii.contains('.') {
        paras.push(format!("jsii: `{}`", d.jsii));
    }
    let mut out = String::new();
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            out.push_str("///\n");
        }
        for line in p.lines() {
            out.push_str("///");
            if !line.is_empty() {
                out.push(' ');
                out.push_str(&line.replace('\r', ""));
            }
            out.push('\n');
        }
    }
    if let Some(msg) = &d.deprecated {
        out.push_str(&format!("#[deprecated(note = {:?})]\n", msg.trim()));
    }
    out
}

/// jsii Markdown as rustdoc reads it: fenced blocks become ```` ```text ```` (unclosed ones are
/// closed), indented blocks are unindented (rustdoc would read them as Rust), and every other
/// line is escaped by [`escape_line`].
pub fn markdown(text: &str) -> String {
    let mut open = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.replace('\r', "");
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push(if open {
                format!("{indent}```")
            } else {
                format!("{indent}```text")
            });
            open = !open;
        } else if open {
            out.push(line.clone());
        } else {
            // Four spaces of indentation would make an indented code block, which rustdoc reads
            // as Rust; jsii docs indent continuation lines, not code.
            let indent = line.len() - trimmed.len();
            let kept = if indent >= 4 { "  " } else { &line[..indent] };
            out.push(format!("{kept}{}", escape_line(trimmed)));
        }
    }
    if open {
        out.push("```".to_owned());
    }
    out.join("\n")
}

/// One line of Markdown text, escaped for rustdoc outside its code spans and links.
fn escape_line(line: &str) -> String {
    let line = unresolved_links(line);
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                let end = code_span_end(&chars, i);
                out.extend(&chars[i..end]);
                i = end;
            }
            '[' => match link_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => match autolink_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            },
            'h' if starts_url(&chars, i)
                && !matches!(i.checked_sub(1).map(|p| chars[p]), Some('<' | '"' | '\'')) =>
            {
                let mut end = i;
                while end < chars.len()
                    && !chars[end].is_whitespace()
                    && !"<>\"'`".contains(chars[end])
                {
                    end += 1;
                }
                // Trailing punctuation ends the sentence, not the URL; so does an unbalanced `)`.
                while end > i && ".,;:!?)]".contains(chars[end - 1]) {
                    let url: String = chars[i..end].iter().collect();
                    if chars[end - 1] == ')' && url.matches('(').count() >= url.matches(')').count()
                    {
                        break;
                    }
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `{@link X}` and `{@link X text}` left unresolved (not a generated type): the text, as code.
fn unresolved_links(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("{@link ") {
        let Some(len) = rest[at..].find('}') else {
            break;
        };
        out.push_str(&rest[..at]);
        let inner = rest[at + "{@link ".len()..at + len].trim();
        let (target, text) = inner
            .split_once(['|', ' '])
            .map_or((inner, ""), |(t, x)| (t.trim(), x.trim()));
        if target.starts_with("http://") || target.starts_with("https://") {
            let label = if text.is_empty() { target } else { text };
            out.push_str(&format!("[{}]({target})", label.replace(['[', ']'], "")));
        } else {
            let label = if text.is_empty() { target } else { text };
            out.push_str(&format!("`{}`", label.replace('`', "")));
        }
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The end of a code span opened by the backticks at `i`, or just past them if none closes.
fn code_span_end(chars: &[char], i: usize) -> usize {
    let run = chars[i..].iter().take_while(|c| **c == '`').count();
    let mut j = i + run;
    while j < chars.len() {
        if chars[j] == '`' {
            let close = chars[j..].iter().take_while(|c| **c == '`').count();
            if close == run {
                return j + close;
            }
            j += close;
        } else {
            j += 1;
        }
    }
    i + run
}

/// The end of a Markdown link `[text](target)` starting at `i`, or of an intra-doc link the
/// resolver wrote as `` [`Name`] `` (a code span naming an item, alone in brackets).
fn link_end(chars: &[char], i: usize) -> Option<usize> {
    if chars.get(i + 1) == Some(&'`') {
        let end = code_span_end(chars, i + 1);
        let name = &chars[i + 2..end.saturating_sub(1).max(i + 2)];
        if chars.get(end) == Some(&']')
            && chars.get(end + 1) != Some(&'(')
            && !name.is_empty()
            && name
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
        {
            return Some(end + 1);
        }
    }
    let mut depth = 0;
    let mut j = i;
    while j < chars.len() {
        match chars[j] {
            '`' => {
                j = code_span_end(chars, j);
                continue;
            }
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        j += 1;
    }
    if j >= chars.len() || chars.get(j + 1) != Some(&'(') {
        return None;
    }
    let close = chars[j + 1..].iter().position(|c| *c == ')')?;
    let target: String = chars[j + 2..j + 1 + close].iter().collect();
    (!target.trim().is_empty() && !target.contains(' ')).then_some(j + 2 + close)
}

/// The end of an autolink `<https://...>` starting at `i`, if it is one.
fn autolink_end(chars: &[char], i: usize) -> Option<usize> {
    if !starts_url(chars, i + 1) {
        return None;
    }
    let close = chars[i..].iter().position(|c| *c == '>')?;
    let inner = &chars[i + 1..i + close];
    (!inner.iter().any(|c| c.is_whitespace() || *c == '<')).then_some(i + close + 1)
}

fn starts_url(chars: &[char], i: usize) -> bool {
    let rest: String = chars.get(i..i + 8).unwrap_or_default().iter().collect();
    rest.starts_with("http://") || rest.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_part_and_neutralises_code() {
        let d = DocModel {
            jsii: "aws-cdk-lib.Duration".into(),
            summary: Some("Represents a length of time.".into()),
            remarks: Some("Example:\n```ts\nDuration.seconds(3)\n```".into()),
            default: Some("- no timeout".into()),
            see: Some("https://example.com".into()),
            deprecated: Some("use \"Other\"".into()),
            experimental: true,
            returns: None,
        };
        let out = render(&d);
        assert!(
            out.starts_with("/// Represents a length of time.\n///\n/// Example:\n/// ```text\n")
        );
        assert!(out.contains("/// Default: - no timeout\n"));
        assert!(out.contains("/// See: <https://example.com>\n"));
        let seen = render(&DocModel {
            see: Some("Stack.of".into()),
            ..DocModel::default()
        });
        assert_eq!(seen, "/// See: Stack.of\n");
        assert!(out.contains("**Experimental**"));
        assert!(out.contains("/// jsii: `aws-cdk-lib.Duration`\n"));
        assert!(out.ends_with("#[deprecated(note = \"use \\\"Other\\\"\")]\n"));
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(markdown("a\n```js\nx"), "a\n```text\nx\n```");
    }

    #[test]
    fn text_is_escaped_for_rustdoc_outside_code_and_links() {
        for (jsii, rustdoc) in [
            // Placeholders in angle brackets are text, not HTML; autolinks stay.
            (
                "arn:aws:<region>:<account-id>",
                "arn:aws:&lt;region>:&lt;account-id>",
            ),
            (
                "see <https://aws.amazon.com/x>",
                "see <https://aws.amazon.com/x>",
            ),
            // Bare URLs become links; the sentence's full stop stays outside.
            (
                "See https://docs.aws.amazon.com/a.html.",
                "See <https://docs.aws.amazon.com/a.html>.",
            ),
            (
                "(https://example.com/x_(y))",
                "(<https://example.com/x_(y)>)",
            ),
            // Brackets that are not a link are literal; links and code stay as written.
            (
                "regexp ^[a-z][a-zA-Z0-9_]*$",
                "regexp ^\\[a-z\\]\\[a-zA-Z0-9_\\]*$",
            ),
            ("props['values']", "props\\['values'\\]"),
            (
                "the [guide](https://example.com)",
                "the [guide](https://example.com)",
            ),
            (
                "[`Table`](crate::aws_dynamodb::Table)",
                "[`Table`](crate::aws_dynamodb::Table)",
            ),
            ("code `a[0] <b>` here", "code `a[0] <b>` here"),
            // Unresolved TSDoc links read as code (or stay links for URLs).
            ("use {@link Stack.of} here", "use `Stack.of` here"),
            (
                "{@link https://x.dev/y the guide}",
                "[the guide](https://x.dev/y)",
            ),
        ] {
            assert_eq!(markdown(jsii), rustdoc, "{jsii}");
        }
        // Indented continuation lines are not code blocks.
        assert_eq!(markdown("- a\n      b"), "- a\n  b");
        assert_eq!(
            markdown("```ts\nconst x = a[0];\n```"),
            "```text\nconst x = a[0];\n```"
        );
    }
}
