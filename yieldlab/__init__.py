"""Yield Lab's toolkit for the lessons: simulated models, token streams and providers' formats."""

from ._chunks import chat_completion_chunks
from ._live import LiveView, show_stream
from ._model import ModelError, SimulatedModel
from ._plots import arrival_times, load_benchmark, plot_benchmark, plot_timeline
from ._providers import PROVIDERS, provider_events, provider_wire
from ._serve import BackgroundServer
from ._sse import DONE, encode_sse, split_bytes
from ._svg import timeline_svg
from ._tokens import SENTENCES, tokenize

__all__ = [
    "DONE",
    "PROVIDERS",
    "SENTENCES",
    "BackgroundServer",
    "LiveView",
    "ModelError",
    "SimulatedModel",
    "StreamingASGITransport",
    "arrival_times",
    "chat_completion_chunks",
    "encode_sse",
    "load_benchmark",
    "plot_benchmark",
    "plot_timeline",
    "provider_events",
    "provider_wire",
    "show_stream",
    "split_bytes",
    "timeline_svg",
    "tokenize",
]


def __getattr__(name: str) -> object:
    """Import `StreamingASGITransport`, and httpx with it, on first use: most lessons never do."""
    if name == "StreamingASGITransport":
        from ._transport import StreamingASGITransport

        return StreamingASGITransport
    raise AttributeError(f"module 'yieldlab' has no attribute {name!r}")
