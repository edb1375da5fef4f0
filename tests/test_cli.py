"""The CLI contract (SPEC §3): bad input prints one clear line and exits 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

SECRET = "pw-Zq81-never-shown"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=60, env=env
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_bad_flag_is_one_line_exit_2():
    line = one_line_error(run("--no-such-flag"))
    assert "--no-such-flag" in line


def test_unknown_demo_vendor_is_one_line_exit_2():
    assert "invalid choice" in one_line_error(run("demo", "--vendor", "nokia"))


def test_missing_config_file(tmp_path: Path):
    line = one_line_error(run("--config", str(tmp_path / "nope.toml"), "config", "check"))
    assert "not found" in line and "nope.toml" in line


def test_broken_config_names_file_line_and_key(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text('[profiles.a]\nvendor = "yemot"\nbase_url = "https://x.example/ym/api/"\npasword = "x"\n')
    line = one_line_error(run("--config", str(path), "config", "check"))
    assert f"{path}:4" in line and "pasword" in line and "did you mean 'password'" in line


def test_unknown_profile(tmp_path: Path, monkeypatch, capsys):
    path = tmp_path / "c.toml"
    path.write_text(
        '[profiles.office]\nvendor = "yemot"\nbase_url = "https://x.example/ym/api/"\n'
        'username = "0771234567"\npassword = "x"\n'
    )
    assert main(["--config", str(path), "--profile", "ofice"]) == 2
    err = capsys.readouterr().err
    assert "unknown profile 'ofice'" in err and "did you mean 'office'" in err


def test_config_check_masks_secrets(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text(
        f'[profiles.office]\nvendor = "yemot"\nbase_url = "https://x.example/ym/api/"\n'
        f'username = "0771234567"\npassword = "{SECRET}"\nqueues = ["/1"]\n'
    )
    result = run("--config", str(path), "config", "check")
    assert result.returncode == 0, result.stderr
    assert "office" in result.stdout and "yemot" in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_console_refuses_without_a_terminal(tmp_path: Path):
    path = tmp_path / "c.toml"
    path.write_text(
        '[profiles.office]\nvendor = "yemot"\nbase_url = "https://x.example/ym/api/"\n'
        'username = "0771234567"\npassword = "x"\n'
    )
    assert "terminal" in one_line_error(run("--config", str(path)))


@pytest.mark.parametrize("speed", ["-1", "99999"])
def test_bad_speed(speed):
    assert "--speed" in one_line_error(run("demo", "--speed", speed))


def test_bench_soak_reports_its_figures_as_json(tmp_path: Path):
    import json

    env = {**__import__("os").environ, **{k: str(tmp_path / k) for k in ("XDG_DATA_HOME", "XDG_STATE_HOME")}}
    result = run("bench", "--soak", "0.1", env=env)
    figures = json.loads(result.stdout)
    assert set(figures) >= {
        "minutes",
        "crashed",
        "unhandled_errors",
        "rss_mb_from",
        "rss_mb_end",
        "rss_growth_pct",
        "rss_growth_pct_samples",  # one sample at each end, beside the per-round medians
    }
    assert figures["crashed"] is None and figures["unhandled_errors"] == 0
    assert result.returncode in (0, 1)  # 1 only when a figure misses (a 6-second run is no memory soak)


def test_config_keys_lists_the_default_keys_before_any_config_exists(tmp_path: Path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "none")}
    env.pop("CALLBOARD_CONFIG", None)
    result = run("config", "keys", env=env)
    assert result.returncode == 0, result.stderr
    assert "queues.kick" in result.stdout and "app.quit" in result.stdout
