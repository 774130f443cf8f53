# Mistake: a second start() keeps the earlier tokens.
class StreamStats:
    """Time to first token and tokens per second of one stream, read from `clock`."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self._started: float | None = None
        self._first: float | None = None
        self._last: float | None = None
        self._count = 0

    def start(self) -> None:
        """Begin a new measurement now."""
        self._started = self.clock()

    def token(self, text: str) -> None:
        """Record that `text` arrived now; an empty string is not a token."""
        if self._started is None:
            raise RuntimeError("call start() before token(): there is nothing to measure from")
        if not text:
            return
        self._last = self.clock()
        if self._first is None:
            self._first = self._last
        self._count += 1

    @property
    def count(self) -> int:
        """How many tokens have arrived since start()."""
        return self._count

    @property
    def ttft(self) -> float | None:
        """Seconds from start() to the first token, or None before it."""
        if self._first is None:
            return None
        return self._first - self._started

    @property
    def tokens_per_second(self) -> float | None:
        """Tokens per second after the first one, or None while that cannot be measured."""
        if self._count < 2 or self._last == self._first:
            return None
        return (self._count - 1) / (self._last - self._first)
