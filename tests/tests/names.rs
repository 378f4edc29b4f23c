//! URIs and the names WAMP allows, as autobahn-python's patterns read
//! them: `is_uri` under each rule, and custom (`x_...`) names, which the
//! lenient dicts keep.

use wamp_types::runtime::UnknownKeys;
use wamp_types::{UriRule, is_uri};

#[test]
fn uris_follow_autobahns_loose_patterns() {
    assert!(is_uri("com.example.proc", UriRule::Exact));
    assert!(is_uri("com.ex-ample!.p", UriRule::Exact));
    assert!(!is_uri("com..proc", UriRule::Exact));
    assert!(!is_uri("", UriRule::Exact));
    assert!(!is_uri("com.example.", UriRule::Exact));
    assert!(is_uri("com.example.", UriRule::Prefix));
    assert!(!is_uri("com..x", UriRule::Prefix));
    assert!(is_uri("com..x", UriRule::Wildcard));
    assert!(is_uri("", UriRule::Wildcard));
    assert!(is_uri("..", UriRule::Wildcard));
    assert!(!is_uri("com.example.x\n", UriRule::Exact));
    assert!(!is_uri("com.a#b", UriRule::Wildcard));
    assert!(!is_uri("com.a\u{1c}b", UriRule::Exact));
    assert!(is_uri("com.a\u{200b}b", UriRule::Exact));
    assert!(!is_uri("com.a\u{3000}b", UriRule::Exact));
}

/// autobahn-python's patterns read character by character: components
/// split at dots, none holding `#` or what Python's `str.isspace()` calls
/// white space; which may be empty depends on the rule.
fn python_is_uri(s: &str, rule: UriRule) -> bool {
    let n = s.split('.').count();
    s.split('.').enumerate().all(|(i, part)| {
        let may_be_empty = match rule {
            UriRule::Exact => false,
            UriRule::Prefix => i + 1 == n,
            UriRule::Wildcard => true,
        };
        let python_space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
        (may_be_empty || !part.is_empty()) && !part.chars().any(|c| c == '#' || python_space(c))
    })
}

#[test]
fn uris_of_ascii_and_other_characters_follow_the_same_pattern() {
    let parts = ["", "a", "com", "x y", "a#", "\u{1c}", "\u{b}", "\u{7f}", "-!", "é", "\u{a0}", "\u{3000}"];
    for rule in [UriRule::Exact, UriRule::Prefix, UriRule::Wildcard] {
        for a in parts {
            for b in parts {
                for c in parts {
                    for s in [a.to_owned(), format!("{a}.{b}"), format!("{a}.{b}.{c}"), format!(".{a}{b}."), format!("{a}..{c}")] {
                        assert_eq!(is_uri(&s, rule), python_is_uri(&s, rule), "{s:?} {rule:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn uris_across_eight_byte_words_follow_the_same_pattern() {
    // Strings of up to 40 bytes from a small generator (xorshift), mostly
    // component bytes so that the ASCII pass reads whole words, with each
    // other kind of byte at every offset.
    let pieces = ["a", "b", ".", ".", "#", " ", "\u{1c}", "\u{b}", "\u{1b}", "\u{7f}", "-", "é", "\u{3000}", "!"];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..20_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let (len, mut r) = ((seed % 40) as usize, seed);
        let mut s = String::new();
        for i in 0..len {
            let k = (r >> (i % 48)) as usize % (pieces.len() * 3);
            s.push_str(if k < pieces.len() { pieces[k] } else { "c" });
            r = r.rotate_left(7) ^ (i as u64);
        }
        for rule in [UriRule::Exact, UriRule::Prefix, UriRule::Wildcard] {
            assert_eq!(is_uri(&s, rule), python_is_uri(&s, rule), "{s:?} {rule:?}");
        }
    }
}

#[test]
fn custom_names_follow_autobahns_pattern() {
    let custom = |s: &str| UnknownKeys::Custom.keeps(s);
    assert!(custom("x_"));
    assert!(custom("x_ab"));
    assert!(custom("x_a\u{663}"), "`\\d` is any Unicode decimal digit");
    assert!(custom("x_a_9"));
    assert!(!custom("x_a"));
    assert!(!custom("x_Ab"));
    assert!(!custom("x_ab\n"));
    assert!(!custom("x_1b"));
    assert!(!custom("xab"));
}
