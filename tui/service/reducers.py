"""Pushed events applied to the data a feed holds: pure functions, domain in, domain out.

A push moves the board at once; the next poll is still the truth and replaces what a push guessed.
"""

from __future__ import annotations

from typing import Any

from tui.clock import wall_time
from tui.domain import (
    CallAnswered,
    CallEnded,
    CallsBoard,
    CallStarted,
    ExtensionStateChanged,
    LiveCall,
    PushEvent,
    QueueBoard,
)


def reduce_queues(board: QueueBoard, event: PushEvent) -> QueueBoard:
    if not isinstance(event, ExtensionStateChanged):
        return board
    agents = tuple(
        agent._replace(state=event.state, state_label=event.label)
        if agent.extension == event.extension
        else agent
        for agent in board.agents
    )
    return board if agents == board.agents else board._replace(agents=agents)


def _matches(call: LiveCall, event: CallEnded | CallAnswered) -> bool:
    if event.call_id is not None and call.call_id == event.call_id:
        return True
    if event.unique_id is not None and call.unique_id == event.unique_id:
        return True
    if isinstance(event, CallEnded) and event.caller and event.callee:
        return (call.caller, call.callee) == (event.caller, event.callee)
    return False


def reduce_calls(board: CallsBoard, event: PushEvent) -> CallsBoard:
    if isinstance(event, CallStarted):
        if any(c.call_id == event.call_id for c in board.calls):
            return board
        call = LiveCall(
            call_id=event.call_id,
            caller=event.caller,
            callee=event.callee,
            state="Ringing",
            started_at=event.at if event.at is not None else wall_time(),
            unique_id=event.unique_id,
            channel=event.channel,
            extension=event.extension,
        )
        return board._replace(calls=(*board.calls, call))
    if isinstance(event, CallAnswered):
        calls = tuple(c._replace(state="Up") if _matches(c, event) else c for c in board.calls)
        return board if calls == board.calls else board._replace(calls=calls)
    if isinstance(event, CallEnded):
        calls = tuple(c for c in board.calls if not _matches(c, event))
        return board if len(calls) == len(board.calls) else board._replace(calls=calls)
    return board


REDUCERS: dict[str, Any] = {"queues": reduce_queues, "calls": reduce_calls}
