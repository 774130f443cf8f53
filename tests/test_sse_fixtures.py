"""yieldlab's SSE fixtures: OpenAI-style chunk payloads, their SSE bytes, and ways to cut them."""

import json

import pytest

from yieldlab import DONE, SimulatedModel, chat_completion_chunks, encode_sse, split_bytes
from yieldlab._sse import SPLITS

MODEL = SimulatedModel(seed=3, sentences=2)
WEATHER = [{"name": "get_weather", "arguments": {"city": "Zürich", "unit": "celsius"}}]


def deltas(payloads):
    return [p["choices"][0]["delta"] for p in payloads if p.get("choices")]


def test_chunks_start_with_a_role_only_delta():
    first = chat_completion_chunks(MODEL, "hi")[0]
    assert first["object"] == "chat.completion.chunk"
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}


def test_content_deltas_join_to_the_models_reply():
    text = "".join(d.get("content") or "" for d in deltas(chat_completion_chunks(MODEL, "hi")))
    assert text == MODEL.reply("hi")


def test_last_chunk_has_an_empty_delta_and_finish_reason_stop():
    last = chat_completion_chunks(MODEL, "hi")[-1]["choices"][0]
    assert last["delta"] == {} and last["finish_reason"] == "stop"


def test_include_usage_adds_a_chunk_without_choices_and_null_usage_elsewhere():
    payloads = chat_completion_chunks(MODEL, "hi there", include_usage=True)
    assert all(p["usage"] is None for p in payloads[:-1])
    assert payloads[-1]["choices"] == []
    usage = payloads[-1]["usage"]
    assert usage["completion_tokens"] == len(MODEL.tokens("hi there"))
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_tool_call_fragments_rebuild_the_arguments_json():
    payloads = chat_completion_chunks(MODEL, "hi", tool_calls=WEATHER)
    fragments = [call for d in deltas(payloads) for call in d.get("tool_calls", [])]
    assert fragments[0]["id"] == "call_0" and fragments[0]["function"]["name"] == "get_weather"
    arguments = "".join(f["function"]["arguments"] for f in fragments)
    assert json.loads(arguments) == WEATHER[0]["arguments"]
    assert payloads[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_error_after_ends_the_stream_with_an_error_payload():
    payloads = chat_completion_chunks(MODEL, "hi", error_after=2)
    assert [d["content"] for d in deltas(payloads)[1:]] == MODEL.tokens("hi")[:2]
    assert "simulated server error" in payloads[-1]["error"]["message"]


def test_error_after_rejects_negative_counts():
    with pytest.raises(ValueError, match="error_after"):
        chat_completion_chunks(MODEL, "hi", error_after=-1)


def test_chunks_are_the_same_for_the_same_model_and_prompt():
    assert chat_completion_chunks(MODEL, "hi") == chat_completion_chunks(MODEL, "hi")


def test_encode_sse_writes_one_data_line_and_a_blank_line_per_payload_then_done():
    wire = encode_sse([{"a": "é"}, "plain"])
    assert wire == 'data: {"a":"é"}\n\ndata: plain\n\ndata: [DONE]\n\n'.encode()
    assert DONE == "[DONE]"


def test_encode_sse_uses_the_chosen_line_ending():
    assert encode_sse(["x"], done=False, newline="\r\n") == b"data: x\r\n\r\n"


def test_encode_sse_refuses_a_str_payload_with_a_line_break():
    with pytest.raises(ValueError, match="one line"):
        encode_sse(["a\nb"])


@pytest.mark.parametrize("how", SPLITS)
def test_split_bytes_joins_back_to_the_data_with_no_empty_chunk(how):
    data = encode_sse(chat_completion_chunks(MODEL, "hi"), newline="\r\n") + "é🚀".encode()
    parts = split_bytes(data, how, size=5, seed=1)
    assert b"".join(parts) == data and all(parts)


def test_split_bytes_by_lines_keeps_crlf_together():
    assert split_bytes(b"a\r\nb\rc\n", "lines") == [b"a\r\n", b"b\r", b"c\n"]


def test_split_bytes_inside_chars_cuts_every_multibyte_character():
    assert split_bytes("aé🚀".encode(), "inside_chars") == [b"a\xc3", b"\xa9\xf0", b"\x9f\x9a\x80"]


def test_split_bytes_between_cr_lf_cuts_each_crlf():
    assert split_bytes(b"a\r\n\r\n", "between_cr_lf") == [b"a\r", b"\n\r", b"\n"]


def test_split_bytes_every_n_bytes():
    assert split_bytes(b"abcdefg", "bytes", size=3) == [b"abc", b"def", b"g"]


def test_split_bytes_rejects_an_unknown_way():
    with pytest.raises(ValueError, match="how="):
        split_bytes(b"abc", "words")
