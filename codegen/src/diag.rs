//! Schema problems, each pointed at `file:line:column`.
//!
//! A problem is reported at a path into the document ([`Seg`]s); the
//! [`Diagnostics`] keep each file's YAML [`Node`] tree, which turns the
//! path into a line and column. Keys given twice, which the YAML reader
//! refuses before any path exists, are found in the tree by
//! [`duplicate_keys()`].

mod yaml;

use std::cell::OnceCell;
use std::fmt;

pub use yaml::{DuplicateKey, Node, duplicate_keys};

/// One step into a YAML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// The value under a key of a mapping.
    Key(String),
    /// The key itself (its position rather than its value's); last in a path.
    KeyName(String),
    /// An entry of a sequence.
    Index(usize),
}

impl Seg {
    pub fn key(k: &str) -> Seg {
        Seg::Key(k.to_owned())
    }
}

/// A problem with the schema, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Problems found in one run, kept with the text of each file and, once a
/// problem in it is located, its YAML tree, which turns a path into the
/// document into a line and column.
#[derive(Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
    docs: Vec<(String, String, OnceCell<Option<Node>>)>,
    left_out: bool,
}

impl Diagnostics {
    /// Remembers a file's text for locating problems in it.
    pub fn add_text(&mut self, file: &str, text: &str) {
        self.docs.push((file.to_owned(), text.to_owned(), OnceCell::new()));
    }

    /// The YAML tree of `file`, read when first asked for; `None` if it is not YAML.
    pub fn doc(&self, file: &str) -> Option<&Node> {
        let (_, text, doc) = self.docs.iter().find(|(f, ..)| f == file)?;
        doc.get_or_init(|| Node::parse(text)).as_ref()
    }

    /// A problem at a path into `file`. When the path does not lead to a
    /// node, the nearest node on the way is used.
    pub fn error(&mut self, file: &str, path: Vec<Seg>, message: String) {
        let (line, column) = self.position(file, &path);
        self.at(file, line, column, message);
    }

    /// The line and column of the node at `path` in `file` (or of the
    /// nearest node on the way).
    pub fn position(&self, file: &str, path: &[Seg]) -> (usize, usize) {
        self.doc(file).map_or((1, 1), |d| d.locate_near(path))
    }

    /// A problem whose position is already known.
    pub fn at(&mut self, file: &str, line: usize, column: usize, message: String) {
        self.list.push(Diagnostic { file: file.to_owned(), line, column, message });
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Notes that a file could not be read into the model, so the types it
    /// defines are missing and unresolved names prove nothing.
    pub fn file_left_out(&mut self) {
        self.left_out = true;
    }

    /// Whether every schema file made it into the model.
    pub fn complete(&self) -> bool {
        !self.left_out
    }
}

/// `"; did you mean `x`?"` when one of `known` is close to `word`, else "".
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let best = known.into_iter().map(|k| (distance(&lower, &k.to_lowercase()), k)).filter(|(d, _)| *d <= limit).min();
    best.map_or_else(String::new, |(_, k)| format!("; did you mean `{k}`?"))
}

/// The edit distance between two words: insertions, deletions,
/// substitutions and swaps of neighbours each count one.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d: Vec<Vec<usize>> = (0..=a.len()).map(|i| (0..=b.len()).map(|j| if i == 0 { j } else { i }).collect()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let swap = i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1];
            let best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]));
            d[i][j] = if swap { best.min(d[i - 2][j - 2] + 1) } else { best };
        }
    }
    d[a.len()][b.len()]
}
