"""Checks and hints for module 5: `StreamStats` and `summarise_stream`."""

from __future__ import annotations

import asyncio
import inspect
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from yieldlab import ModelError, tokenize

from ._calls import Outcome, call, drain, explain_coroutine
from ._expect import expect_items, expect_raises, passed, require
from ._messages import describe_call, describe_error, fail, short
from ._probes import Source


class ManualClock:
    """A clock that only moves when told to: `clock()` returns `clock.now`."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def __repr__(self) -> str:
        return "clock"


# StreamStats ----------------------------------------------------------------

Step = tuple
"""("start", t) or ("token", text, t): a call and the clock's time when it is made."""


def _story(steps: list[Step]) -> str:
    lines = ["stats = StreamStats(clock)"]
    for step in steps:
        call_text = "stats.start()" if step[0] == "start" else f"stats.token({step[1]!r})"
        lines.append(f"{call_text:<28} # at t={step[-1]:g}")
    return "\n    ".join(lines)


def _measure(cls: type, steps: list[Step], *, created_at: float = 0.0) -> tuple[Any, str]:
    """Create `cls(clock)` at `created_at` and play `steps`; the object and the story come back."""
    clock = ManualClock(created_at)
    created = call(cls, clock)
    if created.error is not None:
        raise fail(f"StreamStats(clock) raised {describe_error(created.error)}.")
    stats = created.items[0]
    for done, step in enumerate(steps, start=1):
        clock.now = step[-1]
        method = getattr(stats, step[0], None)
        if not callable(method):
            raise fail(f"StreamStats has no method {step[0]}().")
        outcome = call(method, *step[1:-1])
        if outcome.error is not None:
            raise fail(
                f"In this scenario:\n    {_story(steps[:done])}\n"
                f"the last call raised {describe_error(outcome.error)}."
            )
    return stats, _story(steps)


def _read(stats: Any, name: str, story: str) -> Any:
    outcome = call(getattr, stats, name)
    if outcome.error is not None:
        raise fail(
            f"In this scenario:\n    {story}\n"
            f"reading stats.{name} raised {describe_error(outcome.error)}."
        )
    value = outcome.items[0]
    if inspect.ismethod(value):
        raise fail(
            f"stats.{name} is a method; it should be a value you read without calling it.",
            "Put @property above `def " + name + "(self)`.",
        )
    return value


def _same(got: Any, expected: Any) -> bool:
    if expected is None or got is None:
        return got is expected
    if isinstance(expected, int) and not isinstance(expected, bool):
        return got == expected and isinstance(got, int) and not isinstance(got, bool)
    return isinstance(got, int | float) and math.isclose(got, expected, rel_tol=1e-9)


def _stats_hint(name: str, got: Any, steps: list[Step], created_at: float) -> str | None:
    """Why a StreamStats property is `got`, for the mistakes the course knows."""
    starts = [position for position, step in enumerate(steps) if step[0] == "start"]
    tokens = [step for step in steps[starts[-1] :] if step[0] == "token"]
    real = [step[-1] for step in tokens if step[1]]
    every = [step[-1] for step in tokens]
    if name == "count" and got == len(every) != len(real):
        return "An empty string is not a token (streams send such chunks): do not count it."
    if name == "count" and len(starts) > 1 and got not in (None, len(real)):
        return "start() begins a new measurement: reset the count and the times."
    if not real or not isinstance(got, int | float):
        return None
    start, first, last = steps[starts[-1]][-1], real[0], real[-1]
    wrong = {
        "ttft": [
            (
                first - created_at,
                "ttft is measured from start(), not from when the object was made.",
            ),
            (last - start, "ttft is the time of the FIRST token: later tokens must not change it."),
            (every[0] - start, "An empty token is not the first token: ignore empty strings."),
        ],
        "tokens_per_second": [
            (
                len(real) / (last - first) if last > first else None,
                "Between the first and the last of n tokens there are n - 1 gaps: divide "
                "(count - 1) by the time from the first token to the last.",
            ),
            (
                (len(real) - 1) / (last - start) if last > start else None,
                "The wait for the first token is ttft's business: measure tokens per second "
                "from the first token, not from start().",
            ),
            (
                len(real) / (last - start) if last > start else None,
                "Measure from the first token (not start()), and count the n - 1 gaps "
                "between n tokens.",
            ),
        ],
    }
    for value, why in wrong.get(name, []):
        if value is not None and math.isclose(got, value, rel_tol=1e-9):
            return why
    return None


def expect_stats(
    cls: type,
    steps: list[Step],
    *,
    hidden: str | None = None,
    created_at: float = 0.0,
    **expected: Any,
) -> None:
    """Play `steps` on `cls(clock)` and check each property named in `expected`."""
    stats, story = _measure(cls, steps, created_at=created_at)
    for name, value in expected.items():
        got = _read(stats, name, story)
        if _same(got, value):
            continue
        why = _stats_hint(name, got, steps, created_at)
        if hidden:
            raise fail(f"StreamStats failed a hidden test: {hidden} (stats.{name} is wrong).", why)
        raise fail(
            f"In this scenario:\n    {story}\nstats.{name} is {short(got)} "
            f"but should be {short(value)}.",
            why,
        )
    passed(f"hidden test: {hidden}" if hidden else "StreamStats: " + ", ".join(expected))


def expect_stats_error(
    cls: type, steps: list[Step], bad: Step, error: type[BaseException], hint: str
) -> None:
    """Check that `bad`, played after `steps`, raises `error`."""
    stats, story = _measure(cls, steps)
    method = getattr(stats, bad[0])
    outcome = call(method, *bad[1:-1])
    story = f"{story}\n    stats.{outcome.call}"
    if isinstance(outcome.error, error):
        passed(f"stats.{outcome.call} raised {error.__name__}")
        return
    got = f"raised {describe_error(outcome.error)}" if outcome.error else "raised nothing"
    raise fail(f"In this scenario:\n    {story}\nthe last call {got}, not {error.__name__}.", hint)


def expect_default_clock(cls: type) -> None:
    """Check that `cls()` works with its default clock and measures a small, real ttft."""
    created = call(cls)
    require(
        created.error is None,
        f"StreamStats() raised {describe_error(created.error) if created.error else ''}.",
        "Give clock a default: `def __init__(self, clock=time.perf_counter)`.",
    )
    stats = created.items[0]
    for step in (stats.start, lambda: stats.token("Hi")):
        outcome = call(step)
        require(outcome.error is None, f"With the default clock, {short(outcome.error)}.")
    ttft = _read(stats, "ttft", "stats = StreamStats(); stats.start(); stats.token('Hi')")
    require(
        isinstance(ttft, float) and 0 <= ttft < 1,
        f"With the default clock, ttft right after start() is {short(ttft)}, not a few "
        "microseconds.",
        "Call the clock (`self.clock()`), and use time.perf_counter as the default.",
    )
    passed("StreamStats() uses a real clock by default")


# summarise_stream -------------------------------------------------------------


class Summary(NamedTuple):
    """The grader's twin of the notebook's Summary: equal when the fields are equal."""

    batch: int
    sentence: str
    tokens: int
    ttft: float


def echo(prompt: str) -> list[str]:
    """The scripted model's reply: the prompt itself, as tokens (the notebook's EchoModel)."""
    return tokenize(prompt)


class ScriptedModel:
    """A model for the checks: `astream(prompt)` yields `reply(prompt)` and moves `clock` on.

    The first token comes `ttft` seconds after the call, each later one `gap`
    seconds after the one before. It records the prompts, how many tokens of the
    current stream it has handed out (`pulled`) and how many streams have run
    their cleanup (`closed`). With `fail_after`, a stream raises ModelError
    after that many tokens.
    """

    def __init__(
        self,
        reply: Callable[[str], list[str]] = echo,
        *,
        clock: ManualClock | None = None,
        ttft: float = 0.5,
        gap: float = 0.25,
        fail_after: int | None = None,
    ) -> None:
        self.reply = reply
        self.clock = clock or ManualClock()
        self.ttft = ttft
        self.gap = gap
        self.fail_after = fail_after
        self.prompts: list[str] = []
        self.pulled = 0
        self.closed = 0

    async def astream(self, prompt: str) -> Any:
        """Yield the reply's tokens, moving the clock on before each."""
        self.prompts.append(prompt)
        self.pulled = 0
        try:
            for index, token in enumerate(self.reply(prompt)):
                await asyncio.sleep(0)
                if index == self.fail_after:
                    raise ModelError(f"simulated failure after {index} tokens")
                self.clock.advance(self.ttft if index == 0 else self.gap)
                self.pulled += 1
                yield token
        finally:
            self.closed += 1

    def __repr__(self) -> str:
        return "model"


_SENTENCE_END = re.compile(r"[.!?]+(?=\s)")


def expected_summaries(
    documents: Iterable[str],
    batch_size: int,
    reply: Callable[[str], list[str]] = echo,
    ttft: float = 0.5,
    gap: float = 0.25,
    *,
    whole: bool = False,
    carry: bool = False,
    drop_rest: bool = False,
    count_empty: bool = False,
    one_clock: bool = False,
) -> list[Summary]:
    """What summarise_stream should yield; the keyword flags make the known mistakes."""
    documents = list(documents)
    batches = [documents[i : i + batch_size] for i in range(0, len(documents), batch_size)]
    now, results, buffer = 0.0, [], ""
    for index, batch in enumerate(batches):
        started = 0.0 if one_clock else now
        first, count = None, 0
        tokens = reply("\n\n".join(batch))
        if not carry:
            buffer = ""
        for position, token in enumerate(tokens):
            now += ttft if position == 0 else gap
            if not token and not count_empty:
                continue
            count += 1
            first = now - started if first is None else first
            buffer += token
            while not whole and (end := _SENTENCE_END.search(buffer)):
                results.append(Summary(index, buffer[: end.end()].strip(), count, first))
                buffer = buffer[end.end() :]
        if whole:
            pieces = re.split(r"(?<=[.!?])\s+", buffer.strip()) if buffer.strip() else []
            results += [Summary(index, piece, count, first) for piece in pieces]
            buffer = ""
        elif buffer.strip() and not drop_rest and not carry:
            results.append(Summary(index, buffer.strip(), count, first))
    if carry and buffer.strip():
        results.append(Summary(len(batches) - 1, buffer.strip(), count, first))
    return results


_MISTAKES = {
    "whole": (
        "Every sentence of a batch carries the batch's full token count: you collected the "
        "whole reply before cutting it into sentences. Yield each sentence as soon as the "
        "whitespace after its terminator arrives."
    ),
    "carry": (
        "A sentence never spans two batches: at the end of each batch's stream, yield what is "
        "left in the buffer and start the next batch with an empty one."
    ),
    "drop_rest": (
        "The last sentence of a batch is missing: when a batch's stream ends, yield what is "
        "left in the buffer unless it is only whitespace."
    ),
    "count_empty": "An empty string is not a token: do not count it (nor time it as the first).",
    "one_clock": (
        "ttft is measured for each batch: read the clock just before calling model.astream "
        "for that batch, not once for the whole run."
    ),
}


def summaries_hint(
    documents: list[str], batch_size: int, reply: Callable[[str], list[str]] = echo
) -> Callable[[Any, Any], str | None]:
    """A hint(got, expected) that recognises the known summarise_stream mistakes."""

    def hint(got: Any, expected: Any) -> str | None:
        if not isinstance(got, list):
            return None
        if got and not all(isinstance(item, tuple) and len(item) == 4 for item in got):
            return "Yield Summary(batch, sentence, tokens, ttft) objects."
        for mistake, why in _MISTAKES.items():
            if got == expected_summaries(documents, batch_size, reply, **{mistake: True}):
                return why
        if got and any(item[3] > 50 for item in got):
            return "ttft is a duration: subtract the clock reading taken before the call."
        return None

    return hint


def expect_summaries(
    summarise_stream: Callable,
    documents: list[str],
    *,
    batch_size: int,
    reply: Callable[[str], list[str]] = echo,
    hidden: str | None = None,
) -> None:
    """Check what summarise_stream yields for `documents` against the scripted model."""
    model = ScriptedModel(reply)
    expect_items(
        summarise_stream,
        documents,
        model,
        batch_size=batch_size,
        clock=model.clock,
        expected=expected_summaries(documents, batch_size, reply),
        hint=summaries_hint(documents, batch_size, reply),
        hidden=hidden,
    )


def expect_lazy_documents(
    summarise_stream: Callable, documents: list[str], batch_size: int
) -> None:
    """Check that a batch's sentences come before any document of the next batch is pulled."""
    model = ScriptedModel()
    source = Source(documents)
    outcome = drain(
        summarise_stream, source, model, batch_size=batch_size, clock=model.clock, probe=source
    )
    if outcome.error is not None:
        raise fail(f"{outcome.call} raised {describe_error(outcome.error)}.")
    for item, pulled in zip(outcome.items, outcome.pulls, strict=False):
        batch = item[0] if isinstance(item, tuple) and item and isinstance(item[0], int) else 0
        needed = min((batch + 1) * batch_size, len(documents))
        require(
            pulled <= needed,
            f"{outcome.call} is not lazy: when it yielded {short(item)}, it had pulled "
            f"{pulled} documents, but batch {batch} needs only the first {needed}.",
            "Pull one batch of documents (itertools.islice), summarise it, and only then pull "
            "the next: list(documents) reads them all before the first summary.",
        )
    passed(f"{outcome.call} pulls each batch of documents only when it needs it")


def expect_streams_tokens(
    summarise_stream: Callable, documents: list[str], batch_size: int
) -> None:
    """Check that each sentence is yielded before the model hands out the token after it."""
    model = ScriptedModel()
    outcome = drain(
        summarise_stream, documents, model, batch_size=batch_size, clock=model.clock, probe=model
    )
    if outcome.error is not None:
        raise fail(f"{outcome.call} raised {describe_error(outcome.error)}.")
    expected = expected_summaries(documents, batch_size)
    for item, pulled in zip(outcome.items, outcome.pulls, strict=False):
        if isinstance(item, tuple) and len(item) == 4 and pulled > item[2]:
            raise fail(
                f"{outcome.call} is not streaming: it yielded {short(item)} after pulling "
                f"{pulled} tokens of that batch's reply, but the sentence was complete after "
                f"{item[2]}.",
                _MISTAKES["whole"],
            )
    require(
        len(outcome.items) == len(expected),
        f"{outcome.call} yielded {len(outcome.items)} summaries, not {len(expected)}.",
    )
    passed(f"{outcome.call} yields each sentence as soon as it is complete")


def expect_prompts(
    summarise_stream: Callable, documents: list[str], batch_size: int, hidden: str
) -> None:
    """Check the prompts the model is asked: each batch's documents joined by a blank line."""
    model = ScriptedModel()
    outcome = drain(summarise_stream, documents, model, batch_size=batch_size)
    if outcome.error is not None:
        raise fail(f"summarise_stream raised {describe_error(outcome.error)} ({hidden}).")
    expected = [
        "\n\n".join(documents[i : i + batch_size]) for i in range(0, len(documents), batch_size)
    ]
    if model.prompts != expected:
        why = None
        if len(model.prompts) > len(expected):
            why = (
                "The model was asked more often than there are batches: never send an empty batch."
            )
        elif [p.replace("\n\n", " ") for p in expected] == model.prompts:
            why = "Join a batch's documents with a blank line: '\\n\\n'.join(batch)."
        raise fail(
            f"summarise_stream failed a hidden test: {hidden} (the model was asked "
            f"{len(model.prompts)} prompts; {len(expected)} expected, or they differ).",
            why,
        )
    passed(f"hidden test: {hidden}")


def expect_model_error(summarise_stream: Callable, documents: list[str], fail_after: int) -> None:
    """Check that a ModelError reaches the consumer after the sentences completed before it."""
    model = ScriptedModel(fail_after=fail_after)

    def reply_before_failure(prompt: str) -> list[str]:
        return echo(prompt)[:fail_after]

    complete = expected_summaries(documents, len(documents), reply_before_failure, drop_rest=True)
    outcome = drain(
        summarise_stream, documents, model, batch_size=len(documents), clock=model.clock
    )
    require(
        isinstance(outcome.error, ModelError) and outcome.items == complete,
        "summarise_stream failed a hidden test: when the model fails in the middle of a "
        "reply, the sentences completed before the failure come out, then the ModelError "
        f"(it yielded {len(outcome.items)} summaries and then "
        f"{describe_error(outcome.error) if outcome.error else 'ended normally'}).",
        "Let the model's exception propagate; do not yield the unfinished sentence.",
    )
    passed("hidden test: a model error reaches the consumer after the complete sentences")


def _open(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call fn; its async iterator comes back, or a CheckFailed that says what is wrong."""
    outcome = call(fn, *args, **kwargs)
    if outcome.error is not None:
        raise fail(f"{outcome.call} raised {describe_error(outcome.error)}.")
    stream = outcome.items[0]
    if inspect.iscoroutine(stream):
        explain_coroutine(Outcome(outcome.call), stream)
    require(
        hasattr(stream, "__anext__") and hasattr(stream, "aclose"),
        f"{outcome.call} returned {short(stream)}, not an async generator.",
    )
    return stream


def expect_closes_model(summarise_stream: Callable, documents: list[str]) -> None:
    """Check that closing the stream early closes the model's stream before aclose() returns."""
    model = ScriptedModel()
    stream = _open(summarise_stream, documents, model, batch_size=len(documents))

    async def stop_after_first() -> int:
        await stream.__anext__()
        await stream.aclose()
        return model.closed

    outcome = call(stop_after_first)
    if outcome.error is not None:
        raise fail(
            f"{describe_call(summarise_stream, (documents, model))}: the first summary or "
            f"aclose() raised {describe_error(outcome.error)}."
        )
    require(
        outcome.items[0] == 1,
        "summarise_stream failed a hidden test: when the consumer stops after the first "
        "sentence (aclose()), the model's stream must be closed before aclose() returns.",
        "An abandoned `async for` does not close the async generator it was pulling from: "
        "wrap it in `async with contextlib.aclosing(model.astream(prompt)) as tokens:`.",
    )
    passed("hidden test: stopping early closes the model's stream at once")


def expect_bad_batch_size(summarise_stream: Callable) -> None:
    """Check that batch_size < 1 raises ValueError."""
    for size in (0, -1):
        expect_raises(
            summarise_stream,
            ["One."],
            ScriptedModel(),
            batch_size=size,
            error=ValueError,
            hint="Check batch_size before pulling any document.",
        )
