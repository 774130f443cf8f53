# Reads the whole stream before yielding any line.
async def iter_sse_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    data = b""
    async for chunk in chunks:
        data += chunk
    lines = re.split(r"\r\n|\r|\n", data.decode("utf-8", errors="replace"))
    if lines and not lines[-1]:
        lines.pop()
    for line in lines:
        yield line
