# Pulls the model in a background task that nobody cancels when the client leaves.
class ChatRequest(BaseModel):
    prompt: str


def create_chat_app(model: SimulatedModel) -> FastAPI:
    """A FastAPI app whose POST /chat/stream streams `model`'s reply as SSE."""
    app = FastAPI()

    @app.post("/chat/stream")
    async def chat_stream(
        body: ChatRequest, last_event_id: str | None = Header(default=None)
    ) -> StreamingResponse:
        start = int(last_event_id) if last_event_id and last_event_id.isdecimal() else 0

        async def events() -> AsyncIterator[str]:
            queue = asyncio.Queue(maxsize=8)
            tokens = model.astream(body.prompt)

            async def produce():
                try:
                    async for token in tokens:
                        await queue.put(("token", token))
                    await queue.put(("end", None))
                except Exception as error:
                    await queue.put(("error", error))

            asyncio.ensure_future(produce())
            number = 0
            try:
                while True:
                    kind, token = await queue.get()
                    if kind == "error":
                        raise token
                    if kind == "end":
                        break
                    number += 1
                    if number > start:
                        yield f"id: {number}\ndata: {json.dumps({'token': token})}\n\n"
                yield "data: [DONE]\n\n"
            except Exception as error:
                yield f"event: error\ndata: {json.dumps({'error': str(error)})}\n\n"

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    return app
