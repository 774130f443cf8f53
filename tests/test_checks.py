"""graders' checks: what they accept, and the messages they give when they fail."""

from __future__ import annotations

import pytest

from graders import (
    AsyncSource,
    CheckFailed,
    Source,
    expect_items,
    expect_raises,
    expect_streaming,
    expect_value,
    run_async,
)


def chunks(text: str, size: int = 2):
    for start in range(0, len(text), size):
        yield text[start : start + size]


async def achunks(text: str, size: int = 2):
    for piece in chunks(text, size):
        yield piece


class AsyncChunks:
    """An async iterator written as a class, which the checks must accept too."""

    def __init__(self, text: str) -> None:
        self.pieces = iter(chunks(text))

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return next(self.pieces)
        except StopIteration:
            raise StopAsyncIteration from None


@pytest.mark.parametrize("fn", [chunks, achunks, AsyncChunks])
def test_expect_items_accepts_any_kind_of_stream(fn, capsys):
    expect_items(fn, "abcde", expected=["ab", "cd", "e"])
    assert capsys.readouterr().out.startswith("✓ ")


def test_a_wrong_stream_is_shown_with_the_call_and_both_values():
    with pytest.raises(CheckFailed) as failure:
        expect_items(chunks, "abc", expected=["a", "bc"])
    assert str(failure.value) == "chunks('abc') yielded ['ab', 'c']\nbut should yield ['a', 'bc']."


def test_a_hint_follows_the_message_for_a_known_mistake():
    with pytest.raises(CheckFailed, match="Use a smaller size"):
        expect_items(
            chunks, "abc", expected=["a", "b", "c"], hint=lambda got, want: "Use a smaller size."
        )


def test_a_hidden_check_reveals_neither_input_nor_expected_items():
    with pytest.raises(CheckFailed) as failure:
        expect_items(chunks, "secret", expected=["se", "cr", "et!"], hidden="long words")
    message = str(failure.value)
    assert "long words" in message and "item 2" in message
    assert "secret" not in message and "et!" not in message


def test_an_async_def_without_yield_is_told_to_yield():
    async def returns_a_list(text):
        return list(text)

    with pytest.raises(CheckFailed, match="contains `yield`"):
        expect_items(returns_a_list, "ab", expected=["a", "b"])


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_the_untouched_stub_is_told_to_implement_it(kind):
    def stub(text):
        raise NotImplementedError()

    async def astub(text):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="stub is not implemented yet"):
        expect_items(stub if kind == "sync" else astub, "ab", expected=["a"])


def test_an_error_in_the_stream_names_the_exception_and_the_items_before_it():
    def breaks(text):
        yield text[0]
        raise ZeroDivisionError("boom")

    with pytest.raises(
        CheckFailed, match=r"raised ZeroDivisionError\('boom'\) at line .* after yielding \['a'\]"
    ):
        expect_items(breaks, "ab", expected=["a", "b"])


def test_a_learner_sys_exit_is_a_failed_check_not_an_exit():
    def exits():
        raise SystemExit(0)

    with pytest.raises(CheckFailed, match="raised SystemExit"):
        expect_value(exits, expected=1)


def test_expect_value_awaits_a_coroutine_and_checks_the_type():
    async def count(text):
        return len(text)

    expect_value(count, "abc", expected=3)
    with pytest.raises(CheckFailed, match="returned 3.0"):
        expect_value(lambda: 3.0, expected=3)


def test_expect_raises_accepts_the_error_at_the_first_item():
    def late(size):
        if size < 1:
            raise ValueError("size")
        yield size

    expect_raises(late, 0, error=ValueError)
    with pytest.raises(CheckFailed, match=r"yielded 1, but should raise ValueError"):
        expect_raises(late, 1, error=ValueError)


def test_expect_streaming_catches_a_stage_that_reads_ahead():
    def greedy(source):
        yield from list(source)

    with pytest.raises(CheckFailed, match="is not streaming: when it yielded result 0"):
        expect_streaming(greedy, Source(["a", "b", "c"]), needed=[1, 2, 3])
    expect_streaming(lambda source: (item for item in source), Source(["a", "b"]), needed=[1, 2])


def test_sources_record_pulls_and_cleanup():
    source = Source(["a", "b", "c"])
    assert next(source) == "a" and source.pulled == 1 and not source.cleaned_up
    source.close()
    assert source.cleaned_up

    async def first_of(stream):
        async for item in stream:
            await stream.aclose()
            return item

    asource = AsyncSource(["x", "y"])
    assert run_async(first_of(asource)) == "x"
    assert asource.pulled == 1 and asource.cleaned_up


def test_a_source_can_fail_after_its_items():
    source = Source([1], then_raise=KeyError("gone"))
    assert next(source) == 1
    with pytest.raises(KeyError):
        next(source)
    assert source.cleaned_up


def test_a_crash_or_hang_in_a_hidden_check_keeps_the_inputs_hidden():
    def crashes(text):
        yield text[:2]
        raise RuntimeError("bad")

    with pytest.raises(CheckFailed) as failure:
        expect_items(crashes, "secret", expected=["se"], hidden="long words")
    message = str(failure.value)
    assert "hidden test 'long words'" in message and "RuntimeError" in message
    assert "secret" not in message and "'se'" not in message


def test_an_item_that_equals_anything_does_not_pass():
    class Anything(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    with pytest.raises(CheckFailed):
        expect_items(lambda: iter([Anything()]), expected=["a"])


def test_a_named_tuple_matches_its_twin_with_the_same_fields():
    from typing import NamedTuple

    class Mine(NamedTuple):
        word: str
        count: int

    expect_items(lambda: iter([Mine("a", 1)]), expected=[("a", 1)])
    with pytest.raises(CheckFailed):
        expect_items(lambda: iter([Mine("a", True)]), expected=[("a", 1)])
