# Stops reading at the first payload containing [DONE] (split on it), losing later ones.
def parse_sse_messages(raw: str) -> list:
    payloads = []
    for line in raw.split("[DONE]")[0].split("\n"):
        if line.startswith("data:"):
            payload = line[5:].strip()
            if payload:
                payloads.append(json.loads(payload))
    return payloads
