"""The push channel: a loopback HTTP listener, hostile bodies dropped, health (live/silent/failed)."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from tui.domain import Agent as DomainAgent
from tui.domain import (
    AgentState,
    CallAnswered,
    CallEnded,
    CallsBoard,
    CallStarted,
    ExtensionStateChanged,
    LiveCall,
    QueueBoard,
    QueueSummary,
)
from tui.service.push import MAX_BODY_BYTES, PushChannel, PushState, decode_body, parse_listen
from tui.service.reducers import reduce_calls, reduce_queues


class Recorder:
    def __init__(self) -> None:
        self.payloads: list[dict] = []
        self.statuses: list[PushState] = []

    def payload(self, body) -> bool:
        if body.get("event") == "bad":
            return False
        self.payloads.append(dict(body))
        return True

    def status(self, status) -> None:
        self.statuses.append(status.state)


@pytest.fixture
async def channel():
    recorder = Recorder()
    push = PushChannel("127.0.0.1:0", recorder.payload, recorder.status, silence_s=0.4)
    await push.start()
    push.recorder = recorder
    yield push
    await push.stop()


async def post(push: PushChannel, **kwargs) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"http://127.0.0.1:{push.port}/", **kwargs)


async def test_json_event_is_delivered_and_the_channel_goes_live(channel):
    assert channel.status.state is PushState.WAITING
    response = await post(channel, json={"event": "extensionstatus", "exten": "808", "status": "0"})
    assert response.status_code == 200
    assert channel.recorder.payloads == [{"event": "extensionstatus", "exten": "808", "status": "0"}]
    assert channel.status.state is PushState.LIVE


async def test_form_encoded_body_is_accepted(channel):
    response = await post(channel, data={"event": "hangup", "uniqueid": "1.2"})
    assert response.status_code == 200
    assert channel.recorder.payloads[-1] == {"event": "hangup", "uniqueid": "1.2"}


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'"a string"', b"\xff\xfe\x00", b'{"event": "x"', b"A" * (MAX_BODY_BYTES + 10)],
)
async def test_hostile_bodies_are_dropped_not_crashing(channel, body):
    response = await post(channel, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert channel.dropped >= 1
    assert channel.recorder.payloads == []
    ok = await post(channel, json={"event": "hangup"})  # and the listener still works
    assert ok.status_code == 200


async def test_event_the_vendor_does_not_understand_is_refused(channel):
    response = await post(channel, json={"event": "bad"})
    assert response.status_code == 400
    assert channel.status.state is PushState.WAITING  # an unusable body does not make it live


async def test_silence_after_events_is_noticed(channel):
    await post(channel, json={"event": "hangup"})
    assert channel.status.state is PushState.LIVE
    for _ in range(50):
        if channel.status.state is PushState.SILENT:
            break
        await asyncio.sleep(0.05)
    assert channel.status.state is PushState.SILENT
    await post(channel, json={"event": "hangup"})
    assert channel.status.state is PushState.LIVE  # pushes came back


async def test_a_port_in_use_is_a_failed_listener_not_a_crash():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        recorder = Recorder()
        push = PushChannel(f"127.0.0.1:{port}", recorder.payload, recorder.status)
        await push.start()
        assert push.status.state is PushState.FAILED
        assert str(port) in push.status.detail
        assert push.status.polling
        await push.stop()
    finally:
        taken.close()


def test_parse_listen_and_decode():
    assert parse_listen("127.0.0.1:8090") == ("127.0.0.1", 8090)
    assert parse_listen("[::1]:8090") == ("::1", 8090)
    assert decode_body(b'{"a": 1}', "application/json") == {"a": 1}
    assert decode_body(b"a=1&b=", "application/x-www-form-urlencoded") == {"a": "1", "b": ""}
    with pytest.raises(ValueError):
        decode_body(b"[]", "application/json")


def _board() -> QueueBoard:
    agent = DomainAgent("630", "808", "808", AgentState.IDLE, "idle", False, extension="808")
    other = DomainAgent("630", "809", "809", AgentState.IDLE, "idle", False, extension="809")
    return QueueBoard((QueueSummary("630", "630", None, None, None, None),), (agent, other), (), False)


def test_extension_state_push_moves_only_that_agent():
    board = _board()
    changed = reduce_queues(board, ExtensionStateChanged("808", AgentState.RINGING, "ringing"))
    assert [a.state for a in changed.agents] == [AgentState.RINGING, AgentState.IDLE]
    assert reduce_queues(changed, ExtensionStateChanged("808", AgentState.RINGING, "ringing")) == changed
    assert reduce_queues(board, ExtensionStateChanged("999", AgentState.BUSY, "busy")) == board


def test_call_pushes_add_answer_and_end_calls():
    board = CallsBoard(())
    started = reduce_calls(board, CallStarted("DAHDI/i1/050-1", "050", "808", unique_id="1.1", at=100.0))
    assert [c.state for c in started.calls] == ["Ringing"]
    up = reduce_calls(started, CallAnswered(call_id="DAHDI/i1/050-1"))
    assert up.calls[0].state == "Up"
    assert reduce_calls(up, CallEnded(unique_id="1.1")).calls == ()
    # A polled call (no unique id) ends by its caller/callee pair.
    polled = CallsBoard((LiveCall("SIP/896-0b", "896", "897", "Up"),))
    assert reduce_calls(polled, CallEnded(unique_id="9.9", caller="896", callee="897")).calls == ()
    assert reduce_calls(polled, CallEnded(unique_id="9.9", caller="1", callee="2")) == polled
