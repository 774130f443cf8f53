"""Call learner code and drain what it returns, under a time limit, with clear failures."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._limits import LIMIT, OutOfTime, quiet, run_async, within
from ._messages import CheckFailed, describe_call, name_of, short

MAX_ITEMS = 100_000
"""A stream that yields more than this in one check is taken to never end."""


@dataclass
class Outcome:
    """What a call did: the items it yielded, and how it ended."""

    call: str
    hidden: bool = False
    """True in a hidden test: messages then show neither inputs nor items."""
    items: list = field(default_factory=list)
    pulls: list[int] = field(default_factory=list)
    """The probe's `pulled` count at the moment each item arrived."""
    error: BaseException | None = None
    """What the learner's code raised, if anything."""
    ended: bool = False
    """True when the stream finished by itself."""


def not_implemented(call: str) -> CheckFailed:
    name = call.split("(", 1)[0]
    return CheckFailed(
        f"{name} is not implemented yet: {call} raised NotImplementedError.\n"
        f"Replace `raise NotImplementedError()` in the cell that defines {name} with your code."
    )


def _guard(outcome: Outcome, error: BaseException) -> None:
    """Turn a learner's exception into the outcome, or a time-out into a clear failure."""
    if isinstance(error, OutOfTime):
        raise _timed_out(outcome) from None
    if isinstance(error, NotImplementedError):
        raise not_implemented(outcome.call) from None
    if isinstance(error, KeyboardInterrupt):
        raise error
    outcome.error = error


def _timed_out(outcome: Outcome) -> CheckFailed:
    if outcome.items and not outcome.hidden:
        so_far = f" after yielding {short(outcome.items)}"
        why = "Is it waiting for more input than the next item needs, or looping forever?"
    else:
        so_far = ""
        why = "Look for a loop that never ends, or an await that nothing will ever wake."
    return CheckFailed(f"{outcome.call} did not finish within {LIMIT:g} s{so_far}.\n{why}")


def describe(fn: Callable, args: tuple, kwargs: dict, hidden: str | None) -> Outcome:
    """An empty Outcome for this call; in a hidden test its inputs stay hidden."""
    if hidden:
        return Outcome(f"{name_of(fn)}(...) in the hidden test '{hidden}'", hidden=True)
    return Outcome(describe_call(fn, args, kwargs))


def call(fn: Callable, *args: Any, hidden: str | None = None, **kwargs: Any) -> Outcome:
    """Call `fn`, awaiting the result if it is a coroutine; the value is `items[0]`."""
    outcome = describe(fn, args, kwargs, hidden)
    try:
        with quiet():
            value = within(LIMIT, lambda: fn(*args, **kwargs))
        if inspect.iscoroutine(value):
            value = run_async(value)
        outcome.items.append(value)
        outcome.ended = True
    except BaseException as error:  # noqa: BLE001 (learner code may raise anything)
        _guard(outcome, error)
    return outcome


def drain(
    fn: Callable,
    *args: Any,
    probe: Any = None,
    limit_items: int | None = None,
    hidden: str | None = None,
    **kwargs: Any,
) -> Outcome:
    """Call `fn` and pull its stream (sync or async) to the end, or `limit_items` items.

    With a `probe` (a Source or AsyncSource given to `fn`), records how much
    was pulled when each item arrived. The stream is closed afterwards, so
    its cleanup has run when this returns. With `hidden`, messages name that
    hidden test instead of showing the inputs.
    """
    outcome = describe(fn, args, kwargs, hidden)
    try:
        with quiet():
            stream = within(LIMIT, lambda: fn(*args, **kwargs))
    except BaseException as error:  # noqa: BLE001
        _guard(outcome, error)
        return outcome
    return pull(outcome, stream, probe=probe, limit_items=limit_items)


def pull(
    outcome: Outcome, stream: Any, *, probe: Any = None, limit_items: int | None = None
) -> Outcome:
    """Pull `stream`, which `outcome.call` returned, into `outcome` (see `drain`)."""
    stop = MAX_ITEMS + 1 if limit_items is None else limit_items
    if hasattr(stream, "__anext__") or hasattr(stream, "__aiter__"):
        _drain_async(outcome, stream, probe, stop)
    elif inspect.iscoroutine(stream):
        explain_coroutine(outcome, stream)
    elif hasattr(stream, "__next__") or hasattr(stream, "__iter__"):
        _drain_sync(outcome, stream, probe, stop)
    else:
        raise CheckFailed(
            f"{outcome.call} returned {short(stream)} ({type(stream).__name__}), "
            "not an iterator: a stream must be something a for loop can pull from."
        )
    if len(outcome.items) > MAX_ITEMS:
        raise CheckFailed(
            f"{outcome.call} yielded more than {MAX_ITEMS:,} items and was still going. "
            "Does your loop ever stop?"
        )
    return outcome


def _drain_sync(outcome: Outcome, stream: Any, probe: Any, stop: int) -> None:
    def pull_all() -> None:
        iterator = iter(stream)
        while len(outcome.items) < stop:
            try:
                item = next(iterator)
            except StopIteration:
                outcome.ended = True
                break
            outcome.items.append(item)
            if probe is not None:
                outcome.pulls.append(probe.pulled)
        if hasattr(iterator, "close"):
            iterator.close()

    try:
        with quiet():
            within(LIMIT, pull_all)
    except BaseException as error:  # noqa: BLE001
        _guard(outcome, error)


def _drain_async(outcome: Outcome, stream: Any, probe: Any, stop: int) -> None:
    async def pull() -> None:
        iterator = stream.__aiter__() if hasattr(stream, "__aiter__") else stream
        try:
            while len(outcome.items) < stop:
                try:
                    item = await iterator.__anext__()
                except StopAsyncIteration:
                    outcome.ended = True
                    break
                outcome.items.append(item)
                if probe is not None:
                    outcome.pulls.append(probe.pulled)
        finally:
            if hasattr(iterator, "aclose"):
                await iterator.aclose()

    try:
        run_async(pull())
    except BaseException as error:  # noqa: BLE001
        _guard(outcome, error)


def explain_coroutine(outcome: Outcome, coroutine: Any) -> None:
    """A coroutine where a stream was expected: the untouched stub, or a missing `yield`."""
    try:
        run_async(coroutine)
    except NotImplementedError:
        raise not_implemented(outcome.call) from None
    except BaseException:  # noqa: BLE001, S110 (any other outcome gets the message below)
        pass
    name = outcome.call.split("(", 1)[0]
    raise CheckFailed(
        f"{outcome.call} returned a coroutine, not an async iterator: `async for` cannot "
        f"pull from it.\nAn `async def` becomes an async generator only when its body "
        f"contains `yield`: yield each item instead of returning a result from {name}."
    )
