"""The bench's big world: loaded into a seeded World, served by the Yemot facade, read by the real client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from tests.conftest import DEMO_ACCOUNT, Switchable
from tui.demo import DEMO_QUEUES
from tui.simulator.world import ISRAEL, World
from tui.simulator.world_entities import DeviceState
from tui.simulator.world_load import agent_flipper, load_world, loaded_world
from tui.vendors.yemot.client import YemotClient

BASE_URL = "http://sim/yemot/ym/api/"
START = datetime(2025, 5, 14, 10, 0, tzinfo=ISRAEL)


@pytest.fixture
async def client(transport: Switchable) -> AsyncIterator[YemotClient]:
    async with YemotClient(
        BASE_URL, username=DEMO_ACCOUNT[0], password=DEMO_ACCOUNT[1], transport=transport
    ) as yemot:
        yield yemot


async def queue_replies(client: YemotClient):
    return [await client.get_queue_real_time(path) for path in DEMO_QUEUES]


async def test_the_vendor_client_reads_every_loaded_entity(world: World, client: YemotClient) -> None:
    load_world(world, agents=500, waiting=200, sms=3000, sip_accounts=1000)

    replies = await queue_replies(client)
    agents = {member.agent for reply in replies for member in reply.members}
    assert len(agents) == 500
    assert sum(len(reply.entries) for reply in replies) == 200
    assert all(len(reply.entries) > 50 for reply in replies)  # spread over the queues
    waits = [entry.Wait for reply in replies for entry in reply.entries]
    assert max(waits) - min(waits) >= 20  # callers came in over time, not all at once
    statuses = [member.Status for reply in replies for member in reply.members]
    assert statuses.count(statuses[0]) < len(statuses)  # agents in several states
    assert any(member.Paused for reply in replies for member in reply.members)

    sms = await client.incoming_sms(3000)
    assert len(sms.rows) == 3000
    assert all(row.receive_date for row in sms.rows)

    accounts = await client.sip_accounts()
    assert len(accounts.accounts) == 1000
    assert accounts.accountLimit is not None and accounts.accountLimit >= 1000
    assert len({row.id for row in accounts.accounts}) == 1000
    registered = await client.sip_registered_status()
    online = [row for row in registered.accounts if row.registered]
    assert 10 <= len(online) <= 200  # a few devices registered now, most accounts without one
    numbers = {row.id: row.accountNumber for row in accounts.accounts}
    contexts = await client.sip_contexts(numbers[online[-1].userName])
    assert contexts.contexts


async def test_the_world_moves_on_after_loading(world: World, client: YemotClient) -> None:
    load_world(world, agents=300, waiting=90, sms=500, sip_accounts=50)
    world.advance(30)

    replies = await queue_replies(client)
    assert len({m.agent for reply in replies for m in reply.members}) == 300
    waiting = sum(len(reply.entries) for reply in replies)
    assert 30 <= waiting <= 200  # arrivals keep the queues long while callers are answered
    assert sum(1 for a in world.agents.values() if a.state is DeviceState.IN_CALL) > 150
    world.advance(90)  # answering, hanging up, pausing and registering all go on without error


def test_loading_is_deterministic_from_the_seed() -> None:
    first = loaded_world(7, START, agents=120, waiting=40, sms=400, sip_accounts=30)
    second = loaded_world(7, START, agents=120, waiting=40, sms=400, sip_accounts=30)
    other = loaded_world(8, START, agents=120, waiting=40, sms=400, sip_accounts=30)
    assert first.describe() == second.describe()
    assert list(first.sms.messages["0773137770"]) == list(second.sms.messages["0773137770"])
    assert first.describe() != other.describe()


def test_counts_already_reached_are_left_alone() -> None:
    world = World(7, START)
    agents_before = dict(world.agents)
    load_world(world, agents=5, waiting=0, sms=10, sip_accounts=2)
    assert world.agents == agents_before
    assert len(world.sip.accounts_of("0773137770")) == 4  # the seeded ones
    assert len(world.sms.messages["0773137770"]) > 10
    with pytest.raises(ValueError):
        load_world(world, agents=-1)
    with pytest.raises(ValueError):
        load_world(world, system="0999999999")


async def test_a_flipper_changes_exactly_one_agent_in_a_still_world(
    world: World, client: YemotClient
) -> None:
    load_world(world, agents=200, waiting=50, sms=100, sip_accounts=10)
    flipper = agent_flipper(world)
    before = await queue_replies(client)  # served at speed 0: the world does not move between calls

    assert flipper.flip() is True
    after = await queue_replies(client)
    changed = [
        (a.agent, b.Paused)
        for old, new in zip(before, after, strict=True)
        for a, b in zip(old.members, new.members, strict=True)
        if a != b
    ]
    phone = world.agents[flipper.agent_id].phone
    assert changed == [(phone, True)]
    assert [r.entries for r in before] == [r.entries for r in after]

    assert flipper.flip() is False
    assert await queue_replies(client) == before
