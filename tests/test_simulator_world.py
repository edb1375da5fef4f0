"""The simulated call center: determinism, its life over simulated hours, operations and auth."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from tui.simulator.world import ISRAEL, World
from tui.simulator.world_auth import (
    CodeStatus,
    LoginStatus,
    PassReason,
    SendChannel,
    SendStatus,
    TokenStatus,
)
from tui.simulator.world_entities import DeviceState, KickOutcome
from tui.vendors.yemot.assumptions import A4_IDLE_MINUTES, A7_RESEND_WINDOW_S, A7_TRIES_PER_CODE

START = datetime(2025, 5, 14, 10, 0, tzinfo=ISRAEL)
HEX32 = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def world() -> World:
    return World(seed=7, start=START)


def assert_counters_consistent(world: World) -> None:
    for queue in world.queues.values():
        stats = queue.stats
        assert stats.offered == stats.completed + stats.abandoned + stats.kicked + len(queue.waiting)
        assert stats.completed - stats.talks_ended == world.in_progress(queue.queue_id)


def advance_until(world: World, condition, step: float = 10, limit: float = 7200) -> None:
    waited = 0.0
    while not condition():
        assert waited < limit, "the condition never came true"
        world.advance(step)
        waited += step


# -- construction and time ------------------------------------------------------------------------


def test_seeded_layout(world: World) -> None:
    assert {q.queue_id: len(q.members) for q in world.queues.values()} == {
        "sales": 5,
        "support": 7,
        "billing": 4,
    }
    assert [q.ivr_path for q in world.queues.values()] == ["/1", "/2/5", "/3"]
    assert [q.number for q in world.queues.values()] == ["630", "631", "632"]
    phones = [a.phone for a in world.agents.values()]
    assert any(p.startswith("SIP-") for p in phones)
    assert all(re.fullmatch(r"05\d{8}|SIP-\d+-\d+", p) for p in phones)
    assert sorted(world.callback_queues) == [110, 111, 112]


def test_now_is_israel_time_and_moves_only_by_advance(world: World) -> None:
    assert world.now == START
    assert world.now.tzinfo is not None and world.now.utcoffset() == timedelta(hours=3)
    world.advance(2.5)
    assert world.now == START + timedelta(seconds=2.5)
    with pytest.raises(ValueError):
        world.advance(-1)


def test_same_seed_same_advances_same_state() -> None:
    a, b = World(seed=11, start=START), World(seed=11, start=START)
    for world in (a, b):
        world.advance(600)
        world.advance(0.4)
    assert a.describe() == b.describe()
    assert World(seed=12, start=START).describe() != World(seed=11, start=START).describe()


def test_state_does_not_depend_on_how_time_was_split() -> None:
    whole, pieces = World(seed=3, start=START), World(seed=3, start=START)
    whole.advance(300)
    for _ in range(600):
        pieces.advance(0.5)
    assert whole.describe() == pieces.describe()


def test_api_traffic_does_not_change_the_callers() -> None:
    quiet, busy = World(seed=5, start=START), World(seed=5, start=START)
    for _ in range(3):
        busy.auth.login("0773137770", "demo-1234", "127.0.0.1")
    quiet.advance(900)
    busy.advance(900)
    assert quiet.describe()["queues"] == busy.describe()["queues"]


# -- a living call center -------------------------------------------------------------------------


def test_callers_arrive_are_answered_and_abandon_over_an_hour(world: World) -> None:
    before = {
        q.queue_id: (q.stats.offered, q.stats.completed, q.stats.abandoned) for q in world.queues.values()
    }
    peak_waiting = 0
    for _ in range(360):
        world.advance(10)
        assert_counters_consistent(world)
        peak_waiting = max(peak_waiting, max(len(q.waiting) for q in world.queues.values()))
    for queue in world.queues.values():
        offered, completed, _ = before[queue.queue_id]
        assert queue.stats.offered - offered > 20
        assert queue.stats.completed - completed > 15
    assert sum(q.stats.abandoned - before[q.queue_id][2] for q in world.queues.values()) > 0
    assert 1 <= peak_waiting <= 15


def test_waiting_callers_have_hex_ids_and_join_in_order(world: World) -> None:
    advance_until(world, lambda: any(len(q.waiting) >= 2 for q in world.queues.values()))
    ids = [c.call_id for q in world.queues.values() for c in q.waiting]
    assert all(HEX32.match(i) for i in ids) and len(set(ids)) == len(ids)
    for queue in world.queues.values():
        joined = [c.joined_at for c in queue.waiting]
        assert joined == sorted(joined)


def test_ringing_agent_connects_then_talks(world: World) -> None:
    advance_until(world, lambda: any(a.state is DeviceState.RINGING for a in world.agents.values()), step=1)
    agent = next(a for a in world.agents.values() if a.state is DeviceState.RINGING)
    caller = agent.call
    assert caller is not None and caller in world.queues[caller.queue_id].waiting
    world.advance(7)
    assert caller not in world.queues[caller.queue_id].waiting
    assert agent.call is caller and agent.state in (DeviceState.IN_CALL, DeviceState.ON_HOLD)


def test_agents_pause_on_their_own_within_two_hours() -> None:
    world = World(seed=7, start=START)
    paused_seen = False
    for _ in range(720):
        world.advance(10)
        paused_seen = paused_seen or any(m.paused for q in world.queues.values() for m in q.members)
    assert paused_seen
    assert any(e.kind == "unpaused" for e in world.events)
    self_paused = [m for q in world.queues.values() for m in q.members if m.paused]
    assert all(m.resume_at is not None for m in self_paused)  # a pause of their own wears off


def test_paused_agent_is_never_offered_a_call(world: World) -> None:
    queue = world.queues["sales"]
    target = "a01"
    assert world.set_paused("sales", target, True)
    world.advance(10)  # a call already ringing at pause time may still connect
    passed_over = 0  # seconds when the agent was free while a sales caller had nobody ringing
    for _ in range(3600):
        world.advance(1)
        agent = world.agents[target]
        assert not (agent.state is DeviceState.RINGING and agent.call and agent.call.queue_id == "sales")
        if agent.state is DeviceState.IDLE and any(c.ringing_agent_id is None for c in queue.waiting):
            passed_over += 1
    assert passed_over > 0
    assert queue.member(target).paused  # an operator's pause does not wear off


def test_pausing_a_whole_queue_stops_answering(world: World) -> None:
    queue = world.queues["billing"]
    for member in queue.members:
        assert world.set_paused("billing", member.agent_id, True)
    world.advance(10)
    completed = queue.stats.completed
    world.advance(1800)
    assert queue.stats.completed == completed
    assert queue.stats.abandoned > 0
    assert world.set_paused("billing", "a12", False)
    advance_until(world, lambda: queue.stats.completed > completed, step=5, limit=900)


def test_set_paused_refuses_non_members(world: World) -> None:
    assert world.set_paused("sales", "a12", True) is False
    assert world.set_paused("nope", "a01", True) is False


def test_kick_removes_a_waiting_caller(world: World) -> None:
    advance_until(world, lambda: any(q.waiting for q in world.queues.values()), step=5)
    queue = next(q for q in world.queues.values() if q.waiting)
    caller = queue.waiting[0]
    ringing = world.agents.get(caller.ringing_agent_id or "")
    assert world.kick(queue.queue_id, caller.call_id, "/1") == KickOutcome.OK
    assert caller not in queue.waiting and queue.stats.kicked == 1
    assert ringing is None or ringing.state is DeviceState.IDLE
    assert world.events[-1].kind == "kicked" and "/1" in world.events[-1].detail
    assert world.kick(queue.queue_id, caller.call_id) == "Call not found"
    assert world.kick(queue.queue_id, "0" * 32) == KickOutcome.NOT_FOUND
    assert_counters_consistent(world)


def test_lookups(world: World) -> None:
    assert world.queue_by_ivr_path("/2/5") is world.queues["support"]
    assert world.queue_by_ivr_path("/9") is None
    assert world.queue_by_number("632") is world.queues["billing"]
    assert world.agent_by_phone("0501111111") is world.agents["a01"]
    assert world.agent_by_extension("809") is world.agents["a09"]
    assert [m.queue_id for m in world.memberships_of("a05")] == ["sales", "support"]


# -- callback requests ----------------------------------------------------------------------------


def test_callback_requests_appear_get_attempts_and_finish(world: World) -> None:
    attempted = False
    for _ in range(720):
        world.advance(10)
        attempted = attempted or any(r.attempts > 0 for r in world.callback_requests.values())
        for cbq in world.callback_queues.values():
            pending = world.callback_requests_for(cbq.callback_id)
            assert len(pending) <= cbq.max_waiting_customers
            assert cbq.open or not pending
    assert attempted and world.callbacks_done > 5
    assert all(r.request_id >= 84299 and r.status == "waiting" for r in world.callback_requests.values())
    for request in world.callback_requests.values():
        assert (request.attempts == 0) == (request.last_attempt is None)


def test_remove_callback(world: World) -> None:
    advance_until(world, lambda: bool(world.callback_requests), step=30)
    request_id = next(iter(world.callback_requests))
    assert world.remove_callback(request_id) is True
    assert request_id not in world.callback_requests
    assert world.remove_callback(request_id) is False


# -- accounts, sessions and MFA -------------------------------------------------------------------


def test_login_and_brute_force_lock(world: World) -> None:
    auth = world.auth
    assert auth.login("0773137770", "demo-1234", "127.0.0.1").status is LoginStatus.OK
    assert auth.login("0779999999", "x", "127.0.0.1").status is LoginStatus.BAD_CREDENTIALS
    for _ in range(5):
        assert auth.login("0773137771", "wrong", "10.0.0.1").status is LoginStatus.BAD_CREDENTIALS
    assert auth.login("0773137771", "demo-mfa", "10.0.0.1").status is LoginStatus.LOCKED
    world.advance(601)
    assert auth.login("0773137771", "demo-mfa", "10.0.0.1").status is LoginStatus.OK


def test_session_idle_expiry_and_helpers(world: World) -> None:
    auth = world.auth
    session = auth.login("0773137770", "demo-1234", "127.0.0.1").session
    assert session is not None and session.token not in repr(session)
    world.advance((A4_IDLE_MINUTES - 1) * 60)
    assert auth.resolve(session.token)[0] is TokenStatus.OK  # use resets the idle clock
    world.advance((A4_IDLE_MINUTES - 1) * 60)
    assert auth.resolve(session.token)[0] is TokenStatus.OK
    world.advance(A4_IDLE_MINUTES * 60 + 1)
    assert auth.resolve(session.token)[0] is TokenStatus.EXPIRED
    fresh = auth.login("0773137770", "demo-1234", "127.0.0.1").session
    assert fresh is not None
    assert world.expire_sessions("0773137770") == 1
    assert auth.resolve(fresh.token)[0] is TokenStatus.EXPIRED
    assert world.kill_sessions("0773137770") == 2
    assert auth.resolve(fresh.token)[0] is TokenStatus.INVALID
    assert auth.resolve("no-such-token")[0] is TokenStatus.INVALID


def test_trusted_ip_passes_at_login_and_others_do_not(world: World) -> None:
    demo = world.auth.login("0773137770", "demo-1234", "127.0.0.1").session
    assert demo is not None and demo.passed and demo.pass_reason is PassReason.TRUSTED_IP
    assert not demo.hard_verified
    mfa = world.auth.login("0773137771", "demo-mfa", "127.0.0.1").session
    assert mfa is not None and not mfa.passed
    assert world.auth.try_pass(mfa).passed is False


def test_failed_tries_block_try(world: World) -> None:
    session = world.auth.login("0773137771", "demo-mfa", "127.0.0.1").session
    assert session is not None
    outcomes = [world.auth.try_pass(session) for _ in range(6)]
    assert all(o.blocked_for_s is None for o in outcomes[:5])
    assert outcomes[5].blocked_for_s == 900


def test_code_send_throttle_and_tries(world: World) -> None:
    auth = world.auth
    session = auth.login("0773137771", "demo-mfa", "127.0.0.1").session
    assert session is not None
    (first_id, _), *_ = auth.list_methods(session)
    assert auth.send_code(session, first_id, SendChannel.EMAIL).status is SendStatus.BAD_CHANNEL
    assert auth.send_code(session, 999, SendChannel.SMS).status is SendStatus.UNKNOWN_METHOD
    assert auth.send_code(session, first_id, SendChannel.SMS).status is SendStatus.SENT
    world.advance(10)
    waits = [auth.send_code(session, first_id, SendChannel.SMS).wait_s for _ in range(3)]
    assert waits == [A7_RESEND_WINDOW_S - 10, 2 * A7_RESEND_WINDOW_S - 10, 4 * A7_RESEND_WINDOW_S - 10]
    code = world.sent_codes[-1].code
    assert re.fullmatch(r"\d{6}", code)
    wrong = "000000" if code != "000000" else "111111"
    results = [auth.check_code(session, wrong) for _ in range(A7_TRIES_PER_CODE)]
    assert [(r.status, r.tries, r.left) for r in results[:2]] == [
        (CodeStatus.WRONG, 1, 4),
        (CodeStatus.WRONG, 2, 3),
    ]
    assert auth.check_code(session, code).status is CodeStatus.USED_UP


def test_valid_code_hard_verifies_and_remember_me_trusts_the_ip(world: World) -> None:
    auth = world.auth
    session = auth.login("0773137771", "demo-mfa", "10.1.1.1").session
    assert session is not None
    assert auth.check_code(session, "123456").status is CodeStatus.NO_CODE
    method_id = auth.list_methods(session)[0][0]
    assert auth.send_code(session, method_id, SendChannel.CALL).status is SendStatus.SENT
    outcome = auth.check_code(session, world.sent_codes[-1].code, remember=True, note="my laptop")
    assert outcome.status is CodeStatus.VALID
    assert session.passed and session.hard_verified and session.pass_reason is PassReason.VERIFIED
    later = auth.login("0773137771", "demo-mfa", "10.1.1.1").session
    assert later is not None and later.pass_reason is PassReason.TRUST_TOKEN


def test_method_ids_are_fresh_on_every_listing(world: World) -> None:
    session = world.auth.login("0773137771", "demo-mfa", "127.0.0.1").session
    assert session is not None
    first = [i for i, _ in world.auth.list_methods(session)]
    second = [i for i, _ in world.auth.list_methods(session)]
    assert not set(first) & set(second)
    assert world.auth.send_code(session, first[0], SendChannel.SMS).status is SendStatus.UNKNOWN_METHOD
