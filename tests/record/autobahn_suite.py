"""Records the WAMP messages that autobahn-python's own tests build, as
`message` and `message_decode` vector lines (tests/vectors/README.md gives
the format), with what autobahn itself does with each.

Every message class of `autobahn.wamp.message` is watched while the named
test modules run; each distinct message they built is then written as

- a `message` line: its `marshal()` list (tuples as lists, as a
  deserializer hands them), and what `parse()` of that list gives;
- a `message_decode` line per format: the bytes autobahn's JSON,
  MessagePack and CBOR serializers write for it, and what `unserialize()`
  of those bytes gives.

    python3 -m venv .venv && .venv/bin/pip install -r tests/record/requirements.txt
    USE_TWISTED=1 .venv/bin/python tests/record/autobahn_suite.py \
        autobahn.wamp.test.test_wamp_message autobahn.wamp.test.test_wamp_serializer \
        autobahn.wamp.test.test_wamp_protocol autobahn.wamp.test.test_wamp_protocol_peer \
        > tests/vectors/autobahn-26.10.2-suite.jsonl

Some of those tests draw random values, so two recordings differ; the file
in tests/vectors is one recording.
"""

import contextlib
import importlib
import io
import json
import os
import sys
import unittest

import txaio

if os.environ.get("USE_TWISTED"):
    txaio.use_twisted()
else:
    txaio.use_asyncio()

from autobahn.wamp import message, serializer  # noqa: E402

CLASSES = [
    c
    for c in vars(message).values()
    if isinstance(c, type) and issubclass(c, message.Message) and hasattr(c, "MESSAGE_TYPE")
]
BY_CODE = {c.MESSAGE_TYPE: c for c in CLASSES}
SERIALIZERS = {
    "json": serializer.JsonSerializer,
    "msgpack": serializer.MsgPackSerializer,
    "cbor": serializer.CBORSerializer,
}

built = []


def watch(cls):
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        built.append(self)

    cls.__init__ = __init__


def as_lists(x):
    """`x` as a deserializer hands it: tuples are lists."""
    if isinstance(x, (list, tuple)):
        return [as_lists(v) for v in x]
    if isinstance(x, dict):
        return {k: as_lists(v) for k, v in x.items()}
    return x


def as_vector(x):
    """`x` in the vectors' JSON: byte strings as `{"$bytes": hex}`."""
    if isinstance(x, (bytes, bytearray)):
        return {"$bytes": bytes(x).hex()}
    if isinstance(x, list):
        return [as_vector(v) for v in x]
    if isinstance(x, dict):
        return {k: as_vector(v) for k, v in x.items()}
    return x


def run_tests(modules):
    suite = unittest.TestSuite()
    for name in modules:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromModule(importlib.import_module(name)))
    with contextlib.redirect_stderr(io.StringIO()):
        unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)


def outcome(parse):
    try:
        return {"ok": True, "output": as_vector(as_lists(parse().marshal()))}
    except Exception:
        return {"ok": False}


def lines():
    seen, n = set(), 0
    for msg in built:
        try:
            wire = as_lists(msg.marshal())
            text = json.dumps(as_vector(wire), ensure_ascii=False)
        except Exception:
            continue
        if text in seen:
            continue
        seen.add(text)
        n += 1
        cls = BY_CODE[wire[0]]
        yield {
            "id": f"suite-{n:05}",
            "type": cls.__name__,
            "op": "message",
            "input": as_vector(wire),
            "expect": outcome(lambda: cls.parse(as_lists(wire))),
        }
        for fmt, make in SERIALIZERS.items():
            ser = make()
            try:
                data, _ = ser.serialize(msg)
            except Exception:
                continue

            def one():
                msgs = ser.unserialize(data, isBinary=fmt != "json")
                if len(msgs) != 1:
                    raise ValueError("not one message")
                return msgs[0]

            yield {
                "id": f"suite-{n:05}-{fmt}",
                "type": cls.__name__,
                "op": "message_decode",
                "format": fmt,
                "input": data.hex(),
                "expect": outcome(one),
            }


def main():
    for cls in CLASSES:
        watch(cls)
    run_tests(sys.argv[1:])
    count = 0
    for line in lines():
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        count += 1
    print(f"{len(built)} messages built, {count} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
