"""The checks test cells call: each passes quietly on stdout or fails with a clear message.

Checks return None: nbgrader reads a number that ends a test cell as its score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._calls import Outcome, call, drain, pull
from ._messages import CheckFailed, describe_error, fail, short

Hint = Callable[[Any, Any], "str | None"]
"""hint(got, expected) -> why a known mistake gives `got`, or None."""


def passed(message: str) -> None:
    """Say on stdout that a check passed (stderr would cost the cell its points)."""
    print(f"✓ {message}")


def _reraise(outcome: Outcome, hint: Hint | None = None, expected: Any = None) -> None:
    if outcome.error is not None:
        shown = outcome.items and not outcome.hidden
        after = f" after yielding {short(outcome.items)}" if shown else ""
        why = hint(outcome.error, expected) if hint else None
        raise fail(f"{outcome.call} raised {describe_error(outcome.error)}{after}.", why)


def same(got: Any, expected: Any) -> bool:
    """Equal and of the same type, all the way down (an object equal to anything is not).

    Tuples compare item by item whatever their class, so a grader's named tuple
    matches the notebook's twin of it.
    """
    if isinstance(got, tuple) and isinstance(expected, tuple):
        return len(got) == len(expected) and all(map(same, got, expected))
    if type(got) is not type(expected):
        return False
    if isinstance(got, list):
        return len(got) == len(expected) and all(map(same, got, expected))
    if isinstance(got, dict):
        return got.keys() == expected.keys() and all(same(got[k], expected[k]) for k in got)
    return bool(got == expected)


def first_difference(got: Sequence, expected: Sequence) -> str:
    """Where two sequences part, without showing the expected value."""
    for index, (a, b) in enumerate(zip(got, expected, strict=False)):
        if not same(a, b):
            return f"item {index} is different"
    return "it has too few items" if len(got) < len(expected) else "it has too many items"


def _mismatch(
    outcome: Outcome, verb: str, got: Any, expected: Any, hint: Hint | None, hidden: str | None
) -> CheckFailed:
    why = hint(got, expected) if hint else None
    if hidden:
        where = ""
        if isinstance(got, list) and isinstance(expected, list):
            where = f" ({first_difference(got, expected)})"
        name = outcome.call.split("(", 1)[0]
        return fail(f"{name} failed a hidden test: {hidden}{where}.", why)
    return fail(
        f"{outcome.call} {verb} {short(got)}\nbut should {verb_base(verb)} {short(expected)}.", why
    )


def verb_base(verb: str) -> str:
    return {"yielded": "yield", "returned": "return"}.get(verb, verb)


def expect_items(
    fn: Callable,
    *args: Any,
    expected: list,
    hint: Hint | None = None,
    hidden: str | None = None,
    **kwargs: Any,
) -> None:
    """Check that `fn(*args, **kwargs)` yields exactly `expected`, then ends.

    `hidden` names the rule a hidden test checks; the message then shows
    neither the input nor the expected items.
    """
    outcome = drain(fn, *args, hidden=hidden, **kwargs)
    _reraise(outcome, hint, expected)
    if not same(outcome.items, expected):
        raise _mismatch(outcome, "yielded", outcome.items, expected, hint, hidden)
    passed(f"hidden test: {hidden}" if hidden else f"{outcome.call} yielded {short(expected)}")


def expect_value(
    fn: Callable,
    *args: Any,
    expected: Any,
    hint: Hint | None = None,
    hidden: str | None = None,
    **kwargs: Any,
) -> None:
    """Check that `fn(*args, **kwargs)` returns `expected` (coroutines are awaited)."""
    outcome = call(fn, *args, hidden=hidden, **kwargs)
    _reraise(outcome, hint, expected)
    got = outcome.items[0]
    if not same(got, expected):
        raise _mismatch(outcome, "returned", got, expected, hint, hidden)
    passed(f"hidden test: {hidden}" if hidden else f"{outcome.call} returned {short(expected)}")


def expect_raises(
    fn: Callable,
    *args: Any,
    error: type[BaseException] = ValueError,
    hint: str | None = None,
    **kwargs: Any,
) -> None:
    """Check that the call, or pulling the first item of what it returns, raises `error`."""
    outcome = call(fn, *args, **kwargs)
    if outcome.error is None:
        value = outcome.items.pop()
        if hasattr(value, "__next__") or hasattr(value, "__anext__"):
            pull(outcome, value, limit_items=1)
    if isinstance(outcome.error, error):
        passed(f"{outcome.call} raised {type(outcome.error).__name__}")
        return
    if outcome.error is not None:
        got = f"raised {describe_error(outcome.error)}"
    elif outcome.items:
        got = f"yielded {short(outcome.items[0])}"
    else:
        got = "returned without an error"
    raise fail(f"{outcome.call} {got}, but should raise {error.__name__}.", hint)


def expect_streaming(
    fn: Callable,
    source: Any,
    *args: Any,
    needed: list[int],
    hidden: str | None = None,
    **kwargs: Any,
) -> None:
    """Check that each item is yielded before `fn` pulls more of `source` than it needs.

    `source` is a Source or AsyncSource passed as the first argument;
    `needed[k]` is how many items of it the k-th result needs. Only
    `len(needed)` results are pulled, so `source` may be endless.
    """
    outcome = drain(
        fn, source, *args, probe=source, limit_items=len(needed), hidden=hidden, **kwargs
    )
    _reraise(outcome)
    for index, (pulled, enough) in enumerate(zip(outcome.pulls, needed, strict=False)):
        if pulled > enough:
            item = "" if hidden else f" ({short(outcome.items[index])})"
            raise CheckFailed(
                f"{outcome.call} is not streaming: when it yielded result {index}{item}, "
                f"it had pulled {pulled} items from its input, but that result needs only "
                f"{enough}.\nYield each result as soon as you have it, before pulling more."
            )
    if len(outcome.items) < len(needed):
        raise CheckFailed(
            f"{outcome.call} yielded {len(outcome.items)} results, but should yield {len(needed)}."
        )
    passed(f"hidden test: {hidden}" if hidden else f"{outcome.call} streams")


def require(condition: bool, message: str, hint: str | None = None) -> None:
    """Fail with `message` (and `hint`) unless `condition` holds."""
    if not condition:
        raise fail(message, hint)
