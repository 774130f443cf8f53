# Takes line[6:], as tutorials do: assumes a space after "data:".
def parse_sse_messages(raw: str) -> list:
    payloads = []
    for line in raw.split("\n"):
        if line.startswith("data:"):
            payload = line[6:]
            if payload.strip() != "[DONE]":
                payloads.append(json.loads(payload))
    return payloads
