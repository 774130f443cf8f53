"""Text the simulated model says, and a tokenizer that cuts it the way LLM tokenizers do."""

from __future__ import annotations

import re

SENTENCES = (
    "Streaming sends each token as soon as the model produces it.",
    "A generator pauses at every yield and resumes when asked for the next value.",
    "Nobody likes staring at a spinner for twelve seconds.",
    "The first token arrives in 300 ms; the full answer takes much longer.",
    "Server-Sent Events carry text over one long HTTP response.",
    "Each event ends with a blank line, so the client knows where it stops.",
    "A café in Zürich serves naïve crème brûlée — deliciously!",
    "Backpressure keeps a fast producer from flooding a slow consumer.",
    "Is the stream finished?! Only the [DONE] message can tell.",
    'Tokens are not words: "unbelievable" may arrive in three pieces.',
    "ストリーミングは待ち時間を短く感じさせます。",
    "Cancel early, clean up always 🚀.",
    "Proxies that buffer responses turn a stream back into a wait.",
    "Version 3.14 of Python runs in the browser, too.",
    "Why wait for the whole answer when the first sentence is ready?",
    "An async generator can await between its yields.",
)
"""What the simulated model says: realistic text with punctuation, numbers and multi-byte characters."""

_PIECES = re.compile(r" ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+")
_LONGEST_PIECE = 6


def tokenize(text: str) -> list[str]:
    """Cut `text` into tokens: words keep their leading space, punctuation stands apart,
    long words are split into pieces. Joining the tokens gives `text` back.
    """
    tokens = []
    for piece in _PIECES.findall(text):
        while len(piece) > _LONGEST_PIECE + 2:
            tokens.append(piece[:_LONGEST_PIECE])
            piece = piece[_LONGEST_PIECE:]
        tokens.append(piece)
    return tokens
