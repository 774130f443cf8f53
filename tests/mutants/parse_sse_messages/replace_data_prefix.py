# Removes every "data: " with replace(), also inside the payload.
def parse_sse_messages(raw: str) -> list:
    payloads = []
    for line in raw.split("\n"):
        if line.startswith("data:"):
            payload = line.replace("data: ", "").replace("data:", "")
            if payload.strip() != "[DONE]":
                payloads.append(json.loads(payload))
    return payloads
