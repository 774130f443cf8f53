"""How checks report: the call that was made, what came back, what was expected."""

from __future__ import annotations

import reprlib
import traceback
from collections.abc import Callable
from pathlib import Path

_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_short.maxlist = 12
_short.maxtuple = 12
_short.maxdict = 8
_short.maxlevel = 4

_GRADERS_DIR = str(Path(__file__).parent)


class CheckFailed(AssertionError):
    """A failed check, with a message written for the learner."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback through the graders.
        return ["\x1b[0;31mCheckFailed\x1b[0m: " + str(self)]


def short(value: object) -> str:
    """A repr short enough for a message."""
    return _short.repr(value)


def name_of(fn: Callable) -> str:
    """The name a learner knows a function by."""
    return getattr(fn, "__name__", None) or type(fn).__name__


def describe_call(fn: Callable, args: tuple = (), kwargs: dict | None = None) -> str:
    """`name(arg, key=value)` with every value shortened."""
    parts = [short(a) for a in args]
    parts += [f"{key}={short(value)}" for key, value in (kwargs or {}).items()]
    return f"{name_of(fn)}({', '.join(parts)})"


def describe_error(error: BaseException) -> str:
    """`ValueError('bad')`, plus the learner's line that raised it when we can find it."""
    text = f"{type(error).__name__}({short(str(error))})" if str(error) else type(error).__name__
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if not f.filename.startswith(_GRADERS_DIR) and "asyncio" not in f.filename
    ]
    if frames and frames[-1].line:
        text += f" at line {frames[-1].lineno}: {frames[-1].line.strip()}"
    return text


def fail(message: str, hint: str | None = None) -> CheckFailed:
    """A CheckFailed whose message ends with the hint, if there is one."""
    return CheckFailed(f"{message}\n{hint}" if hint else message)
