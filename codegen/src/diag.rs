//! Schema problems, each pointed at `file:line:column`.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One step into a YAML document.
#[derive(Clone, Debug)]
pub enum Seg {
    Key(String),
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

/// Problems found in one run, kept with the text of each file so that a
/// path into the document can be turned into a line and column.
#[derive(Default)]
pub struct Diagnostics {
    pub list: Vec<Diagnostic>,
    texts: Vec<(String, String)>,
}

impl Diagnostics {
    /// Remembers a file's text for locating problems in it.
    pub fn add_text(&mut self, file: &str, text: &str) {
        self.texts.push((file.to_owned(), text.to_owned()));
    }

    /// A problem at a path into `file`.
    pub fn error(&mut self, file: &str, path: Vec<Seg>, message: String) {
        let text = self.texts.iter().find(|(f, _)| f == file).map(|(_, t)| t.as_str()).unwrap_or("");
        let (line, column) = locate(text, &path).unwrap_or((1, 1));
        self.list.push(Diagnostic { file: file.to_owned(), line, column, message });
    }

    /// A problem whose position is already known.
    pub fn at(&mut self, file: &str, line: usize, column: usize, message: String) {
        self.list.push(Diagnostic { file: file.to_owned(), line, column, message });
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The line and column (1-based) of the node at `path`.
///
/// The YAML parser reports where it was when an error arose, so walking to
/// the node and failing there yields its position without a second parser.
pub fn locate(text: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let de = serde_yaml::Deserializer::from_str(text);
    let err = Walk { path }.deserialize(de).err()?;
    err.location().map(|l| (l.line(), l.column()))
}

struct Walk<'a> {
    path: &'a [Seg],
}

const FOUND: &str = "\u{0}found";

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any node")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Seg::Key(want), rest)) = self.path.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        while let Some(k) = map.next_key::<String>()? {
            if &k == want {
                return map.next_value_seed(Walk { path: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Seg::Index(want), rest)) = self.path.split_first() else {
            return Err(de::Error::custom(FOUND));
        };
        let mut i = 0;
        while i < *want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            i += 1;
        }
        seq.next_element_seed(Walk { path: rest }).map(|_| ())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
}

