# Skips every payload that merely contains [DONE].
def parse_sse_messages(raw: str) -> list:
    payloads = []
    for line in raw.split("\n"):
        if line.startswith("data:"):
            payload = line[5:]
            if payload.startswith(" "):
                payload = payload[1:]
            if "[DONE]" in payload:
                continue
            payloads.append(json.loads(payload))
    return payloads
