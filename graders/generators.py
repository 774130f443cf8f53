"""Checks and hints for module 1: generators and iterators."""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Iterable, Sized

from ._calls import Outcome, call, drain, pull
from ._expect import passed, require
from ._messages import CheckFailed, describe_error, short
from ._probes import Source


def stream_tokens_hint(got: list, expected: list) -> str | None:
    """Why `stream_tokens` gives `got`, for the mistakes the course knows."""
    if not isinstance(got, list):
        return None
    if got and got[-1] == "" and got[:-1] == expected:
        return "The last chunk is empty: yield a chunk only when it has characters."
    if got == expected[:-1]:
        return (
            "The last, shorter chunk is missing: stepping with "
            "range(0, len(text), chunk_size) reaches it; `len(text) // chunk_size` does not."
        )
    if "".join(got) != "".join(expected):
        return "Your chunks do not join back into the text: slice text[i:i + chunk_size]."
    if got != expected:
        return "The chunks join back into the text but are cut in other places: every chunk but the last has exactly chunk_size characters."
    return None


def batch_items_hint(got: list, expected: list) -> str | None:
    """Why `batch_items` gives `got`, for the mistakes the course knows."""
    if not isinstance(got, list):
        return None
    if len({id(batch) for batch in got}) < len(got):
        return (
            "Some of your batches are the same list object, so a later batch changed an "
            "earlier one: start each batch with a new list (`batch = []`), not `batch.clear()`."
        )
    if got and got[-1] == [] and got[:-1] == expected:
        return "The last batch is empty: only yield a batch that has items."
    if got == expected[:-1]:
        return (
            "The last, shorter batch is missing: after the loop, yield what is left if anything is."
        )
    return None


def stream_words_hint(got: list, expected: list) -> str | None:
    """Why `stream_words` gives `got`, for the mistakes the course knows."""
    if not isinstance(got, list):
        return None
    if "" in got:
        return (
            "You yielded an empty word. text.split(' ') gives '' between two spaces and "
            "around newlines; split() with no argument drops the empty parts."
        )
    if got == expected[:-1]:
        return "The last word is missing: when the tokens run out, the word you are building is complete too."
    if "".join(got) == "".join(expected) and len(got) > len(expected):
        return "A word can arrive in several tokens ('Hel' + 'lo'): keep a buffer until whitespace ends the word."
    return None


def expect_lazy(fn: Callable, *args: object, **kwargs: object) -> None:
    """Check that `fn` returns an iterator that produces values on demand, not a list."""
    outcome = call(fn, *args, **kwargs)
    if outcome.error is not None:
        raise CheckFailed(f"{outcome.call} raised {describe_error(outcome.error)}.")
    result = outcome.items[0]
    require(
        hasattr(result, "__next__") and iter(result) is result,
        f"{outcome.call} returned {short(result)} ({type(result).__name__}), not an iterator.",
        "A list holds every chunk before the caller sees the first one. "
        "Use `yield` to hand out one chunk at a time.",
    )
    passed(f"{outcome.call} returns an iterator")


def expect_new_batches(batch_items: Callable) -> None:
    """Check that every batch `batch_items` yields is a new list that stays as it was."""
    outcome = drain(batch_items, range(6), batch_size=2)
    snapshots = [list(batch) for batch in outcome.items]
    require(
        outcome.items == snapshots and len({id(b) for b in outcome.items}) == len(outcome.items),
        f"{outcome.call}: the batches changed after they were yielded; "
        f"they were {short(snapshots)} when yielded and {short(outcome.items)} at the end.",
        batch_items_hint(outcome.items, snapshots),
    )
    passed(f"{outcome.call} yields a new list each time")


def expect_no_yield(cls: type) -> None:
    """Check that an iterator class implements the protocol by hand, without `yield`."""
    generators = [
        name
        for name, member in vars(cls).items()
        if inspect.isgeneratorfunction(member) or inspect.isasyncgenfunction(member)
    ]
    require(
        not generators,
        f"{cls.__name__}.{generators[0] if generators else ''} uses `yield`.",
        "This exercise is about the protocol under the hood: keep the position in an "
        "attribute and return the next chunk from __next__.",
    )
    passed(f"{cls.__name__} implements the iterator protocol without yield")


def expect_stays_exhausted(cls: type, *args: object) -> None:
    """Check that an exhausted iterator raises StopIteration on every later call too."""
    created = call(cls, *args)
    require(created.error is None, f"{created.call} raised {short(created.error)}.")
    iterator = created.items.pop()
    first = pull(created, iterator)
    require(first.ended, f"iterating {created.call} did not end.")
    again = pull(Outcome(created.call), iterator)
    require(
        again.ended and again.items == [] and again.error is None,
        f"after {created.call} was exhausted, next() gave "
        f"{short(again.error or again.items)} instead of raising StopIteration.",
        "Once __next__ has raised StopIteration it must keep raising it: check the position first.",
    )
    passed(f"{created.call} stays exhausted")


def expect_closes_source(
    take_tokens: Callable, n: int, items: Iterable, *, stop_after: int | None = None
) -> None:
    """Check that `take_tokens` pulls at most n items and closes its source when it ends.

    With `stop_after`, the consumer closes `take_tokens` after that many items.
    """
    source = Source(items)
    outcome = drain(take_tokens, source, n, limit_items=stop_after)
    require(outcome.error is None, f"{outcome.call} raised {short(outcome.error)}.")
    if stop_after is not None:
        wanted = stop_after
    else:
        wanted = min(n, len(items)) if isinstance(items, Sized) else n
    require(
        source.pulled <= wanted,
        f"{outcome.call} pulled {source.pulled} items from its source to hand out {wanted}.",
        "Stop before pulling an item you will not yield: itertools.islice(tokens, n) never "
        "pulls the extra one.",
    )
    when = "when it finished" if stop_after is None else "when its consumer closed it early"
    require(
        source.cleaned_up,
        f"{outcome.call} did not close its source {when}: the source's cleanup never ran.",
        "Close the source in a `finally:` (or use contextlib.closing), so that it runs "
        "however take_tokens ends.",
    )
    passed(f"{outcome.call} closes its source {when}")


def endless(start: int = 0) -> Source:
    """An endless instrumented source of integers."""
    return Source(itertools.count(start))
