"""Instrumented sources: they record how far they were pulled and whether their cleanup ran."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Generic, TypeVar

from ._messages import short

T = TypeVar("T")


class _Probe(Generic[T]):
    """What both probes record: items handed out, and whether cleanup ran."""

    def __init__(self, items: Iterable[T], *, then_raise: BaseException | None = None) -> None:
        self.items = items
        self.then_raise = then_raise
        self.pulled = 0
        self.cleaned_up = False
        self._gen = self._run()

    def _run(self) -> Any:
        raise NotImplementedError


class Source(_Probe[T]):
    """A one-shot iterator over `items` that counts pulls and records its cleanup.

    `pulled` is how many items it has handed out; `cleaned_up` is True once its
    `finally` has run (it was exhausted, closed, or raised). With `then_raise`
    it raises that exception after its items, like a stream that breaks.
    """

    def _run(self) -> Iterator[T]:
        try:
            for item in self.items:
                self.pulled += 1
                yield item
            if self.then_raise is not None:
                raise self.then_raise
        finally:
            self.cleaned_up = True

    def __iter__(self) -> Source[T]:
        return self

    def __next__(self) -> T:
        return next(self._gen)

    def close(self) -> None:
        self._gen.close()
        self.cleaned_up = True

    def __repr__(self) -> str:
        return f"iter({short(self.items)})"


class AsyncSource(_Probe[T]):
    """The async twin of Source: a one-shot async iterator that counts pulls.

    Before each item it yields control to the event loop once, as a network
    stream would, so that concurrent code gets to run.
    """

    async def _run(self) -> AsyncIterator[T]:
        try:
            for item in self.items:
                await asyncio.sleep(0)
                self.pulled += 1
                yield item
            if self.then_raise is not None:
                raise self.then_raise
        finally:
            self.cleaned_up = True

    def __aiter__(self) -> AsyncSource[T]:
        return self

    async def __anext__(self) -> T:
        return await self._gen.__anext__()

    async def aclose(self) -> None:
        await self._gen.aclose()
        self.cleaned_up = True

    def __repr__(self) -> str:
        return f"aiter({short(self.items)})"


def leftover_tasks() -> list[asyncio.Task]:
    """Tasks of the running loop, other than the current one, that have not finished."""
    current = asyncio.current_task()
    return [task for task in asyncio.all_tasks() if task is not current and not task.done()]
