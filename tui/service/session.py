"""One open profile: its vendor, its feeds, its action runner and its connection state."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from tui.domain import SessionInfo
from tui.service.actions.base import Action, ActionRunner
from tui.service.audit import AuditLog
from tui.service.feed import Feed, FeedState
from tui.service.push import DEFAULT_SILENCE_S, PushChannel, PushStatus
from tui.service.reducers import REDUCERS
from tui.vendors.base import (
    BadCredentials,
    Capability,
    MfaRequired,
    TransportError,
    Vendor,
    VendorError,
)

log = logging.getLogger("callboard.session")


@dataclass(frozen=True, slots=True)
class Resource:
    """A thing a feed can fetch: which vendor method, which capability, which refresh interval."""

    fetch: Callable[[Vendor], Awaitable[Any]]
    capability: Capability
    interval_key: str


RESOURCES: dict[str, Resource] = {
    "queues": Resource(lambda v: v.fetch_queues(), Capability.QUEUES, "queues"),
    "callbacks": Resource(lambda v: v.fetch_callbacks(), Capability.QUEUE_CALLBACKS, "queues"),
    "sip": Resource(lambda v: v.fetch_sip(), Capability.SIP, "sip"),
    "calls": Resource(lambda v: v.fetch_calls(), Capability.CALLS, "calls"),
    "blacklist": Resource(lambda v: v.fetch_blacklist(), Capability.BLACKLIST, "calls"),
    "campaigns": Resource(lambda v: v.fetch_campaigns(), Capability.CAMPAIGNS, "campaigns"),
    "sms": Resource(lambda v: v.fetch_sms(), Capability.SMS, "sms"),
    "trust": Resource(lambda v: v.fetch_trust(), Capability.MFA, "sip"),
}

# While pushes carry the board, feeds only reconcile now and then.
PUSH_SLOWDOWN = 10
PUSH_SLOW_CAP_S = 60.0


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    MFA_REQUIRED = "MFA required"
    BAD_CREDENTIALS = "login refused"
    DEGRADED = "vendor errors"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class SessionStatus:
    state: ConnectionState
    detail: str = ""
    info: SessionInfo | None = None
    push: PushStatus | None = None  # None: this profile has no push channel


class ProfileSession:
    def __init__(
        self,
        name: str,
        vendor: Vendor,
        *,
        intervals: dict[str, float],
        audit: AuditLog,
        read_only: bool = False,
        push_listen: str | None = None,
        push_silence_s: float = DEFAULT_SILENCE_S,
    ) -> None:
        self.name = name
        self.vendor = vendor
        self.intervals = intervals
        self.feeds: dict[str, Feed[Any]] = {}
        self.push: PushChannel | None = None
        if push_listen and vendor.supports(Capability.PUSH):
            self.push = PushChannel(push_listen, self._on_push, self._push_changed, silence_s=push_silence_s)
        self.actions = ActionRunner(name, vendor, audit, self.refresh_resources, read_only=read_only)
        self._status = SessionStatus(ConnectionState.CONNECTING)
        self._status_listeners: list[Callable[[SessionStatus], None]] = []
        self._info: SessionInfo | None = None

    # -- status --------------------------------------------------------------------------------
    @property
    def status(self) -> SessionStatus:
        return self._status

    @property
    def read_only(self) -> bool:
        return self.actions.read_only

    def on_status(self, listener: Callable[[SessionStatus], None]) -> Callable[[], None]:
        self._status_listeners.append(listener)
        listener(self._status)
        return lambda: self._status_listeners.remove(listener)

    def _set_status(self, status: SessionStatus) -> None:
        if self.push is not None:
            status = replace(status, push=self.push.status)
        if status == self._status:
            return
        self._status = status
        for listener in list(self._status_listeners):
            listener(status)

    async def open(self) -> SessionStatus:
        """Log in and learn whether MFA has passed. Failures become the status, never raise."""
        if self.push is not None:
            await self.push.start()
        try:
            self._info = await self.vendor.open()
        except VendorError as error:
            self._set_status(self._status_for_error(error))
            return self._status
        if self._info.mfa_passed:
            self._set_status(SessionStatus(ConnectionState.CONNECTED, "", self._info))
        else:
            self._set_status(
                SessionStatus(
                    ConnectionState.MFA_REQUIRED,
                    "this session has not passed two-factor verification (MFA)",
                    self._info,
                )
            )
        return self._status

    async def close(self) -> None:
        if self.push is not None:
            await self.push.stop()
        for feed in self.feeds.values():
            await feed.close()
        with contextlib.suppress(Exception):
            await self.vendor.close()

    def _status_for_error(self, error: VendorError) -> SessionStatus:
        if isinstance(error, MfaRequired):
            return SessionStatus(ConnectionState.MFA_REQUIRED, error.message, self._info)
        if isinstance(error, BadCredentials):
            return SessionStatus(ConnectionState.BAD_CREDENTIALS, error.message, self._info)
        if isinstance(error, TransportError):
            return SessionStatus(ConnectionState.OFFLINE, error.message, self._info)
        return SessionStatus(ConnectionState.DEGRADED, error.message, self._info)

    # -- feeds -----------------------------------------------------------------------------------
    def supports(self, resource: str) -> bool:
        return self.vendor.supports(RESOURCES[resource].capability)

    def feed(self, resource: str) -> Feed[Any]:
        if resource not in self.feeds:
            spec = RESOURCES[resource]
            feed: Feed[Any] = Feed(
                f"{self.name}/{resource}", lambda: spec.fetch(self.vendor), self._interval_for(resource)
            )
            feed.observe(self._watch_feed)
            self.feeds[resource] = feed
        return self.feeds[resource]

    def _watch_feed(self, state: FeedState[Any]) -> None:
        if state.loading:
            return
        if state.error is not None:
            self._set_status(self._status_for_error(state.error))
        elif state.fetched_at is not None and self._status.state is not ConnectionState.MFA_REQUIRED:
            self._set_status(SessionStatus(ConnectionState.CONNECTED, "", self._info))

    def _interval_for(self, resource: str) -> float:
        base = self.intervals.get(RESOURCES[resource].interval_key, 5.0)
        if self.push is not None and not self.push.status.polling and resource in REDUCERS:
            return max(base, min(PUSH_SLOW_CAP_S, base * PUSH_SLOWDOWN))
        return base

    # -- pushes ----------------------------------------------------------------------------------
    def _on_push(self, payload: Mapping[str, Any]) -> bool:
        try:
            events = self.vendor.parse_push(payload)
        except VendorError as error:
            log.warning("profile %s: push dropped: %s", self.name, error.message)
            return False
        for event in events:
            for resource, reducer in REDUCERS.items():
                feed = self.feeds.get(resource)
                if feed is not None:
                    feed.apply(lambda data, r=reducer, e=event: r(data, e))
        return True

    def _push_changed(self, status: PushStatus) -> None:
        log.info("profile %s: push %s %s", self.name, status.state.value, status.detail)
        for resource, feed in self.feeds.items():
            interval = self._interval_for(resource)
            if feed.interval != interval:
                feed.set_interval(interval)
        self._set_status(self._status)

    async def refresh_resources(self, resources: tuple[str, ...]) -> None:
        for resource in resources:
            if resource in self.feeds:
                await self.feeds[resource].refresh()

    async def run(self, action: Action):
        return await self.actions.run(action)
