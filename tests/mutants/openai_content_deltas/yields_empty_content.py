# Yields every content that is not None, empty strings included.
async def openai_content_deltas(chunks: AsyncIterable[dict]) -> AsyncIterator[str]:
    async for chunk in chunks:
        if "error" in chunk:
            raise RuntimeError(chunk["error"]["message"])
        choices = chunk.get("choices") or []
        if choices:
            content = choices[0].get("delta", {}).get("content")
            if content is not None:
                yield content
