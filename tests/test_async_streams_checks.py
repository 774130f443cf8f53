"""graders.async_streams: module 2's checks pass the references, catch known mistakes, and say why.

The references are the solution cells of solutions/02_async_generators (SYLLABUS.md, module 2).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from graders import AsyncSource, CheckFailed, expect_items, expect_streaming, run_async
from graders.async_streams import (
    PacedSource,
    check_aclose_cleans_up,
    check_buffer_bound,
    check_cancelled_consumer,
    check_error_passes,
    check_first_token_times_out,
    check_later_tokens_may_be_slow,
    check_merge_aclose,
    check_merge_error,
    check_merge_is_concurrent,
    check_merged,
    check_reads_ahead,
    check_tee,
    check_tee_is_lazy,
    none_sentinel_hint,
    sentence_hint,
    word_count_hint,
)

NOTEBOOK = (
    Path(__file__).parent.parent / "solutions" / "02_async_generators" / "02_async_generators.ipynb"
)


@pytest.fixture(scope="module")
def ref() -> dict:
    """The reference solutions, by contract name."""
    namespace: dict = {}
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        nbgrader = cell["metadata"].get("nbgrader", {})
        if nbgrader.get("solution") or nbgrader.get("grade_id") == "imports":
            exec("".join(cell["source"]), namespace)  # our own reference code
    return namespace


def as_class(fn):
    """The same behaviour as `fn`, written as a class with __aiter__/__anext__/aclose."""

    class Stream:
        def __init__(self, *args, **kwargs):
            self._inner = fn(*args, **kwargs)

        def __aiter__(self):
            return self

        async def __anext__(self):
            return await self._inner.__anext__()

        async def aclose(self):
            await self._inner.aclose()

    Stream.__name__ = fn.__name__
    return Stream


def test_word_count_hint_explains_split_on_a_space():
    got = [("Async", 1), (" generators", 3)]
    expected = [("Async", 1), (" generators", 2)]
    assert "' generators'.split(' ') is ['', 'generators']" in word_count_hint(got, expected)


def test_word_count_hint_asks_for_a_running_total():
    got = [("a b", 2), (" c", 1)]
    assert "running total" in word_count_hint(got, [("a b", 2), (" c", 3)])


def test_word_count_hint_ignores_an_exception():
    assert word_count_hint(ValueError("x"), [("a", 1)]) is None


def test_sentence_hint_names_an_empty_sentence():
    assert "empty sentence" in sentence_hint(["Done.", ""], ["Done."])


def test_sentence_hint_names_a_split_inside_a_number():
    assert "3.14" in sentence_hint(["Pi is 3.", "14."], ["Pi is 3.14."])


def test_sentence_hint_names_a_forgotten_remainder():
    assert "left in the buffer" in sentence_hint(["One."], ["One.", "Two"])


def test_sentence_hint_names_whitespace_other_than_a_space():
    assert "newline" in sentence_hint(["One.\nTwo."], ["One.", "Two."])


def test_none_sentinel_hint_spots_a_stream_cut_at_none():
    assert "None" in none_sentinel_hint(["a"], ["a", None, "b"])
    assert none_sentinel_hint(["a"], ["a", "b"]) is None


def test_references_pass_every_check(ref, capsys):
    bounded, merge = ref["bounded_stream"], ref["merge_streams"]
    check_buffer_bound(bounded, 3)
    check_reads_ahead(bounded, 3)
    check_error_passes(bounded, max_buffer=2)
    check_aclose_cleans_up(bounded, max_buffer=3)
    check_cancelled_consumer(bounded)
    check_merged(merge, ["a", "b"], [1, 2, 3], [])
    check_merge_is_concurrent(merge)
    check_merge_error(merge)
    check_merge_aclose(merge)
    check_cancelled_consumer(merge, 3)
    check_first_token_times_out(ref["first_token_timeout"])
    check_later_tokens_may_be_slow(ref["first_token_timeout"])
    check_tee(ref["tee_stream"], [1, 2, 3], 3, together=True)
    check_tee_is_lazy(ref["tee_stream"])
    assert capsys.readouterr().err == ""


def test_checks_accept_a_class_with_aiter_anext_and_aclose(ref):
    """SYLLABUS: any callable returning an async iterator is right; tests must not reject it."""
    check_buffer_bound(as_class(ref["bounded_stream"]), 3)
    check_reads_ahead(as_class(ref["bounded_stream"]), 3)
    check_aclose_cleans_up(as_class(ref["bounded_stream"]), max_buffer=3)
    check_merge_error(as_class(ref["merge_streams"]))
    check_merge_aclose(as_class(ref["merge_streams"]))
    check_first_token_times_out(as_class(ref["first_token_timeout"]))
    counted = [("Hi", 1), (" there", 2)]
    expect_items(
        as_class(ref["word_count_stream"]), AsyncSource(["Hi", " there"]), expected=counted
    )
    expect_streaming(
        as_class(ref["buffer_sentences"]), AsyncSource(["A", ".", " B"]), needed=[3, 3]
    )


async def _unbounded(source, max_buffer=50):
    items = [item async for item in source]
    for item in items:
        yield item


async def _passthrough(source, max_buffer=50):
    async for item in source:
        yield item


def test_buffer_bound_rejects_reading_everything_ahead():
    with pytest.raises(CheckFailed, match="read too far ahead"):
        check_buffer_bound(_unbounded, 3)


def test_reads_ahead_rejects_a_stream_without_a_producer():
    with pytest.raises(CheckFailed, match="background task"):
        check_reads_ahead(_passthrough, 3)


async def _swallows(source, max_buffer=50):
    try:
        async for item in source:
            yield item
    except ValueError:
        return


async def _wraps(source, max_buffer=50):
    try:
        async for item in source:
            yield item
    except ValueError as error:
        raise RuntimeError("wrapped") from error


def test_error_check_rejects_a_swallowed_error():
    with pytest.raises(CheckFailed, match="ended normally"):
        check_error_passes(_swallows)


def test_error_check_wants_the_same_exception_object():
    with pytest.raises(CheckFailed, match="that very exception object"):
        check_error_passes(_wraps)


def test_aclose_check_rejects_a_source_left_open():
    with pytest.raises(CheckFailed, match="cleanup"):
        check_aclose_cleans_up(_passthrough)


async def _sequential(*streams):
    for index, stream in enumerate(streams):
        async for item in stream:
            yield index, item


def test_merge_check_rejects_reading_streams_one_after_another():
    with pytest.raises(CheckFailed, match="one after another"):
        check_merge_is_concurrent(_sequential)


def test_hidden_merge_message_shows_no_items():
    async def drops_last(*streams):
        async for pair in _sequential(*streams):
            if pair != (1, "secret"):
                yield pair

    with pytest.raises(CheckFailed) as failure:
        check_merged(drops_last, ["a"], ["secret"], hidden="two streams")
    assert "secret" not in str(failure.value)
    assert "hidden test: two streams" in str(failure.value)


def test_untouched_stub_is_told_to_implement_it():
    async def merge_streams(*streams):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not implemented yet"):
        check_merge_aclose(merge_streams)


def test_a_coroutine_without_yield_is_explained():
    async def bounded_stream(source, max_buffer=50):
        return [item async for item in source]

    with pytest.raises(CheckFailed, match="returned a coroutine"):
        check_buffer_bound(bounded_stream, 3)


def test_tee_check_explains_two_branches_pulling_at_once():
    def tee_stream(source, n=2):
        async def branch():
            async for item in source:
                yield item

        return [branch() for _ in range(n)]

    with pytest.raises(CheckFailed, match="asyncio.Lock"):
        check_tee(tee_stream, [1, 2, 3], 2, together=True)


def test_first_token_check_rejects_ending_quietly():
    async def first_token_timeout(source, seconds):
        try:
            async with asyncio.timeout(seconds):
                first = await anext(aiter(source))
        except TimeoutError:
            return
        yield first

    with pytest.raises(CheckFailed, match="ended, but its source never yields"):
        check_first_token_times_out(first_token_timeout)


def test_paced_source_that_stalls_cleans_up_when_cancelled():
    source = PacedSource(["a"], stall=True)

    async def scenario():
        assert await anext(source) == "a"
        waiting = asyncio.ensure_future(anext(source))
        await asyncio.sleep(0)
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)

    run_async(scenario())
    assert (source.pulled, source.cleaned_up) == (1, True)
