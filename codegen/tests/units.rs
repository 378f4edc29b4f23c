//! The small parts of the generator on their own: the field-type grammar
//! (`types::parse_ty`), the did-you-mean hints (`diag::did_you_mean`),
//! doc sanitising (`emit::sanitize_doc`), the origin each node of the
//! model keeps (`ir::Origin`), and the YAML tree that turns a path into a
//! position (`diag::Node`).

mod type_grammar {
    use std::collections::BTreeMap;

    use codegen::ir::Ty;
    use codegen::types::{Kind, Names, parse_ty};

    /// The names of a small schema: a record, two enums and a union.
    fn names(complete: bool) -> Names {
        let kinds = [("Inner", Kind::Record), ("Mode", Kind::Enum), ("Binding", Kind::Enum), ("Answer", Kind::Union)];
        let kinds: BTreeMap<String, Kind> = kinds.into_iter().map(|(n, k)| (n.to_owned(), k)).collect();
        let wires = [("Mode", &["fast", "slow"][..]), ("Binding", &["tls-unique"][..])];
        let enum_wires = wires.into_iter().map(|(n, w)| (n.to_owned(), w.iter().map(|s| s.to_string()).collect())).collect();
        Names { kinds, enum_wires, complete }
    }

    fn ty(text: &str) -> Ty {
        parse_ty(text, &names(true)).unwrap_or_else(|e| panic!("`{text}` must parse: {e:?}"))
    }

    /// The message for a type that does not parse.
    fn error(text: &str) -> String {
        match parse_ty(text, &names(true)) {
            Ok(t) => panic!("`{text}` must not parse, got {t:?}"),
            Err(None) => panic!("`{text}`: no message"),
            Err(Some(msg)) => msg,
        }
    }

    fn list(t: Ty) -> Ty {
        Ty::List(Box::new(t))
    }

    #[test]
    fn builtin_types() {
        let cases = [
            ("bool", Ty::Bool),
            ("flag", Ty::Flag),
            ("int", Ty::Int),
            ("float", Ty::Float),
            ("number", Ty::Number),
            ("string", Ty::Str),
            ("bytes", Ty::Bytes),
            ("any", Ty::Any),
            ("map", Ty::MapAny),
            ("callback", Ty::Callback),
            ("handle", Ty::Handle),
        ];
        for (text, expected) in cases {
            assert_eq!(ty(text), expected, "{text}");
        }
    }

    #[test]
    fn schema_names() {
        assert_eq!(ty("Inner"), Ty::Record("Inner".to_owned()));
        assert_eq!(ty("Mode"), Ty::Enum("Mode".to_owned()));
        assert_eq!(error("Answer"), "a field cannot hold the union `Answer`");
    }

    #[test]
    fn generic_types_nest() {
        assert_eq!(ty("list<string>"), list(Ty::Str));
        assert_eq!(ty("list<list<Inner>>"), list(list(Ty::Record("Inner".to_owned()))));
        assert_eq!(ty("one_or_list<int>"), Ty::OneOrList(Box::new(Ty::Int)));
        assert_eq!(ty("one_or_list<Mode>"), Ty::OneOrList(Box::new(Ty::Enum("Mode".to_owned()))));
        assert_eq!(ty("map<Binding, hex<32>>"), Ty::MapOf("Binding".to_owned(), Box::new(Ty::Hex(32))));
        assert_eq!(ty("map<Mode, list<string>>"), Ty::MapOf("Mode".to_owned(), Box::new(list(Ty::Str))));
        assert_eq!(ty("list<hex<2>>"), list(Ty::Hex(2)));
    }

    #[test]
    fn spaces_around_the_parts() {
        assert_eq!(ty("  list <string>  "), list(Ty::Str));
        assert_eq!(ty("map<Binding,int>"), ty("map< Binding ,  int >"));
        assert_eq!(ty("hex< 4 >"), Ty::Hex(4));
    }

    #[test]
    fn hex_takes_1_to_64_bytes() {
        assert_eq!(ty("hex<1>"), Ty::Hex(1));
        assert_eq!(ty("hex<64>"), Ty::Hex(64));
        for n in ["0", "65", "-1", "x", ""] {
            assert_eq!(error(&format!("hex<{n}>")), format!("`hex<N>` needs a byte count from 1 to 64, not `{n}`"));
        }
    }

    #[test]
    fn one_or_list_needs_a_scalar() {
        for inner in ["list<int>", "one_or_list<int>", "any"] {
            assert_eq!(error(&format!("one_or_list<{inner}>")), format!("`one_or_list` needs a scalar element, not `{inner}`"));
        }
    }

    #[test]
    fn map_keys_are_enums_of_the_schema() {
        assert_eq!(error("map<Mode>"), "`map<K, V>` needs a key type and a value type");
        for key in ["string", "Inner", "Answer"] {
            assert_eq!(error(&format!("map<{key}, int>")), format!("the key type of a map must be an enum of the schema; `{key}` is not"));
        }
        // The value is checked like any field type.
        assert_eq!(error("map<Mode, Strng>"), "unknown type `Strng`; did you mean `string`?");
    }

    #[test]
    fn unknown_types_get_a_hint() {
        assert_eq!(error("Strng"), "unknown type `Strng`; did you mean `string`?");
        assert_eq!(error("Moed"), "unknown type `Moed`; did you mean `Mode`?");
        assert_eq!(error("inner"), "unknown type `inner`; did you mean `Inner`?");
        assert_eq!(error("lst<int>"), "unknown type `lst<int>`; did you mean `list`?");
        assert_eq!(error("Zebra"), "unknown type `Zebra`; schema/README.md lists the field types");
        assert_eq!(error("list<Zebra>"), "unknown type `Zebra`; schema/README.md lists the field types");
    }

    #[test]
    fn unresolved_names_are_not_reported_while_a_file_is_missing() {
        // A file that could not be read may define the name.
        let partial = names(false);
        assert_eq!(parse_ty("Zebra", &partial), Err(None));
        assert_eq!(parse_ty("list<Zebra>", &partial), Err(None));
        assert_eq!(parse_ty("map<Zebra, int>", &partial), Err(None));
        // Known names and grammar mistakes are still what they are.
        assert_eq!(parse_ty("list<Inner>", &partial), Ok(list(Ty::Record("Inner".to_owned()))));
        assert_eq!(parse_ty("hex<0>", &partial), Err(Some("`hex<N>` needs a byte count from 1 to 64, not `0`".to_owned())));
    }
}

mod did_you_mean {
    use codegen::diag::did_you_mean;

    const KEYS: &[&str] = &["doc", "enums", "records", "unions"];

    #[test]
    fn a_close_word_is_suggested() {
        assert_eq!(did_you_mean("recrods", KEYS.iter().copied()), "; did you mean `records`?", "a swap of neighbours");
        assert_eq!(did_you_mean("enum", KEYS.iter().copied()), "; did you mean `enums`?", "a letter missing");
        assert_eq!(did_you_mean("unionss", KEYS.iter().copied()), "; did you mean `unions`?", "a letter too many");
        assert_eq!(did_you_mean("dog", KEYS.iter().copied()), "; did you mean `doc`?", "a letter changed");
    }

    #[test]
    fn case_is_ignored_and_the_known_spelling_shown() {
        assert_eq!(did_you_mean("matchpolicy", ["MatchPolicy"]), "; did you mean `MatchPolicy`?");
        assert_eq!(did_you_mean("RECORDS", KEYS.iter().copied()), "; did you mean `records`?");
    }

    #[test]
    fn far_words_get_no_hint() {
        // A third of the word's length may differ, and at least one letter.
        assert_eq!(did_you_mean("xyz", KEYS.iter().copied()), "");
        assert_eq!(did_you_mean("rcrds", KEYS.iter().copied()), "", "two letters missing from five");
        assert_eq!(did_you_mean("records", []), "");
    }

    #[test]
    fn the_closest_wins_and_ties_go_to_the_first_alphabetically() {
        assert_eq!(did_you_mean("flg", ["fleet", "flag"]), "; did you mean `flag`?");
        assert_eq!(did_you_mean("bat", ["bar", "bag"]), "; did you mean `bag`?");
    }
}

mod sanitize_doc {
    use codegen::emit::sanitize_doc;

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(sanitize_doc("See https://wamp-proto.org/spec"), "See <https://wamp-proto.org/spec>");
        assert_eq!(sanitize_doc("http://a.b/c, then"), "<http://a.b/c>, then");
    }

    #[test]
    fn punctuation_after_a_url_stays_outside() {
        assert_eq!(sanitize_doc("See https://a.b/c."), "See <https://a.b/c>.");
        assert_eq!(sanitize_doc("(see http://a.b/c)."), "(see <http://a.b/c>).");
    }

    #[test]
    fn wrapped_urls_are_left_alone() {
        assert_eq!(sanitize_doc("See <https://a.b/c>."), "See <https://a.b/c>.");
    }

    #[test]
    fn brackets_are_escaped() {
        assert_eq!(sanitize_doc("a [b] c"), "a \\[b\\] c");
        assert_eq!(sanitize_doc("list[0]"), "list\\[0\\]");
    }

    #[test]
    fn whitespace_is_trimmed_at_the_ends_only() {
        assert_eq!(sanitize_doc("  one\ntwo  three \n"), "one\ntwo  three");
        assert_eq!(sanitize_doc(""), "");
    }

    #[test]
    fn other_markdown_is_kept() {
        let text = "Plain `code`, *emphasis* and a - dash.";
        assert_eq!(sanitize_doc(text), text);
    }
}

mod origins {
    use std::path::Path;

    use codegen::diag::Seg;
    use codegen::ir::Origin;

    fn origin(file: &str, path: &[Seg]) -> Origin {
        Origin { file: file.to_owned(), path: path.to_vec() }
    }

    /// Each node of the model knows the file and path it was written at,
    /// which is where lowering reports a problem with it.
    #[test]
    fn lowering_records_where_each_node_came_from() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("features").join("union");
        let model = codegen::load_model(&dir).unwrap_or_else(|e| panic!("the fixture must load: {e:?}"));
        let m = &model.modules[0];
        let file = m.file.as_str();
        assert!(file.ends_with("union.yaml"), "{file}");
        let no = &m.records[1];
        assert_eq!((no.name.as_str(), &no.origin), ("No", &origin(file, &[Seg::key("records"), Seg::Index(1)])));
        let reason = &no.fields[0];
        let reason_at = origin(file, &[Seg::key("records"), Seg::Index(1), Seg::key("fields"), Seg::Index(0)]);
        assert_eq!((reason.name.as_str(), &reason.origin), ("reason", &reason_at));
        assert_eq!(reason.origin.index(), 0);
        assert_eq!(reason.origin.at(&[Seg::key("type")]), [reason_at.path.as_slice(), &[Seg::key("type")]].concat());
        assert_eq!(m.unions[0].origin, origin(file, &[Seg::key("unions"), Seg::Index(0)]));
    }
}

mod yaml_positions {
    use codegen::diag::{Node, Seg, duplicate_keys};

    const TEXT: &str = "doc: x\nrecords:\n  - name: A\n    fields: [1, 2]\n  - { name: B, name: C }\n";

    fn doc() -> Node {
        Node::parse(TEXT).expect("the text is YAML")
    }

    #[test]
    fn a_path_leads_to_its_node_or_to_the_key_itself() {
        let doc = doc();
        assert_eq!(doc.locate(&[]), Some((1, 1)), "the root mapping");
        assert_eq!(doc.locate(&[Seg::key("doc")]), Some((1, 6)), "a value");
        assert_eq!(doc.locate(&[Seg::KeyName("records".to_owned())]), Some((2, 1)), "a key");
        assert_eq!(doc.locate(&[Seg::key("records"), Seg::Index(0), Seg::key("name")]), Some((3, 11)));
        assert_eq!(doc.locate(&[Seg::key("records"), Seg::Index(0), Seg::key("fields"), Seg::Index(1)]), Some((4, 17)));
        assert_eq!(doc.locate(&[Seg::key("records"), Seg::Index(1)]), Some((5, 5)), "a flow mapping");
    }

    #[test]
    fn a_missing_node_is_none_and_the_nearest_one_stands_in() {
        let doc = doc();
        assert_eq!(doc.locate(&[Seg::key("enums")]), None);
        assert_eq!(doc.locate(&[Seg::key("records"), Seg::Index(5)]), None);
        assert_eq!(doc.locate_near(&[Seg::key("records"), Seg::Index(0), Seg::key("wire")]), (3, 5), "the entry");
        assert_eq!(doc.locate(&[Seg::key("doc"), Seg::key("below")]), Some((1, 6)), "below a scalar: the scalar");
        assert_eq!(doc.locate(&[Seg::key("records"), Seg::key("name")]), Some((3, 3)), "a key into a list: the list");
    }

    #[test]
    fn keys_given_twice_are_found_with_the_first_one() {
        let dups = duplicate_keys(&doc(), 10);
        assert_eq!(dups.len(), 1);
        let d = &dups[0];
        assert_eq!((d.key.as_str(), d.at, d.first), ("name", (5, 16), Some((5, 7))));
        assert_eq!(d.path, [Seg::key("records"), Seg::Index(1)]);
    }

    #[test]
    fn text_that_is_not_yaml_has_no_tree() {
        assert!(Node::parse("a: [1, 2").is_none());
        assert!(Node::parse("a: 1\n  b: 2").is_none());
    }
}
