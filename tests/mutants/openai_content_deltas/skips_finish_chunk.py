# Stops at the first chunk with a finish_reason, losing the content it carries.
async def openai_content_deltas(chunks: AsyncIterable[dict]) -> AsyncIterator[str]:
    async for chunk in chunks:
        if "error" in chunk:
            raise RuntimeError(chunk["error"]["message"])
        choices = chunk.get("choices") or []
        if not choices:
            continue
        if choices[0].get("finish_reason"):
            break
        content = (choices[0].get("delta") or {}).get("content")
        if content:
            yield content
