"""The other peer of the example client: an autobahn-python component.

It joins the realm three times, once per serializer (json, msgpack, cbor),
and registers under `interop.<serializer>.` the procedures the client calls,
so that each of the client's rounds runs in one format end to end.

    python component.py URL REALM [READY_FILE]

When every session has joined and registered, it writes READY_FILE (if
given) and prints "ready".
"""

import sys

from autobahn.asyncio.component import Component, run
from autobahn.wamp.exception import ApplicationError
from autobahn.wamp.types import CallResult, PublishOptions, RegisterOptions, SubscribeOptions

FORMATS = ["json", "msgpack", "cbor"]
ACK = PublishOptions(acknowledge=True)


def nested(depth):
    """Lists and maps in turn, `depth` levels deep, with a string at the bottom."""
    value = "bottom"
    for level in range(depth):
        value = [value] if level % 2 else {"d": value}
    return value


def edge_cases(fmt):
    """The payloads of the edge-case events, in the order they are published.

    The client expects the same values in the same order.
    """
    cases = [
        ([b"\x00\x01\xfe\xff"], {}),
        ([2**64 - 1, -(2**63), 0, -1, 2**53 + 1], {}),
        ([0.1, -2.5, 1e308, 5e-324, -0.0, 1.0], {}),
        ([nested(100)], {}),
        (["Grüße, 世界 🦀"], {"clé": "valeur", "ключ": "значение"}),
        ([{"": "empty"}], {"": "empty key"}),
        ([], {"only": "kwargs", "n": 1}),
    ]
    if fmt == "cbor":
        # autobahn's MessagePack decoder refuses integer map keys (and so does
        # the router's), and JSON has none: this one travels over CBOR only.
        cases.append(([{1: "one", 2: "two"}], {}))
    return cases


def component(fmt, url, realm, joined, ready_file):
    comp = Component(
        transports=[{"type": "websocket", "url": url, "serializers": [fmt], "max_retries": 0}],
        realm=realm,
    )
    prefix = f"interop.{fmt}."
    received = {}

    @comp.on_join
    async def on_join(session, details):
        def add(a, b):
            return a + b

        def fail():
            raise ApplicationError("interop.error.refused", "refused on purpose", 42, reason="testing")

        def countdown(n, details=None):
            for i in range(n, 0, -1):
                details.progress(i)
            return "liftoff"

        async def publish_news():
            for i in range(1, 4):
                await session.publish(prefix + "news", "news", i, n=i, options=ACK)
            return session.session_id

        def on_from_client(*args, details=None, **kwargs):
            received.update(args=list(args), kwargs=kwargs, publication=details.publication)

        def last_received():
            return received

        async def call_client(procedure):
            res = await session.call(procedure, "autobahn", 7, lang="python")
            if isinstance(res, CallResult):
                results, kwresults = list(res.results), res.kwresults
            else:
                results, kwresults = [res], {}
            return {"results": results, "kwresults": kwresults, "caller": session.session_id}

        async def publish_edge_cases():
            cases = edge_cases(fmt)
            for args, kwargs in cases:
                await session.publish(prefix + "edge", *args, options=ACK, **kwargs)
            return len(cases)

        await session.register(add, prefix + "add")
        await session.register(fail, prefix + "fail")
        await session.register(countdown, prefix + "countdown", options=RegisterOptions(details_arg="details"))
        await session.register(publish_news, prefix + "publish_news")
        await session.register(last_received, prefix + "last_received")
        await session.register(call_client, prefix + "call_client")
        await session.register(publish_edge_cases, prefix + "publish_edge_cases")
        await session.subscribe(on_from_client, prefix + "from_client", options=SubscribeOptions(details_arg="details"))

        joined.add(fmt)
        print(f"{fmt}: session {details.session} joined {details.realm}", flush=True)
        if len(joined) == len(FORMATS):
            if ready_file:
                with open(ready_file, "w") as f:
                    f.write("ready\n")
            print("ready", flush=True)

    @comp.on_leave
    def on_leave(session, details):
        print(f"{fmt}: left ({details.reason})", flush=True)

    return comp


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    url, realm = sys.argv[1], sys.argv[2]
    ready_file = sys.argv[3] if len(sys.argv) == 4 else None
    joined = set()
    run([component(fmt, url, realm, joined, ready_file) for fmt in FORMATS], log_level="info")


if __name__ == "__main__":
    main()
