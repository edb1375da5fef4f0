"""Yemot HaMashiach as a `Vendor`: maps the wire models of `wire.py` onto `tui.domain`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from pydantic import SecretStr

from tui.domain import (
    ActionResult,
    Agent,
    AgentState,
    CallbackBoard,
    CallbackRequest,
    ItemResult,
    QueueBoard,
    QueueSummary,
    SessionInfo,
    WaitingCaller,
)
from tui.vendors.base import Capability, Vendor
from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.client import YemotClient
from tui.vendors.yemot.wire import CallbackEntry, CallbackQueue, QueueMember, QueueRealTimeReply

T = TypeVar("T")

# A2: member "Status" codes -> what the device is doing.
_AGENT_STATES: dict[str, AgentState] = {
    A.A2_STATUS_IDLE: AgentState.IDLE,
    A.A2_STATUS_IN_CALL: AgentState.IN_CALL,
    A.A2_STATUS_BUSY: AgentState.BUSY,
    A.A2_STATUS_UNAVAILABLE: AgentState.UNAVAILABLE,
    A.A2_STATUS_RINGING: AgentState.RINGING,
    A.A2_STATUS_ON_HOLD: AgentState.ON_HOLD,
}


def _local_zone() -> tzinfo:
    """Yemot's zone-less dates are Israel time (2.8); UTC when the system has no tz database."""
    try:
        return ZoneInfo("Asia/Jerusalem")
    except ZoneInfoNotFoundError:
        return UTC


def agent_state(code: str | None) -> tuple[AgentState, str]:
    """A2 code -> (state, label); an unknown code is shown as "unknown (N)"."""
    normal = (code or "").strip()
    state = _AGENT_STATES.get(normal)
    if state is not None:
        return state, A.A2_STATUS_NAMES[normal]
    return AgentState.UNKNOWN, f"unknown ({normal})" if normal else "unknown"


def parse_callback_time(value: str | None) -> datetime | None:
    """Callback `date_time` is ISO with "Z" (2.8); always returns an aware datetime, or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=_local_zone())


def queue_board_part(
    path: str, reply: QueueRealTimeReply
) -> tuple[QueueSummary, list[Agent], list[WaitingCaller]]:
    """One GetQueueRealTime reply -> its summary, agents and waiting callers (queue id = "/2/5")."""
    queue_id = A.a6_normal_path(path)
    data = reply.queueData
    waits = [entry.Wait for entry in reply.entries]
    summary = QueueSummary(
        queue_id=queue_id,
        name=queue_id,
        waiting=len(reply.entries) if reply.entries else (data.Calls or 0),
        longest_wait=max(waits, default=0),
        answered=data.Completed,
        abandoned=data.Abandoned,
        avg_hold=data.Holdtime,
        avg_talk=data.TalkTime,
        strategy=data.Strategy,
    )
    agents = [_agent(queue_id, member) for member in reply.members]
    waiting = [
        WaitingCaller(
            queue_id=queue_id,
            call_id=entry.CallId,
            caller=entry.phone,
            position=entry.Position if entry.Position is not None else index,
            wait_seconds=entry.Wait,
        )
        for index, entry in enumerate(reply.entries, start=1)
    ]
    waiting.sort(key=lambda caller: caller.position)
    return summary, agents, waiting


def _agent(queue_id: str, member: QueueMember) -> Agent:
    state, label = agent_state(member.Status)
    return Agent(
        queue_id=queue_id,
        agent_id=member.agent,
        name=member.agent,
        state=state,
        state_label=label,
        paused=member.Paused,
        calls_taken=member.CallsTaken,
        penalty=member.Penalty,
        last_call_seconds_ago=A.a1_ago_seconds(member.LastCallAgo),
    )


def _callback_queue_id(queue: CallbackQueue) -> str:
    path = queue.queue_path or queue.path
    return A.a6_normal_path(path) if path else f"callback queue {queue.id}"


def _callback_request(queue_id: str, entry: CallbackEntry) -> CallbackRequest:
    return CallbackRequest(
        request_id=str(entry.id),
        queue_id=queue_id,
        caller=entry.calling_number,
        status=entry.status or "",
        requested_at=parse_callback_time(entry.date_time),
        attempts=entry.attempts,
        last_attempt=entry.last_attempt,
    )


def kick_result(call_ids: Sequence[str], status: dict[str, str]) -> ActionResult:
    """QueueManagement kick's per-callId `status` -> per-item results; ok only if every item is "OK"."""
    items = [
        ItemResult(target=call_id, ok=status.get(call_id) == "OK", detail=status.get(call_id, "no status"))
        for call_id in call_ids
    ]
    items += [ItemResult(target=k, ok=v == "OK", detail=v) for k, v in status.items() if k not in call_ids]
    done = sum(item.ok for item in items)
    ok = bool(items) and done == len(items)
    return ActionResult(ok=ok, message=f"kicked {done} of {len(call_ids)}", items=tuple(items))


async def _gather_all(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Run concurrently and wait for all; then raise the first failure, so none is dropped silently."""
    results = await asyncio.gather(*awaitables, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


class YemotVendor(Vendor):
    """A Yemot system (call2all), spoken to through `YemotClient`."""

    name = "yemot"
    display_name = "Yemot HaMashiach"
    capabilities = frozenset(
        {
            Capability.QUEUES,
            Capability.QUEUE_WAITING,
            Capability.QUEUE_PAUSE,
            Capability.QUEUE_KICK,
            Capability.QUEUE_CALLBACKS,
            Capability.MFA,
        }
    )
    api_capabilities = frozenset(
        {
            *capabilities,
            Capability.SIP,
            Capability.CAMPAIGNS,
            Capability.SMS,
        }
    )

    def __init__(
        self,
        *,
        base_url: str,
        username: str | None = None,
        password: SecretStr | str | None = None,
        token: SecretStr | str | None = None,
        queues: Sequence[str] = (),
        timeout: float = 10.0,
        verify_tls: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._username = username or None
        # Watched queues in canonical "/2/5" form, duplicates (in any spelling) dropped.
        self.queues: tuple[str, ...] = tuple(dict.fromkeys(A.a6_normal_path(q) for q in queues))
        self.client = YemotClient(
            base_url,
            username=username,
            password=password,
            token=token,
            timeout=timeout,
            verify_tls=verify_tls,
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"YemotVendor({self.client!r}, queues={list(self.queues)!r})"

    # -- session ---------------------------------------------------------------------------

    async def open(self) -> SessionInfo:
        """Log in, isPass and, if not passed, `try`. A session that has not passed is reported, not raised."""
        status = await self.client.start_session()
        return SessionInfo(
            account=self._username or "token",
            mfa_passed=status.isPass,
            mfa_reason=status.passRessen,
        )

    async def close(self) -> None:
        try:
            await self.client.logout()
        except Exception:  # closing must never fail the caller; logout already ignores vendor errors
            pass
        try:
            await self.client.aclose()
        except Exception:
            pass

    # -- queues ----------------------------------------------------------------------------

    async def fetch_queues(self) -> QueueBoard:
        """GetQueueRealTime for every watched queue at once.

        With no queues configured, the queues are discovered from QueueCallBack getQueues'
        `queue_path`s (the only queue listing Yemot's API offers). Any failing queue fails the
        whole board: a board must not silently drop a queue.
        """
        paths = self.queues or await self._discover_queues()
        replies = await _gather_all(self.client.get_queue_real_time(path) for path in paths)
        summaries: list[QueueSummary] = []
        agents: list[Agent] = []
        waiting: list[WaitingCaller] = []
        for path, reply in zip(paths, replies, strict=True):
            summary, queue_agents, queue_waiting = queue_board_part(path, reply)
            summaries.append(summary)
            agents += queue_agents
            waiting += queue_waiting
        return QueueBoard(queues=tuple(summaries), agents=tuple(agents), waiting=tuple(waiting))

    async def _discover_queues(self) -> tuple[str, ...]:
        reply = await self.client.callback_queues()
        found = (q.queue_path for q in reply.callbackList if q.queue_path)
        return tuple(dict.fromkeys(A.a6_normal_path(path) for path in found))

    async def fetch_callbacks(self) -> CallbackBoard:
        """QueueCallBack getQueues, then getList of every callback queue at once."""
        queues = (await self.client.callback_queues()).callbackList
        lists = await _gather_all(self.client.callback_list(queue.id) for queue in queues)
        requests = [
            _callback_request(_callback_queue_id(queue), entry)
            for queue, reply in zip(queues, lists, strict=True)
            for entry in reply.callbackList
        ]
        return CallbackBoard(requests=tuple(requests))

    async def set_agent_paused(self, queue_id: str, agent_id: str, paused: bool) -> ActionResult:
        if paused:
            await self.client.queue_pause(queue_id, agent_id)
        else:
            await self.client.queue_unpause(queue_id, agent_id)
        verb = "paused" if paused else "unpaused"
        return ActionResult(ok=True, message=f"{agent_id} {verb} in {A.a6_normal_path(queue_id)}")

    async def kick_callers(self, queue_id: str, call_ids: list[str], goto: str | None = None) -> ActionResult:
        if not call_ids:
            return ActionResult(ok=False, message="no callers to kick")
        reply = await self.client.queue_kick(queue_id, call_ids, goto)
        return kick_result(call_ids, reply.status)

    async def remove_callback(self, request_id: str) -> ActionResult:
        try:
            numeric_id = int(request_id)
        except ValueError:
            return ActionResult(ok=False, message=f"not a Yemot callback id: {request_id!r}")
        reply = await self.client.callback_remove(numeric_id)
        detail = reply.callbackList or "OK"
        ok = detail.strip().upper() == "OK"
        return ActionResult(ok=ok, message=f"callback {request_id} removed" if ok else detail)
