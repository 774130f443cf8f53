"""yieldlab's simulated model: deterministic, realistic tokens, every delay a parameter."""

from __future__ import annotations

import asyncio

import pytest

from yieldlab import SENTENCES, ModelError, SimulatedModel, tokenize


@pytest.mark.parametrize("text", [*SENTENCES, "", "  two  spaces\n\nand lines ", "3.14 café 🚀"])
def test_tokens_join_back_into_the_text(text):
    assert "".join(tokenize(text)) == text


def test_tokens_carry_their_leading_space_and_split_punctuation():
    assert tokenize("Hello, world!") == ["Hello", ",", " world", "!"]


def test_long_words_arrive_in_pieces():
    assert tokenize(" unbelievable") == [" unbel", "ievable"]


def test_the_same_seed_and_prompt_give_the_same_reply():
    assert SimulatedModel(seed=1).reply("hi") == SimulatedModel(seed=1).reply("hi")
    assert SimulatedModel(seed=1).reply("hi") != SimulatedModel(seed=2).reply("hi")


def test_stream_and_astream_yield_the_reply_tokens():
    model = SimulatedModel(seed=4)

    async def collect():
        return [token async for token in model.astream("q")]

    assert list(model.stream("q")) == model.tokens("q") == asyncio.run(collect())
    assert model.complete("q") == model.reply("q")


def test_a_script_replaces_the_made_up_reply():
    assert SimulatedModel(script="Hi there.").tokens() == ["Hi", " there", "."]


def test_delays_follow_time_to_first_token_pace_and_jitter():
    model = SimulatedModel(
        time_to_first_token=0.5, tokens_per_second=10, jitter=0.2, script="a b c"
    )
    first, *rest = model.delays()
    assert first == pytest.approx(0.6, abs=0.021)
    assert all(0.08 <= gap <= 0.12 for gap in rest)
    assert SimulatedModel(script="a b").delays() == [0.0, 0.0]


def test_fail_after_raises_model_error_after_that_many_tokens():
    stream = SimulatedModel(fail_after=2, script="one two three").stream()
    assert [next(stream), next(stream)] == ["one", " two"]
    with pytest.raises(ModelError, match="after 2 tokens"):
        next(stream)


def test_stall_after_pauses_for_stall_for_seconds():
    model = SimulatedModel(stall_after=1, stall_for=0.001, script="a b")
    assert list(model.stream()) == ["a", " b"]


def test_an_endless_stall_never_yields_the_next_token():
    async def second_token():
        stream = SimulatedModel(stall_after=1, script="a b").astream()
        await anext(stream)
        return await asyncio.wait_for(anext(stream), 0.01)

    with pytest.raises(TimeoutError):
        asyncio.run(second_token())


@pytest.mark.parametrize(
    "bad",
    [
        {"tokens_per_second": -1},
        {"jitter": 2},
        {"fail_after": -1},
        {"sentences": True},
        {"stall_after": 1.5},
    ],
)
def test_bad_parameters_are_named_in_the_error(bad):
    name = next(iter(bad))
    with pytest.raises(ValueError, match=name):
        SimulatedModel(**bad)


def test_a_prompt_that_is_not_text_is_refused():
    with pytest.raises(TypeError, match="prompt must be a str"):
        SimulatedModel().reply(42)
