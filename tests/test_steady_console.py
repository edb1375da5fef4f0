"""Left open all day: footer keys do not pile up (Textual's Footer leaks them) and no cursor blinks."""

import gc

from textual.widgets._footer import FooterKey

from tui.app import SCREENS


def _footer_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey))


async def test_rounds_of_screen_switches_keep_the_number_of_footer_keys_steady(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        counts = []
        for _ in range(4):
            for spec in SCREENS:
                await pilot.press(spec.key)
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            counts.append(_footer_keys())
        # The first round builds every screen's footer; after that, rebuilds replace keys, not add them.
        assert counts[1] == counts[2] == counts[3], counts


async def test_no_text_field_blinks_its_cursor(make_app):
    """A blinking cursor writes bytes twice a second for as long as the field has focus (SPEC §9)."""
    from textual.widgets import Input, TextArea

    app = make_app(account=("0773137771", "demo-mfa"))  # the MFA screen comes first, code field focused
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        await pilot.press("4", "slash")  # the SMS filter field
        await pilot.pause(0.2)
        fields = [w for screen in app.screen_stack for w in screen.query("Input, TextArea")]
        fields += list(app.screen.query("Input, TextArea"))
        assert fields and all(isinstance(f, Input | TextArea) and not f.cursor_blink for f in fields)


async def test_a_hidden_screen_keeps_its_data_but_not_the_lines_it_drew(make_app):
    """Every screen of every profile is kept: the lines their widgets drew would add up for hours."""
    from textual.widget import Widget

    from tui.widgets.live_table import LiveTable

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        queues = app.screen
        agents = queues.query_one("#agents", LiveTable)
        for _ in range(100):
            await pilot.pause(0.05)
            if agents.row_count:
                break
        await pilot.pause(0.3)
        assert sum(len(w._styles_cache._cache) for w in queues.walk_children(Widget)) > 20
        rows = agents.row_count
        await pilot.press("4")
        await pilot.pause(0.2)
        assert app.screen is not queues
        assert sum(len(w._styles_cache._cache) for w in queues.walk_children(Widget)) == 0
        assert agents.row_count == rows  # the data stays
        await pilot.press("1")
        await pilot.pause(0.2)
        assert app.screen is queues
        assert sum(len(w._styles_cache._cache) for w in queues.walk_children(Widget)) > 20  # drawn again
