//! jsii docs to rustdoc: summary, remarks, default, returns, see, stability and deprecation,
//! plus the jsii name the item binds. Code fences become `text` blocks: the examples are
//! TypeScript, and must not run as doctests.

use crate::model::DocModel;

/// `///` lines (and a `#[deprecated]` attribute) for an item.
pub fn render(d: &DocModel) -> String {
    let mut paras: Vec<String> = Vec::new();
    if let Some(s) = &d.summary {
        paras.push(s.trim().to_owned());
    }
    if let Some(r) = &d.remarks {
        paras.push(fence_as_text(r.trim()));
    }
    if let Some(r) = &d.returns {
        paras.push(format!("Returns: {}", r.trim()));
    }
    if let Some(v) = &d.default {
        paras.push(format!("Default: {}", v.trim()));
    }
    if let Some(v) = &d.see {
        paras.push(format!("See: <{}>", v.trim()));
    }
    if d.experimental {
        paras.push("**Experimental**: this API may change in a future release.".to_owned());
    }
    if !d.jsii.is_empty() {
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

/// Rewrites every fenced block to ```` ```text ````.
fn fence_as_text(text: &str) -> String {
    let mut open = false;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push(if open {
                format!("{indent}```")
            } else {
                format!("{indent}```text")
            });
            open = !open;
        } else {
            out.push(line.to_owned());
        }
    }
    if open {
        out.push("```".to_owned());
    }
    out.join("\n")
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
        assert!(out.contains("**Experimental**"));
        assert!(out.contains("/// jsii: `aws-cdk-lib.Duration`\n"));
        assert!(out.ends_with("#[deprecated(note = \"use \\\"Other\\\"\")]\n"));
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(fence_as_text("a\n```js\nx"), "a\n```text\nx\n```");
    }
}
