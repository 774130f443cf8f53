# Reconnects without Last-Event-ID, so the reply starts over.
async def reconnecting_chat(
    client: httpx.AsyncClient,
    prompt: str,
    *,
    max_retries: int = 5,
    base_delay: float = 0.1,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    jitter: Callable[[], float] = random.random,
) -> AsyncIterator[str]:
    """Yield every token of the reply once, reconnecting after dropped connections."""
    last_id = None
    failures = 0
    while True:
        headers = {}
        try:
            async with aconnect_sse(
                client, "POST", "/chat/stream", json={"prompt": prompt}, headers=headers
            ) as source:
                async for sse in source.aiter_sse():
                    failures = 0
                    if sse.data == "[DONE]":
                        return
                    last_id = sse.id
                    yield json.loads(sse.data)["token"]
            error = httpx.RemoteProtocolError("the stream ended before [DONE]")
        except httpx.TransportError as dropped:
            error = dropped
        failures += 1
        if failures > max_retries:
            raise error
        delay = base_delay * 2 ** (failures - 1)
        await sleep(delay / 2 + jitter() * delay / 2)
