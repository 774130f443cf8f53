# Mistake: reads the clock once for the whole run.
async def summarise_stream(
    documents: Iterable[str],
    model: Any,
    batch_size: int = 3,
    clock: Callable[[], float] = time.perf_counter,
) -> AsyncIterator[Summary]:
    """Yield a Summary for each sentence of each batch's streamed summary, as soon as it is complete."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    documents = iter(documents)
    started = clock()
    for index in itertools.count():
        batch = list(itertools.islice(documents, batch_size))
        if not batch:
            return
        ttft, count, buffer = None, 0, ""
        async with contextlib.aclosing(model.astream("\n\n".join(batch))) as tokens:
            async for token in tokens:
                if not token:
                    continue
                count += 1
                if ttft is None:
                    ttft = clock() - started
                buffer += token
                while end := re.search(r"[.!?]+(?=\s)", buffer):
                    yield Summary(index, buffer[: end.end()].strip(), count, ttft)
                    buffer = buffer[end.end() :]
        if buffer.strip():
            yield Summary(index, buffer.strip(), count, ttft)
