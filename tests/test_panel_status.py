"""A panel's status line: silent while the data is fresh, the data's age once it is late, even when
no new state comes (a feed that stopped answering at all)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from tui.clock import wall_time
from tui.service.feed import FeedState
from tui.widgets.panel import Panel, PanelStatus


class OnePanel(App):
    def compose(self) -> ComposeResult:
        yield Panel("Agents", id="panel")


async def test_fresh_data_goes_late_without_a_new_state_and_says_its_age():
    app = OnePanel()
    async with app.run_test() as pilot:
        panel = app.query_one(Panel)
        status = panel.query_one(PanelStatus)
        panel.show_state(FeedState(data=1, fetched_at=wall_time(), interval=0.2))
        await pilot.pause(0.1)
        assert not status.display  # fresh: nothing shown
        await pilot.pause(0.6)  # late after twice the interval (0.4 s)
        assert status.display and "old" in str(status.render())


async def test_polls_that_keep_the_data_fresh_keep_the_line_silent():
    app = OnePanel()
    async with app.run_test() as pilot:
        panel = app.query_one(Panel)
        status = panel.query_one(PanelStatus)
        for _ in range(8):  # a poll every 0.15 s: never older than 0.4 s
            panel.show_state(FeedState(data=1, fetched_at=wall_time(), interval=0.2))
            await pilot.pause(0.15)
            assert not status.display
        await pilot.pause(0.7)  # then the polls stop: late
        assert status.display and "old" in str(status.render())
