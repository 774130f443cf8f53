# Never checks event and id for line breaks: untrusted text can start a new event.
def format_sse_event(
    data: str, event: str | None = None, id: str | None = None, retry: int | None = None
) -> str:
    """One Server-Sent Event in wire format, ending with a blank line."""
    lines = []
    if event is not None and event != "":
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        if isinstance(retry, bool) or not isinstance(retry, int) or retry < 0:
            raise ValueError(f"retry must be an int >= 0, not {retry!r}")
        lines.append(f"retry: {retry}")
    for line in re.split(r"\r\n|\r|\n", data):
        lines.append(f"data: {line}")
    return "\n".join(lines) + "\n\n"
