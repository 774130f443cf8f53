"""A live view of a token stream: the text as it arrives, its statistics, progress, a stop button.

In a notebook the view is an ipywidgets box. Its display also carries a plain-text
version, so a front end that cannot render widgets (nbconvert, a static viewer)
shows the finished text and statistics instead of `VBox(...)`. Outside a kernel
(a terminal, a script) the tokens are written to stdout as they arrive.
"""

from __future__ import annotations

import asyncio
import html
import sys
import time
from collections.abc import AsyncIterable, Callable, Iterable
from typing import IO, Any

Clock = Callable[[], float]
_BAR_STYLES = {"waiting": "", "streaming": "info", "done": "success", "stopped": "warning"}


class _Meter:
    """Time to first token, tokens per second and count, read from `clock`."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.started: float | None = None
        self.first: float | None = None
        self.last: float | None = None
        self.count = 0

    def start(self) -> None:
        self.started, self.first, self.last, self.count = self.clock(), None, None, 0

    def token(self) -> None:
        self.last = self.clock()
        if self.first is None:
            self.first = self.last
        self.count += 1

    @property
    def ttft(self) -> float | None:
        return None if self.first is None else self.first - self.started

    @property
    def tokens_per_second(self) -> float | None:
        if self.count < 2 or self.last == self.first:
            return None
        return (self.count - 1) / (self.last - self.first)


def _in_kernel() -> bool:
    """True inside a Jupyter kernel (JupyterLab, JupyterLite, nbconvert), where widgets can live."""
    if sys.platform == "emscripten":
        return True
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class LiveView:
    """Shows a token stream as it arrives: text, statistics, a progress bar and a stop button.

    `total` is the number of tokens expected (for the progress bar), `clock`
    what the statistics are measured with, `widgets` forces (True) or forbids
    (False) ipywidgets instead of deciding from where it runs, `refresh` is how
    often (seconds of `clock`) the widgets are redrawn while tokens arrive, and
    `out` where plain text goes (stdout by default).
    """

    def __init__(
        self,
        *,
        total: int | None = None,
        clock: Clock = time.perf_counter,
        title: str = "",
        widgets: bool | None = None,
        refresh: float = 0.05,
        out: IO[str] | None = None,
    ) -> None:
        if total is not None and (not isinstance(total, int) or total < 0):
            raise ValueError(f"LiveView(total={total!r}): must be None or an int >= 0")
        if not callable(clock):
            raise TypeError(f"LiveView(clock={clock!r}): must be a function returning seconds")
        self.total = total
        self.title = title
        self.refresh = refresh
        self.text = ""
        self.status = "waiting"
        self.stopped = False
        self.error: BaseException | None = None
        self.task: asyncio.Task | None = None
        self._meter = _Meter(clock)
        self._drawn_at: float | None = None
        self._out = out
        self._handle: Any = None
        self._widgets = _in_kernel() if widgets is None else widgets
        if self._widgets:
            self._build_widgets()

    # Statistics -------------------------------------------------------------

    @property
    def count(self) -> int:
        """How many tokens have arrived."""
        return self._meter.count

    @property
    def ttft(self) -> float | None:
        """Seconds from the start to the first token, or None before it."""
        return self._meter.ttft

    @property
    def tokens_per_second(self) -> float | None:
        """Tokens per second after the first one, or None until two have arrived."""
        return self._meter.tokens_per_second

    def summary(self) -> str:
        """One line of statistics, e.g. `42/60 tokens · first token 0.30 s · 48.0 tokens/s · done`."""
        count = f"{self.count}/{self.total}" if self.total is not None else f"{self.count}"
        parts = [f"{count} tokens"]
        if self.ttft is not None:
            parts.append(f"first token {self.ttft:.2f} s")
        if self.tokens_per_second is not None:
            parts.append(f"{self.tokens_per_second:.1f} tokens/s")
        parts.append(self.status)
        return " · ".join(parts)

    # Feeding tokens ---------------------------------------------------------

    def start(self) -> None:
        """Start the clock: time to first token is measured from here."""
        self._meter.start()
        self.status = "streaming"
        self._draw(force=True)

    def add(self, token: str) -> None:
        """Show one more token; an empty one is not counted (as in assignment 5)."""
        if not token:
            return
        self._meter.token()
        self.text += token
        if self._widgets:
            self._draw()
        else:
            self._write(token)

    def finish(self, status: str = "done") -> None:
        """Show the final text and statistics."""
        self.status = status
        self._draw(force=True)
        if self._widgets:
            self._button.disabled = True
            self._button.button_style = ""
            if self._handle is not None:
                self._handle.update(self)
        else:
            self._write(f"\n[{self.summary()}]\n")

    def stop(self) -> None:
        """Stop the stream: what the stop button does."""
        self.stopped = True
        if self.task is not None and not self.task.done():
            self.task.cancel()

    def run(self, tokens: Iterable[str]) -> str:
        """Show a sync stream to its end (or until stopped or interrupted); the text comes back."""
        iterator = iter(tokens)
        self.start()
        try:
            for token in iterator:
                if self.stopped:  # a token that arrives after stop() is not shown
                    break
                self.add(token)
        except KeyboardInterrupt:
            self.stopped = True
        except Exception as error:
            self._failed(error)
            raise
        finally:
            if hasattr(iterator, "close"):
                iterator.close()
        self.finish("stopped" if self.stopped else "done")
        return self.text

    async def arun(self, tokens: AsyncIterable[str] | Iterable[str]) -> str:
        """Show a stream, async or sync, to its end or until stopped; the text comes back."""
        iterator = _aiter(tokens)
        self.start()
        try:
            async for token in iterator:
                if self.stopped:  # a token that arrives after stop() is not shown
                    break
                self.add(token)
        except asyncio.CancelledError:
            if not self.stopped:
                self.finish("cancelled")
                raise
        except Exception as error:
            self._failed(error)
            raise
        finally:
            await iterator.aclose()
        self.finish("stopped" if self.stopped else "done")
        return self.text

    async def wait(self) -> str:
        """Wait until the stream that `show_stream` started has ended; the text comes back."""
        if self.task is not None:
            await asyncio.wait([self.task])
            if self._handle is not None:
                # Sent from the awaiting cell: nbconvert ignores updates sent from a finished one.
                self._handle.update(self)
        if self.error is not None:
            raise self.error
        return self.text

    def _failed(self, error: BaseException) -> None:
        self.error = error
        self.finish(f"failed: {type(error).__name__}: {error}")

    # Display ----------------------------------------------------------------

    def _build_widgets(self) -> None:
        import ipywidgets as w

        self._bar = w.IntProgress(
            value=0, min=0, max=max(self.total or 1, 1), layout=w.Layout(width="50%")
        )
        self._button = w.Button(description="Stop", icon="stop", button_style="warning")
        self._button.on_click(lambda _: self.stop())
        self._stats = w.HTML()
        self._text = w.HTML()
        header = [w.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
        self._box = w.VBox(
            [w.HBox([*header, self._bar, self._button]), self._stats, self._text],
            layout=w.Layout(width="100%"),
        )
        self._draw(force=True)

    def _draw(self, force: bool = False) -> None:
        if not self._widgets:
            return
        now = self._meter.last
        if not force and self._drawn_at is not None and now is not None:
            if now - self._drawn_at < self.refresh:
                return
        self._drawn_at = now
        self._bar.value = min(self.count, self._bar.max) if self.total else int(self.done)
        self._bar.bar_style = _BAR_STYLES.get(self.status, "danger")
        self._stats.value = f"<code>{html.escape(self.summary())}</code>"
        self._text.value = (
            '<div style="white-space: pre-wrap; font-family: var(--jp-content-font-family, '
            f'sans-serif); line-height: 1.5">{html.escape(self.text)}</div>'
        )

    @property
    def done(self) -> bool:
        """True once the stream has ended, whichever way."""
        return self.status not in ("waiting", "streaming")

    def _write(self, text: str) -> None:
        out = self._out or sys.stdout
        out.write(text)
        out.flush()

    def plain(self) -> str:
        """The text so far and the statistics, as plain text."""
        title = f"{self.title}\n" if self.title else ""
        return f"{title}{self.text}\n[{self.summary()}]"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        if not self._widgets:
            return {"text/plain": self.plain()}
        return {**self._box._repr_mimebundle_(**kwargs), "text/plain": self.plain()}

    def __repr__(self) -> str:
        return f"<LiveView {self.summary()}>"

    def display(self) -> LiveView:
        """Put the view in the notebook (widgets) or start writing to stdout (text)."""
        if self._widgets:
            from IPython.display import display

            self._handle = display(self, display_id=True)
        elif self.title:
            self._write(f"{self.title}\n")
        return self


def _aiter(tokens: AsyncIterable[str] | Iterable[str]) -> Any:
    """An async generator over `tokens`, sync or async, that closes them when it is closed."""
    if hasattr(tokens, "__aiter__"):
        source = tokens.__aiter__()

        async def pull_async() -> Any:
            try:
                async for token in source:
                    yield token
            finally:
                if hasattr(source, "aclose"):
                    await source.aclose()

        return pull_async()
    source = iter(tokens)

    async def pull_sync() -> Any:
        try:
            for token in source:
                yield token
                await asyncio.sleep(0)  # let the kernel handle the stop button
        finally:
            if hasattr(source, "close"):
                source.close()

    return pull_sync()


def show_stream(
    tokens: AsyncIterable[str] | Iterable[str],
    *,
    total: int | None = None,
    clock: Clock = time.perf_counter,
    title: str = "",
    widgets: bool | None = None,
) -> LiveView:
    """Show `tokens` live with statistics and a stop button; the LiveView comes back.

    Inside a running event loop (a notebook cell) the stream runs in a
    background task and this returns at once, so the stop button can be
    clicked; `await view.wait()` waits for the end. Elsewhere it runs the
    stream to its end before returning.
    """
    view = LiveView(total=total, clock=clock, title=title, widgets=widgets).display()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        view.task = loop.create_task(view.arun(tokens))
        # The view shows any error; retrieving it here keeps asyncio from logging it on stderr.
        view.task.add_done_callback(lambda task: task.cancelled() or task.exception())
    elif hasattr(tokens, "__aiter__"):
        asyncio.run(view.arun(tokens))
    else:
        view.run(tokens)
    return view
