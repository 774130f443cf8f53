"""yieldlab's live view: statistics from an injected clock, text and widget output, stopping."""

from __future__ import annotations

import asyncio
import io

import pytest

from yieldlab import LiveView, ModelError, SimulatedModel, show_stream
from yieldlab._live import _in_kernel


class Ticks:
    """A clock that moves on by `step` seconds each time it is read."""

    def __init__(self, start: float = 0.0, step: float = 0.25) -> None:
        self.now = start - step
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def text_view(**kwargs) -> tuple[LiveView, io.StringIO]:
    out = io.StringIO()
    return LiveView(widgets=False, out=out, **kwargs), out


def test_statistics_come_from_the_injected_clock():
    view, _ = text_view(clock=Ticks(start=10.0, step=0.25))
    view.run(["a", "b", "c"])  # start at 10.0, tokens at 10.25, 10.5, 10.75
    assert (view.count, view.ttft, view.tokens_per_second) == (3, 0.25, 4.0)


def test_tokens_per_second_is_unknown_until_two_tokens_have_arrived():
    view, _ = text_view(clock=Ticks())
    view.run(["only"])
    assert view.count == 1 and view.ttft == 0.25 and view.tokens_per_second is None


def test_empty_tokens_are_not_counted():
    view, _ = text_view(clock=Ticks())
    view.run(["", "a", "", "b"])  # start at 0, tokens at 0.25 and 0.5
    assert (view.count, view.ttft, view.tokens_per_second) == (2, 0.25, 4.0)


def test_nothing_is_measured_before_the_first_token():
    view, _ = text_view(clock=Ticks())
    view.run([])
    assert (view.count, view.ttft, view.tokens_per_second) == (0, None, None)
    assert view.summary() == "0 tokens · done"


def test_text_mode_writes_each_token_then_a_summary_line():
    view, out = text_view(clock=Ticks(), total=2)
    assert view.run(["Hello", " world"]) == "Hello world"
    assert out.getvalue() == (
        "Hello world\n[2/2 tokens · first token 0.25 s · 4.0 tokens/s · done]\n"
    )


def test_outside_a_kernel_the_view_is_plain_text():
    assert _in_kernel() is False
    assert LiveView()._repr_mimebundle_().keys() == {"text/plain"}


def test_widgets_show_the_text_the_progress_and_the_statistics():
    view = LiveView(widgets=True, total=4, clock=Ticks(), refresh=0)
    view.run(["<b>", " &", " ok"])
    assert view._bar.value == 3 and view._bar.max == 4
    assert "&lt;b&gt; &amp; ok" in view._text.value
    assert "3/4 tokens · first token 0.25 s · 4.0 tokens/s · done" in view._stats.value
    assert view._button.disabled


def test_widget_display_carries_a_plain_text_version_for_front_ends_without_widgets():
    view = LiveView(widgets=True, clock=Ticks())
    view.run(["Hi", "."])
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "Hi.\n[2 tokens · first token 0.25 s · 4.0 tokens/s · done]"


def test_redraws_wait_for_the_refresh_interval_of_the_clock():
    view = LiveView(widgets=True, clock=Ticks(step=0.01), refresh=0.05)
    view.start()
    for token in "abc":
        view.add(token)
    assert "a" in view._text.value and "abc" not in view._text.value
    view.finish()
    assert "abc" in view._text.value


def test_stop_button_ends_a_sync_stream_and_closes_it():
    closed = []

    def tokens():
        try:
            for n in range(100):
                yield f"{n} "
                if n == 2:
                    view._button.click()
        finally:
            closed.append(True)

    view = LiveView(widgets=True, clock=Ticks())
    assert view.run(tokens()) == "0 1 2 "
    assert closed == [True] and view.status == "stopped" and view.stopped


def test_stop_button_cancels_an_async_stream_running_in_the_background():
    closed = []

    async def tokens():
        try:
            for n in range(100):
                yield f"{n} "
                await asyncio.sleep(0.001)
        finally:
            closed.append(True)

    async def scenario():
        view = show_stream(tokens(), widgets=True)
        while view.count < 3:
            await asyncio.sleep(0.001)
        view._button.click()
        await view.wait()
        return view

    view = asyncio.run(scenario())
    assert closed == [True] and view.status == "stopped" and 3 <= view.count < 100


def test_show_stream_runs_a_stream_to_its_end_outside_an_event_loop():
    model = SimulatedModel(seed=1)
    view = show_stream(model.astream("hi"), widgets=True, total=len(model.tokens("hi")))
    assert view.text == model.reply("hi") and view.status == "done"
    assert view._bar.value == view._bar.max


def test_a_failing_stream_shows_the_error_and_raises_it():
    view, out = text_view(clock=Ticks())
    with pytest.raises(ModelError):
        view.run(SimulatedModel(fail_after=2).stream())
    assert view.count == 2 and "failed: ModelError" in out.getvalue()


def test_a_background_stream_that_fails_raises_from_wait():
    async def scenario():
        view = show_stream(SimulatedModel(fail_after=1).astream(), widgets=True)
        with pytest.raises(ModelError):
            await view.wait()
        return view

    assert asyncio.run(scenario()).status.startswith("failed: ModelError")


@pytest.mark.parametrize("total", [-1, 2.5, "3"])
def test_total_must_be_none_or_a_count(total):
    with pytest.raises(ValueError, match="total"):
        LiveView(total=total)
