"""Time autobahn-python 26.10.2 on the project's conformance vectors.

The numbers are the Python baseline the README compares the Rust crate
against. This script is not run in CI.

Only vectors that autobahn accepts (``expect.ok == true``) are timed:

* ``autobahn value``: ``parse`` and ``message_attr`` lines. Inputs are
  decoded before timing (``{"$bytes": hex}`` becomes ``bytes`` and
  ``{"$callable": true}`` becomes a Python function). The timed part builds
  the autobahn object and then its dict form. That is ``marshal()`` where
  the class has one, ``message_attr()`` for ``message_attr`` lines, and
  otherwise a dict of the object's data attributes.
* ``autobahn decode FORMAT``: ``decode`` lines. The timed part runs
  ``unserialize()`` from autobahn's own object serializer for the format
  (``autobahn.wamp.serializer``), then builds the object and its dict form
  as above.
* ``autobahn message decode FORMAT``: ``message_decode`` lines. The timed
  part is what a peer runs on every message it receives: the WAMP
  serializer's ``unserialize(payload, isBinary)`` (``JsonSerializer``,
  ``MsgPackSerializer``, ``CBORSerializer``), which decodes the bytes, finds
  the message class by its code and runs its ``parse()``. The check
  compares ``marshal()`` of the message with the vector.
* ``autobahn message untyped FORMAT``: the same bytes through the object
  serializer's ``unserialize()`` alone (plain lists and dicts), as the
  Rust ``message untyped`` line decodes them into the format's own value.
* ``autobahn forward FORMAT SIZE``: ``forward`` lines (the router workload,
  ``tests/vectors/router-workload.jsonl``), what Crossbar.io's dealer and
  broker do with a CALL or a PUBLISH: ``unserialize()``, then
  ``message.Invocation(...)`` or ``message.Event(...)`` with
  ``args=msg.args, kwargs=msg.kwargs`` (and the call's ``timeout`` and
  ``receive_progress``, the ``caller`` or ``publisher``), then
  ``serialize()``; in messages per second and MB of input per second.

The script also checks every accepted vector by comparing autobahn's output
with ``expect.output``. An int and a float count as different values here.
Mismatches are expected only where DIVERGENCES.md says the vectors correct
autobahn.

Leave AUTOBAHN_USE_UJSON unset: with it autobahn swaps in ujson for JSON,
which does not decode WAMP's binary strings.

Install (Python >= 3.11, ideally in a virtualenv):

    pip install -r bench/requirements.txt

Run from the repository root:

    python3 bench/autobahn_bench.py \\
        tests/vectors/autobahn-26.10.2.jsonl \\
        tests/vectors/autobahn-26.10.2-decode.jsonl \\
        tests/vectors/autobahn-26.10.2-messages-decode.jsonl
"""

import argparse
import json
import time

import txaio

# The WAMP serializers keep statistics with txaio's clock, which needs a
# framework chosen; nothing here runs an event loop.
txaio.use_asyncio()

from autobahn.wamp import message as M
from autobahn.wamp import types as T
from autobahn.wamp.request import Publication, Registration, Subscription
from autobahn.wamp.serializer import (
    CBORObjectSerializer,
    CBORSerializer,
    JsonObjectSerializer,
    JsonSerializer,
    MsgPackObjectSerializer,
    MsgPackSerializer,
)

FORMATS = {
    "json": JsonObjectSerializer(),
    "msgpack": MsgPackObjectSerializer(),
    "cbor": CBORObjectSerializer(),
}

# The WAMP serializers (bytes to message objects), with whether their
# payloads are binary.
MESSAGE_SERIALIZERS = {
    "json": (JsonSerializer(), False),
    "msgpack": (MsgPackSerializer(), True),
    "cbor": (CBORSerializer(), True),
}


def _callback(*args, **kwargs):
    """Stands in for any callback set in a vector (``{"$callable": true}``)."""


def unmark(value):
    """Turn the vector markers into the Python values they stand for."""
    if isinstance(value, dict):
        if len(value) == 1 and "$bytes" in value:
            return bytes.fromhex(value["$bytes"])
        if len(value) == 1 and value.get("$callable") is True:
            return _callback
        return {k: unmark(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unmark(v) for v in value]
    return value


def same(a, b):
    """Value equality that keeps int, float and bool apart."""
    if callable(a) and callable(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    return a == b


# --- construction: vector dict (parse input or decoded dict) -> object ----

def build_subscription(d):
    # Missing keys are None; others (a decoded "active", ...) are ignored.
    return Subscription(d.get("id"), d.get("topic"), None, None)


def build_registration(d):
    return Registration(None, d.get("id"), d.get("procedure"), None)


def build_event_details(d):
    return T.EventDetails(**{**d, "subscription": build_subscription(d["subscription"])})


def build_call_details(d):
    return T.CallDetails(**{**d, "registration": build_registration(d["registration"])})


def build_call_result(d):
    get = d.get
    return T.CallResult(
        *(get("results") or ()),
        **(get("kwresults") or {}),
        enc_algo=get("enc_algo"),
        callee=get("callee"),
        callee_authid=get("callee_authid"),
        callee_authrole=get("callee_authrole"),
        forward_for=get("forward_for"),
    )


def plain(cls):
    return lambda d: cls(**d)


BUILD = {
    "Accept": plain(T.Accept),
    "CallDetails": build_call_details,
    "CallOptions": plain(T.CallOptions),
    "CallResult": build_call_result,
    "Challenge": plain(T.Challenge),
    "CloseDetails": plain(T.CloseDetails),
    "ComponentConfig": plain(T.ComponentConfig),
    "Deny": plain(T.Deny),
    "EncodedPayload": plain(T.EncodedPayload),
    "EventDetails": build_event_details,
    "HelloDetails": plain(T.HelloDetails),
    "Publication": lambda d: Publication(d.get("id"), d.get("was_encrypted")),
    "PublishOptions": plain(T.PublishOptions),
    "RegisterOptions": plain(T.RegisterOptions),
    "Registration": build_registration,
    "SessionDetails": T.SessionDetails.parse,
    "SessionIdent": plain(T.SessionIdent),
    "SubscribeOptions": plain(T.SubscribeOptions),
    "Subscription": build_subscription,
    "TransportDetails": T.TransportDetails.parse,
}


# --- dict form: object -> dict ---------------------------------------------

def attrs(*names):
    return lambda o: {n: getattr(o, n) for n in names}


subscription_dict = attrs("id", "topic", "active")
registration_dict = attrs("id", "procedure", "active")
_event_fields = attrs(*T.EventDetails.__slots__)
_call_fields = attrs(*T.CallDetails.__slots__)
_result_fields = attrs(*T.CallResult.__slots__)


def event_details_dict(o):
    d = _event_fields(o)
    d["subscription"] = subscription_dict(o.subscription)
    return d


def call_details_dict(o):
    d = _call_fields(o)
    d["registration"] = registration_dict(o.registration)
    return d


def call_result_dict(o):
    d = _result_fields(o)
    d["results"] = list(o.results)
    return d


def marshal(o):
    return o.marshal()


DUMP = {
    "Accept": attrs(*T.Accept.__slots__),
    "CallDetails": call_details_dict,
    "CallResult": call_result_dict,
    "Challenge": attrs("method", "extra"),
    "CloseDetails": marshal,
    "ComponentConfig": attrs("realm", "extra", "shared"),
    "Deny": attrs("reason", "message"),
    "EncodedPayload": attrs(*T.EncodedPayload.__slots__),
    "EventDetails": event_details_dict,
    "HelloDetails": attrs(*T.HelloDetails.__slots__),
    "Publication": attrs("id", "was_encrypted"),
    "Registration": registration_dict,
    "SessionDetails": marshal,
    "SessionIdent": marshal,
    "Subscription": subscription_dict,
    "TransportDetails": marshal,
}


def value_op(type_name, op):
    """The timed function for a parse/message_attr line: dict -> dict."""
    build = BUILD[type_name]
    if op == "message_attr":
        return lambda d: build(d).message_attr()
    dump = DUMP[type_name]
    return lambda d: dump(build(d))


def decode_op(type_name, fmt):
    """The timed function for a decode line: bytes -> dict."""
    unserialize = FORMATS[fmt].unserialize  # plain objects, no WAMP framing
    build, dump = BUILD[type_name], DUMP[type_name]
    return lambda payload: dump(build(unserialize(payload)[0]))


def message_decode_op(fmt):
    """The timed function for a message_decode line: bytes -> message."""
    ser, binary = MESSAGE_SERIALIZERS[fmt]
    unserialize = ser.unserialize

    def decode(payload):
        return unserialize(payload, binary)[0]

    return decode


def message_untyped_op(fmt):
    """The timed function of the untyped line: bytes -> lists and dicts."""
    unserialize = FORMATS[fmt].unserialize
    return lambda payload: unserialize(payload)[0]


# The session, registration, subscription and request IDs a forward writes
# (as the Rust forward does).
ROUTER_SESSION, ROUTER_REGISTRATION, ROUTER_SUBSCRIPTION, ROUTER_REQUEST = 7000001, 42, 43, 9000


def forward_op(fmt):
    """The timed function for a forward line: CALL or PUBLISH bytes in,
    INVOCATION or EVENT bytes out."""
    ser, binary = MESSAGE_SERIALIZERS[fmt]
    unserialize, serialize = ser.unserialize, ser.serialize

    def forward(payload):
        msg = unserialize(payload, binary)[0]
        if isinstance(msg, M.Call):
            out = M.Invocation(ROUTER_REQUEST, ROUTER_REGISTRATION, args=msg.args, kwargs=msg.kwargs,
                               timeout=msg.timeout, receive_progress=msg.receive_progress, caller=ROUTER_SESSION)
        else:
            out = M.Event(ROUTER_SUBSCRIPTION, msg.request, args=msg.args, kwargs=msg.kwargs,
                          publisher=ROUTER_SESSION)
        return serialize(out)[0]

    return forward


def marshalled(fn):
    """The check of a message line: the message's marshal()."""
    return lambda payload: fn(payload).marshal()


# --- driver ----------------------------------------------------------------

LABELS = {"value": "value"}
for _fmt in FORMATS:
    LABELS[_fmt] = f"decode {_fmt}"
    LABELS[f"message {_fmt}"] = f"message decode {_fmt}"
    LABELS[f"message untyped {_fmt}"] = f"message untyped {_fmt}"


def load(paths):
    """Group the accepted vectors into benchmarks of (fn, arg, expected, id)
    or (fn, arg, expected, id, check_fn) where the check runs another function."""
    benches = {key: [] for key in LABELS}
    ops = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                v = json.loads(line)
                if v["op"] == "forward":
                    key = f"forward {v['format']} {v['size']}"
                    LABELS.setdefault(key, key)
                    benches.setdefault(key, []).append((forward_op(v["format"]), bytes.fromhex(v["input"]), None, v["id"], None))
                    continue
                if not v["expect"]["ok"]:
                    continue
                if v["op"] == "message_decode":
                    fmt, arg = v["format"], bytes.fromhex(v["input"])
                    expected = unmark(v["expect"]["output"])
                    typed, untyped = message_decode_op(fmt), message_untyped_op(fmt)
                    benches[f"message {fmt}"].append((typed, arg, expected, v["id"], marshalled(typed)))
                    benches[f"message untyped {fmt}"].append((untyped, arg, None, v["id"], None))
                    continue
                if v["op"] == "decode":
                    key, arg, make = v["format"], bytes.fromhex(v["input"]), decode_op
                    sel = (v["type"], v["format"])
                else:
                    key, arg, make = "value", unmark(v["input"]), value_op
                    sel = (v["type"], v["op"])
                if sel not in ops:
                    ops[sel] = make(*sel)
                expected = unmark(v["expect"]["output"])
                benches[key].append((ops[sel], arg, expected, v["id"]))
    return benches


def check(items):
    """Run each vector once (also a warm-up); keep those that did not raise.
    An item with a check function of its own is compared through it; one
    whose check is None (an untyped line) is only run."""
    matched, mismatched, runnable = 0, [], []
    for fn, arg, expected, vid, *rest in items:
        check_fn = rest[0] if rest else fn
        try:
            got = (check_fn or fn)(arg)
        except Exception as e:  # autobahn refused a vector the oracle accepts
            mismatched.append((vid, f"raised {type(e).__name__}: {e}"))
            continue
        runnable.append((fn, arg))
        if check_fn is None:
            continue
        if same(got, expected):
            matched += 1
        else:
            mismatched.append((vid, f"got {got!r}, expected {expected!r}"))
    return matched, mismatched, runnable


def measure(pairs, rounds, min_seconds):
    """Vectors per second over at least `rounds` passes and `min_seconds`."""
    done, elapsed = 0, 0.0
    while done < rounds or elapsed < min_seconds:
        start = time.perf_counter()
        for fn, arg in pairs:
            fn(arg)
        elapsed += time.perf_counter() - start
        done += 1
    return len(pairs) * done / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5,
                    help="minimum passes over the vectors per measurement (default 5)")
    ap.add_argument("--min-seconds", type=float, default=2.0,
                    help="minimum time per measurement (default 2.0)")
    ap.add_argument("--verbose", action="store_true", help="list every mismatch")
    ap.add_argument("files", nargs="+", metavar="FILE.jsonl")
    args = ap.parse_args()

    matched, mismatched = 0, []
    for name, items in load(args.files).items():
        if not items:
            continue
        m, mm, runnable = check(items)
        matched += m
        mismatched += mm
        rate = measure(runnable, args.rounds, args.min_seconds)
        if name.startswith("forward"):
            mean = sum(len(arg) for _, arg in runnable) / len(runnable)
            print(f"autobahn {LABELS[name]}: {int(rate)} messages/s ({rate * mean / 1e6:.1f} MB/s in)", flush=True)
            continue
        unit = "messages" if name.startswith("message") else "vectors"
        print(f"autobahn {LABELS[name]}: {int(rate)} {unit}/s", flush=True)

    print(f"autobahn check: {matched} matched, {len(mismatched)} mismatched")
    if args.verbose:
        for vid, why in mismatched:
            print(f"  {vid}: {why}")


if __name__ == "__main__":
    main()
