"""Pictures for the lessons: what the reader sees over time, and the server benchmark."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._model import SimulatedModel
from ._svg import timeline_svg

BENCHMARK_FIELDS = ("completed", "ttft_p50", "gap_p50", "gap_p99")


def arrival_times(model: SimulatedModel, prompt: str = "") -> list[float]:
    """Seconds after the request at which each token of the reply arrives (from its delays)."""
    return list(itertools.accumulate(model.delays(prompt)))


def plot_timeline(model: SimulatedModel, prompt: str = "", *, ax: Any = None) -> Any:
    """Plot the characters on screen over time, streamed and not streamed; the Axes come back.

    Both lines use the same simulated reply: streamed, the text grows token by
    token from the first token on; not streamed, the screen stays empty until
    the last token, then shows everything at once. Without matplotlib (JupyterLite
    in the browser has none) the same picture is displayed as SVG, and its markup
    comes back instead.
    """
    times = arrival_times(model, prompt)
    if not times:
        raise ValueError(f"plot_timeline: the model's reply to {prompt!r} has no tokens")
    shown = list(itertools.accumulate(len(token) for token in model.tokens(prompt)))
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        from IPython.display import SVG, display

        markup = timeline_svg(times, shown)
        display(SVG(markup))
        return markup
    end = times[-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.2), layout="constrained")
    ax.step([0, *times], [0, *shown], where="post", color="tab:blue", label="streaming")
    ax.step(
        [0, end, end * 1.08],
        [0, shown[-1], shown[-1]],
        where="post",
        color="tab:orange",
        linestyle="--",
        label="waiting for the whole answer",
    )
    ax.plot(times, shown, "|", color="tab:blue", markersize=6)
    ax.axvline(times[0], color="tab:blue", alpha=0.3)
    ax.axvline(end, color="tab:orange", alpha=0.3)
    ax.annotate(
        f"first words after {times[0]:.2f} s",
        (times[0], shown[-1] * 0.92),
        xytext=(6, 0),
        textcoords="offset points",
        color="tab:blue",
        va="center",
    )
    ax.annotate(
        f"first words after {end:.2f} s",
        (end, shown[-1] * 0.5),
        xytext=(-6, 0),
        textcoords="offset points",
        color="tab:orange",
        ha="right",
        va="center",
    )
    ax.set_xlabel("seconds after the request")
    ax.set_ylabel("characters on screen")
    ax.set_title(f"What the reader sees: {len(times)} tokens of the same reply")
    ax.set_xlim(0, end * 1.08)
    ax.set_ylim(0, shown[-1] * 1.05)
    ax.legend(loc="center left")
    return ax


def load_benchmark(path: str | Path) -> dict[str, dict[int, dict[str, float]]]:
    """Read the JSON that benchmarks/sse_server.py writes; concurrency keys come back as ints."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return _checked(raw)


def _checked(results: Any) -> dict[str, dict[int, dict[str, float]]]:
    where = "plot_benchmark"
    if not isinstance(results, Mapping) or not results:
        raise ValueError(
            f"{where}: expected {{variant: {{concurrency: {{...}}}}}}, got {results!r}"
        )
    checked: dict[str, dict[int, dict[str, float]]] = {}
    for variant, runs in results.items():
        if not isinstance(runs, Mapping) or not runs:
            raise ValueError(f"{where}: variant {variant!r} has no runs: {runs!r}")
        checked[variant] = {}
        for concurrency, row in runs.items():
            try:
                level = int(concurrency)
            except (TypeError, ValueError):
                raise ValueError(
                    f"{where}: {variant!r} has concurrency {concurrency!r}, not a whole number"
                ) from None
            missing = [name for name in BENCHMARK_FIELDS if name not in row]
            if missing:
                raise ValueError(
                    f"{where}: {variant!r} at concurrency {level} lacks {', '.join(missing)}"
                )
            checked[variant][level] = {name: float(row[name]) for name in BENCHMARK_FIELDS}
    return checked


def plot_benchmark(results: Mapping[str, Mapping[Any, Mapping[str, float]]]) -> Any:
    """Plot SSE server results per variant against concurrency; the Figure comes back.

    `results` is {variant: {concurrency: {completed, ttft_p50, gap_p50, gap_p99}}},
    times in seconds (shown in ms), as `load_benchmark` returns it; concurrency
    keys may be ints or the strings JSON gives.
    """
    import matplotlib.pyplot as plt

    checked = _checked(results)
    fig, (ttft, gaps, completed) = plt.subplots(
        1, 3, figsize=(12, 3.6), sharex=True, layout="constrained"
    )
    colors = itertools.cycle(plt.rcParams["axes.prop_cycle"].by_key()["color"])
    for (variant, runs), color in zip(checked.items(), colors, strict=False):
        levels = sorted(runs)
        rows = [runs[level] for level in levels]
        ttft.plot(levels, [r["ttft_p50"] * 1000 for r in rows], "o-", color=color, label=variant)
        gaps.plot(levels, [r["gap_p50"] * 1000 for r in rows], "o-", color=color, label=variant)
        gaps.plot(levels, [r["gap_p99"] * 1000 for r in rows], "^:", color=color)
        completed.plot(levels, [r["completed"] for r in rows], "o-", color=color, label=variant)
    everything = sorted({level for runs in checked.values() for level in runs})
    completed.plot(everything, everything, color="grey", linestyle=":", label="all of them")
    ttft.set(title="time to first token (p50)", ylabel="ms")
    gaps.set(title="gap between tokens (p50 ●, p99 ▲)", ylabel="ms")
    completed.set(title="streams completed", ylabel="streams")
    for ax in (ttft, gaps, completed):
        ax.set_xscale("log")
        ax.set_xlabel("concurrent streams")
        ax.grid(True, alpha=0.3)
    ttft.legend()
    completed.legend()
    return fig
