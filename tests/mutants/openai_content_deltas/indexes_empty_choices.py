# Reads choices[0] without checking: the usage chunk has no choices.
async def openai_content_deltas(chunks: AsyncIterable[dict]) -> AsyncIterator[str]:
    async for chunk in chunks:
        if "error" in chunk:
            raise RuntimeError(chunk["error"]["message"])
        content = chunk["choices"][0]["delta"].get("content")
        if content:
            yield content
