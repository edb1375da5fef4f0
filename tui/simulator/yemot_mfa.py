"""MFASession (vendors/yemot.md 1.8, A3, A7, A8): passing two-factor verification and managing it.

`isPass`, `try`, `getMFAMethods`, `sendMFA` and `validMFA` bring a session through verification;
the management actions (methods, remember-me tokens, trusted IPs) need a code verified in this
very session (hard verification) and otherwise get A3's MFA_REQUIRED.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.simulator.world_auth_records import (
    AddMethodStatus,
    CodeOutcome,
    CodeStatus,
    MethodKind,
    MethodOrigin,
    MfaMethod,
    PassReason,
    SendChannel,
    SendOutcome,
    SendStatus,
    TrustKind,
)
from tui.simulator.yemot_common import (
    ERROR,
    Call,
    Refusal,
    Service,
    local,
    masked,
    mfa_required,
    parse_local,
    past_stage,
    throttled,
)
from tui.vendors.yemot.assumptions import (
    MFA_BAD_VALUE,
    MFA_METHOD_EXISTS,
    MFA_METHOD_NOT_DELETABLE,
    MFA_METHOD_NOT_FOUND,
    MFA_PHONE_COUNTRY_REFUSED,
    MFA_TOO_MANY_METHODS,
    MFA_TOO_MANY_TRUSTED_IPS,
    MFA_TRUST_TOKEN_NOT_FOUND,
    mfa_ip_error,
)

SEND_OK_MESSAGE = "the code send. please valid the code"
OVERTRY_MESSAGE = "validMFA not allow. over trys attempt"
NO_CODE_MESSAGE = "validMFA not allow. no code was sent"

PASS_REASONS = {
    PassReason.TRUSTED_IP: "INIT_WHITELIST_IPS",
    PassReason.TRUST_TOKEN: "HAVE_ACTIVE_TRUST_TOKEN",
    PassReason.VERIFIED: "MFA_PASSED",
}
METHOD_ORIGINS = {
    MethodOrigin.CREATED_SYSTEM: "CREATE_PHONE",
    MethodOrigin.RECOVERY_EMAIL: "RESET_MAIL",
    MethodOrigin.PROFILE: "PROFILE",
    MethodOrigin.MASTER_LOGIN: "MASTER_LOGIN",
    MethodOrigin.CUSTOMER: "BY_CUSTOMER",
}
SEND_TYPES = {SendChannel.CALL: "CALL", SendChannel.SMS: "SMS", SendChannel.EMAIL: "EMAIL"}
METHOD_KINDS = {"EMAIL": MethodKind.EMAIL, "PHONE": MethodKind.PHONE}
CODE_STATUSES = {
    CodeStatus.VALID: "VALID",
    CodeStatus.WRONG: "UNVALID",
    CodeStatus.USED_UP: "OVERTRY",
    CodeStatus.NO_CODE: "OVERTRY",
}
TRUST_KINDS = {TrustKind.WEBSITE: "YM_CALL2ALL_WEBSITE", TrustKind.CUSTOMER_IP: "CUSTOMER_IP"}
ADD_REFUSALS = {
    AddMethodStatus.TOO_MANY: MFA_TOO_MANY_METHODS,
    AddMethodStatus.BAD_VALUE: MFA_BAD_VALUE,
    AddMethodStatus.COUNTRY_REFUSED: MFA_PHONE_COUNTRY_REFUSED,
    AddMethodStatus.EXISTS: MFA_METHOD_EXISTS,
}
# MFASession actions that need a code verified in this very session (1.8).
HARD_VERIFIED_ACTIONS = frozenset(
    {
        "addMethod",
        "reValidMethod",
        "validMethod",
        "deleteMethod",
        "getMFATrustTokens",
        "deleteTrustToken",
        "getMFATrustIps",
        "setMFATrustIps",
    }
)


# -- passing ----------------------------------------------------------------------------------


def mfa_status(call: Call) -> dict[str, Any]:
    session = call.live_session
    return {
        "isAvailable": call.world.auth.is_available(session),
        "isPass": session.passed,
        "passRessen": PASS_REASONS[session.pass_reason] if session.pass_reason else None,
        "isPassInThisSession": session.hard_verified,
    }


def mfa_try(call: Call) -> dict[str, Any]:
    if call.live_session.passed:
        raise past_stage()
    outcome = call.world.auth.try_pass(call.live_session)
    if outcome.blocked_for_s is not None:
        raise throttled("try", outcome.blocked_for_s)
    return mfa_status(call)


def _method_row(method_id: int, method: MfaMethod, unmasked: bool) -> dict[str, Any]:
    return {
        "ID": method_id,
        "STATUS": "ACTIVE" if method.active else "PENDING",
        "MFA_METHOD_ID": method.stable_id,
        "NIKE": METHOD_ORIGINS[method.origin],
        "NOTE": method.note,
        "SEND_TYPE": [SEND_TYPES[c] for c in method.channels],
        "VALUE": method.value if unmasked else masked(method),
        "EXPIRED_DATE": local(method.expires_at),
        "LAST_USED": local(method.last_used),
    }


def mfa_methods(call: Call) -> dict[str, Any]:
    session = call.live_session
    listing = call.world.auth.list_methods(session)
    rows = [_method_row(method_id, method, session.hard_verified) for method_id, method in listing]
    return {**mfa_status(call), "mfaMethods": rows}


def _send_channel(call: Call) -> SendChannel:
    send_type = (call.text("mfaSendType") or "").strip().upper()
    channel = next((c for c, name in SEND_TYPES.items() if name == send_type), None)
    if channel is None:
        raise Refusal(ERROR, "mfaSendType must be CALL, SMS or EMAIL")
    return channel


def _sent(outcome: SendOutcome) -> dict[str, Any]:
    if outcome.status is SendStatus.THROTTLED:
        raise throttled("send", outcome.wait_s or 1)
    if outcome.status is SendStatus.UNKNOWN_METHOD:
        raise Refusal(*MFA_METHOD_NOT_FOUND)
    if outcome.status is SendStatus.BAD_CHANNEL:
        raise Refusal(ERROR, "mfaSendType not available for this method")
    return {"message": SEND_OK_MESSAGE}


def mfa_send(call: Call) -> dict[str, Any]:
    session = call.live_session
    if session.hard_verified:
        raise past_stage()
    method_id = call.integer("mfaId")
    return _sent(call.world.auth.send_code(session, method_id, _send_channel(call)))


def _code_reply(outcome: CodeOutcome) -> dict[str, Any]:
    messages = {CodeStatus.USED_UP: OVERTRY_MESSAGE, CodeStatus.NO_CODE: NO_CODE_MESSAGE}
    return {
        "mfa_valid_status": CODE_STATUSES[outcome.status],
        "mfa_valid_trys": outcome.tries,
        "mfa_valid_left": outcome.left,
        "mfa_valid_message": messages.get(outcome.status, ""),
    }


def mfa_valid(call: Call) -> dict[str, Any]:
    session = call.live_session
    if session.hard_verified:
        raise past_stage()
    code = call.text("mfaCode") or ""
    remember, note = call.flag("mfaRememberMe"), call.text("mfaRememberNote") or ""
    return _code_reply(call.world.auth.check_code(session, code, remember, note))


# -- managing methods (hard verification) -----------------------------------------------------


def _method_of(call: Call) -> MfaMethod:
    method = call.world.auth.find_method(call.live_session, call.required_text("mfaId"))
    if method is None:
        raise Refusal(*MFA_METHOD_NOT_FOUND)
    return method


def add_method(call: Call) -> dict[str, Any]:
    kind = METHOD_KINDS.get(call.required_text("mfaNewType").strip().upper())
    if kind is None:
        raise Refusal(ERROR, "mfaNewType must be EMAIL or PHONE")
    value = call.required_text("mtaNewValue")  # sic: the vendor's spelling
    expires = parse_local(call.required_text("newExpiredDate"), "newExpiredDate")
    if expires <= call.world.now:
        raise Refusal(ERROR, "newExpiredDate must be in the future")
    note = call.text("mtaNewValidNote") or ""
    outcome = call.world.auth.add_method(call.live_session, kind, value, note, expires)
    if outcome.method is None or outcome.method.stable_id is None:
        raise Refusal(*ADD_REFUSALS[outcome.status])
    return {"methodId": outcome.method.stable_id}


def revalid_method(call: Call) -> dict[str, Any]:
    method = _method_of(call)
    return _sent(call.world.auth.send_method_code(call.live_session, method, _send_channel(call)))


def valid_method(call: Call) -> dict[str, Any]:
    method = _method_of(call)
    return _code_reply(call.world.auth.check_method_code(method, call.text("mfaCode") or ""))


def delete_method(call: Call) -> dict[str, Any]:
    method = _method_of(call)
    if not call.world.auth.delete_method(call.live_session, method):
        raise Refusal(ERROR, MFA_METHOD_NOT_DELETABLE + METHOD_ORIGINS[method.origin])
    return {}


# -- remember-me tokens and trusted IPs (hard verification) -----------------------------------


def mfa_trust_tokens(call: Call) -> dict[str, Any]:
    account = call.world.auth.accounts[call.system]
    rows = [
        {
            "id": t.token_id,
            "trust_key_type": TRUST_KINDS[t.kind],
            "create_by": t.created_by,
            "create_date": local(t.created_at),
            "update_by": t.updated_by,
            "update_date": local(t.updated_at),
            "last_use": local(t.last_use),
            "trust_note": t.note,
        }
        for t in account.trust_tokens
    ]
    return {"trustTokens": rows}


def delete_trust_token(call: Call) -> dict[str, Any]:
    if not call.world.auth.delete_trust_token(call.system, call.required_text("trustTokenId")):
        raise Refusal(*MFA_TRUST_TOKEN_NOT_FOUND)
    return {}


def mfa_trust_ips(call: Call) -> dict[str, Any]:
    return {"trustIps": list(call.world.auth.accounts[call.system].trusted_ips)}


def set_trust_ips(call: Call) -> dict[str, Any]:
    """`trustIps`: one address a line, or (JSON) an array; the valid ones become the new list."""
    value = call.params.get("trustIps")
    if isinstance(value, list):
        entries = [str(v) for v in value]
    elif value is None or isinstance(value, dict):
        raise Refusal(ERROR, "trustIps is required")
    else:
        entries = str(value).splitlines()
    outcome = call.world.auth.set_trusted_ips(call.system, entries)
    if outcome.too_many:
        raise Refusal(*MFA_TOO_MANY_TRUSTED_IPS)
    return {
        "okCount": len(outcome.valid),
        "save": outcome.saved,
        "valid_new_list": list(outcome.valid),
        "errors": [mfa_ip_error(entry) for entry in outcome.invalid],
    }


MFA_ACTIONS: dict[str, Callable[[Call], dict[str, Any]]] = {
    "isPass": mfa_status,
    "try": mfa_try,
    "getMFAMethods": mfa_methods,
    "sendMFA": mfa_send,
    "validMFA": mfa_valid,
    "addMethod": add_method,
    "reValidMethod": revalid_method,
    "validMethod": valid_method,
    "deleteMethod": delete_method,
    "getMFATrustTokens": mfa_trust_tokens,
    "deleteTrustToken": delete_trust_token,
    "getMFATrustIps": mfa_trust_ips,
    "setMFATrustIps": set_trust_ips,
}


def mfa_session(call: Call) -> dict[str, Any]:
    action = call.text("action") or ""
    if action in HARD_VERIFIED_ACTIONS and not call.live_session.hard_verified:
        raise mfa_required()
    handler = MFA_ACTIONS.get(action)
    if handler is None:
        raise Refusal(ERROR, f"unknown MFASession action '{action}'")
    return handler(call)


SERVICES: dict[str, Service] = {"MFASession": Service(mfa_session, needs_pass=False)}
