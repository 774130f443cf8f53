# Yields a Gemini frame's parts joined into one piece.
async def text_deltas(events: AsyncIterable[SSEEvent], provider: str) -> AsyncIterator[str]:
    if provider not in PROVIDERS:
        raise ValueError(f"unknown provider {provider!r}: use one of {', '.join(PROVIDERS)}")
    async for event in events:
        kind, pieces, error = event.event, [], None
        if provider == "openai-chat" and kind == "message":
            if event.data.strip() == "[DONE]":
                return
            chunk = json.loads(event.data)
            error = chunk.get("error")
            choices = chunk.get("choices") or []
            if choices:
                pieces = [(choices[0].get("delta") or {}).get("content")]
        elif provider == "openai-responses" and kind == "response.output_text.delta":
            pieces = [json.loads(event.data).get("delta")]
        elif provider == "openai-responses" and kind == "error":
            error = json.loads(event.data)
        elif provider == "openai-responses" and kind == "response.failed":
            error = (json.loads(event.data).get("response") or {}).get("error") or {}
        elif provider == "anthropic" and kind == "content_block_delta":
            delta = json.loads(event.data).get("delta") or {}
            if delta.get("type") == "text_delta":
                pieces = [delta.get("text")]
        elif provider == "anthropic" and kind == "error":
            error = json.loads(event.data).get("error") or {}
        elif provider == "gemini" and kind == "message":
            frame = json.loads(event.data)
            error = frame.get("error")
            candidate = (frame.get("candidates") or [{}])[0]
            content = candidate.get("content") or {}
            pieces = ["".join(part.get("text", "") for part in content.get("parts") or [])]
        if error is not None:
            raise RuntimeError(f"the {provider} stream failed: {error.get('message')}")
        for piece in pieces:
            if piece:
                yield piece
