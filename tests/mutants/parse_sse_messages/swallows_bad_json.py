# Skips a payload that is not JSON instead of raising ValueError.
def parse_sse_messages(raw: str) -> list:
    payloads = []
    for line in raw.split("\n"):
        if line.startswith("data:"):
            payload = line[5:]
            if payload.startswith(" "):
                payload = payload[1:]
            try:
                payloads.append(json.loads(payload))
            except ValueError:
                pass
    return payloads
