//! A schema file as a tree of YAML nodes, each with the line and column it
//! starts at: what turns a path into the document into a position, and
//! finds keys given twice.
//!
//! The tree is read from the events of libyaml, the parser that serde_yaml
//! reads with, so a position here is the one serde_yaml gives for the same
//! node, and a file is parsed once for all its problems.

use std::mem::MaybeUninit;

use libyaml_rs as sys;

use super::Seg;

/// A node and the line and column (1-based) it starts at.
pub struct Node {
    pub at: (usize, usize),
    pub kind: Kind,
}

pub enum Kind {
    /// A scalar, as written; an alias stands here as a scalar too.
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

enum Event {
    Scalar(String),
    Start(bool),
    End,
}

impl Node {
    /// The first document of `text`; `None` when it is not YAML (serde_yaml
    /// reports that, with its message).
    pub fn parse(text: &str) -> Option<Node> {
        let mut events = events(text)?.into_iter();
        tree(&mut events)
    }

    /// The position of the node at `path`: the key itself for a path that
    /// ends in [`Seg::KeyName`], and the last node on the way for a path
    /// that goes on below a scalar; `None` when a key or an entry is missing.
    pub fn locate(&self, path: &[Seg]) -> Option<(usize, usize)> {
        match (&self.kind, path.split_first()) {
            (Kind::Map(entries), Some((Seg::Key(k) | Seg::KeyName(k), rest))) => {
                let (key, value) = entries.iter().find(|(key, _)| key.text() == Some(k))?;
                if matches!(path[0], Seg::KeyName(_)) { Some(key.at) } else { value.locate(rest) }
            }
            (Kind::Seq(items), Some((Seg::Index(i), rest))) => items.get(*i)?.locate(rest),
            _ => Some(self.at),
        }
    }

    /// The position of the node at `path` or, when there is none, of the
    /// nearest node on the way to it.
    pub fn locate_near(&self, path: &[Seg]) -> (usize, usize) {
        (0..=path.len()).rev().find_map(|n| self.locate(&path[..n])).unwrap_or((1, 1))
    }

    fn text(&self) -> Option<&String> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// A key given twice in one mapping.
pub struct DuplicateKey {
    /// The mapping that holds it.
    pub path: Vec<Seg>,
    pub key: String,
    /// Where the second one is.
    pub at: (usize, usize),
    /// Where the first one is.
    pub first: Option<(usize, usize)>,
}

/// Every key that appears a second time in its mapping, up to `max`, in
/// document order.
pub fn duplicate_keys(doc: &Node, max: usize) -> Vec<DuplicateKey> {
    fn walk(doc: &Node, node: &Node, path: &mut Vec<Seg>, out: &mut Vec<DuplicateKey>) {
        match &node.kind {
            Kind::Scalar(_) => {}
            Kind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    walk(doc, item, path, out);
                    path.pop();
                }
            }
            Kind::Map(entries) => {
                for (n, (key, value)) in entries.iter().enumerate() {
                    let text = key.text().cloned().unwrap_or_default();
                    if entries[..n].iter().any(|(k, _)| k.text() == Some(&text)) {
                        let first = doc.locate(&[path.as_slice(), &[Seg::KeyName(text.clone())]].concat());
                        out.push(DuplicateKey { path: path.clone(), key: text.clone(), at: key.at, first });
                    }
                    path.push(Seg::Key(text));
                    walk(doc, value, path, out);
                    path.pop();
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(doc, doc, &mut Vec::new(), &mut out);
    out.truncate(max);
    out
}

/// The node whose first event comes next, and everything in it.
fn tree(events: &mut impl Iterator<Item = (Event, (usize, usize))>) -> Option<Node> {
    let (event, at) = events.next()?;
    let kind = match event {
        Event::Scalar(s) => Kind::Scalar(s),
        Event::End => return None,
        Event::Start(false) => Kind::Seq(std::iter::from_fn(|| tree(events)).collect()),
        Event::Start(true) => Kind::Map(std::iter::from_fn(|| Some((tree(events)?, tree(events)?))).collect()),
    };
    Some(Node { at, kind })
}

/// The node events of the first document of `text`, each with where it
/// starts; `None` for text that is not YAML.
fn events(text: &str) -> Option<Vec<(Event, (usize, usize))>> {
    let mut out = Vec::new();
    let mut parser = MaybeUninit::<sys::yaml_parser_t>::uninit();
    let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
    let (parser, event) = (parser.as_mut_ptr(), event.as_mut_ptr());
    // SAFETY: the parser is initialised before use, reads `text` (which
    // outlives it) and is deleted once; each event is read, then deleted
    // before the next is parsed into the same place, and a scalar's bytes
    // are copied out while its event lives.
    unsafe {
        if sys::yaml_parser_initialize(parser).fail {
            return None;
        }
        sys::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let complete = loop {
            if sys::yaml_parser_parse(parser, event).fail {
                break false;
            }
            let mark = (*event).start_mark;
            let at = (mark.line as usize + 1, mark.column as usize + 1);
            let node = match (*event).type_ {
                sys::YAML_SCALAR_EVENT => {
                    let scalar = (*event).data.scalar;
                    let bytes = std::slice::from_raw_parts(scalar.value, scalar.length as usize);
                    Some(Event::Scalar(String::from_utf8_lossy(bytes).into_owned()))
                }
                sys::YAML_ALIAS_EVENT => Some(Event::Scalar(String::new())),
                sys::YAML_SEQUENCE_START_EVENT => Some(Event::Start(false)),
                sys::YAML_MAPPING_START_EVENT => Some(Event::Start(true)),
                sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => Some(Event::End),
                _ => None,
            };
            let done = matches!((*event).type_, sys::YAML_DOCUMENT_END_EVENT | sys::YAML_STREAM_END_EVENT);
            sys::yaml_event_delete(event);
            out.extend(node.map(|e| (e, at)));
            if done {
                break true;
            }
        };
        sys::yaml_parser_delete(parser);
        complete.then_some(out)
    }
}
