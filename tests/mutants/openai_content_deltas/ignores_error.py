# Ignores an error payload: the stream just ends early.
async def openai_content_deltas(chunks: AsyncIterable[dict]) -> AsyncIterator[str]:
    async for chunk in chunks:
        choices = chunk.get("choices") or []
        if choices:
            content = (choices[0].get("delta") or {}).get("content")
            if content:
                yield content
