# Ignores an error payload and returns the half-built message.
async def accumulate_chat_stream(chunks: AsyncIterable[dict]) -> dict:
    role, pieces, finish_reason, usage = None, [], None, None
    calls = {}
    async for chunk in chunks:
        if chunk.get("usage") is not None:
            usage = chunk["usage"]
        for choice in (chunk.get("choices") or [])[:1]:
            delta = choice.get("delta") or {}
            if role is None:
                role = delta.get("role")
            pieces.append(delta.get("content") or "")
            if choice.get("finish_reason") is not None:
                finish_reason = choice["finish_reason"]
            for fragment in delta.get("tool_calls") or []:
                call = calls.setdefault(
                    fragment["index"],
                    {"id": "", "type": "function", "function": {"name": "", "arguments": ""}},
                )
                function = fragment.get("function") or {}
                if fragment.get("id") is not None:
                    call["id"] = fragment["id"]
                if fragment.get("type") is not None:
                    call["type"] = fragment["type"]
                if function.get("name") is not None:
                    call["function"]["name"] = function["name"]
                call["function"]["arguments"] += function.get("arguments") or ""
    return {
        "role": role or "assistant",
        "content": "".join(pieces),
        "finish_reason": finish_reason,
        "usage": usage,
        "tool_calls": [calls[index] for index in sorted(calls)],
    }
