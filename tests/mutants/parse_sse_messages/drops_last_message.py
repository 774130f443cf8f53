# Counts a message only when a blank line follows it: the last one may be lost.
def parse_sse_messages(raw: str) -> list:
    payloads = []
    for message in raw.split("\n\n")[:-1]:
        for line in message.split("\n"):
            if line.startswith("data:"):
                payload = line[5:]
                if payload.startswith(" "):
                    payload = payload[1:]
                if payload.strip() != "[DONE]":
                    payloads.append(json.loads(payload))
    return payloads
