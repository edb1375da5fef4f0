"""Keys and themes (issue 7): binding ids, `[keys]` remapping and its checks, `?` help on every
screen, the palette, j/k in tables, a theme per profile, and NO_COLOR."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Digits, HelpPanel, ListView, OptionList
from textual.widgets._footer import FooterKey
from textual.widgets._key_panel import BindingsTable

from tests.conftest import MFA_ACCOUNT, busy_queue, office_and_floor_profiles, wait_until
from tui.app import SCREENS, CallboardApp
from tui.cli import main
from tui.config import ConfigError, config_from_dict, load_config
from tui.config_save import save_theme
from tui.keymap import (
    binding_classes,
    checked_keymap,
    conflicts,
    declared_bindings,
    describe_bindings,
    key_name_problem,
    known_bindings,
    merged_bindings,
    normalize_keys,
)
from tui.screens.dialogs import ActionForm
from tui.screens.mfa import MfaScreen
from tui.screens.queues import QueuesScreen
from tui.screens.sip import SipScreen
from tui.screens.wall import QueueCard, WallScreen
from tui.sessions import build_sessions
from tui.themes import theme_problems
from tui.widgets.live_table import LiveTable

SIZE = (110, 32)
PROFILE = (
    'vendor = "yemot"\nbase_url = "https://x.example/ym/api/"\nusername = "0771234567"\npassword = "x"\n'
)
TABLE_KINDS = (DataTable, ListView, OptionList)


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    config = load_config(path)
    with pytest.raises(ConfigError) as caught:
        checked_keymap(config)
    return [str(p) for p in caught.value.problems]


def agents(app) -> LiveTable:
    return app.screen.query_one("#agents", LiveTable)


def help_text(app) -> str:
    """What the `?` panel shows, as plain text."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one(HelpPanel).query_one(BindingsTable).render_bindings_table())
    return console.export_text()


def footer_keys(app) -> dict[str, str]:
    """Footer description -> the key it shows."""
    return {key.description: key.key_display for key in app.screen.query(FooterKey)}


def two_profile_app(transport, audit, *, wall=None, **app_options) -> CallboardApp:
    profiles = office_and_floor_profiles()
    data = {"refresh": {"queues": 0.3}, "profiles": profiles, "wall": wall or {}}
    config = config_from_dict(data, "<test>")
    sessions, broken = build_sessions(
        config, read_only=wall is not None, transport_for=lambda _n: transport, audit=audit
    )
    assert not broken
    return CallboardApp(
        sessions, start_profile="office", wall=config.wall if wall is not None else None, **app_options
    )


# -- every binding has an id and a description ---------------------------------------------------


def test_the_walk_finds_the_app_screens_dialogs_and_tables():
    names = {cls.__name__ for cls in binding_classes()}
    assert {"CallboardApp", "QueuesScreen", "MfaScreen", "WallScreen", "ConfirmScreen", "LiveTable"} <= names


def _action(cls, binding: Binding) -> str:
    """The action as run from anywhere: an app binding's action runs on the app."""
    if issubclass(cls, CallboardApp) and "." not in binding.action.split("(")[0]:
        return f"app.{binding.action}"
    return binding.action


def test_every_binding_has_an_id_and_a_description():
    missing = []
    action_of: dict[str, tuple[str, str]] = {}
    for cls in binding_classes():
        for raw in cls.__dict__.get("BINDINGS", []):
            if not isinstance(raw, Binding) or not raw.id or not raw.description:
                missing.append(f"{cls.__name__}: {raw!r}")
        for binding in declared_bindings(cls):
            if binding.id is None:
                continue
            action = _action(cls, binding)
            first = action_of.setdefault(binding.id, (action, cls.__name__))
            # one id means one thing wherever it is bound, or remapping it would change another
            assert first[0] == action, f"{binding.id}: {first} vs {cls.__name__} {action}"
    assert not missing, missing


def test_binding_ids_are_unique_per_class():
    for cls in binding_classes():
        seen: dict[str, str] = {}
        for binding in merged_bindings(cls):
            if binding.id is not None:
                assert seen.setdefault(binding.id, binding.action) == binding.action, (cls, binding.id)


def test_spec_default_keys_are_bound_by_id():
    keys = {info.id: info.keys for info in known_bindings().values()}
    expected = {
        "focus.next": ("tab",),
        "focus.previous": ("shift+tab",),
        "app.profile_prev": ("left_square_bracket",),
        "app.profile_next": ("right_square_bracket",),
        "app.quit": ("q",),
        "app.help": ("question_mark", "f1"),
        "app.palette": ("ctrl+p",),
        "board.refresh": ("r",),
        "board.pause": ("p",),
        "board.filter": ("slash",),
        "queues.agent_pause": ("space",),
        "queues.kick": ("x",),
        "sip.delete": ("d",),
        "sip.create": ("n",),
        "sip.extension": ("e",),
        "table.open": ("enter",),
        "table.down": ("j",),
        "table.up": ("k",),
        **{f"app.screen.{spec.id}": (spec.key,) for spec in SCREENS},
    }
    for binding_id, default in expected.items():
        assert keys[binding_id] == default, binding_id
    assert "queues.kick" in describe_bindings()


# -- [keys] checks -----------------------------------------------------------------------------------


def test_unknown_binding_id_is_reported_at_its_line_with_did_you_mean(tmp_path: Path):
    path = write_config(
        tmp_path, f'[keys]\n"board.refresh" = "R"\n"queues.kik" = "K"\n\n[profiles.a]\n{PROFILE}'
    )
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:3: keys.\"queues.kik\": unknown binding id 'queues.kik'")
    assert "did you mean 'queues.kick'?" in problem


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("ctlr+k", "'ctlr' in 'ctlr+k' is not a modifier (did you mean 'ctrl'?)"),
        ("escpe", "'escpe' is not a key name Textual knows (did you mean 'escape'?)"),
        ("a,,b", "has an empty key between commas"),
    ],
)
def test_bad_key_names_are_reported(tmp_path: Path, keys: str, expected: str):
    path = write_config(tmp_path, f'[keys]\n"queues.kick" = "{keys}"\n')
    (problem,) = problems_of(path)
    assert f"{path}:2:" in problem and expected in problem


def test_key_names_textual_knows_pass():
    for keys in ("K", "?", "ctrl+k", "f5", "escape", "shift+tab", "slash", "question_mark", "space", "]"):
        assert all(key_name_problem(k) is None for k in normalize_keys(keys)), keys
    assert normalize_keys("?,ctrl+x") == ("question_mark", "ctrl+x")


def test_two_bindings_on_one_key_of_one_screen_are_a_conflict(tmp_path: Path):
    path = write_config(tmp_path, '[keys]\n"queues.kick" = "d"\n')
    (problem,) = problems_of(path)
    assert f"{path}:2:" in problem and "'d'" in problem and "queues.callback_remove" in problem


def test_a_remapped_screen_key_under_a_table_key_is_a_conflict():
    (conflict,) = conflicts({"queues.kick": ("j",)})
    assert conflict.binding_id == "queues.kick" and "table.down" in conflict.message


def test_swapping_keys_or_reusing_one_on_another_screen_is_no_conflict():
    assert conflicts({}) == []  # the defaults overlap only on purpose (the wall's [ and ])
    assert conflicts({"queues.kick": ("d",), "queues.callback_remove": ("x",)}) == []
    assert conflicts({"sip.create": ("i",)}) == []  # "i" is a Queues key, not a SIP one
    assert conflicts({"dialog.yes": ("j",)}) == []  # the tables under a dialog do not get its keys


def test_config_check_reports_keys_and_themes_at_once_and_lists_bindings(tmp_path: Path, capsys):
    text = f'theme = "callboard-drak"\n\n[keys]\n"queues.kik" = "K"\n\n[profiles.a]\n{PROFILE}'
    path = write_config(tmp_path, text)
    assert main(["--config", str(path), "config", "check"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert f"{path}:1: theme: unknown theme 'callboard-drak' (did you mean 'callboard-dark'?)" in err
    assert f'{path}:4: keys."queues.kik"' in err
    path.write_text(f'[keys]\n"queues.kick" = "K"\n\n[profiles.a]\n{PROFILE}', encoding="utf-8")
    assert main(["--config", str(path), "config", "keys"]) == 0
    out = capsys.readouterr().out
    assert any(line.split()[:4] == ["queues.kick", "K", "(was", "x)"] for line in out.splitlines())


def test_console_start_refuses_bad_keys_and_unknown_themes(tmp_path: Path, capsys):
    path = write_config(tmp_path, f'[keys]\n"queues.kick" = "j"\n\n[profiles.a]\n{PROFILE}')
    assert main(["--config", str(path)]) == 2  # before the terminal is even looked at
    assert "key 'j' is also bound to 'table.down'" in capsys.readouterr().err
    path.write_text(f"[profiles.a]\n{PROFILE}", encoding="utf-8")
    assert main(["--config", str(path), "--theme", "nrod"]) == 2
    assert "--theme: unknown theme 'nrod' (did you mean 'nord'?)" in capsys.readouterr().err


def test_profile_theme_problems_name_the_profile_and_a_broken_user_theme(tmp_path: Path):
    from tui.paths import user_themes_dir

    user_themes_dir().mkdir(parents=True)
    (user_themes_dir() / "night.toml").write_text('primary = "#000000"\ncolour = "red"\n', encoding="utf-8")
    (user_themes_dir() / "mine.toml").write_text('primary = "#112233"\ndark = true\n', encoding="utf-8")
    text = f'theme = "mine"\n\n[profiles.a]\n{PROFILE}theme = "night"\n'
    (problem,) = theme_problems(load_config(write_config(tmp_path, text)))
    assert ":8: profiles.a.theme: theme file" in str(problem)
    assert str(problem).endswith("night.toml could not be used: unknown theme keys: colour")


def shown_cards(app) -> list[QueueCard]:
    return [card for card in app.screen.shown_cards() if card.is_attached]


# -- remapping in the running console ------------------------------------------------------------


async def test_remapped_screen_and_app_keys_work_and_show_the_new_key(make_app, audit):
    app = make_app()
    app.set_keymap({"queues.agent_pause": "u", "app.screen.sip": "w"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        assert footer_keys(app)["Pause agent"] == "u"
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))
        shown = help_text(app)
        assert any(line.split()[:3] == ["u", "Pause", "agent"] for line in shown.splitlines()), shown
        assert any(line.split()[:2] == ["w", "SIP"] for line in shown.splitlines()), shown
        await pilot.press("question_mark")

        await pilot.press("space")  # the old key no longer pauses an agent
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert audit.read() == []
        await pilot.press("u")
        await wait_until(pilot, lambda: bool(audit.read()))
        assert audit.read()[0]["action"] == "agent_pause"

        await pilot.press("2")  # the old key no longer shows SIP
        await pilot.pause(0.1)
        assert isinstance(app.screen, QueuesScreen)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, SipScreen))


async def test_palette_key_remapped_by_config(make_app):
    from textual.command import CommandPalette

    app = make_app(refresh=3600)
    app.set_keymap({"app.palette": "ctrl+k"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        await pilot.press("ctrl+p")
        await pilot.pause(0.1)
        assert not isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+k")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


# -- ? on every screen -----------------------------------------------------------------------------


async def test_question_mark_shows_the_keys_of_every_screen_and_dialog(make_app):
    app = make_app(refresh=3600)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        for spec in SCREENS:
            await pilot.press(spec.key)
            await wait_until(pilot, lambda s=spec: app.screen.TITLE == s.title)
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))
            shown = help_text(app)
            assert "Refresh" in shown and "Quit" in shown, spec.id
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: not app.screen.query(HelpPanel))
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, SipScreen))
        await pilot.press("n")  # a form: its field has the focus, so "?" would be typed; f1 is not
        await wait_until(pilot, lambda: isinstance(app.screen, ActionForm))
        await pilot.press("f1")
        await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))
        assert "Submit" in help_text(app)


async def test_question_mark_on_the_mfa_screen(make_app):
    app = make_app(MFA_ACCOUNT)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await wait_until(pilot, lambda: app.screen.query_one("#methods", LiveTable).row_count > 0)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))
        assert "Call me" in help_text(app)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: not app.screen.query(HelpPanel))
        app.screen.query_one("#code").focus()
        await pilot.press("f1")  # while typing the code
        await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))


async def test_question_mark_on_the_wall(transport, audit):
    app = two_profile_app(transport, audit, wall={})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WallScreen))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: bool(app.screen.query(HelpPanel)))
        assert "Next board" in help_text(app)


# -- the palette -------------------------------------------------------------------------------------


async def test_palette_offers_every_screen_profile_theme_and_action(make_app):
    app = make_app(refresh=3600)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        agents(app).focus()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {f"Screen: {spec.title}" for spec in SCREENS} <= set(titles)
        assert "Profile: office" in titles
        assert {f"Theme: {name}" for name in app.available_themes} <= set(titles)
        assert "Theme" not in titles  # Textual's picker is replaced by one command per theme
        for action in ("Pause agent", "Kick", "Del callback", "Refresh", "Filter", "Bottom"):
            assert action in titles, action
        assert len(titles) == len(set(titles)), "one command per action"
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert helps["Cursor down"] == "key ↓ j"  # the focused table's, with all its keys
        assert helps["Kick"].startswith("key x · Remove the waiting caller")


async def test_palette_theme_sets_and_saves_the_console_wide_theme(make_app):
    saved = []
    app = make_app(refresh=3600)
    app._save_theme = lambda theme, profile: saved.append((theme, profile))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Theme: callboard-light")
        command.callback()
        await pilot.pause()
        assert app.theme == "callboard-light" and saved == [("callboard-light", None)]


async def test_palette_theme_on_a_profile_with_its_own_theme_saves_it_there(transport, audit):
    saved = []
    app = two_profile_app(
        transport,
        audit,
        profile_themes={"office": "callboard-light"},
        save_theme=lambda theme, profile: saved.append((theme, profile)),
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        assert app.theme == "callboard-light"
        next(
            c for c in app.get_system_commands(app.screen) if c.title == "Theme: callboard-contrast"
        ).callback()
        await pilot.press("right_square_bracket")  # floor has no theme of its own: the global one
        await wait_until(pilot, lambda: app.profile == "floor")
        assert app.theme == "callboard-dark"
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: app.profile == "office")
        assert app.theme == "callboard-contrast"
    assert saved == [("callboard-contrast", "office")]


async def test_a_theme_that_cannot_be_saved_still_applies_and_says_why(make_app):
    def fail(theme: str, profile: str | None) -> None:
        raise PermissionError(13, "Permission denied")

    app = make_app(refresh=3600)
    app._save_theme = fail
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        app.action_choose_theme("callboard-contrast")
        await pilot.pause()
        assert app.theme == "callboard-contrast"
        assert any("not saved" in n.message for n in app._notifications)


def test_saving_a_theme_keeps_the_file_as_written(tmp_path: Path):
    text = (
        "# my console\n"
        'theme = "callboard-dark"  # calm\n'
        "\n"
        "[profiles.a]  # production\n"
        f"{PROFILE}"
        "\n"
        "[profiles.b]\n"
        f"{PROFILE}"
        'theme = "nord"  # staging\n'
    )
    path = write_config(tmp_path, text)
    save_theme(path, "callboard-light")
    save_theme(path, "callboard-contrast", "a")  # a profile without a theme line gets one
    save_theme(path, "gruvbox", "b")
    expected = (
        text.replace('"callboard-dark"  # calm', '"callboard-light"  # calm')
        .replace("[profiles.a]  # production\n", '[profiles.a]  # production\ntheme = "callboard-contrast"\n')
        .replace('"nord"  # staging', '"gruvbox"  # staging')
    )
    assert path.read_text(encoding="utf-8") == expected
    assert (path.stat().st_mode & 0o777) == 0o600


def test_saving_a_theme_adds_the_top_level_line_before_the_first_table(tmp_path: Path):
    path = write_config(tmp_path, f"# top\n[profiles.a]\n{PROFILE}")
    save_theme(path, "callboard-light")
    assert path.read_text(encoding="utf-8") == f'# top\ntheme = "callboard-light"\n[profiles.a]\n{PROFILE}'


def test_saving_a_theme_where_the_layout_defeats_the_edit_still_saves_it(tmp_path: Path):
    dotted = PROFILE.replace("\n", "\nprofiles.a.").removesuffix("profiles.a.")
    path = write_config(tmp_path, f"profiles.a.{dotted}")  # dotted keys, no [profiles.a] header
    save_theme(path, "nord", "a")
    config = load_config(path)
    assert config.profiles["a"].theme == "nord" and config.profiles["a"].username == "0771234567"
    with pytest.raises(ConfigError):
        save_theme(path, "nord", "nobody")


def test_the_theme_saver_writes_the_config_file_as_it_is_now(tmp_path: Path):
    from tui.cli import _theme_saver

    path = write_config(tmp_path, f'theme = "callboard-dark"\n\n[profiles.a]\n{PROFILE}')
    save = _theme_saver(load_config(path))
    path.write_text(path.read_text() + "read_only = true\n", encoding="utf-8")  # edited meanwhile
    save("callboard-light", None)
    save("nord", "a")
    config = load_config(path)
    assert config.theme == "callboard-light" and config.profiles["a"].theme == "nord"
    assert config.profiles["a"].read_only is True
    assert _theme_saver(config_from_dict({}, "<demo>")) is None  # nothing to save a demo to


# -- j/k in every table ----------------------------------------------------------------------------


def test_every_table_class_has_vim_keys():
    for cls in binding_classes():
        if issubclass(cls, TABLE_KINDS):
            keys = {b.key: b.action for b in merged_bindings(cls)}
            assert keys.get("j") == "cursor_down" and keys.get("k") == "cursor_up", cls


async def test_j_and_k_move_in_every_table_of_every_screen(make_app):
    app = make_app(refresh=3600)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 1)
        table = agents(app)
        table.focus()
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        for spec in SCREENS:
            await pilot.press(spec.key)
            await wait_until(pilot, lambda s=spec: app.screen.TITLE == s.title)
            for widget in app.screen.query("*"):
                if isinstance(widget, TABLE_KINDS):
                    keys = widget._bindings.key_to_bindings
                    assert "j" in keys and "k" in keys, (spec.id, widget)


# -- a theme per profile ---------------------------------------------------------------------------


async def test_switching_profile_applies_its_theme_by_key_and_palette(transport, audit):
    app = two_profile_app(transport, audit, theme="callboard-light", profile_themes={"floor": "nord"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        assert app.theme == "callboard-light"  # office has none of its own: the global theme
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: app.profile == "floor")
        assert app.theme == "nord"
        next(c for c in app.get_system_commands(app.screen) if c.title == "Profile: office").callback()
        await wait_until(pilot, lambda: app.profile == "office")
        assert app.theme == "callboard-light"


async def test_the_wall_wears_the_theme_of_the_board_it_shows(transport, audit):
    app = two_profile_app(transport, audit, wall={}, profile_themes={"office": "callboard-contrast"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, WallScreen))
        assert app.screen.current == "office" and app.theme == "callboard-contrast"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not [t for t in titles if t.startswith(("Screen:", "Profile:"))]  # one kiosk screen
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: app.screen.current == "floor")
        assert app.theme == "callboard-dark"
        await wait_until(pilot, lambda: {c.queue_id for c in shown_cards(app)} == {"630", "631", "632"})
        await wait_until(pilot, lambda: sum(len(c.query(Digits)) for c in shown_cards(app)) == 9)
        app.screen.action_cycle()  # as its timer does
        assert app.theme == "callboard-contrast"
        await wait_until(pilot, lambda: "630" not in {c.queue_id for c in shown_cards(app)})
        await wait_until(pilot, lambda: sum(len(c.query(Digits)) for c in shown_cards(app)) == 9)


async def test_an_unknown_profile_theme_falls_back_and_says_so_once(transport, audit):
    app = two_profile_app(transport, audit, profile_themes={"floor": "nope"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        for _ in range(2):
            await pilot.press("right_square_bracket")
            await wait_until(pilot, lambda: app.profile == "floor")
            assert app.theme == "callboard-dark"
            await pilot.press("left_square_bracket")
            await wait_until(pilot, lambda: app.profile == "office")
        assert sum("unknown theme 'nope'" in n.message for n in app._notifications) == 1


# -- NO_COLOR ---------------------------------------------------------------------------------------


def non_grey_colours(screen: Screen) -> set[tuple[int, int, int]]:
    """Every colour on screen, as drawn (after Textual's filters), that is not a grey."""
    found = set()
    for strip in screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            for colour in (style.color, style.bgcolor):
                if colour is None or colour.is_default:
                    continue
                red, green, blue = colour.get_truecolor()
                if not red == green == blue:
                    found.add((red, green, blue))
    return found


async def test_without_no_color_the_board_is_in_colour(make_app, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(refresh=3600)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        await pilot.pause()
        assert non_grey_colours(app.screen)  # the check below can fail


async def test_no_color_leaves_nothing_in_colour_and_keeps_themes(transport, audit, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = two_profile_app(transport, audit, profile_themes={"floor": "callboard-light"})
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        app.notify("a toast", severity="error")
        await pilot.pause()
        assert non_grey_colours(app.screen) == set()
        await pilot.press("right_square_bracket")  # a light theme still tells floor from office
        await wait_until(pilot, lambda: app.profile == "floor")
        await pilot.pause()
        assert app.theme == "callboard-light" and non_grey_colours(app.screen) == set()


@pytest.mark.parametrize("no_color", [False, True])
async def test_a_wall_alarm_shows_without_colour(transport, audit, world, monkeypatch, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    busy_queue(world, minimum=2)
    app = two_profile_app(transport, audit, wall={"waiting_alarm": 1, "bell": False})
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: any(c.has_class("-alarm") for c in shown_cards(app)))
        await pilot.pause()
        alarm = next(c for c in shown_cards(app) if c.has_class("-alarm"))
        # without colour the alarm card has its own border and its figures are drawn reversed
        assert alarm.styles.border_top[0] == ("double" if no_color else "heavy")
        digits = alarm.query(".metric.-alarm Digits").first()
        assert bool(digits.styles.text_style.reverse) is no_color
        if no_color:
            assert non_grey_colours(app.screen) == set()


async def test_queues_screen_focus_is_unchanged_by_the_new_bindings(make_app):
    app = make_app(refresh=3600)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: agents(app).row_count > 0)
        assert app.screen.focused is agents(app)
        await pilot.press("tab")
        assert app.screen.focused is not agents(app)
        await pilot.press("shift+tab")
        assert app.screen.focused is agents(app)


async def test_text_that_names_a_key_names_the_remapped_one(make_app):
    from textual.widgets import Static

    from tests.conftest import MFA_ACCOUNT

    app = make_app(MFA_ACCOUNT)
    app.set_keymap({"board.verify": "f5", "mfa.reload": "f6", "mfa.send_sms": "t"})
    async with app.run_test(size=SIZE) as pilot:
        # The MFA screen opens first: its directions name the remapped keys.
        await wait_until(pilot, lambda: "for an SMS" in str(app.screen.query_one("#intro", Static).render()))
        directions = str(app.screen.query_one("#intro", Static).render())
        assert "press c to be called, t for an SMS" in directions
        await pilot.press("escape")  # back to the board, unverified: its banner names the verify key
        banner = app.screen.query_one("#mfa-banner", Static)
        await wait_until(pilot, lambda: "verify now" in str(banner.render()))
        assert "Press f5 to verify now" in str(banner.render())
