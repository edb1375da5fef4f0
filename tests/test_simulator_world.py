"""The simulated call center: determinism, its life over simulated hours, operations and auth."""

from __future__ import annotations

import itertools
import random
import re
from datetime import UTC, datetime, timedelta

import pytest

from tui.simulator.world import ISRAEL, World
from tui.simulator.world_auth_records import (
    CodeStatus,
    LoginStatus,
    PassReason,
    SendChannel,
    SendStatus,
    TokenStatus,
)
from tui.simulator.world_entities import ChannelState, DeviceState, KickOutcome, SipStatus
from tui.simulator.world_events import CallRecord, Disposition, EventLog, ExtensionChanged
from tui.simulator.world_pbx import CommandOutcome
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


# -- the PBX: phones, registrations, channels, operations, event log -----------------------------


def assert_pbx_consistent(world: World) -> None:
    """One call per phone; phone states and channels agree; queue counters still add up."""
    legs: dict[str, int] = {}
    for channel in world.channels():
        assert re.fullmatch(r"\d{10}\.\d+", channel.uniqueid)
        if channel.extension is not None:
            legs[channel.extension] = legs.get(channel.extension, 0) + 1
    assert all(count == 1 for count in legs.values()), legs
    for number, extension in world.extensions.items():
        state = world.device_state(number)
        in_call = state in (DeviceState.RINGING, DeviceState.IN_CALL, DeviceState.ON_HOLD, DeviceState.BUSY)
        assert in_call == (number in legs), (number, state)
        if extension.agent_id is not None:
            away = world.agents[extension.agent_id].state is DeviceState.UNAVAILABLE
            assert away == (not extension.registration.online), number
    assert_counters_consistent(world)


def test_every_agent_has_a_phone_and_there_are_others(world: World) -> None:
    extensions = world.extensions
    assert {a.extension for a in world.agents.values()} < set(extensions)
    others = {e.name for e in extensions.values() if e.agent_id is None}
    assert others == {"Reception", "Conference room", "Warehouse"}
    warehouse = extensions["830"]
    assert warehouse.unplugged and warehouse.registration.status is SipStatus.UNKNOWN
    assert world.device_state("830") is DeviceState.UNAVAILABLE and warehouse.contact_uri() is None
    for number, extension in extensions.items():
        reg = extension.registration
        assert reg.user_agent and reg.transport == "udp"
        if reg.online:
            assert reg.expires_at is not None and reg.expires_at > world.now
            assert extension.contact_uri() == f"sip:{number}@{reg.address}:{reg.port}"


def test_registrations_fluctuate_expire_and_come_back() -> None:
    world = World(seed=7, start=START)
    statuses: dict[str, set[SipStatus]] = {n: set() for n in world.extensions}
    latencies: dict[str, set[int]] = {n: set() for n in world.extensions}
    registered_at = {n: e.registration.registered_at for n, e in world.extensions.items()}
    reregistered = set()
    for _ in range(720):  # three hours, every 15 s
        world.advance(15)
        assert_pbx_consistent(world)
        for number, extension in world.extensions.items():
            reg = extension.registration
            statuses[number].add(reg.status)
            if reg.latency_ms is not None:
                latencies[number].add(reg.latency_ms)
            if reg.registered:
                assert reg.expires_at is not None and reg.expires_at > world.now
                if reg.registered_at != registered_at[number]:
                    reregistered.add(number)
            registered_at[number] = reg.registered_at
    assert statuses["830"] == {SipStatus.UNKNOWN}
    assert all(len(latencies[n]) >= 5 for n in world.extensions if n != "830")
    assert any(SipStatus.LAGGED in s for s in statuses.values())
    came_back = [n for n, s in statuses.items() if {SipStatus.UNKNOWN, SipStatus.OK} <= s]
    assert came_back and reregistered
    assert any(SipStatus.UNREACHABLE in s for s in statuses.values())


def test_channels_follow_the_queue_calls(world: World) -> None:
    for _ in range(600):
        world.advance(3)
        channels = world.channels()
        by_extension = {c.extension: c for c in channels if c.extension}
        queue_trunks = sorted(c.number for c in channels if c.application == "Queue")
        callers = [c.phone for q in world.queues.values() for c in q.waiting]
        for agent in world.agents.values():
            if agent.call is None:
                continue
            leg = by_extension[agent.extension]
            assert leg.peer is not None and leg.peer.number == agent.call.phone
            assert leg.linkedid == leg.peer.uniqueid and leg.application == "AppQueue"
            expected = ChannelState.RINGING if agent.state is DeviceState.RINGING else ChannelState.UP
            assert leg.state is expected
            if agent.state is not DeviceState.RINGING:
                callers.append(agent.call.phone)
        assert queue_trunks == sorted(callers)
        for channel in channels:
            assert re.fullmatch(
                r"SIP/\d{3}-[0-9a-f]{8}|SIP/trunk-[0-9a-f]{8}|DAHDI/i1/\d+-[0-9a-f]+", channel.name
            )


def test_event_log_numbers_and_bounds() -> None:
    log = EventLog(maxlen=5)
    at = START.astimezone(UTC)
    for n in range(8):
        event = log.emit(ExtensionChanged, at=at, extension=f"80{n}", state=DeviceState.IDLE)
        assert event.seq == n + 1
    read = log.since(1)
    assert [e.seq for e in read.events] == [4, 5, 6, 7, 8] and read.missed == 3 and read.next_cursor == 9
    assert [e.seq for e in log.since(7).events] == [7, 8] and log.since(7).missed == 0
    assert log.since(log.next_seq).events == [] and len(log) == 5 and log.first_seq == 4
    with pytest.raises(ValueError):
        EventLog(maxlen=0)


def test_extension_events_replay_to_the_current_states(world: World) -> None:
    cursor = world.pbx_log.next_seq
    states = {n: world.device_state(n) for n in world.extensions}
    world.advance(1800)
    read = world.pbx_log.since(cursor)
    assert read.missed == 0
    seqs = [e.seq for e in read.events]
    assert seqs == list(range(cursor, cursor + len(seqs)))
    assert all(a.at <= b.at for a, b in itertools.pairwise(read.events))
    for event in read.events:
        if isinstance(event, ExtensionChanged):
            assert states[event.extension] is not event.state
            states[event.extension] = event.state
    assert states == {n: world.device_state(n) for n in world.extensions}


def test_blacklisted_callers_are_refused_on_arrival(world: World) -> None:
    assert world.blacklist == ("0521234567", "035550123")
    sales = world.queues["sales"]
    offered = sales.stats.offered
    assert world.call_in("sales", "0521234567") is None
    assert sales.stats.offered == offered and world.events[-1].kind == "refused"
    record = list(world.pbx_log)[-1]
    assert isinstance(record, CallRecord) and record.disposition is Disposition.FAILED
    caller = world.call_in("sales", "0501231234")
    assert caller is not None and caller in sales.waiting and sales.stats.offered == offered + 1
    assert world.blacklist_add("abc") is CommandOutcome.INVALID_NUMBER
    assert world.blacklist_add("0501231234") is CommandOutcome.OK
    assert world.blacklist_remove("0501231234") is CommandOutcome.OK
    assert world.blacklist_remove("0501231234") is CommandOutcome.NOT_LISTED
    with pytest.raises(KeyError):
        world.call_in("nope", "0501231234")
    cursor = world.pbx_log.next_seq
    world.advance(3 * 3600)  # regular callers ring again and again; the blacklisted are turned away
    read = world.pbx_log.since(cursor)
    refused = [e for e in read.events if isinstance(e, CallRecord) and e.disposition is Disposition.FAILED]
    assert read.missed == 0 and refused and {e.source for e in refused} <= set(world.blacklist)


def test_logged_out_agents_get_no_calls_and_log_back_in(world: World) -> None:
    assert world.agent_logout("sales", "801") is CommandOutcome.OK
    assert world.queues["sales"].member("a01") is None
    assert world.agent_logout("sales", "801") is CommandOutcome.NOT_MEMBER
    for _ in range(1800):
        world.advance(1)
        agent = world.agents["a01"]
        assert not (
            agent.call is not None and agent.call.queue_id == "sales" and agent.state is DeviceState.RINGING
        )
    assert world.agent_login("sales", "804") is CommandOutcome.ALREADY_MEMBER
    assert world.agent_logout("sales", "804") is CommandOutcome.OK
    assert world.agent_login("sales", "804") is CommandOutcome.OK
    assert world.queues["sales"].member("a04").penalty == 1  # remembered
    assert world.agent_login("sales", "801") is CommandOutcome.OK
    assert world.agent_login("sales", "800") is CommandOutcome.NOT_AN_AGENT
    assert world.agent_login("sales", "899") is CommandOutcome.UNKNOWN_EXTENSION
    assert world.agent_login("nope", "801") is CommandOutcome.UNKNOWN_QUEUE


def test_operator_commands_keep_the_pbx_consistent() -> None:
    world = World(seed=9, start=START)
    chooser = random.Random(1)
    phones = sorted(world.extensions)
    outcomes: set[tuple[str, CommandOutcome]] = set()
    for _ in range(400):
        world.advance(chooser.uniform(1, 20))
        busy = [n for n in phones if world.pbx.leg_of(n) is not None] or phones
        command = chooser.choice(["hangup", "transfer", "spy", "click", "click-out"])
        one, other = chooser.choice(busy), chooser.choice(phones)
        if command == "hangup":
            outcome = world.hangup_extension(one)
        elif command == "transfer":
            outcome = world.transfer_call(one, chooser.choice([other, "0529998877"]))
        elif command == "spy":
            outcome = world.spy_call(other, one)
        elif command == "click":
            outcome = world.click_to_call(other, chooser.choice(phones))
        else:
            outcome = world.click_to_call(other, "0521110000")
        outcomes.add((command, outcome))
        assert_pbx_consistent(world)
    for command in ("hangup", "transfer", "spy", "click", "click-out"):
        assert (command, CommandOutcome.OK) in outcomes, command
    assert world.hangup_extension("999") is CommandOutcome.UNKNOWN_EXTENSION
    assert world.transfer_call("830", "800") is CommandOutcome.NO_CALL
    assert world.click_to_call("800", "12ab") is CommandOutcome.INVALID_NUMBER


def test_the_pbx_is_deterministic_under_the_same_commands() -> None:
    def story() -> list[object]:
        world = World(seed=4, start=START)
        cursor = world.pbx_log.next_seq
        for step in range(30):
            world.advance(37)
            world.click_to_call("800", "0520000000" if step % 2 else "820")
            world.hangup_extension(f"8{step % 16:02d}")
        return world.pbx_log.since(cursor).events

    assert story() == story()
