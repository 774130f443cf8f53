"""Run learner code under a time limit that catches every kind of hang.

In CPython the kernel runs cells on the main thread, where an interval timer
(SIGALRM) interrupts busy loops, sleeps and lock waits alike, and keeps firing
until the code gives up, so a bare `except:` cannot swallow it. Elsewhere
(Pyodide, other threads) a trace function checks the clock on every line.
Coroutines run on a private event loop, so a test cell stays an ordinary
synchronous cell and the kernel's own loop is never touched. In the browser that
private loop is a small synchronous one (see the end of this file).
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")

LIMIT = 2.0
"""Seconds one check may take."""

_CLEANUP_LIMIT = 1.0
_BACKSTOP_GRACE = 0.5


class OutOfTime(BaseException):
    """Raised inside learner code when its time limit has passed.

    A BaseException, so that `except Exception` in learner code lets it through.
    """


def within(seconds: float, fn: Callable[[], T]) -> T:
    """Call `fn()`, raising OutOfTime inside it once it has run for `seconds`."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _with_alarm(seconds, fn)
    return _with_watchdog(seconds, fn)


def _with_alarm(seconds: float, fn: Callable[[], T]) -> T:
    guarded: list[FrameType] = []

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        # Raise only while the guarded call is on the stack: an alarm that lands
        # after it has ended (say, while a huge list is being freed) stops the timer.
        while frame is not None:
            if frame in guarded:
                raise OutOfTime
            frame = frame.f_back
        signal.setitimer(signal.ITIMER_REAL, 0)

    def guarded_call() -> T:
        guarded.append(sys._getframe())
        return fn()

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        return guarded_call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # an enclosing limit: give it back what is left of its time
            left = max(outer_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


def _with_watchdog(seconds: float, fn: Callable[[], T]) -> T:
    deadline = time.monotonic() + seconds

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        if time.monotonic() > deadline:
            raise OutOfTime
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return fn()
    finally:
        sys.settrace(previous)


@contextmanager
def quiet() -> Iterator[None]:
    """Keep warnings raised by learner code off stderr (nbgrader scores stderr as 0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def run_async(coro: Coroutine[Any, Any, T], seconds: float = LIMIT) -> T:
    """Run `coro` to completion on a private event loop; OutOfTime after `seconds`.

    Every task it leaves behind is cancelled and awaited, and its async
    generators are closed, before this returns: nothing is left to complain
    on stderr later.
    """
    loop = _BrowserLoop() if _IN_BROWSER else asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: None)
    outer = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        with quiet():
            return within(
                seconds + _BACKSTOP_GRACE,
                lambda: loop.run_until_complete(_with_timeout(coro, seconds)),
            )
    finally:
        try:
            with quiet():
                within(_CLEANUP_LIMIT, lambda: _cancel_leftovers(loop))
        except OutOfTime:
            pass  # cleanup code that hangs: the check has already failed
        finally:
            loop.close()
            asyncio.events._set_running_loop(outer)


async def _with_timeout(coro: Coroutine[Any, Any, T], seconds: float) -> T:
    budget = asyncio.timeout(seconds)
    try:
        async with budget:
            result = await coro
    except TimeoutError:
        if budget.expired():
            raise OutOfTime from None
        raise  # the learner's own TimeoutError
    if budget.expired():  # the code swallowed the cancellation and carried on
        raise OutOfTime
    return result


def _cancel_leftovers(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


# Browser only (JupyterLite's Pyodide kernel). The page's WebLoop is always running and
# cannot be nested (a second WebLoop's tasks fail with "is not the running loop"), and
# Pyodide has no selectors or threads. This private loop runs the scenario synchronously
# instead, like the CPython path: no I/O can arrive, so waiting for a timer is a plain
# wait. The trace watchdog above interrupts busy loops; nothing here runs in CPython.

_IN_BROWSER = sys.platform == "emscripten"
_POLL = 0.01


class _WaitingSelector:
    """Stands in for a selector where nothing can become readable: it only waits.

    It waits by spinning: Pyodide's time.sleep switches stacks and lets the page's
    loop run while this loop is installed as the running one, which hangs the kernel.
    """

    def select(self, timeout: float | None) -> list:
        # No timer at all means a deadlock: return soon, so the watchdog can end it.
        end = time.monotonic() + (_POLL if timeout is None else timeout)
        while time.monotonic() < end:
            pass
        return []


class _BrowserLoop(asyncio.BaseEventLoop):
    """A private event loop for Pyodide: timers and callbacks only, run synchronously."""

    def __init__(self) -> None:
        super().__init__()
        self._selector = _WaitingSelector()

    def _run_forever_setup(self) -> None:
        super()._run_forever_setup()
        # Python 3.14 keeps the running task per thread: set the kernel's cell task aside.
        self._cell_task = asyncio.tasks._swap_current_task(self, None)

    def _run_forever_cleanup(self) -> None:
        asyncio.tasks._swap_current_task(self, self._cell_task)
        super()._run_forever_cleanup()

    def _process_events(self, event_list: list) -> None:
        pass

    def _write_to_self(self) -> None:
        pass
