"""coocenter-api's endpoints, replies and pushed events, with the vendor's exact wire names.

Field names are spelled as on the wire (lower-case AMI names, `Exten`/`IPAddr`, camelCase CDR
fields). The seed prints every value as a string except `holdTime`/`pauseTime`; parsing accepts
numbers where strings are expected and strings where numbers are, keeps unknown fields
(`extra="allow"`) and treats `null`/`{}`/`[]` as the empty container.

This module holds the endpoints and what a session's start reads: the envelope and the queue
board's queue-info and hints. Live calls, SIP peers, the blacklist and pushed events have their
own modules (`wire_calls`, `wire_sip`, `wire_blacklist`, `wire_push`), loaded when first used.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from tui.vendors.lenient import LenientBool, LenientStr, ListOrNull, MapOrEmpty, OptionalInt

# ---------------------------------------------------------------------------------------------
# Endpoints: (HTTP method, path under base_url), the method as the seed's curl example uses it.

Method = Literal["GET", "POST", "DELETE"]


class Endpoint(NamedTuple):
    method: Method
    path: str


CURRENT_CALLS = Endpoint("POST", "extensions/current-calls")
EXTENSION_STATUS = Endpoint("GET", "extensions/extension-status")
EXTENSION_HINTS_STATUS = Endpoint("GET", "extensions/extension-hints-status")
QUEUE_INFO = Endpoint("GET", "queues/queue-info")
AGENT_PAUSE = Endpoint("POST", "queues/agent-pause")
AGENT_LOGIN = Endpoint("POST", "queues/agent-login")
AGENT_LOGOUT = Endpoint("POST", "queues/agent-logout")
CLICK_NUMBER = Endpoint("POST", "extensions/click-number")
HANGUP = Endpoint("POST", "extensions/hangup")
TRANSFER = Endpoint("POST", "extensions/transfer")
EXTEN_SPY = Endpoint("POST", "extensions/extenSpy")
BLACKLIST_INDEX = Endpoint("GET", "blacklist/index")
BLACKLIST_CREATE = Endpoint("POST", "blacklist/create")
BLACKLIST_DELETE = Endpoint("DELETE", "blacklist/delete")  # with a form body

STATUS_SUCCESS = "success"
STATUS_ERROR = "error"

# Lenient scalars and containers are shared with every vendor (tui/vendors/lenient.py); here a
# missing number is None rather than an error.
LenientInt = OptionalInt


class WireModel(BaseModel):
    """Base of every wire model: the PBX may add fields, so extras are kept, never rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


# ---------------------------------------------------------------------------------------------
# Replies: `{"status": "success"|"error", "message": ..., "data": ...}`.


class Envelope(WireModel):
    status: LenientStr | None = None
    message: LenientStr | None = None

    @property
    def ok(self) -> bool:
        """`status` is "success", in any case."""
        return self.status is not None and self.status.strip().lower() == STATUS_SUCCESS


class ExtensionHint(WireModel):
    """One row of the bare array of `extensions/extension-hints-status`.

    The newer plugin-asterisk variant spells them `Exten`/`Status`; both are accepted.
    """

    extension: LenientStr = Field(validation_alias=AliasChoices("extension", "Exten"))
    status: LenientStr = Field("", validation_alias=AliasChoices("status", "Status"))  # C-A4 code
    agentName: LenientStr = ""
    extenType: LenientStr = ""  # e.g. "analogCallCenter"


class QueueMember(WireModel):
    """One member of a queue in `queues/queue-info`."""

    name: LenientStr  # the interface, e.g. "sip/876"
    paused: LenientBool = False
    penalty: LenientInt = None


class QueueInfoReply(Envelope):
    """`data` maps queue number -> its members (no waiting callers, no figures)."""

    data: MapOrEmpty[ListOrNull[QueueMember]] = {}
