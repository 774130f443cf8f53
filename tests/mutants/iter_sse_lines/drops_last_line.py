# Never yields the unfinished last line when the stream ends.
async def iter_sse_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    after_cr = False
    async for chunk in chunks:
        text = decoder.decode(chunk)
        if not text:
            continue
        if after_cr and text[0] == "\n":
            text = text[1:]
        after_cr = text[-1:] == "\r"
        *lines, pending = re.split(r"\r\n|\r|\n", pending + text)
        for line in lines:
            yield line
