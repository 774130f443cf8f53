# Reads choices[0]["message"], the non-streaming format, instead of "delta".
async def openai_content_deltas(chunks: AsyncIterable[dict]) -> AsyncIterator[str]:
    async for chunk in chunks:
        if "error" in chunk:
            raise RuntimeError(chunk["error"]["message"])
        choices = chunk.get("choices") or []
        if choices:
            content = choices[0]["message"].get("content")
            if content:
                yield content
