# Splits lines on LF only: CR and CRLF endings are not handled.
async def aiter_sse(chunks: AsyncIterable[bytes]) -> AsyncIterator[SSEEvent]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""  # the start of a line whose end has not arrived yet
    at_start = True  # nothing decoded yet: a BOM here is dropped
    after_cr = False  # the text so far ended with CR: an LF next is part of that line ending
    event_type, data, last_id, retry = "", [], "", None
    async for chunk in chunks:
        text = decoder.decode(chunk)
        if not text:
            continue
        if at_start:
            at_start = False
            if text[0] == "\ufeff":
                text = text[1:]
        if after_cr and text[:1] == "\n":
            text = text[1:]
        after_cr = text[-1:] == "\r"
        text = pending + text
        lines = text.split("\n")
        pending = lines.pop()
        for line in lines:
            if not line:
                if data:
                    yield SSEEvent(event_type or "message", "\n".join(data), last_id, retry)
                event_type, data, retry = "", [], None
            elif line.startswith("data:"):
                data.append(line[6:] if line[5:6] == " " else line[5:])
            else:
                name, _, value = line.partition(":")
                if value[:1] == " ":
                    value = value[1:]
                if name == "data":  # a line that is just "data", without a colon
                    data.append(value)
                elif name == "event":
                    event_type = value
                elif name == "id":
                    if "\0" not in value:
                        last_id = value
                elif name == "retry" and value.isascii() and value.isdigit():
                    retry = int(value)
