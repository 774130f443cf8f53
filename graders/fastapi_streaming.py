"""Checks and hints for module 4, FastAPI streaming (assignment 04_fastapi_streaming).

The chat app and the reconnecting client are exercised in-process through
`yieldlab.StreamingASGITransport`, which streams like uvicorn and delivers
`http.disconnect` when the client closes the response.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json
import math
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI, Header
from pydantic import BaseModel
from starlette.responses import StreamingResponse

from yieldlab import SimulatedModel, StreamingASGITransport

from ._calls import call, not_implemented
from ._expect import first_difference, passed, require, same
from ._limits import OutOfTime, run_async
from ._messages import describe_error, fail, short

_LINE_END = re.compile(r"\r\n|\r|\n")
EARLIER_ID = "earlier"
"""The last event ID a client already has when the checks decode one event."""


@dataclass(frozen=True)
class Event:
    """An event as a WHATWG-conformant client dispatches it."""

    event: str = "message"
    data: str = ""
    id: str = ""
    retry: int | None = None


def decode_sse(text: str, last_id: str = "") -> list[Event]:
    """The events a browser's EventSource dispatches for `text` (WHATWG rules)."""
    events: list[Event] = []
    data: list[str] = []
    event, retry = "", None
    for line in _LINE_END.split(text)[:-1]:  # the part after the last line end is incomplete
        if not line:
            if data:
                events.append(Event(event or "message", "\n".join(data), last_id, retry))
            data, event, retry = [], "", None
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id" and "\0" not in value:
            last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            retry = int(value)
    return events


# format_sse_event ----------------------------------------------------------------------


def _format_hint(text: str, data: str, id: str | None) -> str | None:
    if not text.endswith(("\n\n", "\r\n\r\n", "\r\r")):
        return "An event ends with a blank line: finish it with two line endings, '\\n\\n'."
    if any(ch in data for ch in "\r\n") and data in text:
        return (
            "A line break inside `data` ends the data: line, and what follows it becomes a "
            "new field, or a new event. Write one `data:` line per line of data."
        )
    if set(data) & set("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return (
            "str.splitlines() also splits on characters SSE does not treat as line ends "
            "('\\x0b', '\\x85', '\\u2028', ...): split on '\\r\\n', '\\r' and '\\n' only."
        )
    if data == "" or data.endswith(("\n", "\r")):
        return (
            "Every line of data needs its data: line, the empty ones too: ''.splitlines() is "
            "[] and 'a\\n'.splitlines() drops the last, empty line. "
            "re.split(r'\\r\\n|\\r|\\n', data) keeps them."
        )
    if id == "":
        return (
            "An empty id is a real value: `id:` with nothing after it resets the client's last "
            "event ID. Test `id is not None`, not `if id:`."
        )
    return None


def expect_sse_event(
    fn: Callable,
    data: str,
    *,
    event: str | None = None,
    id: str | None = None,
    retry: int | None = None,
    hidden: str | None = None,
) -> None:
    """Check that a WHATWG client decodes `fn(data, ...)` back to exactly one such event."""
    kwargs = {
        key: value
        for key, value in {"event": event, "id": id, "retry": retry}.items()
        if value is not None
    }
    outcome = call(fn, data, **kwargs)
    name = outcome.call.split("(", 1)[0] if hidden else outcome.call
    if outcome.error is not None:
        raise fail(f"{name} raised {describe_error(outcome.error)}, but should return the event.")
    text = outcome.items[0]
    require(
        isinstance(text, str),
        f"{name} returned {short(text)} ({type(text).__name__}), not a str.",
    )
    expected = [
        Event(
            event or "message",
            "\n".join(_LINE_END.split(data)),
            EARLIER_ID if id is None else id,
            retry,
        )
    ]
    got = decode_sse(text, last_id=EARLIER_ID)
    if not same(got, expected):
        why = _format_hint(text, data, id)
        if hidden:
            raise fail(f"{name} failed a hidden test: {hidden}.", why)
        raise fail(
            f"{name} returned {text!r}.\nA client decodes that as {got}\n"
            f"but should decode {expected}.",
            why,
        )
    passed(f"hidden test: {hidden}" if hidden else f"{name} decodes back to the same event")


# the chat app ------------------------------------------------------------------------


class EndlessModel:
    """A model that streams 'tok0', 'tok1', ... forever and records whether it was closed."""

    def __init__(self) -> None:
        self.pulled = 0
        self.closed = False

    async def astream(self, prompt: str = "") -> AsyncIterator[str]:
        """Yield tokens forever, a millisecond apart; `closed` is True once closed."""
        try:
            for n in itertools.count():
                await asyncio.sleep(0.001)
                self.pulled += 1
                yield f" tok{n}"
        finally:
            self.closed = True

    def __repr__(self) -> str:
        return "EndlessModel()"


@dataclass
class Reply:
    """What an HTTP request to the app got back."""

    status: int
    headers: httpx.Headers
    text: str
    broken: BaseException | None = None
    """The transport error if the response broke off before it was complete."""


def _make_app(create_app: Callable, model: Any) -> Any:
    outcome = call(create_app, model)
    if outcome.error is not None:
        raise fail(f"{outcome.call} raised {describe_error(outcome.error)}.")
    app = outcome.items[0]
    require(
        callable(app),
        f"{outcome.call} returned {short(app)}, not an app: return the FastAPI() you made.",
    )
    return app


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=StreamingASGITransport(app), base_url="http://chat")


def post_chat(create_app: Callable, model: Any, body: Any, headers: dict | None = None) -> Reply:
    """POST `body` (JSON, or bytes as they are) to /chat/stream of `create_app(model)`."""
    app = _make_app(create_app, model)
    content = body if isinstance(body, bytes) else json.dumps(body).encode()

    async def scenario() -> Reply:
        all_headers = {"content-type": "application/json", **(headers or {})}
        async with _client(app) as client:
            request = client.build_request("POST", "/chat/stream", content=content)
            request.headers.update(all_headers)
            response = await client.send(request, stream=True)
            text, broken = "", None
            try:
                async for piece in response.aiter_text():
                    text += piece
            except httpx.TransportError as error:
                broken = error
            finally:
                await response.aclose()
            return Reply(response.status_code, response.headers, text, broken)

    try:
        return run_async(scenario())
    except OutOfTime:
        raise fail(
            f"POST /chat/stream {short(body)} did not finish within the time limit.",
            "Does the stream end after the model's last token, with the [DONE] event?",
        ) from None


def _describe(body: Any, headers: dict | None) -> str:
    extra = "".join(f" with {key}: {value}" for key, value in (headers or {}).items())
    return f"POST /chat/stream {short(body)}{extra}"


def _token_events(events: list[Event]) -> list[tuple[str, Any]]:
    """(id, token) of each event before [DONE]; token is the data's "token" or the raw data."""
    pairs = []
    for event in events:
        if event.data == "[DONE]" or event.event == "error":
            break
        try:
            payload = json.loads(event.data)
        except ValueError:
            payload = None
        token = payload["token"] if isinstance(payload, dict) and "token" in payload else event
        pairs.append((event.id, token))
    return pairs


def expect_chat_events(
    create_app: Callable,
    model: Any,
    prompt: str,
    *,
    last_event_id: str | None = None,
    hidden: str | None = None,
) -> None:
    """Check the events of one chat stream: each token with ids counting up, then [DONE].

    With `last_event_id`, the stream resumes after the token with that id.
    """
    headers = {"Last-Event-ID": last_event_id} if last_event_id is not None else None
    body = {"prompt": prompt}
    request = "POST /chat/stream (hidden request)" if hidden else _describe(body, headers)
    reply = post_chat(create_app, model, body, headers)
    require(
        reply.status == 200,
        f"{request} got status {reply.status}: {reply.text[:200]!r}.",
    )
    if reply.broken is not None:
        raise fail(
            f"{request}: the response broke off: {describe_error(reply.broken)}.",
            "An exception escaped from your event generator.",
        )
    events = decode_sse(reply.text)
    tokens = model.tokens(prompt)
    start = int(last_event_id) if last_event_id and last_event_id.isdecimal() else 0
    expected = [(str(n), token) for n, token in enumerate(tokens, start=1)][start:]
    got = _token_events(events)
    if not same(got, expected):
        why = _resume_hint(got, expected) if last_event_id is not None else _events_hint(got)
        if hidden:
            raise fail(
                f"{request} failed a hidden test: {hidden} ({first_difference(got, expected)}).",
                why,
            )
        raise fail(
            f"{request} sent the (id, token) events {short(got)}\nbut should send {short(expected)}.",
            why,
        )
    require(
        len(events) == len(got) + 1 and events[-1].data == "[DONE]",
        f"{request}: after the last token the stream should send one more event, "
        f"`data: [DONE]`, and end; it sent {short(events[len(got) :])}.",
        "Clients stop reading at [DONE]: without it they cannot tell a finished reply "
        "from a dropped connection.",
    )
    passed(
        f"hidden test: {hidden}" if hidden else f"{request} streams {len(got)} tokens, then [DONE]"
    )


def _events_hint(got: list) -> str | None:
    if got and all(isinstance(token, Event) for _, token in got):
        return 'Send each token as JSON data: `data: {"token": " Hello"}` (json.dumps).'
    if got and got[0][0] != "1":
        return "Number the token events 1, 2, 3, ...: the first token has `id: 1`."
    return None


def _resume_hint(got: list, expected: list) -> str | None:
    if same(got[1:], expected):
        return (
            "The first token is one the client already has: Last-Event-ID is the id of the "
            "last event it received, so start after it."
        )
    if same(got, expected[1:]):
        return "A token is lost: start right after the Last-Event-ID, not one further."
    if len(got) > len(expected):
        return (
            "The stream starts from the beginning again: read the `Last-Event-ID` header "
            "(`last_event_id: str | None = Header(default=None)`) and skip the tokens up to it."
        )
    return None


def expect_sse_headers(create_app: Callable) -> None:
    """Check `text/event-stream`, `Cache-Control: no-cache` and `X-Accel-Buffering: no`."""
    body = {"prompt": "headers"}
    reply = post_chat(create_app, SimulatedModel(), body)
    wanted = {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
    }
    for name, value in wanted.items():
        got = reply.headers.get(name, "")
        require(
            got.split(";")[0].strip().lower() == value,
            f"{_describe(body, None)} sent the header {name}: {got or '(none)'}, "
            f"but should send {name}: {value}.",
            "Pass headers={...} to StreamingResponse; nginx buffers a response unless it "
            "says `X-Accel-Buffering: no`.",
        )
    passed("the response is text/event-stream, with no-cache and X-Accel-Buffering: no")


def expect_error_event(
    create_app: Callable, fail_after: int = 3, hidden: str | None = None
) -> None:
    """Check that a model failing mid-stream gives its tokens, then an `error` event, cleanly."""
    model = SimulatedModel(fail_after=fail_after)
    body = {"prompt": "fail"}
    request = f"hidden test ({hidden})" if hidden else _describe(body, None)
    reply = post_chat(create_app, model, body)
    if reply.broken is not None:
        raise fail(
            f"{request} with a model that fails after {fail_after} tokens: the response broke "
            f"off ({describe_error(reply.broken)}).",
            "Once the status line is sent, an exception cannot become a 500 any more: catch it "
            "in your event generator and send `event: error` with a JSON body instead.",
        )
    events = decode_sse(reply.text)
    got = _token_events(events)
    expected = [(str(n), token) for n, token in enumerate(model.tokens("fail")[:fail_after], 1)]
    require(
        same(got, expected),
        f"{request}: before the error it sent other (id, token) events "
        f"({first_difference(got, expected)}).",
    )
    errors = events[len(got) : len(got) + 1]
    require(
        bool(errors) and errors[0].event == "error",
        f"{request}: after the model raised, the next event should be `event: error`; "
        f"it was {short(errors[0] if errors else 'the end of the stream')}.",
    )
    try:
        payload = json.loads(errors[0].data)
    except ValueError:
        payload = None
    require(
        isinstance(payload, dict) and "error" in payload,
        f"{request}: the error event's data is {errors[0].data!r}, but should be a JSON "
        'object with an "error" key, such as {"error": "simulated failure after 3 tokens"}.',
    )
    extra = [event for event in events[len(got) + 1 :] if event.data != "[DONE]"]
    require(not extra, f"{request}: after the error event it sent {short(extra)}.")
    passed(f"{request}: a model error becomes an error event and the stream ends cleanly")


def expect_bad_body_rejected(
    create_app: Callable, body: Any, field: str = "prompt", hidden: str | None = None
) -> None:
    """Check that a malformed body gets 422, and that the reason names `field`."""
    reply = post_chat(create_app, SimulatedModel(), body)
    request = f"hidden test ({hidden})" if hidden else _describe(body, None)
    require(
        reply.status == 422,
        f"{request} got status {reply.status}, but a malformed body should get 422.",
        "Declare the body as a pydantic model (`class ChatRequest(BaseModel): prompt: str`): "
        "FastAPI then validates it and answers 422 by itself.",
    )
    require(
        field in reply.text,
        f"{request} got 422 with {reply.text[:200]!r}, which does not name the problem.",
    )
    passed(f"{request} gets 422 with a reason")


def expect_closes_model_on_disconnect(create_app: Callable) -> None:
    """Check that the app streams, and closes the model's stream soon after the client leaves."""
    model = EndlessModel()
    app = _make_app(create_app, model)
    body = {"prompt": "forever"}

    async def scenario() -> tuple[int, bool]:
        async with _client(app) as client:
            async with asyncio.timeout(1.0):
                async with client.stream("POST", "/chat/stream", json=body) as response:
                    text = ""
                    async for piece in response.aiter_text():
                        text += piece
                        if len(decode_sse(text)) >= 2:
                            break
        pulled = model.pulled
        for _ in range(100):
            if model.closed:
                break
            await asyncio.sleep(0.005)
        return pulled, model.closed

    request = f"{_describe(body, None)} to a model that never stops"
    try:
        pulled, closed = run_async(scenario())
    except TimeoutError:
        raise fail(
            f"{request}: the first two events did not arrive within 1 s.",
            "Yield each event as soon as its token arrives: do not collect the reply first.",
        ) from None
    except OutOfTime:
        raise fail(f"{request}: the check did not finish within the time limit.") from None
    require(
        closed,
        f"{request}: the client read two events and closed the connection, but 0.5 s later "
        f"the model's stream was still open (it had produced {model.pulled} tokens, "
        f"{model.pulled - pulled} of them after the client left).",
        "Pull the model's tokens inside the generator you give to StreamingResponse, and "
        "close them in `finally` (`await tokens.aclose()`): a background task or a buffer "
        "keeps the model running for nobody.",
    )
    passed(f"{request}: the model's stream is closed when the client leaves")


# the reconnecting client ----------------------------------------------------------------


class _ChatRequest(BaseModel):
    prompt: str


def chat_server(model: SimulatedModel) -> FastAPI:
    """A chat app that follows the contract, for testing clients against."""
    app = FastAPI()

    @app.post("/chat/stream")
    async def chat(
        body: _ChatRequest, last_event_id: str | None = Header(default=None)
    ) -> StreamingResponse:
        start = int(last_event_id) if last_event_id and last_event_id.isdecimal() else 0

        async def events() -> AsyncIterator[str]:
            number = 0
            try:
                async for token in model.astream(body.prompt):
                    number += 1
                    if number > start:
                        yield f"id: {number}\ndata: {json.dumps({'token': token})}\n\n"
            except Exception as error:  # noqa: BLE001 (becomes an error event)
                yield f"event: error\ndata: {json.dumps({'error': str(error)})}\n\n"
                return
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


class FlakyTransport(httpx.AsyncBaseTransport):
    """A connection to `chat_server` that fails on cue, and records each Last-Event-ID sent.

    The first `refuse` requests fail to connect; then the k-th connection breaks
    off after `drops[k]` events, with an error or, with `quiet`, as if the
    server had ended the response. Later connections work.
    """

    def __init__(
        self, model: SimulatedModel, refuse: int = 0, drops: tuple = (), quiet: bool = False
    ) -> None:
        self.inner = StreamingASGITransport(chat_server(model))
        self.refuse = refuse
        self.drops = list(drops)
        self.quiet = quiet
        self.last_event_ids: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The server's response, or the failure that is due."""
        self.last_event_ids.append(request.headers.get("last-event-id"))
        if self.refuse:
            self.refuse -= 1
            raise httpx.ConnectError("connection refused (simulated)", request=request)
        response = await self.inner.handle_async_request(request)
        if not self.drops:
            return response
        stream = _Cut(response.stream, self.drops.pop(0), self.quiet)
        return httpx.Response(response.status_code, headers=response.headers, stream=stream)


class _Cut(httpx.AsyncByteStream):
    """Pass on `events` events (one per chunk), then break off."""

    def __init__(self, inner: Any, events: int, quiet: bool) -> None:
        self.inner, self.events, self.quiet = inner, events, quiet

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.inner:
            if self.events == 0:
                break
            self.events -= 1
            yield chunk
        await self.inner.aclose()
        if not self.quiet:
            raise httpx.RemoteProtocolError("peer closed connection (simulated drop)")

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _open(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """`fn(*args, **kwargs)`, which must be an async iterator (the stub is a coroutine)."""
    stream = fn(*args, **kwargs)
    if inspect.iscoroutine(stream):
        await stream  # the untouched stub raises NotImplementedError here
        raise TypeError(
            "it returned a coroutine, not an async iterator: an `async def` becomes a stream "
            "only when its body contains `yield`"
        )
    return stream


JITTERS = (0.5, 0.0, 0.75, 0.25)
"""What the checks' `jitter()` returns, call after call, round and round."""


class CyclingJitter:
    """A stand-in for `random.random`: returns `values` in turn, and counts its calls."""

    def __init__(self, values: tuple = JITTERS) -> None:
        self.values = tuple(values)
        self.calls = 0

    def __call__(self) -> float:
        value = self.values[self.calls % len(self.values)]
        self.calls += 1
        return value

    def __repr__(self) -> str:
        return "jitter"


def jittered(delays: list, values: tuple = JITTERS) -> list[float]:
    """The sleeps of "equal jitter": delay / 2 + jitter() * delay / 2 for each delay."""
    cycle = itertools.cycle(values)
    return [delay / 2 + next(cycle) * delay / 2 for delay in delays]


def _close(got: list, expected: list) -> bool:
    """Same length, and each sleep a number within rounding of the expected one."""
    return len(got) == len(expected) and all(
        isinstance(a, int | float)
        and not isinstance(a, bool)
        and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        for a, b in zip(got, expected, strict=True)
    )


def _rounded(sleeps: list) -> str:
    """The sleeps as a short list, floats rounded to 6 places (0.15, not 0.15000000000000002)."""
    return short([round(x, 6) if isinstance(x, float) else x for x in sleeps])


def _check_sleeps(
    call_text: str,
    sleeps: list,
    delays: list,
    jitter: CyclingJitter,
    hidden: str | None,
    verb: str = "before its reconnections",
) -> None:
    """Fail unless each sleep is delay / 2 + jitter() * delay / 2, with the jitter given."""
    expected = jittered(delays, jitter.values)
    if _close(sleeps, expected):
        return
    if expected and not sleeps:
        why = (
            "It never called the `sleep` it was given: await `sleep(...)`, not asyncio.sleep, "
            "so that the tests can see the waits without waiting."
        )
    elif sleeps and _close(sleeps, delays):
        why = (
            "These are the plain backoff delays, without jitter: wait "
            "`delay / 2 + jitter() * delay / 2`, so clients dropped together spread out."
        )
    elif sleeps and jitter.calls == 0:
        why = (
            "It never called the `jitter` it was given (did it call random.random itself?). "
            "Call `jitter()` once before each wait: the tests pass one that returns known values."
        )
    elif len(sleeps) == len(expected) and jitter.calls != len(sleeps):
        why = (
            f"It called jitter() {jitter.calls} times for {len(sleeps)} waits: "
            "call it once per wait."
        )
    else:
        why = (
            "Wait `delay / 2 + jitter() * delay / 2`, where `delay = base_delay * 2 ** "
            "(failures - 1)` and failures counts the failed attempts in a row, back to 0 "
            "when an event arrives."
        )
    if hidden:
        if len(sleeps) < len(expected):
            where = "it waited too few times"
        elif len(sleeps) > len(expected):
            where = "it waited too many times"
        else:
            pairs = zip(sleeps, expected, strict=True)
            index = next(i for i, (a, b) in enumerate(pairs) if not _close([a], [b]))
            where = f"wait number {index + 1} is different"
        raise fail(f"{call_text} (how long it waits: {where}).", why)
    values = ", ".join(str(jitter.values[k % len(jitter.values)]) for k in range(len(delays)))
    raise fail(
        f"{call_text}: it slept {_rounded(sleeps)} {verb}, but should sleep "
        f"{_rounded(expected)}: the backoff delays {delays}, each waited as "
        f"delay / 2 + jitter() * delay / 2 with jitter() returning {values or 'nothing'}.",
        why,
    )


def _explain_error(error: BaseException) -> str | None:
    if isinstance(error, TypeError) and "jitter" in str(error):
        return (
            "The client takes a keyword `jitter: Callable[[], float] = random.random`: "
            "add it to the signature."
        )
    return None


def expect_reconnecting(
    fn: Callable,
    *,
    refuse: int = 0,
    drops: tuple = (),
    quiet: bool = False,
    max_retries: int = 5,
    base_delay: float = 0.1,
    expected_ids: list | None = None,
    expected_delays: list | None = None,
    jitters: tuple = JITTERS,
    model: SimulatedModel | None = None,
    hidden: str | None = None,
) -> None:
    """Check that `fn(client, prompt, ...)` yields every token once through a flaky server.

    `expected_ids` is the Last-Event-ID sent with each request (None: no header),
    `expected_delays` the backoff delays before the reconnections; each sleep must be
    delay / 2 + jitter() * delay / 2, with a `jitter` that returns `jitters` in turn.
    """
    model = model or SimulatedModel()
    prompt = "Hello"
    transport = FlakyTransport(model, refuse, drops, quiet)
    jitter = CyclingJitter(jitters)
    sleeps: list[float] = []
    tokens: list = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=transport, base_url="http://chat") as client:
            stream = await _open(
                fn,
                client,
                prompt,
                max_retries=max_retries,
                base_delay=base_delay,
                sleep=fake_sleep,
                jitter=jitter,
            )
            try:
                async for token in stream:
                    tokens.append(token)
            finally:
                if hasattr(stream, "aclose"):
                    await stream.aclose()

    setup = f"refuses {refuse} connections" if refuse else ""
    if drops:
        how = "ends quietly" if quiet else "breaks off"
        setup += (" and then " if setup else "") + f"{how} after {list(drops)} events"
    name = getattr(fn, "__name__", "the client")
    call_text = (
        f"{name}(client, {prompt!r}, max_retries={max_retries}, base_delay={base_delay}, "
        f"sleep=..., jitter=...) with a server that {setup or 'works'}"
    )
    if hidden:
        call_text = f"{name} failed a hidden test: {hidden}"
    try:
        run_async(scenario())
    except NotImplementedError:
        raise not_implemented(f"{name}(...)") from None
    except OutOfTime:
        raise fail(
            f"{call_text}: did not finish within the time limit after yielding {short(tokens)}.",
            "Does it call the `sleep` it was given (not asyncio.sleep), and stop at [DONE] "
            "and after max_retries failures in a row?",
        ) from None
    except Exception as error:  # noqa: BLE001
        raise fail(
            f"{call_text}: raised {describe_error(error)} after {short(tokens)}.",
            _explain_error(error),
        ) from None
    expected = model.tokens(prompt)
    if not same(tokens, expected):
        why = None
        if len(tokens) > len(expected):
            why = (
                "Some tokens came twice: after a drop, reconnect with the header "
                "`Last-Event-ID: <id of the last event you received>`."
            )
        elif same(tokens, expected[: len(tokens)]):
            why = "A stream that ends without [DONE] was cut off: reconnect and read the rest."
        where = f" ({first_difference(tokens, expected)})" if hidden else ""
        shown = "" if hidden else f" yielded {short(tokens)}\nbut should yield {short(expected)}"
        raise fail(f"{call_text}{shown}{where}.", why)
    if expected_ids is not None and not same(transport.last_event_ids, expected_ids):
        if hidden:
            raise fail(f"{call_text} (the Last-Event-ID headers it sent are different).")
        raise fail(
            f"{call_text}: the requests carried the Last-Event-IDs {transport.last_event_ids} "
            f"(None: no header), but should carry {expected_ids}.",
            "Send the id of the last event you received; before any event, send no header.",
        )
    if expected_delays is not None:
        _check_sleeps(call_text, sleeps, expected_delays, jitter, hidden)
    passed(f"hidden test: {hidden}" if hidden else f"{call_text}: every token exactly once")


def expect_gives_up(
    fn: Callable,
    *,
    refuse: int,
    max_retries: int,
    expected_delays: list,
    base_delay: float = 0.1,
    jitters: tuple = JITTERS,
    hidden: str | None = None,
) -> None:
    """Check that after `max_retries` failed reconnections in a row the last error is raised."""
    transport = FlakyTransport(SimulatedModel(), refuse)
    jitter = CyclingJitter(jitters)
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=transport, base_url="http://chat") as client:
            stream = await _open(
                fn,
                client,
                "Hello",
                max_retries=max_retries,
                base_delay=base_delay,
                sleep=fake_sleep,
                jitter=jitter,
            )
            async for _ in stream:
                pass

    name = getattr(fn, "__name__", "the client")
    call_text = (
        f"{name}(client, 'Hello', max_retries={max_retries}, base_delay={base_delay}, "
        f"sleep=..., jitter=...) with a server that refuses {refuse} connections"
    )
    if hidden:
        call_text = f"{name} failed a hidden test: {hidden}"
    try:
        run_async(scenario())
    except httpx.ConnectError:
        pass
    except NotImplementedError:
        raise not_implemented(f"{name}(...)") from None
    except OutOfTime:
        raise fail(
            f"{call_text}: did not finish within the time limit.",
            "After max_retries failed reconnections in a row, raise the last error.",
        ) from None
    except Exception as error:  # noqa: BLE001
        raise fail(
            f"{call_text}: raised {describe_error(error)}, but should raise ConnectError.",
            _explain_error(error),
        ) from None
    else:
        raise fail(f"{call_text}: ended without an error, but should raise httpx.ConnectError.")
    _check_sleeps(call_text, sleeps, expected_delays, jitter, hidden, verb="before giving up")
    passed(f"hidden test: {hidden}" if hidden else f"{call_text}: gives up with ConnectError")
