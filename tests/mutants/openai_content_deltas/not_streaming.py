# Collects every piece first, and yields them when the stream has ended.
async def openai_content_deltas(chunks: AsyncIterable[dict]) -> AsyncIterator[str]:
    pieces = []
    async for chunk in chunks:
        if "error" in chunk:
            raise RuntimeError(chunk["error"]["message"])
        choices = chunk.get("choices") or []
        if choices:
            content = (choices[0].get("delta") or {}).get("content")
            if content:
                pieces.append(content)
    for piece in pieces:
        yield piece
