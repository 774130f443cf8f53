# Sends each token as raw data instead of JSON: a token with a line break breaks the event.
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
            tokens = model.astream(body.prompt)
            number = 0
            try:
                async for token in tokens:
                    number += 1
                    if number > start:
                        yield f"id: {number}\ndata: {token}\n\n"
                yield "data: [DONE]\n\n"
            except Exception as error:
                yield f"event: error\ndata: {json.dumps({'error': str(error)})}\n\n"
            finally:
                await tokens.aclose()

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    return app
