"""Yemot's queue calls (real-time board; kick, pause, unpause) and queue callback requests."""

from __future__ import annotations

from typing import Any

from tui.vendors.yemot import assumptions as A
from tui.vendors.yemot.connection import YemotConnection
from tui.vendors.yemot.wire import (
    CallbackListReply,
    CallbackQueuesReply,
    CallbackRemoveReply,
    QueueManagementReply,
    QueueRealTimeReply,
)


def goto_more_data(goto: str | None) -> str | None:
    """QueueManagement kick's `moreData`: "/x", "x" and "GOTO:/x" all become "GOTO:/x"."""
    if goto is None or not goto.strip():
        return None
    target = goto.strip()
    if target.lower().startswith("goto:"):
        target = target[len("goto:") :]
    return "GOTO:" + A.a6_normal_path(target)


class QueueApi(YemotConnection):
    """Queues (GetQueueRealTime, QueueManagement) and their callback requests (QueueCallBack)."""

    async def get_queue_real_time(self, path: str) -> QueueRealTimeReply:
        params = {"queuePath": A.a6_queue_path(path)}
        return await self._call_as(QueueRealTimeReply, "GetQueueRealTime", params)

    async def queue_kick(
        self, path: str, call_ids: list[str], goto: str | None = None
    ) -> QueueManagementReply:
        """Remove waiting callers; `goto` ("/x", "x" or "GOTO:/x") sends them to an extension."""
        if not call_ids:
            raise ValueError("kick needs at least one call id")
        params: dict[str, Any] = {
            "queuePath": A.a6_queue_path(path),
            "callIds": list(call_ids),
            "action": "kick",
        }
        more_data = goto_more_data(goto)
        if more_data is not None:
            params["moreData"] = more_data
        return await self._call_as(QueueManagementReply, "QueueManagement", params)

    async def queue_pause(self, path: str, agent: str) -> QueueManagementReply:
        return await self._queue_agent_action("pause", path, agent)

    async def queue_unpause(self, path: str, agent: str) -> QueueManagementReply:
        return await self._queue_agent_action("unpause", path, agent)

    async def _queue_agent_action(self, action: str, path: str, agent: str) -> QueueManagementReply:
        params = {"queuePath": A.a6_queue_path(path), "action": action, "agent": agent}
        return await self._call_as(QueueManagementReply, "QueueManagement", params)

    async def callback_queues(self) -> CallbackQueuesReply:
        return await self._call_as(CallbackQueuesReply, "QueueCallBack", {"action": "getQueues"})

    async def callback_list(self, queue_id: int) -> CallbackListReply:
        params = {"action": "getList", "id": int(queue_id)}
        return await self._call_as(CallbackListReply, "QueueCallBack", params)

    async def callback_remove(self, request_id: int) -> CallbackRemoveReply:
        params = {"action": "removeNumber", "id": int(request_id)}
        return await self._call_as(CallbackRemoveReply, "QueueCallBack", params)
