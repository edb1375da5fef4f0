"""Pushes the world's PBX events to a listener, as a CooCenter PBX does to the `URL` in its api.conf.

Each event becomes one JSON body (C-A5) in the seed's push shapes: `dialbegein` (C-A6),
`dialend`, `hangup`, `extensionstatus`, `ivr`, `cdr` and `cc_cdr`, with exactly the seed's fields
and its types (strings, except `holdTime`/`pauseTime`). Times are the PBX's (its skew, its zone).

Delivery is one POST per event, in order. A failed POST does not hold up the events after it:
it is retried `retries` times, `retry_s` apart (the 2018 changelog: "retries 2 s apart"), in the
background, then dropped, so a dead listener never stalls or crashes the pusher.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from tui.simulator.coocenter_facade import (
    DEFAULT_PBX_TIMEZONE,
    STATUS_CODES,
    UNKNOWN_PARTY,
    PbxClock,
)
from tui.simulator.world import World
from tui.simulator.world_events import (
    CallRecord,
    ChannelRef,
    DialBegan,
    DialEnded,
    ExtensionChanged,
    HungUp,
    IvrRecord,
    PbxEvent,
    QueueCallRecord,
)
from tui.vendors.coocenter.assumptions import C_A4_STATUS_TEXT, C_A5_PUSH_CONTENT_TYPE, C_A6_DIALBEGIN_PUSHED

INTERVAL_S = 0.2
TIMEOUT_S = 3.0
CC_CALL_TYPE = "incoming"
IVR_CALL_TYPE = "IN"


def _seconds(seconds: float) -> str:
    return str(max(0, round(seconds)))


def _connected(ref: ChannelRef) -> tuple[str, str]:
    return ref.connected_number or UNKNOWN_PARTY, ref.connected_name or UNKNOWN_PARTY


def push_body(event: PbxEvent, clock: PbxClock, mac: str) -> dict[str, Any] | None:
    """The body a CooCenter PBX would POST for one world event (None: it pushes nothing for it)."""
    match event:
        case DialBegan():
            return {
                "event": C_A6_DIALBEGIN_PUSHED,
                "timestamp": f"{clock.epoch(event.at):.6f}",
                "channel": event.caller.channel,
                "calleridnum": event.caller.number,
                "destchannel": event.callee.channel,
                "destcalleridnum": event.callee.number,
                "destuniqueid": event.callee.uniqueid,
                "dialstring": event.dialstring,
                "uniqueid": event.caller.uniqueid,
                "mac": mac,
            }
        case DialEnded():
            return {
                "event": "dialend",
                "timestamp": f"{clock.epoch(event.at):.6f}",
                "channel": event.caller.channel,
                "calleridnum": event.caller.number,
                "destchannel": event.callee.channel,
                "destcalleridnum": event.callee.number,
                "uniqueid": event.caller.uniqueid,
                "dialstatus": str(event.outcome),
            }
        case HungUp():
            number, name = _connected(event.channel)
            return {
                "event": "hangup",
                "calleridnum": event.channel.number,
                "calleridname": event.channel.name,
                "connectedlinenum": number,
                "connectedlinename": name,
                "uniqueid": event.channel.uniqueid,
            }
        case ExtensionChanged():
            code = STATUS_CODES[event.state]
            return {
                "event": "extensionstatus",
                "exten": event.extension,
                "status": code,
                "statustext": C_A4_STATUS_TEXT[code],
            }
        case IvrRecord():
            return {
                "event": "ivr",
                "uuid": event.uniqueid,
                "caller": event.caller,
                "called": "",
                "callType": IVR_CALL_TYPE,
                "queueCode": event.queue_number,
                "startTime": clock.text(event.started_at),
                "endTime": clock.text(event.ended_at),
                "duration": _seconds((event.ended_at - event.started_at).total_seconds()),
                "ivrId": event.ivr_id,
                "ivrName": event.ivr_name,
                "ivrDtmf": event.dtmf,
                "trunkNumber": event.trunk_number,
                "mac": mac,
            }
        case CallRecord():
            answered = event.answered_at
            return {
                "event": "cdr",
                "callerid": f'"{event.caller_name}" <{event.source}>',
                "source": event.source,
                "destination": event.destination,
                "starttime": clock.text(event.started_at),
                "answertime": clock.text(answered),
                "endtime": clock.text(event.ended_at),
                "disposition": str(event.disposition),
                "duration": _seconds((event.ended_at - event.started_at).total_seconds()),
                "billableseconds": _seconds((event.ended_at - answered).total_seconds() if answered else 0),
                "calltype": str(event.direction),
                "recordfile": "",
                "uniqueid": event.uniqueid,
            }
        case QueueCallRecord():
            return {
                "event": "cc_cdr",
                "uuid": event.uniqueid,
                "caller": event.caller,
                "called": event.called,
                "queueCode": event.queue_number,
                "agentCode": event.agent_extension,
                "callType": CC_CALL_TYPE,
                "cdrState": "bridged" if event.answered else "queue",
                "hangupSide": str(event.hangup_side),
                "hangupCause": event.hangup_cause,
                "startTime": clock.text(event.started_at),
                "endTime": clock.text(event.ended_at),
                "duration": _seconds((event.ended_at - event.started_at).total_seconds()),
                "queueTime": _seconds(event.queue_s),
                "feedbackTime": "0",
                "ivrTime": _seconds(event.ivr_s),
                "ringTime": _seconds(event.ring_s),
                "holdTime": event.hold_s,
                "pauseTime": 0,  # after-call work is off (`[enable] pausetime=no`)
                "talkingTime": _seconds(event.talk_s),
                "voicemailState": "0",
                "ivrId": event.ivr_id,
                "ivrName": event.ivr_name,
                "ivrDtmf": event.ivr_dtmf,
                "fwType": "",
                "score": "0",
                "trunkNumber": event.trunk_number,
                "forwardNumber": "",
                "filePath": "",
                "missCause": str(event.miss_cause) if event.miss_cause else "",
                "mac": mac,
            }
    return None


class CoocenterPusher:
    """Reads the world's PBX event log from its own cursor and POSTs each event to `target_url`.

    `enabled = False` loses pushes silently (events still pass, nothing is sent), the way a PBX with
    a wrong `URL` or a cut network would. `sent`, `dropped` (retries used up) and `lost` (while
    disabled, or forgotten by the log before they were read) count what happened.
    """

    def __init__(
        self,
        world: World,
        target_url: str,
        *,
        mac: str,
        retry_s: float = 2.0,
        retries: int = 3,
        pbx_timezone: str = DEFAULT_PBX_TIMEZONE,
        clock_skew_s: float = 0.0,
        tick: Callable[[], None] | None = None,
        interval_s: float = INTERVAL_S,
        timeout_s: float = TIMEOUT_S,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        url = httpx.URL(target_url)
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"a push target must be an http(s) URL, not {target_url!r}")
        if retries < 0 or retry_s < 0:
            raise ValueError("retries and retry_s cannot be negative")
        self.world = world
        self.target_url = str(url)
        self.mac = mac
        self.retry_s, self.retries = retry_s, retries
        self.clock = PbxClock.of(world, pbx_timezone, clock_skew_s)
        self.interval_s = interval_s
        self.enabled = True
        self.cursor = world.pbx_log.next_seq  # only what happens from now on
        self.sent = self.dropped = self.lost = self.failed_attempts = 0
        self._tick = tick
        self._timeout_s = timeout_s
        self._transport = transport
        self._sleep = sleep
        self._http: httpx.AsyncClient | None = None
        self._retrying: set[asyncio.Task[None]] = set()

    def __repr__(self) -> str:
        return (
            f"CoocenterPusher(target_url={self.target_url!r}, enabled={self.enabled}, cursor={self.cursor})"
        )

    async def run(self) -> None:
        """Every `interval_s`: move the clock (if given a tick), then push what is new. Until cancelled."""
        try:
            while True:
                if self._tick is not None:
                    self._tick()
                await self._push_new()
                await asyncio.sleep(self.interval_s)
        finally:
            await self.aclose()

    async def flush(self) -> None:
        """Push everything pending now and wait for every retry to finish (tests)."""
        await self._push_new()
        while self._retrying:
            await asyncio.gather(*list(self._retrying), return_exceptions=True)

    async def aclose(self) -> None:
        """Stop retrying and close the HTTP client."""
        retrying, self._retrying = list(self._retrying), set()
        for task in retrying:
            task.cancel()
        await asyncio.gather(*retrying, return_exceptions=True)
        if self._http is not None:
            http, self._http = self._http, None
            await http.aclose()

    async def _push_new(self) -> None:
        read = self.world.pbx_log.since(self.cursor)
        self.cursor = read.next_cursor
        self.lost += read.missed
        bodies = [b for e in read.events if (b := push_body(e, self.clock, self.mac)) is not None]
        if not self.enabled:
            self.lost += len(bodies)
            return
        for body in bodies:
            if not await self._post(body):
                self._retry_later(body)

    def _retry_later(self, body: dict[str, Any]) -> None:
        task = asyncio.create_task(self._retry(body), name="coocenter-push-retry")
        self._retrying.add(task)
        task.add_done_callback(self._retrying.discard)

    async def _retry(self, body: dict[str, Any]) -> None:
        for _ in range(self.retries):
            await self._sleep(self.retry_s)
            if not self.enabled:
                self.lost += 1
                return
            if await self._post(body):
                return
        self.dropped += 1

    async def _post(self, body: dict[str, Any]) -> bool:
        if self._http is None:
            self._http = httpx.AsyncClient(transport=self._transport, timeout=self._timeout_s)
        try:
            response = await self._http.post(
                self.target_url, json=body, headers={"Content-Type": C_A5_PUSH_CONTENT_TYPE}
            )
        except (httpx.HTTPError, OSError):
            self.failed_attempts += 1
            return False
        if not response.is_success:
            self.failed_attempts += 1
            return False
        self.sent += 1
        return True
