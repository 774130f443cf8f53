"""graders' time limit: every kind of hang fails its check in time and leaves Python usable."""

from __future__ import annotations

import asyncio
import itertools
import signal
import threading
import time

import pytest

from graders import LIMIT, CheckFailed, OutOfTime, expect_items, expect_value, run_async, within

SHORT = 0.2


def busy() -> None:
    while True:
        pass


def test_within_returns_the_value_of_a_quick_call():
    assert within(SHORT, lambda: 42) == 42


@pytest.mark.parametrize(
    "hang",
    [busy, lambda: time.sleep(60), lambda: threading.Event().wait()],
    ids=["busy loop", "sleep", "lock wait"],
)
def test_within_interrupts_a_sync_hang(hang):
    started = time.monotonic()
    with pytest.raises(OutOfTime):
        within(SHORT, hang)
    assert time.monotonic() - started < SHORT + 1


def test_within_keeps_interrupting_code_that_swallows_the_interrupt():
    def stubborn():
        for _ in range(3):
            try:
                busy()
            except BaseException:  # noqa: BLE001 (what a careless learner writes)
                pass
        busy()

    with pytest.raises(OutOfTime):
        within(SHORT, stubborn)


def test_within_leaves_no_alarm_behind():
    with pytest.raises(OutOfTime):
        within(SHORT, busy)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def test_within_uses_a_watchdog_off_the_main_thread():
    caught = []

    def worker():
        try:
            within(SHORT, busy)
        except OutOfTime:
            caught.append(True)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(5)
    assert caught == [True]


async def forever() -> None:
    await asyncio.Event().wait()


async def async_busy() -> None:
    while True:
        pass


async def ignores_cancellation() -> None:
    while True:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            pass


async def swallows_cancellation_then_returns() -> str:
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        pass
    return "carried on"


@pytest.mark.parametrize(
    "hang",
    [forever, async_busy, ignores_cancellation, swallows_cancellation_then_returns],
    ids=["deadlock", "busy", "no cancel", "swallowed cancel"],
)
def test_run_async_interrupts_every_kind_of_async_hang(hang):
    with pytest.raises(OutOfTime):
        run_async(hang(), seconds=SHORT)


def test_run_async_works_inside_a_running_loop_like_a_notebook_cell():
    async def cell():
        return run_async(asyncio.sleep(0, result="done"))

    assert asyncio.run(cell()) == "done"


def test_run_async_cancels_and_awaits_leftover_tasks():
    finished = []

    async def leaves_a_task():
        async def background():
            try:
                await asyncio.sleep(10)
            finally:
                finished.append(True)

        asyncio.get_running_loop().create_task(background())
        await asyncio.sleep(0)

    run_async(leaves_a_task())
    assert finished == [True]


def test_a_hanging_check_fails_with_the_time_limit_in_its_message(capsys):
    def endless_and_slow():
        for number in itertools.count():
            if number == 1:
                busy()
            yield number

    with pytest.raises(CheckFailed, match=f"did not finish within {LIMIT:g} s after yielding"):
        expect_items(endless_and_slow, expected=[0])
    assert capsys.readouterr().err == ""


def test_a_check_on_code_that_hangs_leaves_the_next_check_working(capsys):
    with pytest.raises(CheckFailed):
        expect_value(busy, expected=None)
    expect_value(lambda: 1, expected=1)
    assert capsys.readouterr().out.endswith("returned 1\n")
    assert capsys.readouterr().err == ""
