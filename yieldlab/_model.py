"""A deterministic simulated language model that streams tokens, sync and async."""

from __future__ import annotations

import asyncio
import math
import random
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

from ._tokens import SENTENCES, tokenize


class ModelError(RuntimeError):
    """The simulated model failed in the middle of a reply (`fail_after`)."""


@dataclass(frozen=True)
class SimulatedModel:
    """A language model stand-in: same prompt and seed, same tokens at the same pace.

    Every delay is a parameter and all default to 0, so tests run at full speed:
    - `time_to_first_token`: seconds before the first token;
    - `tokens_per_second`: pace after that (0 means no delay);
    - `jitter`: how much each gap varies, as a fraction of it (0 to 1);
    - `fail_after`: raise ModelError after this many tokens;
    - `stall_after`: stop producing after this many tokens, for `stall_for` seconds
      (forever by default), like a connection that goes quiet;
    - `script`: always reply with this text instead of made-up sentences.
    """

    seed: int = 0
    sentences: int = 3
    time_to_first_token: float = 0.0
    tokens_per_second: float = 0.0
    jitter: float = 0.0
    fail_after: int | None = None
    stall_after: int | None = None
    stall_for: float = math.inf
    script: str | None = None

    def __post_init__(self) -> None:
        for name in ("sentences", "time_to_first_token", "tokens_per_second", "stall_for"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ValueError(f"SimulatedModel({name}={value!r}): must be a number >= 0")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"SimulatedModel(jitter={self.jitter!r}): must be between 0 and 1")
        for name in ("fail_after", "stall_after"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValueError(f"SimulatedModel({name}={value!r}): must be None or an int >= 0")

    def _random(self, prompt: str) -> random.Random:
        return random.Random(f"{self.seed}:{prompt}")

    def reply(self, prompt: str = "") -> str:
        """The whole reply to `prompt`, as one string."""
        if not isinstance(prompt, str):
            raise TypeError(f"prompt must be a str, not {type(prompt).__name__}")
        if self.script is not None:
            return self.script
        rng = self._random(prompt)
        return " ".join(rng.choice(SENTENCES) for _ in range(self.sentences))

    def tokens(self, prompt: str = "") -> list[str]:
        """The reply to `prompt`, cut into the tokens that `stream` yields."""
        return tokenize(self.reply(prompt))

    def delays(self, prompt: str = "") -> list[float]:
        """The seconds to wait before each token of the reply."""
        rng = self._random("delays:" + prompt)
        gap = 1 / self.tokens_per_second if self.tokens_per_second else 0.0
        delays = []
        for index in range(len(self.tokens(prompt))):
            wobble = 1 + self.jitter * rng.uniform(-1, 1)
            delays.append((self.time_to_first_token if index == 0 else 0.0) + gap * wobble)
        return delays

    def _script(self, prompt: str) -> Iterator[tuple[float, str | None]]:
        """(delay, token) pairs, and (stall seconds, None) where the model stalls."""
        for index, (delay, token) in enumerate(
            zip(self.delays(prompt), self.tokens(prompt), strict=True)
        ):
            if index == self.stall_after:
                yield self.stall_for, None
            if index == self.fail_after:
                raise ModelError(f"simulated failure after {index} tokens")
            yield delay, token

    def stream(self, prompt: str = "") -> Iterator[str]:
        """Yield the reply's tokens one by one, sleeping as the parameters say."""
        for delay, token in self._script(prompt):
            if math.isinf(delay):
                threading.Event().wait()
            elif delay:
                time.sleep(delay)
            if token is not None:
                yield token

    async def astream(self, prompt: str = "") -> AsyncIterator[str]:
        """The async twin of `stream`: awaits between tokens instead of blocking."""
        for delay, token in self._script(prompt):
            if math.isinf(delay):
                await asyncio.Event().wait()
            else:
                await asyncio.sleep(delay)
            if token is not None:
                yield token

    def complete(self, prompt: str = "") -> str:
        """Wait for the whole reply, then return it: what not streaming feels like."""
        return "".join(self.stream(prompt))
