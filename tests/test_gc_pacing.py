"""Full garbage collections wait for a quiet moment (and never longer than `longest`)."""

from __future__ import annotations

import gc

from tui.gc_pacing import (
    AUTOMATIC_THRESHOLDS,
    NEVER,
    GcPacer,
    collections_held_for_start_up,
    freeze_start_up_objects,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def pacer(clock: Clock, collected: list[float]) -> GcPacer:
    return GcPacer(every=30, quiet=1, longest=300, clock=clock, collect=lambda: collected.append(clock.now))


def test_collects_every_interval_once_the_keys_stop():
    clock, collected = Clock(), []
    gc_pacer = pacer(clock, collected)
    clock.now += 29
    assert not gc_pacer.tick()
    clock.now += 2
    assert gc_pacer.tick() and collected == [1031]
    clock.now += 1
    assert not gc_pacer.tick()  # just collected


def test_waits_while_keys_are_pressed_but_not_for_ever():
    clock, collected = Clock(), []
    gc_pacer = pacer(clock, collected)
    for _ in range(299 * 2):  # a key every half second for five minutes
        clock.now += 0.5
        gc_pacer.saw_input()
        gc_pacer.tick()
    assert collected == []
    clock.now += 1.5
    gc_pacer.saw_input()
    assert gc_pacer.tick() and len(collected) == 1  # 300 s without one: it runs anyway


def test_takes_over_only_the_full_collection_and_gives_it_back():
    before = gc.get_threshold()
    gc_pacer = GcPacer()
    gc_pacer.take_over()
    try:
        young0, young1, full = gc.get_threshold()
        assert (young0, young1) == AUTOMATIC_THRESHOLDS and full == NEVER
    finally:
        gc_pacer.give_back()
    assert gc.get_threshold() == before


def test_collections_are_held_while_the_console_starts_and_come_back_once_it_is_up():
    assert gc.isenabled()
    with collections_held_for_start_up():
        assert not gc.isenabled()
        freeze_start_up_objects()  # the console is up: collections run again at once
        assert gc.isenabled()
        gc.unfreeze()
        gc.disable()  # as if it never came up
    assert gc.isenabled()  # leaving the start-up gives them back in any case
