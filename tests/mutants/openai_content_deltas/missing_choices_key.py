# Uses chunk["choices"]: a payload without the key (or with null) breaks it.
async def openai_content_deltas(chunks: AsyncIterable[dict]) -> AsyncIterator[str]:
    async for chunk in chunks:
        if "error" in chunk:
            raise RuntimeError(chunk["error"]["message"])
        for choice in chunk["choices"][:1]:
            content = (choice.get("delta") or {}).get("content")
            if content:
                yield content
