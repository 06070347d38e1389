//! Docs: jsii docs to the model's `DocModel`, with each `{@link X}` to a generated type made a
//! rustdoc link, and module docs. It must not change what is generated or how it is named; links
//! it cannot resolve are left for the emitter.

use super::crates::CrateBuilder;
use crate::assembly::{Assembly, Docs};
use crate::model::*;

impl CrateBuilder<'_, '_> {
    /// The docs of `jsii` (the type being built or one of its members), with every
    /// `{@link X}` to a generated type made a rustdoc link.
    pub(super) fn docs(&mut self, jsii: &str, d: &Docs) -> DocModel {
        let mut m = doc_model(jsii, d);
        for text in [
            &mut m.summary,
            &mut m.remarks,
            &mut m.returns,
            &mut m.default,
            &mut m.see,
        ]
        .into_iter()
        .flatten()
        {
            if text.contains("{@link ") {
                *text = self.links(text);
            }
        }
        m
    }

    /// `text` with each `{@link X}` or `{@link X label}` whose target is a generated type
    /// written as a rustdoc link to it (`Type.member` links to the type); others are left for
    /// the emitter, which shows them as code.
    fn links(&mut self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find("{@link ") {
            let Some(len) = rest[at..].find('}') else {
                break;
            };
            let whole = &rest[at..at + len + 1];
            let inner = whole["{@link ".len()..whole.len() - 1].trim();
            let (target, label) = inner
                .split_once(['|', ' '])
                .map_or((inner, ""), |(t, l)| (t.trim(), l.trim()));
            out.push_str(&rest[..at]);
            match self.link_target(target) {
                Some(path) => {
                    let label = if label.is_empty() { target } else { label };
                    out.push_str(&format!("[`{}`]({path})", label.replace('`', "")));
                }
                None => out.push_str(whole),
            }
            rest = &rest[at + len + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The rustdoc path of a `{@link}` target: a type (by FQN, relative to the assembly or the
    /// current submodule, or by a name unique in the assembly), or `Type.member` (the type).
    fn link_target(&mut self, target: &str) -> Option<String> {
        let target = target.trim_end_matches("()");
        let asm = self.r.assembly_of(&self.owner_fqn)?.name.clone();
        let submodule = self
            .r
            .types
            .get(self.owner_fqn.as_str())
            .map(|t| self.r.submodule_of(&self.r.assemblies[&asm], t).0)
            .unwrap_or_else(|| asm.clone());
        let type_part = target.rsplit_once('.').map(|(t, _)| t);
        let found = [Some(target), type_part]
            .into_iter()
            .flatten()
            .find_map(|name| {
                [
                    name.to_owned(),
                    format!("{asm}.{name}"),
                    format!("{submodule}.{name}"),
                ]
                .into_iter()
                .find(|f| self.r.placed.contains_key(f))
                .or_else(|| {
                    match self.r.by_simple_name.get(name).map(Vec::as_slice) {
                        Some([only]) if only.starts_with(&format!("{asm}.")) => Some(only.clone()),
                        _ => None,
                    }
                })
            })?;
        let placed = &self.r.placed[&found];
        if placed.path.krate != self.lib {
            self.used_crates.insert(placed.path.krate.clone());
        }
        Some(placed.path.doc_link(&self.lib))
    }
}

fn doc_model(jsii: &str, d: &Docs) -> DocModel {
    DocModel {
        jsii: jsii.to_owned(),
        summary: d.summary.clone(),
        remarks: d.remarks.clone(),
        default: d.default.clone(),
        returns: d.returns.clone(),
        see: d.see.clone(),
        deprecated: d.deprecated.clone(),
        experimental: d.stability.as_deref() == Some("experimental"),
    }
}

/// Module docs: the README's title line, and where the jsii submodule comes from.
pub(super) fn module_docs(asm: &Assembly, fqn: &str) -> String {
    let title = asm
        .submodules
        .get(fqn)
        .and_then(|s| s.readme.as_ref())
        .and_then(|r| r.markdown.lines().find(|l| l.starts_with("# ")))
        .map(|l| l.trim_start_matches("# ").trim().to_owned());
    match title {
        Some(t) => format!("{t}.\n\nBindings for the jsii submodule `{fqn}`."),
        None => format!("Bindings for the jsii submodule `{fqn}`."),
    }
}
