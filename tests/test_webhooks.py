"""Webhooks against a real HTTP server on 127.0.0.1: body, signature, filters, retries.

The receiver is the standard library's ``ThreadingHTTPServer`` (HTTP/1.1,
keep-alive) in a thread; each test scripts the answers of its own path (a
status, a status with headers, or ``HANG``: read the request and never
answer) and reads back what arrived there.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import string
import subprocess
import sys
import threading
from collections import defaultdict, deque
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aftersales import AftersalesError, InvalidData
from aftersales.model.customer import Contact
from aftersales.model.events import TicketEvent
from aftersales.testing.samples import sample_ticket
from aftersales.testing.strategies import event_histories
from aftersales.views import event_view
from aftersales.webhooks import (
    WebhookDeliveryError,
    WebhookEndpoint,
    WebhookRetry,
    WebhookSender,
    sign,
    verify_signature,
)

SECRET = "whsec-test-0123456789"
HANG = "hang"
_paths = itertools.count(1)


@attrs.frozen
class Received:
    """One request as the receiver saw it."""

    headers: dict[str, str]
    body: bytes
    client: tuple[str, int]

    def json(self) -> Any:
        return json.loads(self.body)

    def verifies(self, secret: str | bytes = SECRET) -> bool:
        return verify_signature(
            secret,
            self.headers.get("x-aftersales-timestamp"),
            self.body,
            self.headers.get("x-aftersales-signature"),
            now=float(self.headers["x-aftersales-timestamp"]),
        )


class Receiver:
    """A loopback HTTP server recording each POST by path and answering as scripted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: dict[str, list[Received]] = defaultdict(list)
        self.answers: dict[str, deque[Any]] = defaultdict(deque)
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver.lock:
                    receiver.received[self.path].append(
                        Received(headers, body, self.client_address)
                    )
                    answers = receiver.answers[self.path]
                    answer = answers.popleft() if answers else 200
                if answer == HANG:
                    receiver.release.wait(10)
                    self.close_connection = True
                    return
                status, extra = answer if isinstance(answer, tuple) else (answer, {})
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def path(self, *answers: Any) -> str:
        """A fresh path answering ``answers`` in turn, then 200."""
        path = f"/hooks/{next(_paths)}"
        self.answers[path].extend(answers)
        return path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def take(self, path: str) -> list[Received]:
        with self.lock:
            return self.received.pop(path, [])

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


def endpoint(receiver: Receiver, path: str, **fields: Any) -> WebhookEndpoint:
    return WebhookEndpoint(receiver.url(path), secret=SECRET, **fields)


def sender(*endpoints: WebhookEndpoint, sleeps: list[float] | None = None, **more: Any):
    waits = [] if sleeps is None else sleeps
    return WebhookSender(endpoints, sleep=waits.append, **more)


def contacts_of(history: list[TicketEvent]) -> list[Contact]:
    return [
        value
        for event in history
        for field in attrs.fields(type(event))
        if isinstance(value := getattr(event, field.name), Contact)
    ]


# -- packaging ----------------------------------------------------------------------------


def test_importing_the_library_does_not_import_httpx() -> None:
    code = (
        "import sys, aftersales, aftersales.webhooks;"
        " assert 'httpx' not in sys.modules, 'httpx imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- the body and the headers ----------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(event_histories(max_events=10))
@example(sample_ticket().history)
def test_each_event_arrives_as_its_masked_view_signed(
    receiver: Receiver, history: list[TicketEvent]
) -> None:
    path = receiver.path()
    with sender(endpoint(receiver, path)) as webhook:
        for position, event in enumerate(history, start=1):
            webhook(position, event)
    arrived = receiver.take(path)
    assert len(arrived) == len(history)
    raw = [
        text for contact in contacts_of(history) for text in (contact.phone, contact.email) if text
    ]
    for position, (event, request) in enumerate(zip(history, arrived, strict=True), start=1):
        text = request.body.decode("utf-8")
        assert [value for value in raw if value in text] == []
        assert request.json() == {
            "id": f"{event.ticket_id}:{event.seq}",
            "position": position,
            "type": event.type,
            "event": event_view(event),
        }
        canonical = json.dumps(
            request.json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert request.body == canonical.encode("utf-8")
        assert request.verifies()
        assert request.headers["content-type"] == "application/json"
        assert request.headers["x-aftersales-delivery"] == f"{event.ticket_id}:{event.seq}"
        assert request.headers["user-agent"].startswith("aftersales-webhooks/")


def test_the_signature_is_the_documented_hmac_and_the_host_headers_are_sent(
    receiver: Receiver,
) -> None:
    path = receiver.path()
    hook = endpoint(receiver, path, headers={"Authorization": "Bearer abc"})
    with sender(hook, clock=lambda: 1_767_225_600.9) as webhook:
        webhook(41, sample_ticket("T7").history[0])
    (request,) = receiver.take(path)
    assert request.headers["x-aftersales-timestamp"] == "1767225600"
    expected = hmac.new(SECRET.encode(), b"1767225600." + request.body, hashlib.sha256)
    assert request.headers["x-aftersales-signature"] == "sha256=" + expected.hexdigest()
    assert request.headers["authorization"] == "Bearer abc"
    assert request.json()["event"]["contact"]["phone"] == "138****5678"
    assert b"13812345678" not in request.body


def test_one_sender_reuses_its_connection(receiver: Receiver) -> None:
    path = receiver.path()
    with sender(endpoint(receiver, path)) as webhook:
        for position, event in enumerate(sample_ticket().history, start=1):
            webhook(position, event)
    arrived = receiver.take(path)
    assert len(arrived) == len(sample_ticket().history)
    assert len({request.client for request in arrived}) == 1


# -- signatures --------------------------------------------------------------------------------

secrets = st.binary(min_size=16, max_size=64) | st.text(min_size=16, max_size=40)
unix_times = st.integers(0, 10**11)


@given(secrets, unix_times, st.binary(max_size=300))
def test_a_signature_verifies_for_its_secret_timestamp_and_body(
    secret: str | bytes, timestamp: int, body: bytes
) -> None:
    key = secret.encode() if isinstance(secret, str) else secret
    signature = sign(secret, timestamp, body)
    expected = hmac.new(key, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert signature == f"sha256={expected}"
    assert verify_signature(secret, str(timestamp), body, signature, now=timestamp + 300)
    assert verify_signature(secret, timestamp, body, signature, now=timestamp - 300)


@given(secrets, unix_times, st.binary(max_size=300), st.data())
def test_a_changed_body_secret_or_timestamp_fails(
    secret: str | bytes, timestamp: int, body: bytes, data: st.DataObject
) -> None:
    signature = sign(secret, timestamp, body)
    other_body = data.draw(st.binary(max_size=300).filter(lambda b: b != body), label="body")
    other_secret = data.draw(secrets.filter(lambda s: s != secret), label="secret")
    if isinstance(other_secret, str) and other_secret.encode() == secret:
        other_secret += "!"
    shift = data.draw(st.integers(-300, 300).filter(bool), label="shift")
    now = timestamp
    assert not verify_signature(secret, str(timestamp), other_body, signature, now=now)
    assert not verify_signature(other_secret, str(timestamp), body, signature, now=now)
    assert not verify_signature(secret, str(timestamp + shift), body, signature, now=now)


@given(secrets, unix_times, st.binary(max_size=100), st.integers(1, 10**6))
def test_a_stale_or_future_timestamp_is_refused(
    secret: str | bytes, timestamp: int, body: bytes, beyond: int
) -> None:
    signature = sign(secret, timestamp, body)
    for now in (timestamp + 300 + beyond, timestamp - 300 - beyond):
        assert not verify_signature(secret, str(timestamp), body, signature, now=now)
    assert verify_signature(
        secret, str(timestamp), body, signature, now=timestamp + beyond, tolerance=beyond
    )


@given(st.one_of(st.none(), st.text(max_size=30)), st.one_of(st.none(), st.text(max_size=80)))
def test_malformed_headers_give_false_never_an_error(
    timestamp: str | None, signature: str | None
) -> None:
    assert verify_signature(SECRET, timestamp, b"{}", signature, now=1_700_000_000) is False


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"secret": "tiny-key"}, "secret"),
        ({"body": '{"a": 1}'}, "body"),
        ({"tolerance": -1}, "tolerance"),
        ({"now": float("nan")}, "now"),
    ],
)
def test_a_receivers_bad_argument_is_named(arguments: dict[str, Any], named: str) -> None:
    call: dict[str, Any] = {
        "secret": SECRET,
        "timestamp": "1",
        "body": b"{}",
        "signature": "sha256=00",
        **arguments,
    }
    with pytest.raises(InvalidData) as caught:
        verify_signature(**call)
    assert caught.value.problems[0][0] == named
    assert "tiny-key" not in str(caught.value)


# -- filters -------------------------------------------------------------------------------------

FILTERS = {
    "sla": ({"SlaBreached", "record_visit"}, {"sla_breached", "visit_recorded"}),
    "opened": ({"ticket_opened"}, {"ticket_opened"}),
    "warned": ({"SlaWarned", "record_sla_breach"}, {"sla_warning", "sla_breached"}),
}


@settings(max_examples=20, deadline=None)
@given(event_histories(max_events=12))
@example(sample_ticket().history)
def test_each_endpoint_gets_exactly_the_events_its_filter_takes(
    receiver: Receiver, history: list[TicketEvent]
) -> None:
    paths = {name: receiver.path() for name in [*FILTERS, "all"]}
    hooks = [endpoint(receiver, paths[name], events=FILTERS[name][0]) for name in FILTERS]
    with sender(*hooks, endpoint(receiver, paths["all"])) as webhook:
        for position, event in enumerate(history, start=1):
            webhook(position, event)
    for name, (_, types) in FILTERS.items():
        got = [request.json()["position"] for request in receiver.take(paths[name])]
        assert got == [p for p, e in enumerate(history, start=1) if e.type in types], name
    assert [r.json()["position"] for r in receiver.take(paths["all"])] == list(
        range(1, len(history) + 1)
    )


def test_the_filter_names_are_the_ones_the_events_carry() -> None:
    from aftersales.model.events import EVENTS_BY_COMMAND

    assert EVENTS_BY_COMMAND["record_sla_breach"].type == "sla_breached"
    assert EVENTS_BY_COMMAND["record_visit"].__name__ == "VisitRecorded"


# -- retries -------------------------------------------------------------------------------------


def test_a_500_twice_then_200_takes_three_attempts_with_growing_waits(receiver: Receiver) -> None:
    path = receiver.path(500, 503)
    sleeps: list[float] = []
    ticks = itertools.count(1_700_000_000, 7)
    retry = WebhookRetry(attempts=3, first_delay=0.5, max_delay=8.0, jitter=0.25)
    with sender(
        endpoint(receiver, path), sleeps=sleeps, retry=retry, clock=lambda: next(ticks)
    ) as webhook:
        webhook(5, sample_ticket("T1").history[1])
    arrived = receiver.take(path)
    assert len(arrived) == 3
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 0.625 < 1.0 <= sleeps[1] <= 1.25
    assert {r.headers["x-aftersales-delivery"] for r in arrived} == {"T1:2"}
    assert len({r.headers["x-aftersales-timestamp"] for r in arrived}) == 3  # each re-signed
    assert all(request.verifies() for request in arrived)
    assert len({request.body for request in arrived}) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422, 301])
def test_a_permanent_answer_is_not_retried(receiver: Receiver, status: int) -> None:
    path = receiver.path(status)
    sleeps: list[float] = []
    with (
        sender(endpoint(receiver, path), sleeps=sleeps) as webhook,
        pytest.raises(WebhookDeliveryError) as caught,
    ):
        webhook(9, sample_ticket("T1").history[0])
    assert len(receiver.take(path)) == 1
    assert sleeps == []
    assert caught.value.retryable is False
    assert caught.value.position == 9
    assert caught.value.delivery_id == "T1:1"
    assert f"answered {status}" in str(caught.value)
    assert isinstance(caught.value, AftersalesError)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503])
def test_a_retryable_answer_is_retried_then_raised_as_retryable(
    receiver: Receiver, status: int
) -> None:
    path = receiver.path(status, status, status)
    sleeps: list[float] = []
    with (
        sender(endpoint(receiver, path), sleeps=sleeps) as webhook,
        pytest.raises(WebhookDeliveryError) as caught,
    ):
        webhook(3, sample_ticket("T1").history[0])
    assert len(receiver.take(path)) == 3
    assert len(sleeps) == 2
    assert caught.value.retryable is True
    assert "after 3 attempts" in str(caught.value)


def test_retry_after_lengthens_the_wait(receiver: Receiver) -> None:
    path = receiver.path((429, {"Retry-After": "4"}))
    sleeps: list[float] = []
    with sender(endpoint(receiver, path), sleeps=sleeps) as webhook:
        webhook(1, sample_ticket().history[0])
    assert sleeps == [4.0]
    assert len(receiver.take(path)) == 2


def test_a_timeout_is_retried(receiver: Receiver) -> None:
    path = receiver.path(HANG)
    sleeps: list[float] = []
    with sender(endpoint(receiver, path, timeout=0.3), sleeps=sleeps) as webhook:
        webhook(1, sample_ticket().history[0])
    assert len(receiver.take(path)) == 2
    assert len(sleeps) == 1


def test_an_endpoint_that_never_answers_ends_in_a_retryable_error(receiver: Receiver) -> None:
    path = receiver.path(HANG, HANG, HANG)
    sleeps: list[float] = []
    with (
        sender(endpoint(receiver, path, timeout=0.2), sleeps=sleeps) as webhook,
        pytest.raises(WebhookDeliveryError) as caught,
    ):
        webhook(1, sample_ticket().history[0])
    assert len(receiver.take(path)) == 3
    assert len(sleeps) == 2
    assert caught.value.retryable is True
    assert "timed out" in str(caught.value)


def test_an_unreachable_endpoint_ends_in_a_retryable_error() -> None:
    with socket_closed_port() as port:
        hook = WebhookEndpoint(f"http://127.0.0.1:{port}/in", secret=SECRET, timeout=1)
        with (
            sender(hook, retry=WebhookRetry(attempts=2)) as webhook,
            pytest.raises(WebhookDeliveryError) as caught,
        ):
            webhook(1, sample_ticket().history[0])
    assert caught.value.retryable is True
    assert "could not be reached" in str(caught.value)


def socket_closed_port() -> Any:
    """A context giving a loopback port that nothing listens on (bound, never listening)."""
    import contextlib
    import socket

    @contextlib.contextmanager
    def closed() -> Iterator[int]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            yield sock.getsockname()[1]

    return closed()


def test_a_retry_of_the_subscription_skips_the_endpoints_that_accepted(
    receiver: Receiver,
) -> None:
    good, bad = receiver.path(), receiver.path(400, 200)
    event = sample_ticket("T1").history[0]
    with sender(endpoint(receiver, good), endpoint(receiver, bad)) as webhook:
        with pytest.raises(WebhookDeliveryError) as caught:
            webhook(1, event)
        assert caught.value.retryable is False
        assert [url for url, _, _ in caught.value.failures] == [receiver.url(bad)]
        webhook(1, event)  # the subscription's retry
        webhook(1, event)  # a later delivery again (at least once): both get it
    assert len(receiver.take(good)) == 2
    assert len(receiver.take(bad)) == 3


# -- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"url": "ftp://example.com/in"}, "url"),
        ({"url": "https:///in"}, "url"),
        ({"url": "https://exa mple.com"}, "url"),
        ({"url": 5}, "url"),
        ({"secret": "short-secret"}, "secret"),
        ({"secret": ["s"] * 20}, "secret"),
        ({"events": "SlaBreached"}, "events"),
        ({"events": {"SlaBreach"}}, "events"),
        ({"headers": {"X-Aftersales-Signature": "x"}}, "headers['X-Aftersales-Signature']"),
        ({"headers": {"X-Token": "abc\r\nInjected: 1"}}, "headers['X-Token']"),
        ({"headers": {"bad name": "x"}}, "headers"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": float("inf")}, "timeout"),
        ({"timeout": True}, "timeout"),
    ],
)
def test_a_bad_endpoint_is_refused_naming_the_field(fields: dict[str, Any], named: str) -> None:
    arguments = {"url": "https://crm.example.com/in", "secret": SECRET, **fields}
    with pytest.raises(InvalidData) as caught:
        WebhookEndpoint(**arguments)
    assert caught.value.problems[0][0] == named
    assert "accepted" in str(caught.value)
    assert "short-secret" not in str(caught.value)
    assert "Injected" not in str(caught.value)


@settings(max_examples=30)
@given(
    st.text(string.ascii_letters + string.digits, min_size=16, max_size=40),
    st.text(string.ascii_letters, min_size=12, max_size=20),
)
def test_the_repr_hides_the_secret_the_password_and_header_values(secret: str, token: str) -> None:
    hook = WebhookEndpoint(
        f"https://bot:{token}@crm.example.com/in", secret=secret, headers={"X-Token": token}
    )
    with WebhookSender([hook]) as webhook:
        shown = repr(hook) + repr(webhook)
    assert secret not in shown
    assert token not in shown
    assert "bot:***@crm.example.com" in shown


@pytest.mark.parametrize("position", [0, -1, True, "1", 2**63])
def test_a_bad_position_sends_nothing(receiver: Receiver, position: Any) -> None:
    path = receiver.path()
    with sender(endpoint(receiver, path)) as webhook, pytest.raises(InvalidData) as caught:
        webhook(position, sample_ticket().history[0])
    assert caught.value.problems[0][0] == "position"
    assert receiver.take(path) == []


def test_something_that_is_not_an_event_sends_nothing(receiver: Receiver) -> None:
    path = receiver.path()
    with sender(endpoint(receiver, path)) as webhook, pytest.raises(InvalidData) as caught:
        webhook(1, {"type": "ticket_opened", "phone": "13812345678"})  # type: ignore[arg-type]
    assert "13812345678" not in str(caught.value)
    assert receiver.take(path) == []


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"endpoints": []}, "endpoints"),
        ({"endpoints": ["https://crm.example.com/in"]}, "endpoints[0]"),
        ({"retry": 3}, "retry"),
        ({"sleep": 0.5}, "sleep"),
    ],
)
def test_a_bad_sender_is_refused(arguments: dict[str, Any], named: str) -> None:
    call = {"endpoints": [WebhookEndpoint("https://crm.example.com/in", secret=SECRET)]}
    with pytest.raises(InvalidData) as caught:
        WebhookSender(**{**call, **arguments})
    assert caught.value.problems[0][0] == named


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"attempts": 0}, "attempts"),
        ({"attempts": 11}, "attempts"),
        ({"first_delay": -1}, "first_delay"),
        ({"first_delay": 2.0, "max_delay": 1.0}, "max_delay"),
        ({"jitter": 1.0}, "jitter"),
    ],
)
def test_a_bad_retry_policy_is_refused(fields: dict[str, Any], named: str) -> None:
    with pytest.raises(InvalidData) as caught:
        WebhookRetry(**fields)
    assert caught.value.problems[0][0] == named


@given(
    st.integers(1, 10),
    st.just(0.0) | st.floats(0.01, 5),
    st.floats(0, 0.99),
    st.lists(st.floats(0, 1), min_size=9, max_size=9),
)
def test_waits_grow_until_the_longest(
    attempts: int, first: float, jitter: float, draws: list[float]
) -> None:
    retry = WebhookRetry(attempts=attempts, first_delay=first, max_delay=60.0, jitter=jitter)
    waits = [retry.delay(n, draw=d) for n, d in enumerate(draws, start=1)]
    assert all(0 <= w <= 60.0 for w in waits)
    for before, after in itertools.pairwise(waits):
        assert after >= before or after == 60.0 or before == 60.0
        if first > 0 and after < 60.0:
            assert after > before


# -- closing --------------------------------------------------------------------------------------


def test_close_leaves_a_host_client_open(receiver: Receiver) -> None:
    path = receiver.path()
    client = httpx.Client()
    with sender(endpoint(receiver, path), client=client) as webhook:
        webhook(1, sample_ticket().history[0])
    assert not client.is_closed
    client.close()
    own = sender(endpoint(receiver, path))
    own.close()
    with pytest.raises(RuntimeError):
        own(2, sample_ticket().history[1])
    assert len(receiver.take(path)) == 1


# -- from the feed --------------------------------------------------------------------------------


def test_the_feed_of_a_sqlite_store_arrives_once_each_in_position_order(
    receiver: Receiver,
) -> None:
    """A reader of the feed (what a subscription does) retrying a failed event at once."""
    import pendulum

    from aftersales import FixedClock, ServiceDesk, WorkCalendar
    from aftersales.demo.scenarios import demo_policy, run_scenarios
    from aftersales.storage import SQLiteStore

    store = SQLiteStore(":memory:")
    clock = FixedClock(pendulum.datetime(2026, 3, 2, 9, tz="UTC"))
    run_scenarios(ServiceDesk(store, clock=clock, sla=demo_policy(WorkCalendar.china())))
    feed = store.events_since(0, limit=10_000)
    everything, visits = receiver.path(200, 200, 500), receiver.path()
    hooks = [endpoint(receiver, everything), endpoint(receiver, visits, events={"record_visit"})]
    delivered = 0
    failures = 0
    with sender(*hooks, retry=WebhookRetry(attempts=1)) as webhook:
        while batch := store.events_since(delivered, limit=7):
            for position, event in batch:
                try:
                    webhook(position, event)
                except WebhookDeliveryError:
                    failures += 1
                    break
                delivered = position
    assert failures == 1
    assert [position for position, _ in feed] == list(range(1, len(feed) + 1))
    got = [
        (r.json()["position"], r.headers["x-aftersales-delivery"])
        for r in receiver.take(everything)
    ]
    expected = [(p, f"{e.ticket_id}:{e.seq}") for p, e in feed]
    assert got == expected[:3] + expected[2:]  # the third answered 500, then came again
    visit_positions = [r.json()["position"] for r in receiver.take(visits)]
    assert visit_positions == [p for p, e in feed if e.type == "visit_recorded"]
    assert len(visit_positions) >= 3
