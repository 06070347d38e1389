//! Union naming: the names and variant labels of the union enums `lower` declares. Pure
//! functions of the arms and the usage; they must not claim names (the caller's scope does).

use crate::model::*;
use crate::naming;

/// The longest union name made of its arms' labels (`StringOrNumber`); a longer one is named
/// where it is first used.
const MAX_UNION_LABEL: usize = 40;

/// A union's name: its arms' labels joined by `Or` when that is short (three arms at most,
/// [`MAX_UNION_LABEL`] characters), else where it is first used (`ProductSpecCode`: the type of
/// `ProductSpec.code`), else its first arms and how many more.
pub(super) fn union_name(arms: &[Ty], usage: &str) -> String {
    let labels: Vec<String> = arms.iter().map(ty_label).collect();
    let joined = labels.join("Or");
    if arms.len() <= 3 && joined.len() <= MAX_UNION_LABEL {
        joined
    } else if !usage.is_empty() && usage.len() <= naming::MAX_NAME {
        usage.to_owned()
    } else {
        format!("{}Or{}More", labels[0], arms.len() - 1)
    }
}

/// Label of a type inside a union's name and variant: `String`, `Duration`, `ArrayOfString`.
pub(super) fn ty_label(t: &Ty) -> String {
    match t {
        Ty::String => "String".into(),
        Ty::Number => "Number".into(),
        Ty::Bool => "Bool".into(),
        Ty::Date => "Date".into(),
        Ty::Json => "Json".into(),
        Ty::Any => "Any".into(),
        Ty::Class(p) | Ty::Struct(p) | Ty::Enum(p) | Ty::Union(p) => {
            p.name.trim_end_matches('_').into()
        }
        Ty::Interface { tr, .. } => tr.name.trim_end_matches('_').into(),
        Ty::OrInterface { generic, value } => {
            format!("{}{}", generic.name.trim_end_matches('_'), ty_label(value))
        }
        Ty::Opaque => "Object".into(),
        Ty::OpaqueData => "Data".into(),
        Ty::Array(i) => format!("ArrayOf{}", ty_label(i)),
        Ty::Map(i) => format!("MapOf{}", ty_label(i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_labels_name_their_arms() {
        assert_eq!(ty_label(&Ty::Array(Box::new(Ty::String))), "ArrayOfString");
        let p = ItemPath {
            krate: "k".into(),
            module: vec![],
            name: "String_".into(),
        };
        assert_eq!(ty_label(&Ty::Class(p)), "String");
    }
}
