//! The scan for keys given twice in one mapping, which the YAML reader
//! refuses with one error for the whole file.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::Seg;
use super::locate::{KeySeed, locate, scalars};

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
pub fn duplicate_keys(text: &str, max: usize) -> Vec<DuplicateKey> {
    let mut out = Vec::new();
    while out.len() < max {
        let state = RefCell::new(ScanState { skip: out.len(), found: None });
        let de = serde_yaml::Deserializer::from_str(text);
        let Err(err) = (Scan { path: Vec::new(), state: &state }).deserialize(de) else { break };
        let (Some((path, key)), Some(loc)) = (state.into_inner().found, err.location()) else { break };
        let first = locate(text, &[path.as_slice(), &[Seg::KeyName(key.clone())]].concat());
        out.push(DuplicateKey { path, key, at: (loc.line(), loc.column()), first });
    }
    out
}

struct ScanState {
    /// Duplicates to pass over before stopping at one.
    skip: usize,
    /// The mapping and the key of the duplicate stopped at.
    found: Option<(Vec<Seg>, String)>,
}

/// Walks a whole document and fails at the key of the first duplicate
/// not skipped.
struct Scan<'a> {
    path: Vec<Seg>,
    state: &'a RefCell<ScanState>,
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any node")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::BTreeSet::new();
        loop {
            let check = |k: &str| {
                if seen.contains(k) {
                    let mut st = self.state.borrow_mut();
                    if st.skip == 0 {
                        st.found = Some((self.path.clone(), k.to_owned()));
                        return Err("duplicate key".to_owned());
                    }
                    st.skip -= 1;
                }
                Ok(())
            };
            let Some(k) = map.next_key_seed(KeySeed(check))? else { return Ok(()) };
            let mut path = self.path.clone();
            path.push(Seg::Key(k.clone()));
            seen.insert(k);
            map.next_value_seed(Scan { path, state: self.state })?;
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for i in 0.. {
            let mut path = self.path.clone();
            path.push(Seg::Index(i));
            if seq.next_element_seed(Scan { path, state: self.state })?.is_none() {
                break;
            }
        }
        Ok(())
    }
    scalars!(|_, _| Ok(()));
}
