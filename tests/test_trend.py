"""The waiting trend: a steady queue adds no bar (a steady board writes nothing), a moving one does."""

from hypothesis import given
from hypothesis import strategies as st

from tui.widgets.trend import WaitingTrend


def test_a_steady_queue_adds_no_bar_however_long_it_stays():
    trend = WaitingTrend(samples=10)
    for bucket in range(50):
        trend.sample("/1", 3, bucket)
    assert trend.values("/1") == [3]


def test_one_bar_per_bucket_holds_the_bucket_peak_and_a_change_starts_a_new_bar():
    trend = WaitingTrend(samples=10)
    trend.sample("/1", 2, bucket=0)
    trend.sample("/1", 5, bucket=0)
    trend.sample("/1", 1, bucket=0)
    assert trend.values("/1") == [5]
    trend.sample("/1", 5, bucket=1)  # same as the last bar: nothing new
    trend.sample("/1", 4, bucket=2)
    trend.sample("/1", 6, bucket=2)
    assert trend.values("/1") == [5, 6]
    assert trend.top() == 6


def test_queues_have_their_own_history_and_one_scale():
    trend = WaitingTrend(samples=3)
    trend.sample("/1", 1, 0)
    trend.sample("/2", 9, 0)
    assert trend.values("/1") == [1] and trend.values("/2") == [9] and trend.top() == 9
    assert trend.values("/nope") == []


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 3)), max_size=200), st.integers(1, 30))
def test_history_is_bounded_and_a_steady_spell_after_any_past_adds_nothing(steps, spell):
    trend = WaitingTrend(samples=20)
    bucket = 0
    for waiting, advance in steps:
        bucket += advance
        trend.sample("/1", waiting, bucket)
    trend.sample("/1", 7, bucket + 1)
    before = trend.values("/1")
    for later in range(spell):
        trend.sample("/1", 7, bucket + 2 + later)
    assert trend.values("/1") == before
    assert len(before) <= 20 and before[-1] == 7
