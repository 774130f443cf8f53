# Ends the event with one line ending instead of a blank line.
def format_sse_event(
    data: str, event: str | None = None, id: str | None = None, retry: int | None = None
) -> str:
    """One Server-Sent Event in wire format, ending with a blank line."""
    lines = []
    if event is not None and event != "":
        if "\r" in event or "\n" in event:
            raise ValueError(f"event must be one line, not {event!r}")
        lines.append(f"event: {event}")
    if id is not None:
        if "\r" in id or "\n" in id or "\0" in id:
            raise ValueError(f"id must be one line without NUL, not {id!r}")
        lines.append(f"id: {id}")
    if retry is not None:
        if isinstance(retry, bool) or not isinstance(retry, int) or retry < 0:
            raise ValueError(f"retry must be an int >= 0, not {retry!r}")
        lines.append(f"retry: {retry}")
    for line in re.split(r"\r\n|\r|\n", data):
        lines.append(f"data: {line}")
    return "\n".join(lines) + "\n"
