//! The layering of docs/ARCHITECTURE.md, checked over the source: no module imports a
//! layer above its own, and no two modules of one layer import each other (directly or
//! around a loop).

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// Each layer and the layers it may use, besides itself.
const MAY_USE: [(&str, &[&str]); 8] = [
    ("domain", &[]),
    ("core", &["domain"]),
    ("migration", &["domain"]),
    ("models", &["core", "domain"]),
    ("schemas", &["core", "domain", "models"]),
    ("services", &["core", "domain", "models", "schemas"]),
    ("middleware", &["core", "domain", "models", "schemas", "services", "api"]),
    ("api", &["core", "domain", "models", "schemas", "services", "middleware"]),
];

/// `layer::module` → the `layer::module`s it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn no_module_imports_a_layer_above_its_own() {
    let mut wrong = Vec::new();
    for (module, uses) in graph() {
        let layer = module.split("::").next().unwrap();
        let allowed = MAY_USE.iter().find(|(l, _)| *l == layer).map(|(_, a)| *a).unwrap();
        for used in uses {
            let used_layer = used.split("::").next().unwrap();
            if used_layer != layer && !allowed.contains(&used_layer) {
                wrong.push(format!("{module} uses {used}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layering:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_import_each_other() {
    let graph = graph();
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for start in graph.keys() {
        find_cycles(&graph, start, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

fn find_cycles(graph: &Graph, at: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>, out: &mut Vec<String>) {
    if let Some(i) = path.iter().position(|m| m == at) {
        out.push(format!("{} -> {at}", path[i..].join(" -> ")));
        return;
    }
    if !done.insert(at.to_string()) {
        return;
    }
    path.push(at.to_string());
    for next in graph.get(at).into_iter().flatten().filter(|m| graph.contains_key(*m)) {
        find_cycles(graph, next, path, done, out);
    }
    path.pop();
}

/// Every module under a layer folder of `src/` (a submodule counts as its parent) and the
/// modules its code names.
fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = Graph::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let parts: Vec<&str> = relative.iter().map(|p| p.to_str().unwrap()).collect();
        let [layer, name, ..] = parts[..] else { continue };
        if !MAY_USE.iter().any(|(l, _)| *l == layer) {
            continue;
        }
        let module = format!("{layer}::{}", name.trim_end_matches(".rs"));
        let text = std::fs::read_to_string(&file).unwrap();
        let uses = graph.entry(module.clone()).or_default();
        uses.extend(named_modules(&text, layer).into_iter().filter(|m| *m != module));
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The `layer::module` paths in `text`, outside comments: `services::auth`, each name of
/// `services::{auth, users::X}`, and `super::x` as a module of `own_layer`.
fn named_modules(text: &str, own_layer: &str) -> BTreeSet<String> {
    let code: String = text.lines().map(|l| l.split("//").next().unwrap()).collect::<Vec<_>>().join("\n");
    let bytes = code.as_bytes();
    let word_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < bytes.len() {
        // A path's first segment, or the one after `crate::`; not `other_crate::models`.
        let after_path = i > 0 && bytes[i - 1] == b':' && !code[..i].ends_with("crate::");
        if !word_char(bytes[i]) || (i > 0 && word_char(bytes[i - 1])) || after_path {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && word_char(bytes[i]) {
            i += 1;
        }
        let word = &code[start..i];
        let layer = if word == "super" { own_layer } else { word };
        if !MAY_USE.iter().any(|(l, _)| *l == layer) || !code[i..].starts_with("::") {
            continue;
        }
        let rest = &code[i + 2..];
        if let Some(group) = rest.strip_prefix('{') {
            found.extend(group_names(group).into_iter().map(|name| format!("{layer}::{name}")));
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(format!("{layer}::{name}"));
            }
        }
    }
    found
}

/// The first name of each item of a `{…}` group (its text after the `{`).
fn group_names(group: &str) -> Vec<String> {
    let mut names = Vec::new();
    let (mut depth, mut item_start) = (0, true);
    let mut name = String::new();
    for c in group.chars() {
        if depth == 0 && item_start && (c.is_ascii_alphanumeric() || c == '_') {
            name.push(c);
            continue;
        }
        if !name.is_empty() {
            names.push(std::mem::take(&mut name));
            item_start = false;
        }
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            _ => {}
        }
    }
    names
}

#[test]
fn the_scanner_reads_paths_and_groups() {
    let text = "use crate::{services::{auth, users::{self, X}}, models::user};\n// services::hidden\n\
                super::lockout::f(); crate::api::error::E; sea_orm::models::x";
    let found: Vec<String> = named_modules(text, "services").into_iter().collect();
    assert_eq!(found, ["api::error", "models::user", "services::auth", "services::lockout", "services::users"]);
}
