"""Command line: argument parsing and sub-commands. No UI code (the app is imported lazily)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from tui import __version__
from tui.gc_pacing import collections_held_for_start_up

EXIT_USAGE = 2
VENDOR_CHOICES = ("yemot", "coocenter", "all")  # grows as vendors are built


class CliError(Exception):
    """One clear line for the user; exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see '{self.prog} --help')")


def _console_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--theme", metavar="NAME", help="theme for this run (e.g. callboard-light)")
    parser.add_argument("--read-only", action="store_true", help="no action that changes anything")
    parser.add_argument(
        "--wall", action="store_true", help="read-only kiosk for NOC walls: big counters, alarms"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="callboard", description="A terminal console for people who run telephone systems.")
    parser.add_argument("--version", action="version", version=f"callboard {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help="config file (default: $CALLBOARD_CONFIG or user config)"
    )
    parser.add_argument("--profile", metavar="NAME", help="profile to open first")
    _console_options(parser)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    demo = commands.add_parser("demo", help="start the simulator on loopback and open the console on it")
    demo.add_argument("--vendor", choices=VENDOR_CHOICES, default="all")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second")
    demo.add_argument(
        "--faults", type=float, default=0.0, metavar="RATE", help="share of requests that fail (0-1)"
    )
    _console_options(demo)

    sim = commands.add_parser("simulator", help="run the simulator alone and print its URLs and credentials")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--seed", type=int, default=7)
    sim.add_argument("--speed", type=float, default=1.0)
    sim.add_argument(
        "--faults", type=float, default=0.0, metavar="RATE", help="share of requests that fail (0-1)"
    )
    sim.add_argument(
        "--push-url",
        metavar="URL",
        help="where the simulated coocenter PBX pushes its events (a push_listen)",
    )

    shots = commands.add_parser("screenshots", help="write an SVG of every screen from the seeded simulator")
    shots.add_argument("--out", default="screenshots", help="folder to write to (default: screenshots)")
    shots.add_argument("--size", default="120x40", help="terminal size, COLUMNSxROWS (default: 120x40)")
    shots.add_argument("--seed", type=int, default=7)

    bench = commands.add_parser("bench", help="measure the console against SPEC §9's budgets; print JSON")
    bench.add_argument("--quick", action="store_true", help="fewer samples, shorter windows")
    bench.add_argument("--only", metavar="NAMES", help="comma-separated measurements to run (default: all)")
    bench.add_argument(
        "--soak",
        type=float,
        metavar="MINUTES",
        help="instead: run MINUTES at 0.5 s refresh with 5%% of requests failing (not part of the bench)",
    )
    bench.add_argument("--seed", type=int, default=7, help="world seed of the soak")

    config = commands.add_parser("config", help="work with the config file")
    config_commands = config.add_subparsers(dest="config_command", parser_class=_Parser, metavar="ACTION")
    config_commands.required = True
    config_commands.add_parser("check", help="validate the config; print profiles with secrets masked")
    config_commands.add_parser("keys", help="list every binding id and its keys, as [keys] can remap them")
    return parser


# Optional parts of our dependencies that load eagerly when they happen to be installed, and that
# the console never uses: httpx's command-line client (click, pygments, rich.syntax) and trio for
# httpcore (the console runs on asyncio). Together ~70 ms of every start on this machine.
UNUSED_EXTRAS = ("httpx._main", "trio")


def leave_out_unused_extras() -> None:
    """A None in sys.modules makes an import fail; httpx and httpcore then fall back as they do
    when the extra is not installed. Modules already loaded are left alone.

    Pydantic plugins are left out too, unless PYDANTIC_DISABLE_PLUGINS says otherwise: a plugin
    sees every value pydantic validates (the config's passwords and keys, the vendors' tokens), and
    finding plugins scans every installed package's entry points on the first model built."""
    for name in UNUSED_EXTRAS:
        sys.modules.setdefault(name, None)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def main(argv: list[str] | None = None) -> int:
    leave_out_unused_extras()
    try:
        return _dispatch(build_parser().parse_args(argv))
    except CliError as error:
        print(f"callboard: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    try:
        if args.command == "demo":
            return _run_demo(args)
        if args.command == "simulator":
            return _run_simulator(args)
        if args.command == "config":
            return _config_check(args)
        if args.command == "screenshots":
            return _screenshots(args)
        if args.command == "bench":
            return _bench(args)
        return _run_console(args)
    except Exception as error:
        # tui.config (pydantic) is loaded only here and where a config is read: `callboard demo`
        # spawns its simulator before it loads anything heavy.
        from tui.config import ConfigError

        if isinstance(error, ConfigError):
            raise CliError(str(error).replace("\n", "; ")) from None
        raise


def _config_path(args: argparse.Namespace) -> Path:
    from tui.paths import default_config_path

    return Path(args.config).expanduser() if args.config else default_config_path()


def _config_check(args: argparse.Namespace) -> int:
    from tui.config import load_config
    from tui.config_describe import describe_config

    path = _config_path(args)
    if args.config_command == "keys" and not path.exists():
        from tui.keymap import describe_bindings

        print(describe_bindings(None))  # no config yet: the default keys
        return 0
    config = load_config(path)
    _check_ui_settings(config)
    if args.config_command == "keys":
        from tui.keymap import describe_bindings

        print(describe_bindings(config))
    else:
        print(describe_config(config))
    return 0


def _check_ui_settings(config) -> None:
    """What only the UI layer can check — binding ids in [keys], theme names — all problems at once."""
    from tui.config import ConfigError
    from tui.keymap import keymap_problems
    from tui.themes import theme_problems

    problems = keymap_problems(config) + theme_problems(config)
    if problems:
        raise ConfigError(problems)


def _theme_saver(config):
    """Saves a theme chosen in the console to the config file it came from (None: built in memory)."""
    source = config.source
    if source is None:
        return None

    def save(theme: str, profile: str | None) -> None:
        from tui.config_save import save_theme

        save_theme(source, theme, profile)

    return save


def _bench(args: argparse.Namespace) -> int:
    if args.soak is not None:
        from tui.bench.soak import print_soak

        if not 0 < args.soak <= 24 * 60:
            raise CliError("--soak is a number of minutes, more than 0 and at most a day")
        return print_soak(args.soak, args.seed)
    from tui.bench.run import measurement_names, print_bench

    only = None
    if args.only:
        only = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = only - set(measurement_names())
        if unknown:
            known = ", ".join(measurement_names())
            raise CliError(f"--only: no measurement {', '.join(sorted(unknown))} (there are: {known})")
    return print_bench(args.quick, only)


def _screenshots(args: argparse.Namespace) -> int:
    from tui.screenshots import take_screenshots

    try:
        columns, rows = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        raise CliError(f"--size is COLUMNSxROWS, e.g. 120x40, not {args.size!r}") from None
    if not (40 <= columns <= 400 and 10 <= rows <= 200):
        raise CliError("--size must be between 40x10 and 400x200")
    for path in take_screenshots(Path(args.out), (columns, rows), args.seed):
        print(path)
    return 0


def _run_simulator(args: argparse.Namespace) -> int:
    from tui.simulator.server import run_forever

    _check_speed(args.speed, args.faults)
    push_urls = {"coocenter": args.push_url} if args.push_url else None
    try:
        run_forever(args.host, args.port, args.seed, args.speed, push_urls=push_urls, fault_rate=args.faults)
    except (OSError, ValueError) as error:
        raise CliError(f"simulator: {error}") from None
    return 0


def _check_speed(speed: float, faults: float = 0.0) -> None:
    if not 0 <= speed <= 10_000:
        raise CliError(f"--speed must be between 0 and 10000, not {speed}")
    if not 0 <= faults <= 1:
        raise CliError(f"--faults is a share of requests between 0 and 1, not {faults}")


def _run_demo(args: argparse.Namespace) -> int:
    _check_speed(args.speed, args.faults)
    with collections_held_for_start_up():  # the console takes them back once it is up
        return _demo(args)


def _demo(args: argparse.Namespace) -> int:
    from tui.demo_process import DemoSimulatorProcess
    from tui.logs import log_path

    log_path().parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Started first, so the simulator loads on the other core while the console loads here; the
    # sessions wait for it to serve before their first request.
    simulator = DemoSimulatorProcess(
        seed=args.seed, speed=args.speed, faults=args.faults, vendor=args.vendor,
        log=log_path().with_name("simulator.log"),
    )  # fmt: skip
    simulator.start()
    try:
        from tui.demo import demo_config_from

        config = demo_config_from(simulator.demo_profiles)
        from tui.vendors.http import hold_requests_until

        hold_requests_until(simulator.ready)
        return _open_console(config, None, args, demo_codes=simulator.new_codes)
    finally:
        simulator.stop()


def _run_console(args: argparse.Namespace) -> int:
    with collections_held_for_start_up():  # the console takes them back once it is up
        from tui.config import load_config

        config = load_config(_config_path(args))
        return _open_console(config, args.profile, args)


def _open_console(config, profile_name: str | None, args: argparse.Namespace, demo_codes=None) -> int:
    from tui.logs import setup_logging
    from tui.sessions import build_sessions
    from tui.widgets.bidi import set_reorder

    profile = config.profile(profile_name)  # unknown profile -> ConfigError, one line
    _check_ui_settings(config)
    if args.theme:
        from tui.themes import theme_names, unknown_theme

        if args.theme not in theme_names():
            raise CliError(f"--theme: {unknown_theme(args.theme, theme_names())}")
    sessions, broken = build_sessions(config, read_only=args.read_only or args.wall)
    if profile.name not in sessions:
        raise CliError(f"profile {profile.name!r}: {broken.get(profile.name, 'cannot be opened')}")
    set_reorder(config.bidi != "terminal")
    setup_logging()
    if not sys.stdout.isatty() and not os.environ.get("CALLBOARD_ALLOW_NO_TTY"):
        raise CliError("the console needs a terminal (stdout is not a tty)")

    from tui.app import CallboardApp

    app = CallboardApp(
        sessions,
        start_profile=profile.name,
        theme=args.theme or config.theme,  # --theme: this run, every profile
        profile_themes={} if args.theme else {n: p.theme for n, p in config.profiles.items() if p.theme},
        save_theme=_theme_saver(config),
        keymap=dict(config.keys),
        demo_codes=demo_codes,
        bidi_reorder=config.bidi != "terminal",
        wall=config.wall if args.wall else None,
    )
    for name, reason in broken.items():
        app.notify(f"profile {name} not opened: {reason}", severity="warning", timeout=15)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
