"""yieldlab's pictures: the token-arrival timeline and the server benchmark plot."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET

import IPython.display
import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from yieldlab import (  # noqa: E402
    SimulatedModel,
    arrival_times,
    load_benchmark,
    plot_benchmark,
    plot_timeline,
)

SVG = "{http://www.w3.org/2000/svg}"
MODEL = SimulatedModel(time_to_first_token=0.3, tokens_per_second=10)
RESULTS = {
    "fastapi": {
        "10": {"completed": 10, "ttft_p50": 0.002, "gap_p50": 0.02, "gap_p99": 0.03},
        "100": {"completed": 90, "ttft_p50": 0.01, "gap_p50": 0.02, "gap_p99": 0.05},
    },
    "sse-starlette": {
        10: {"completed": 10, "ttft_p50": 0.003, "gap_p50": 0.02, "gap_p99": 0.04},
    },
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_arrival_times_add_up_the_models_delays():
    times = arrival_times(MODEL)
    assert times[0] == pytest.approx(0.4) and times[1] == pytest.approx(0.5)
    assert len(times) == len(MODEL.tokens())


def test_timeline_streams_from_the_first_token_and_waits_until_the_last():
    ax = plot_timeline(MODEL)
    streaming, waiting = ax.get_lines()[:2]
    total = len(MODEL.reply())
    times = arrival_times(MODEL)
    assert list(streaming.get_xdata())[:2] == [0, times[0]]
    assert list(streaming.get_ydata())[-1] == total
    assert list(waiting.get_xdata())[1] == times[-1]
    assert list(waiting.get_ydata()) == [0, total, total]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "streaming",
        "waiting for the whole answer",
    ]


def test_timeline_of_an_empty_reply_is_an_error():
    with pytest.raises(ValueError, match="no tokens"):
        plot_timeline(SimulatedModel(script=""))


@pytest.fixture
def without_matplotlib(monkeypatch):
    """Importing matplotlib fails, as in JupyterLite's browser kernel (no Pyodide wheel)."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)


def test_timeline_without_matplotlib_is_valid_svg(without_matplotlib):
    assert ET.fromstring(plot_timeline(MODEL)).tag == f"{SVG}svg"


def test_svg_timeline_streams_token_by_token_and_waits_until_the_last(without_matplotlib):
    svg = ET.fromstring(plot_timeline(MODEL))
    streaming, _, waiting = [path.get("d") for path in svg.iter(f"{SVG}path")]
    assert streaming.count("V") == len(MODEL.tokens())
    assert waiting.count("V") == 1
    *_, last_arrival, everything = streaming.split()
    assert f"{last_arrival} {everything}" in waiting


def test_svg_timeline_labels_axes_legend_and_first_words(without_matplotlib):
    svg = ET.fromstring(plot_timeline(MODEL))
    first, *_, last = arrival_times(MODEL)
    assert {
        "seconds after the request",
        "characters on screen",
        "streaming",
        "waiting for the whole answer",
        f"first words after {first:.2f} s",
        f"first words after {last:.2f} s",
    } <= {text.text for text in svg.iter(f"{SVG}text")}


def test_svg_timeline_is_displayed_so_a_cell_ending_in_a_semicolon_shows_it(
    without_matplotlib, monkeypatch
):
    displayed = []
    monkeypatch.setattr(IPython.display, "display", displayed.append)
    plot_timeline(MODEL)
    assert [type(shown) for shown in displayed] == [IPython.display.SVG]
    assert "waiting for the whole answer" in displayed[0].data


def test_timeline_of_an_empty_reply_is_an_error_without_matplotlib_too(without_matplotlib):
    with pytest.raises(ValueError, match="no tokens"):
        plot_timeline(SimulatedModel(script=""))


def test_benchmark_plot_has_one_line_per_variant_and_measure():
    fig = plot_benchmark(RESULTS)
    ttft, gaps, completed = fig.axes
    assert [line.get_label() for line in ttft.get_lines()] == ["fastapi", "sse-starlette"]
    assert list(ttft.get_lines()[0].get_xdata()) == [10, 100]
    assert list(ttft.get_lines()[0].get_ydata()) == [2.0, 10.0]
    assert len(gaps.get_lines()) == 4
    assert list(completed.get_lines()[-1].get_ydata()) == [10, 100]


def test_load_benchmark_turns_concurrency_keys_into_ints(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(RESULTS))
    assert list(load_benchmark(path)["fastapi"]) == [10, 100]


def test_benchmark_row_without_a_field_names_what_is_missing():
    broken = {"fastapi": {"10": {"completed": 10, "ttft_p50": 0.1}}}
    with pytest.raises(ValueError, match="'fastapi' at concurrency 10 lacks gap_p50, gap_p99"):
        plot_benchmark(broken)


def test_benchmark_concurrency_must_be_a_whole_number():
    with pytest.raises(ValueError, match="concurrency 'many'"):
        plot_benchmark({"fastapi": {"many": RESULTS["fastapi"]["10"]}})
