"""Checks, probes and hints for module 2 (async generators): what its test cells call.

Every check runs a scenario on a private event loop (`run_async`) and watches
instrumented sources: how far they were pulled, whether their cleanup ran, and
which tasks are still running at the moment a stream ends. No check measures time.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from typing import Any

from ._calls import not_implemented
from ._expect import passed, same
from ._limits import LIMIT, OutOfTime, run_async
from ._messages import CheckFailed, describe_call, describe_error, fail, name_of, short
from ._probes import AsyncSource, leftover_tasks

PAUSE_TURNS = 20
"""A pause ends when the source has not been pulled for this many event-loop turns."""


class PacedSource(AsyncSource):
    """An AsyncSource that takes `turns` event-loop turns before each item (a slower stream),
    waits `delay` seconds before each item after the first (`first_delay` before the first),
    and with `stall=True` never ends after its items, like a connection gone quiet."""

    def __init__(
        self,
        items: Iterable,
        *,
        turns: int = 1,
        delay: float = 0.0,
        first_delay: float = 0.0,
        then_raise: BaseException | None = None,
        stall: bool = False,
    ) -> None:
        self.turns, self.delay, self.first_delay, self.stall = turns, delay, first_delay, stall
        super().__init__(items, then_raise=then_raise)

    async def _run(self) -> AsyncIterator:
        try:
            for index, item in enumerate(self.items):
                wait = self.delay if index else self.first_delay
                if wait:
                    await asyncio.sleep(wait)
                for _ in range(self.turns):
                    await asyncio.sleep(0)
                self.pulled += 1
                yield item
            if self.then_raise is not None:
                raise self.then_raise
            if self.stall:
                await asyncio.Event().wait()
        finally:
            self.cleaned_up = True

    def __repr__(self) -> str:
        return f"aiter({short(self.items)}{', then silence' if self.stall else ''})"


# Running scenarios ------------------------------------------------------------------------


def run_scenario(call: str, scenario: Coroutine, *, on_time_out: str) -> Any:
    """Run `scenario` under the time limit; any failure becomes a CheckFailed about `call`."""
    try:
        return run_async(scenario)
    except OutOfTime:
        raise CheckFailed(f"{call} did not finish within {LIMIT:g} s{on_time_out}") from None
    except CheckFailed:
        raise
    except NotImplementedError:
        raise not_implemented(call) from None
    except Exception as error:  # noqa: BLE001 (learner code may raise anything)
        raise fail(f"{call} raised {describe_error(error)}.") from None


async def open_stream(call: str, fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """Call `fn` inside the running loop and return the async iterator it gives."""
    stream = fn(*args, **kwargs)
    if inspect.iscoroutine(stream):
        await stream  # the untouched stub raises NotImplementedError here
        raise CheckFailed(
            f"{call} returned a coroutine, not an async iterator: `async for` cannot pull "
            "from it.\nAn `async def` becomes an async generator only when its body contains "
            "`yield`: yield each item instead of returning a result."
        )
    if hasattr(stream, "__aiter__"):
        stream = stream.__aiter__()
    if not hasattr(stream, "__anext__"):
        raise CheckFailed(
            f"{call} returned {short(stream)} ({type(stream).__name__}), not an async iterator: "
            "`async for` needs an async generator, or an object with __aiter__ and __anext__."
        )
    return stream


async def _close(call: str, stream: Any) -> None:
    """Stop early the way a consumer does: `await stream.aclose()`."""
    if not hasattr(stream, "aclose"):
        raise CheckFailed(
            f"{call} returned a {type(stream).__name__}, which has no aclose(): a consumer that "
            "stops early cannot close it. Async generators have one; a class needs "
            "`async def aclose(self)`."
        )
    await stream.aclose()


async def pause(sources: Iterable[AsyncSource]) -> None:
    """Let the event loop run until no source has been pulled for PAUSE_TURNS turns."""
    sources = list(sources)
    quiet_turns, last = 0, None
    for _ in range(100 * PAUSE_TURNS):
        now = [source.pulled for source in sources]
        quiet_turns = quiet_turns + 1 if now == last else 0
        if quiet_turns >= PAUSE_TURNS:
            return
        last = now
        await asyncio.sleep(0)


def _label(fn: Callable, args: tuple, kwargs: dict, hidden: str | None) -> str:
    """How a message names the call: in full, or for a hidden test only by name and rule."""
    return f"{name_of(fn)} (hidden test: {hidden})" if hidden else describe_call(fn, args, kwargs)


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def _require_no_leftovers(call: str, when: str, fix: str) -> None:
    tasks = leftover_tasks()
    if tasks:
        raise CheckFailed(
            f"{call}: when {when}, {len(tasks)} task(s) it started were still running.\n{fix}"
        )


def _require_cleaned_up(call: str, sources: list[AsyncSource], when: str, fix: str) -> None:
    open_ones = [str(index) for index, source in enumerate(sources) if not source.cleaned_up]
    if open_ones:
        which = "its source" if len(sources) == 1 else f"stream {', '.join(open_ones)}"
        raise CheckFailed(
            f"{call}: when {when}, the cleanup (the `finally`) of {which} had not run yet.\n{fix}"
        )


# word_count_stream -----------------------------------------------------------------------


def word_count_hint(got: Any, expected: Any) -> str | None:
    """Why word_count_stream's counts differ, for the known mistakes."""
    if not (isinstance(got, list) and isinstance(expected, list)):
        return None
    if any(not isinstance(item, tuple) for item in got):
        return "Yield a tuple `(token, total)` for each token, e.g. `yield token, total`."
    tokens = [token for token, _ in expected]
    if [token for token, _ in got] != tokens:
        return "Yield every token, in order, also empty or whitespace-only ones."
    before = 0
    for (token, total), (_, right) in zip(got, expected, strict=False):
        if total == right:
            before = total
            continue
        if total - before == len(token.split(" ")) != len(token.split()):
            return (
                f"For the token {token!r} your count went up by {total - before}. "
                f"{token!r}.split(' ') is {token.split(' ')!r}; split() with no argument "
                "splits on any whitespace and drops the empty parts."
            )
        if total == len(token.split()):
            return "The count is a running total: add each token's words to the words so far."
        if total == right - len(token.split()):
            return "Add the token's own words before you yield: the total includes this token."
        if total - before == 1:
            return "A token is not a word: count the words in it with token.split()."
        return None
    return None


# buffer_sentences ------------------------------------------------------------------------


def sentence_hint(got: Any, expected: Any) -> str | None:
    """Why buffer_sentences' sentences differ, for the known mistakes."""
    if not (isinstance(got, list) and isinstance(expected, list)):
        return None
    if not all(isinstance(sentence, str) for sentence in got):
        return "Yield each sentence as one string."
    if any(not sentence.strip() for sentence in got):
        return "An empty sentence was yielded: only yield a sentence that has text in it."
    if any(sentence != sentence.strip() for sentence in got):
        return "Strip the whitespace around each sentence (str.strip())."
    if "".join("".join(got).split()) != "".join("".join(expected).split()):
        if got == expected[: len(got)]:
            return "When the stream ends, yield what is left in the buffer (unless it is blank)."
        return "Some text went missing: keep everything after a sentence end in the buffer."
    if len(got) > len(expected):
        return (
            "You split too often. A sentence ends at a run of `.`, `!`, `?` followed by "
            "whitespace: `3.14` and `example.com` do not end one, and `?!` stays together."
        )
    return (
        "You missed a sentence end. Any whitespace after the terminators ends a sentence: "
        "a space, a newline or a tab (str.isspace()), also when it arrives in a later token."
    )


# bounded_stream --------------------------------------------------------------------------


def none_sentinel_hint(got: Any, expected: Any) -> str | None:
    """Why a stream stopped early at a None item."""
    if isinstance(got, list) and isinstance(expected, list) and len(got) < len(expected):
        if got == expected[: len(got)] and expected[len(got)] is None:
            return (
                "The stream ended at a None item: None is a value a source may yield, not an "
                "end marker. Mark the end with an object of your own (`end = object()`)."
            )
    return None


def check_buffer_bound(fn: Callable, max_buffer: int, *, hidden: str | None = None) -> None:
    """Check that `fn(source, max_buffer=...)` never reads more than max_buffer + 1 ahead."""
    profile, call = _read_ahead_profile(fn, max_buffer, hidden)
    for received, ahead in profile:
        if ahead > max_buffer + 1:
            why = (
                "One too many: the queue holds max_buffer items and the producer one more while "
                "it waits to put it, so use asyncio.Queue(maxsize=max_buffer)."
                if ahead == max_buffer + 2
                else "Is the queue bounded? asyncio.Queue() without maxsize never makes the "
                "producer wait."
            )
            raise CheckFailed(
                f"{call} read too far ahead: after the consumer had received {_items(received)} "
                f"and paused, {received + ahead} had been pulled from the source, {ahead} ahead; "
                f"at most max_buffer + 1 = {max_buffer + 1} may be.\n{why}"
            )
    passed(f"hidden test: {hidden}" if hidden else f"{call} reads at most {max_buffer + 1} ahead")


def check_reads_ahead(fn: Callable, max_buffer: int, *, hidden: str | None = None) -> None:
    """Check that while the consumer pauses, `fn` keeps pulling until max_buffer + 1 ahead."""
    profile, call = _read_ahead_profile(fn, max_buffer, hidden)
    for received, ahead in profile:
        if ahead < max_buffer + 1:
            why = (
                "One short: create the queue with maxsize=max_buffer, not max_buffer - 1."
                if ahead == max_buffer
                else "Pull from the source in a background task (asyncio.create_task) that "
                "fills the queue while the consumer is busy."
            )
            raise CheckFailed(
                f"{call} does not read ahead: while the consumer paused after receiving "
                f"{_items(received)}, only {received + ahead} had been pulled from the source, "
                f"{ahead} ahead; it should keep pulling until max_buffer + 1 = "
                f"{max_buffer + 1} are waiting.\n{why}"
            )
    passed(f"hidden test: {hidden}" if hidden else f"{call} reads ahead while the consumer waits")


def _read_ahead_profile(
    fn: Callable, max_buffer: int, hidden: str | None
) -> tuple[list[tuple[int, int]], str]:
    """(items received, items pulled beyond them) at three pauses of a slow consumer."""
    source = AsyncSource(range(3 * max_buffer + 20))
    call = _label(fn, (source,), {"max_buffer": max_buffer}, hidden)

    async def scenario() -> list[tuple[int, int]]:
        stream = await open_stream(call, fn, source, max_buffer=max_buffer)
        profile = []
        try:
            for received in range(1, 4):
                await stream.__anext__()
                await pause([source])
                profile.append((received, source.pulled - received))
        finally:
            await _close(call, stream)
        return profile

    return run_scenario(call, scenario(), on_time_out=" while a consumer took 3 items."), call


def check_error_passes(fn: Callable, *, hidden: str | None = None, **kwargs: Any) -> None:
    """Check that the source's own exception object reaches the consumer after its items."""
    source = AsyncSource(["a", "b", "c"], then_raise=ValueError("boom"))
    _check_error(fn, [source], kwargs, hidden, where="its source", before=["a", "b", "c"])
    passed(f"hidden test: {hidden}" if hidden else f"{name_of(fn)} raises the source's error")


def _check_error(
    fn: Callable, sources: list, kwargs: dict, hidden: str | None, *, where: str, before: list
) -> None:
    """Drain `fn(*sources)`, whose first source breaks; the error must come after `before`."""
    error = sources[0].then_raise
    call = _label(fn, tuple(sources), kwargs, hidden)
    got: list = []

    async def scenario() -> BaseException | None:
        stream = await open_stream(call, fn, *sources, **kwargs)
        try:
            while True:
                got.append(await stream.__anext__())
        except StopAsyncIteration:
            return None
        except Exception as raised:  # noqa: BLE001 (the check looks at what came)
            when = f"{describe_error(raised)} reached the consumer"
            _require_no_leftovers(call, when, _CANCEL_FIX)
            _require_cleaned_up(call, sources, when, _CLOSE_FIX)
            return raised

    raised = run_scenario(
        call,
        scenario(),
        on_time_out=f" after {where} raised {describe_error(error)}.\nA producer that dies "
        "without telling the consumer leaves it waiting forever: pass the exception through "
        "the queue.",
    )
    _require_error(call, raised, error, got, before, where)


def _require_error(
    call: str, raised: Any, error: BaseException, got: list, before: list, where: str
) -> None:
    if raised is None:
        raise CheckFailed(
            f"{call} ended normally after yielding {short(got)}, but {where} raised "
            f"{describe_error(error)}: raise that exception in the consumer, do not swallow it."
        )
    if raised is not error:
        raise CheckFailed(
            f"{call} raised {describe_error(raised)}, not the {describe_error(error)} that "
            f"{where} raised: raise that very exception object (`raise error`), not a new one."
        )
    missing = [item for item in before if item not in got]
    if missing:
        raise CheckFailed(
            f"{call} raised the error after yielding {short(got)}; {short(missing)} came before "
            "the error and should have been yielded first."
        )


def check_aclose_cleans_up(fn: Callable, *, hidden: str | None = None, **kwargs: Any) -> None:
    """Check that after 2 items, `await stream.aclose()` leaves no task and a closed source."""
    source = AsyncSource(range(1000))
    call = _label(fn, (source,), kwargs, hidden)

    async def scenario() -> None:
        stream = await open_stream(call, fn, source, **kwargs)
        for _ in range(2):
            await stream.__anext__()
        await pause([source])  # a producer now waits on a full buffer, outside the source
        await _close(call, stream)
        _require_no_leftovers(call, "aclose() returned", _CANCEL_FIX)
        _require_cleaned_up(call, [source], "aclose() returned", _CLOSE_FIX)

    run_scenario(call, scenario(), on_time_out=" when the consumer called aclose() after 2 items.")
    passed(f"hidden test: {hidden}" if hidden else f"{call}: aclose() cleans up at once")


_CANCEL_FIX = (
    "Stopping early must stop the work it started: in a `finally`, cancel() each task and "
    "then await it (cancel() only asks; the task stops later)."
)
_CLOSE_FIX = (
    "`async for` does not close what it reads from: in a `finally`, "
    "`await iterator.aclose()` every source you opened, after its task has stopped."
)


def check_cancelled_consumer(fn: Callable, count: int = 1, *, hidden: str | None = None) -> None:
    """Check that cancelling the task that consumes `fn(*sources)` stops all work at once."""
    sources = [PacedSource([f"s{i}"], stall=True) for i in range(count)]
    call = _label(fn, tuple(sources), {}, hidden)

    async def scenario() -> None:
        stream = await open_stream(call, fn, *sources)
        got: list = []

        async def consume() -> None:
            while True:
                got.append(await stream.__anext__())

        consumer = asyncio.create_task(consume())
        await pause(sources)
        consumer.cancel()
        try:
            await consumer
        except asyncio.CancelledError:
            pass
        when = "the task consuming it was cancelled"
        _require_no_leftovers(call, when, _CANCEL_FIX)
        _require_cleaned_up(call, sources, when, _CLOSE_FIX)

    run_scenario(call, scenario(), on_time_out=" after the task consuming it was cancelled.")
    passed(f"hidden test: {hidden}" if hidden else f"{call}: cancelling the consumer cleans up")


def check_ends_cleanly(fn: Callable, items: list, **kwargs: Any) -> None:
    """Check that when `fn(source)` ends by itself, no task it started is still running."""
    source = AsyncSource(items)
    call = describe_call(fn, (source,), kwargs)

    async def scenario() -> None:
        stream = await open_stream(call, fn, source, **kwargs)
        try:
            while True:
                await stream.__anext__()
        except StopAsyncIteration:
            pass
        _require_no_leftovers(
            call, "the stream ended", "Await the background task before the generator returns."
        )

    run_scenario(call, scenario(), on_time_out=" while a consumer read it to the end.")
    passed(f"{call} leaves no task running when it ends")


# merge_streams ---------------------------------------------------------------------------


def check_merged(fn: Callable, *streams: list, hidden: str | None = None) -> None:
    """Check that `fn` yields every (index, item) of `streams`, each stream's items in order."""
    sources = [AsyncSource(items) for items in streams]
    call = _label(fn, tuple(sources), {}, hidden)

    async def scenario() -> list:
        stream = await open_stream(call, fn, *sources)
        got = []
        try:
            while True:
                got.append(await stream.__anext__())
        except StopAsyncIteration:
            return got

    got = run_scenario(call, scenario(), on_time_out=" while a consumer read it to the end.")
    shown = ":" if hidden else f" yielded {short(got)}, but"
    for pair in got:
        if not (isinstance(pair, tuple) and len(pair) == 2 and pair[0] in range(len(streams))):
            raise CheckFailed(
                f"{call}{shown} each item should be a pair (index, item) with index from 0 to "
                f"{len(streams) - 1}: the stream's position in the arguments."
            )
    for index, items in enumerate(streams):
        mine = [item for i, item in got if i == index]
        if mine != items:
            what = "" if hidden else f" {short(mine)} instead of {short(items)}"
            raise CheckFailed(
                f"{call}{shown} for stream {index} it gave{what}.\nEvery item of every stream "
                "should come once, in that stream's order."
            )
    passed(f"hidden test: {hidden}" if hidden else f"{call} yielded every item")


def check_merge_is_concurrent(fn: Callable) -> None:
    """Check that a fast stream's items are not held up behind a slow stream's."""
    slow = PacedSource(["slow"], turns=50)
    fast = AsyncSource(["f1", "f2", "f3"])
    call = describe_call(fn, (slow, fast))

    async def scenario() -> list:
        stream = await open_stream(call, fn, slow, fast)
        return [pair async for pair in _iterate(stream)]

    got = run_scenario(call, scenario(), on_time_out=" while a consumer read it to the end.")
    if got[:1] != [(1, "f1")]:
        raise CheckFailed(
            f"{call} yielded {short(got)}: stream 1 had 'f1' ready after one event-loop turn, "
            "stream 0 needed 50, so (1, 'f1') should come first.\nIt looks like the streams are "
            "read one after another: give each stream its own task (asyncio.create_task) that "
            "puts its items into one shared queue."
        )
    passed(f"{call} yields each item as soon as it is available")


async def _iterate(stream: Any) -> AsyncIterator:
    while True:
        try:
            yield await stream.__anext__()
        except StopAsyncIteration:
            return


def check_merge_error(fn: Callable, *, hidden: str | None = None) -> None:
    """Check that a stream's error reaches the consumer and every other stream is closed."""
    broken = AsyncSource(["a"], then_raise=ValueError("boom"))
    others = [PacedSource(["x"], stall=True), AsyncSource(range(1000))]
    _check_error(fn, [broken, *others], {}, hidden, where="stream 0", before=[(0, "a")])
    passed(f"hidden test: {hidden}" if hidden else f"{name_of(fn)} raises a stream's error")


def check_merge_aclose(fn: Callable, *, hidden: str | None = None) -> None:
    """Check that after 3 items, `await stream.aclose()` stops and closes every stream."""
    sources = [AsyncSource(range(1000)), PacedSource(["x"], stall=True), AsyncSource("abc" * 300)]
    call = _label(fn, tuple(sources), {}, hidden)

    async def scenario() -> None:
        stream = await open_stream(call, fn, *sources)
        for _ in range(3):
            await stream.__anext__()
        await _close(call, stream)
        _require_no_leftovers(call, "aclose() returned", _CANCEL_FIX)
        _require_cleaned_up(call, sources, "aclose() returned", _CLOSE_FIX)

    run_scenario(call, scenario(), on_time_out=" when the consumer called aclose() after 3 items.")
    passed(f"hidden test: {hidden}" if hidden else f"{name_of(fn)}: aclose() closes every stream")


# first_token_timeout ---------------------------------------------------------------------


def check_first_token_times_out(
    fn: Callable, seconds: float = 0.01, *, hidden: str | None = None
) -> None:
    """Check that a source that never yields gives TimeoutError and is cleaned up by then."""
    source = PacedSource([], stall=True)
    call = _label(fn, (source,), {"seconds": seconds}, hidden)

    async def scenario() -> None:
        stream = await open_stream(call, fn, source, seconds=seconds)
        try:
            got = f"gave {short(await stream.__anext__())}"
        except TimeoutError:
            when = "the TimeoutError reached the consumer"
            _require_no_leftovers(call, when, _CANCEL_FIX)
            _require_cleaned_up(call, [source], when, "Close the source before raising.")
            return
        except StopAsyncIteration:
            got = "ended"
        raise CheckFailed(
            f"{call} {got}, but its source never yields: it should raise "
            f"TimeoutError after {seconds:g} s."
        )

    run_scenario(
        call,
        scenario(),
        on_time_out=", but its source never yields: it should raise TimeoutError after "
        f"{seconds:g} s.\nWrap the wait for the first item in `async with asyncio.timeout(seconds):`.",
    )
    passed(f"hidden test: {hidden}" if hidden else f"{call} raised TimeoutError, source closed")


def check_later_tokens_may_be_slow(fn: Callable, seconds: float = 0.01) -> None:
    """Check that only the first item is timed: later gaps longer than `seconds` are fine."""
    source = PacedSource(["a", "b", "c"], delay=3 * seconds)
    call = describe_call(fn, (source,), {"seconds": seconds})

    async def scenario() -> list:
        stream = await open_stream(call, fn, source, seconds=seconds)
        return [item async for item in _iterate(stream)]

    try:
        got = run_scenario(call, scenario(), on_time_out=" while a consumer read it to the end.")
    except CheckFailed as failure:
        if "TimeoutError" not in str(failure):
            raise
        raise CheckFailed(
            f"{call} raised TimeoutError, but the first item came at once; the later ones "
            f"came {3 * seconds:g} s apart, which is allowed.\nTime only the wait for the first "
            "item: the timeout should not wrap the whole loop."
        ) from None
    _require_items(call, got, ["a", "b", "c"])
    passed(f"{call} lets later items take their time")


def _require_items(call: str, got: list, expected: list) -> None:
    """Fail unless a scenario's stream yielded `expected`."""
    if not same(got, expected):
        raise CheckFailed(f"{call} yielded {short(got)}\nbut should yield {short(expected)}.")


# tee_stream ------------------------------------------------------------------------------


def _open_branches(fn: Callable, source: AsyncSource, n: int, call: str) -> list:
    """Call `fn(source, n)` and check it returned n async iterators."""
    branches = fn(source, n)
    if inspect.iscoroutine(branches):
        branches.close()
        raise CheckFailed(
            f"{call} returned a coroutine: tee_stream is a plain `def` that returns a list of "
            "async iterators at once (the branches themselves are async generators)."
        )
    try:
        branches = list(branches)
    except TypeError:
        raise CheckFailed(f"{call} returned {short(branches)}, not a list of branches.") from None
    require_branches = len(branches) == n and all(hasattr(b, "__aiter__") for b in branches)
    if not require_branches:
        raise CheckFailed(
            f"{call} returned {short(branches)}, but should return a list of {n} async "
            "iterators, one for each consumer."
        )
    return [branch.__aiter__() for branch in branches]


def check_tee(
    fn: Callable, items: list, n: int = 2, *, together: bool = False, hidden: str | None = None
) -> None:
    """Check that every branch yields all `items` and the source is pulled once per item.

    The branches are read one after another, or with `together` by concurrent tasks.
    """
    source = AsyncSource(items)
    call = _label(fn, (source, n), {}, hidden)

    async def scenario() -> list:
        branches = _open_branches(fn, source, n, call)
        reads = [_read_all(branch) for branch in branches]
        if together:
            return list(await asyncio.gather(*reads))
        return [await read for read in reads]

    try:
        results = run_scenario(call, scenario(), on_time_out=" while its branches were read.")
    except CheckFailed as failure:
        if not together or "already running" not in str(failure):
            raise
        raise CheckFailed(
            f"{failure}\nTwo branches pulled from the source at the same time. Let one branch at "
            "a time pull (an asyncio.Lock), and the others take the item from their buffers."
        ) from None
    shown = "" if hidden else f" {short(items)}"
    for index, got in enumerate(results):
        if got != items:
            what = "wrong items" if hidden else short(got)
            hint = (
                " Every branch iterating the source itself cannot work: a stream can be read "
                "only once. Pull each item once and keep it for the branches that have not "
                "seen it yet."
                if index and not got
                else ""
            )
            raise CheckFailed(
                f"{call}: branch {index} yielded {what}, but every branch should yield the "
                f"source's items{shown}.{hint}"
            )
    if source.pulled != len(items):
        raise CheckFailed(f"{call} pulled {source.pulled} items from a source of {len(items)}.")
    passed(f"hidden test: {hidden}" if hidden else f"{call}: every branch got every item")


async def _read_all(branch: Any) -> list:
    return [item async for item in _iterate(branch)]


def check_tee_is_lazy(fn: Callable) -> None:
    """Check that reading k items from one branch pulls exactly k items from the source."""
    source = AsyncSource(range(100))
    call = describe_call(fn, (source, 2))

    async def scenario() -> None:
        first, second = _open_branches(fn, source, 2, call)
        for taken in range(1, 4):
            await first.__anext__()
            if source.pulled != taken:
                raise CheckFailed(
                    f"{call}: after branch 0 yielded {_items(taken)}, {source.pulled} had been "
                    f"pulled from the source, but only {taken} were needed.\nPull an item only when "
                    "a branch asks for one that no branch has pulled yet."
                )
        got = [await second.__anext__() for _ in range(3)]
        _require_items(f"{call}, branch 1,", got, [0, 1, 2])

    run_scenario(call, scenario(), on_time_out=" while branch 0 took 3 items.")
    passed(f"{call} pulls from its source only when a branch needs a new item")
