"""The config layer: SPEC §4 file contract and the §3 error contract (file, line, key; all at once)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import SecretStr

from tui import paths
from tui.config import (
    Config,
    ConfigError,
    ConfigProblem,
    ProfileConfig,
    config_from_dict,
    load_config,
)
from tui.config_describe import MASK, describe_config
from tui.config_locate import KeyLocator
from tui.config_save import save_config

# Verbatim from SPEC §4: it must load as it stands, with none of its *_env variables set.
SPEC_EXAMPLE = """\
default_profile = "office"
theme = "callboard-dark"

[refresh]                 # seconds; per screen
queues = 2
sip = 10
campaigns = 5
sms = 5
calls = 2

[profiles.office]
vendor = "yemot"
base_url = "https://www.call2all.co.il/ym/api/"
username = "0771234567"           # the system number
password = "..."                  # or password_env = "NAME_OF_ENV_VAR"
# token = "..."                   # a ready API token instead of username/password
queues = ["/1", "/2/5"]           # queue paths to watch

[profiles.branch]
vendor = "simotel"
base_url = "http://pbx.example/api/v4/"
username = "api"
password_env = "BRANCH_PASS"
api_key_env = "BRANCH_KEY"
push_listen = "127.0.0.1:8091"    # where Simotel's SEA webhooks reach us (its only live state)

[profiles.floor]
vendor = "coocenter"
base_url = "http://pbx.example:8000/coocenter-api/"
webkey_env = "FLOOR_WEBKEY"       # absent: no Authorization header
push_listen = "127.0.0.1:8090"    # where we receive the PBX's push events

[profiles.sales]
vendor = "mango"
base_url = "https://api-client.mango-office.ru/api/"
token_env = "SALES_TOKEN"
extension = "101"
"""

SPEC_ENV_VARS = ("BRANCH_PASS", "BRANCH_KEY", "FLOOR_WEBKEY", "SALES_TOKEN")
PLANTED = "Pl4nted-S3cret-zq9"  # a distinctive secret that must never show up in text


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*SPEC_ENV_VARS, "CALLBOARD_CONFIG", "CB_TEST_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def only_problem(path: Path) -> ConfigProblem:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


# -- the SPEC example --------------------------------------------------------------------------


def test_spec_example_loads_as_it_stands(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC_EXAMPLE)
    config = load_config(path)
    assert config.source == path
    assert config.default_profile == "office"
    assert config.theme == "callboard-dark"
    assert config.refresh.queues == 2 and config.refresh.sip == 10 and config.refresh.calls == 2
    assert list(config.profiles) == ["office", "branch", "floor", "sales"]
    office = config.profile(None)
    assert office.name == "office" and office.vendor == "yemot"
    assert office.queues == ["/1", "/2/5"]
    assert office.secret("password") == SecretStr("...")
    assert config.profiles["branch"].push_listen == "127.0.0.1:8091"
    assert config.profiles["sales"].extension == "101"
    assert config.profiles["floor"].name == "floor"


def test_defaults_when_keys_are_left_out(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.theme == "callboard-dark"
    assert config.bidi == "reorder"
    assert (config.refresh.queues, config.refresh.sip, config.refresh.campaigns) == (2, 10, 5)
    assert (config.refresh.sms, config.refresh.calls) == (5, 2)
    assert config.profiles == {} and config.keys == {} and config.read_only is False


def test_every_field_has_a_docstring() -> None:
    import ast
    import inspect
    from itertools import pairwise

    from tui.config import RefreshConfig, WallConfig

    for model in (Config, ProfileConfig, RefreshConfig, WallConfig):
        body = ast.parse(inspect.getsource(model)).body[0].body
        documented = {
            statement.target.id
            for statement, after in pairwise(body)
            if isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
            and after.value.value.strip()
        }
        for name in model.model_fields:
            assert name in documented, f"{model.__name__}.{name} has no docstring"


def test_base_url_gets_a_trailing_slash() -> None:
    config = config_from_dict(
        {"profiles": {"a": {"vendor": "mango", "base_url": "https://x.example/api"}}}, "t"
    )
    assert config.profiles["a"].base_url == "https://x.example/api/"


# -- problems with their place -----------------------------------------------------------------


def test_unknown_key_has_its_line_and_a_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [profiles.office]
        vendor = "yemot"
        base_url = "https://www.call2all.co.il/ym/api/"
        pasword = "x"
        """,
    )
    problem = only_problem(path)
    assert (problem.file, problem.line, problem.key) == (str(path), 4, "profiles.office.pasword")
    assert problem.message == "unknown key 'pasword' (did you mean 'password'?)"
    assert (
        str(problem) == f"{path}:4: profiles.office.pasword: unknown key 'pasword' (did you mean 'password'?)"
    )


def test_unknown_top_level_table_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "x"\n\n[profile.office]\nvendor = "yemot"\n')
    problem = only_problem(path)
    assert (problem.line, problem.key) == (3, "profile")
    assert "did you mean 'profiles'" in problem.message


def test_number_for_a_refresh_interval_is_fine_but_a_string_is_not(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "[refresh]\nqueues = 2\nsip = 0.5\n")).refresh.sip == 0.5
    path = write(tmp_path, '[refresh]\nsip = 3\nqueues = "x"\n', "bad.toml")
    problem = only_problem(path)
    assert (problem.line, problem.key) == (3, "refresh.queues")
    assert problem.message == 'expected a number, got string "x"'


def test_refresh_interval_bounds(tmp_path: Path) -> None:
    problems = problems_of(write(tmp_path, "[refresh]\nqueues = 0\nsip = 3601\n"))
    assert [(p.line, p.key) for p in problems] == [(2, "refresh.queues"), (3, "refresh.sip")]
    assert problems[0].message.startswith("must be greater than 0")
    assert problems[1].message.startswith("must be at most 3600")


def test_profile_queues_must_be_a_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [profiles.office]
        vendor = "yemot"
        base_url = "https://www.call2all.co.il/ym/api/"
        queues = "/1"
        """,
    )
    problem = only_problem(path)
    assert (problem.line, problem.key) == (4, "profiles.office.queues")
    assert problem.message == 'expected an array, got string "/1"'


def test_array_element_is_located_on_its_own_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        [profiles.office]
        vendor = "yemot"
        base_url = "https://www.call2all.co.il/ym/api/"
        queues = [
            "/1",
            2,
        ]
        """,
    )
    problem = only_problem(path)
    assert (problem.line, problem.key) == (6, "profiles.office.queues[1]")
    assert "expected a string, got integer 2" in problem.message


def test_several_problems_are_reported_at_once_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        default_profile = "ofice"
        bidi = "sideways"

        [refresh]
        sms = "5"

        [profiles.office]
        vendor = "yemott"
        base_url = "ftp://pbx.example/"
        read_only = "yes"

        [profiles."branch two"]
        base_url = "http://pbx.example/"
        push_listen = "pbx.example"
        """,
    )
    problems = problems_of(path)
    found = [(p.line, p.key) for p in problems]
    assert found == [
        (1, "default_profile"),
        (2, "bidi"),
        (5, "refresh.sms"),
        (8, "profiles.office.vendor"),
        (9, "profiles.office.base_url"),
        (10, "profiles.office.read_only"),
        (12, 'profiles."branch two".vendor'),
        (14, 'profiles."branch two".push_listen'),
    ]
    by_key = {p.key: p.message for p in problems}
    assert "unknown profile 'ofice' (did you mean 'office'?)" in by_key["default_profile"]
    assert "did you mean 'yemot'" in by_key["profiles.office.vendor"]
    assert by_key['profiles."branch two".vendor'] == "required key is missing"
    assert by_key["profiles.office.read_only"] == 'expected true or false, got string "yes"'
    text = str(ConfigError(problems))
    assert len(text.splitlines()) == len(problems)
    assert text.splitlines()[0] == (
        f"{path}:1: default_profile: unknown profile 'ofice' (did you mean 'office'?); "
        "profiles: office, branch two"
    )


def test_bad_default_profile_alone(tmp_path: Path) -> None:
    path = write(
        tmp_path, 'default_profile = "nope"\n[profiles.a]\nvendor = "mango"\nbase_url = "http://x/"\n'
    )
    problem = only_problem(path)
    assert (problem.line, problem.key) == (1, "default_profile")
    assert problem.message == "unknown profile 'nope'; profiles: a"


def test_toml_syntax_error_gives_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "x"\n\n[refresh]\nqueues = \n')
    problem = only_problem(path)
    assert problem.line == 4
    assert problem.message.startswith("TOML syntax error")
    assert str(problem).startswith(f"{path}:4: TOML syntax error")


def test_duplicate_key_is_a_syntax_error_with_a_line(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path, 'theme = "a"\ntheme = "b"\n'))
    assert problem.line == 2 and "TOML syntax error" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    problem = only_problem(path)
    assert problem.message == "config file not found"
    assert str(problem) == f"{path}: config file not found"


def test_unreadable_or_non_utf8_file(tmp_path: Path) -> None:
    assert "cannot read config file" in only_problem(tmp_path).message  # a directory
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'theme = "a"\nusername = "\xe9"\n')
    problem = only_problem(path)
    assert (problem.line, problem.message) == (2, "not UTF-8 text")


# -- profiles ----------------------------------------------------------------------------------


def test_unknown_profile_lookup_suggests_and_lists(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SPEC_EXAMPLE))
    with pytest.raises(ConfigError) as caught:
        config.profile("bramch")
    assert str(caught.value) == (
        f"{tmp_path / 'config.toml'}: unknown profile 'bramch' (did you mean 'branch'?); "
        "profiles: office, branch, floor, sales"
    )
    assert config.profile("sales").vendor == "mango"


def test_profile_none_without_default() -> None:
    one = config_from_dict({"profiles": {"solo": {"vendor": "yemot", "base_url": "http://x/"}}}, "<demo>")
    assert one.profile(None).name == "solo"
    two = config_from_dict(
        {"profiles": {name: {"vendor": "yemot", "base_url": "http://x/"} for name in ("a", "b")}}, "<demo>"
    )
    with pytest.raises(ConfigError, match="no default_profile set; choose one of: a, b"):
        two.profile(None)
    with pytest.raises(ConfigError, match="no profiles configured"):
        config_from_dict({}, "<demo>").profile(None)


def test_env_indirection_is_read_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(write(tmp_path, SPEC_EXAMPLE))  # loads although no variable is set
    branch = config.profile("branch")
    with pytest.raises(ConfigError) as caught:
        branch.secret("password")
    assert str(caught.value) == (
        f"{tmp_path / 'config.toml'}:23: profiles.branch.password_env: "
        "environment variable BRANCH_PASS is not set"
    )
    monkeypatch.setenv("BRANCH_PASS", "from-env")
    assert branch.secret("password") == SecretStr("from-env")  # read now, not at load time
    monkeypatch.setenv("BRANCH_PASS", "")
    with pytest.raises(ConfigError, match="BRANCH_PASS is empty"):
        branch.secret("password")
    assert branch.secret("token") is None
    # an unset variable of one profile does not block another
    assert config.profile("office").secret("password") == SecretStr("...")


def test_secrets_reports_every_unset_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    branch = load_config(write(tmp_path, SPEC_EXAMPLE)).profile("branch")
    with pytest.raises(ConfigError) as caught:
        branch.secrets()
    assert [p.key for p in caught.value.problems] == [
        "profiles.branch.password_env",
        "profiles.branch.api_key_env",
    ]
    monkeypatch.setenv("BRANCH_PASS", "p")
    monkeypatch.setenv("BRANCH_KEY", "k")
    assert branch.secrets() == {"password": SecretStr("p"), "api_key": SecretStr("k")}


def test_literal_and_env_together_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""\
        [profiles.office]
        vendor = "yemot"
        base_url = "https://www.call2all.co.il/ym/api/"
        token = "{PLANTED}"
        token_env = "OFFICE_TOKEN"
        """,
    )
    problem = only_problem(path)
    assert (problem.line, problem.key) == (5, "profiles.office.token_env")
    assert problem.message == "give either 'token' or 'token_env', not both"


def test_env_must_name_a_variable_and_is_not_echoed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""\
        [profiles.office]
        vendor = "yemot"
        base_url = "https://www.call2all.co.il/ym/api/"
        password_env = "{PLANTED}!"
        """,
    )
    problem = only_problem(path)
    assert problem.key == "profiles.office.password_env"
    assert PLANTED not in str(problem)


def test_push_listen_and_base_url_checks() -> None:
    def problems(**profile: object) -> list[ConfigProblem]:
        with pytest.raises(ConfigError) as caught:
            config_from_dict({"profiles": {"p": {"vendor": "coocenter", **profile}}}, "<demo>")
        return caught.value.problems

    ok = {"vendor": "coocenter", "base_url": "http://[::1]:8000/api/", "push_listen": "[::1]:8090"}
    assert config_from_dict({"profiles": {"p": ok}}, "<demo>").profiles["p"].push_listen == "[::1]:8090"
    for listen in ("8090", "host:0", "host:70000", "::1:8090", "[nothex]:1", "bad host:80"):
        assert [p.key for p in problems(base_url="http://x/", push_listen=listen)] == [
            "profiles.p.push_listen"
        ]
    for url in ("pbx.example/api", "ftp://x/", "http:///api", "http://x/?a=1", "http://x/ a"):
        assert [p.key for p in problems(base_url=url)] == ["profiles.p.base_url"], url
    (problem,) = problems(base_url=f"https://user:{PLANTED}@pbx.example/")
    assert "credentials" in problem.message and PLANTED not in str(problem)
    assert problem.line is None and str(problem).startswith("<demo>: profiles.p.base_url: ")


# -- secrets never leak ------------------------------------------------------------------------


def test_secret_never_in_repr_description_or_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CB_TEST_TOKEN", PLANTED + "-env")
    path = write(
        tmp_path,
        f"""\
        default_profile = "office"
        [profiles.office]
        vendor = "yemot"
        base_url = "https://www.call2all.co.il/ym/api/"
        password = "{PLANTED}"
        api_key = "{PLANTED}"
        [profiles.other]
        vendor = "mango"
        base_url = "https://api-client.mango-office.ru/api/"
        token_env = "CB_TEST_TOKEN"
        """,
    )
    config = load_config(path)
    description = describe_config(config)
    for text in (repr(config), str(config), repr(config.profiles), description):
        assert PLANTED not in text
    assert f"password: {MASK}" in description
    assert "token: env:CB_TEST_TOKEN (set)" in description
    monkeypatch.delenv("CB_TEST_TOKEN")
    assert "token: env:CB_TEST_TOKEN (NOT SET)" in describe_config(config)
    assert config.profile("office").secret("password").get_secret_value() == PLANTED

    # wrong types, misspelt secret keys and bad values: the value never appears in the message
    bad = write(
        tmp_path,
        f"""\
        [profiles.office]
        vendor = "yemot"
        base_url = "https://www.call2all.co.il/ym/api/"
        pasword = "{PLANTED}"
        token = ["{PLANTED}"]
        webkey = 123456789
        """,
        "bad.toml",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    text = str(caught.value)
    assert len(caught.value.problems) == 3
    assert PLANTED not in text and "123456789" not in text
    assert "profiles.office.webkey: expected a string, got integer" in text


def test_describe_config_lists_settings_and_profiles(tmp_path: Path) -> None:
    text = describe_config(load_config(write(tmp_path, SPEC_EXAMPLE)))
    assert f"config: {tmp_path / 'config.toml'}" in text
    assert "default profile: office" in text and "theme: callboard-dark" in text
    assert "refresh (seconds): queues 2, sip 10, campaigns 5, sms 5, calls 2" in text
    assert "[profiles.office]  (default)" in text
    assert "  queues: /1, /2/5" in text
    assert "  push_listen: 127.0.0.1:8091" in text
    assert "  password: env:BRANCH_PASS (NOT SET)" in text
    assert "  webkey: env:FLOOR_WEBKEY (NOT SET)" in text


# -- saving ------------------------------------------------------------------------------------


def test_save_round_trips_with_mode_0600(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SPEC_EXAMPLE))
    config.theme = "callboard-light"
    config.refresh.sms = 7.5
    out = tmp_path / "new" / "dir" / "config.toml"
    assert save_config(config, out) == out
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(out.parent).st_mode) == 0o700
    again = load_config(out)
    assert again.model_dump() == config.model_dump()
    assert again.profile("office").secret("password") == SecretStr("...")
    assert again.profiles["branch"].password_env == "BRANCH_PASS"
    saved = out.read_text(encoding="utf-8")
    assert 'password = "..."' in saved and "queues = 2\n" in saved and "sms = 7.5" in saved
    assert "token" not in saved.split("[profiles.office]")[1].split("[profiles.branch]")[0]
    assert "verify_tls" not in saved  # defaults the file did not give stay out


def test_save_to_its_own_file_replaces_it_privately(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC_EXAMPLE)
    path.chmod(0o644)
    config = load_config(path)
    config.read_only = True
    save_config(config)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_config(path).read_only is True
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temp file left behind


def test_save_in_memory_config_needs_a_path(tmp_path: Path) -> None:
    config = config_from_dict({"theme": "callboard-light"}, "<demo>")
    with pytest.raises(ValueError):
        save_config(config)
    save_config(config, tmp_path / "c.toml")
    assert (tmp_path / "c.toml").read_text(encoding="utf-8") == 'theme = "callboard-light"\n'


def test_write_private_is_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        paths.write_private(tmp_path / "f.txt", "hello")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "f.txt").st_mode) == 0o600
    assert (tmp_path / "f.txt").read_text(encoding="utf-8") == "hello"


# -- paths -------------------------------------------------------------------------------------


def test_paths_follow_xdg_and_callboard_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if sys.platform != "linux":
        pytest.skip("XDG directories are a Linux convention")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.config_dir() == tmp_path / "cfg" / "callboard"
    assert paths.data_dir() == tmp_path / "data" / "callboard"
    assert paths.default_config_path() == tmp_path / "cfg" / "callboard" / "config.toml"
    assert paths.audit_log_path() == tmp_path / "data" / "callboard" / "audit.jsonl"
    assert paths.user_themes_dir() == tmp_path / "cfg" / "callboard" / "themes"
    monkeypatch.setenv("CALLBOARD_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert paths.default_config_path() == tmp_path / "elsewhere.toml"
    monkeypatch.setenv("CALLBOARD_CONFIG", "")
    assert paths.default_config_path() == tmp_path / "cfg" / "callboard" / "config.toml"


# -- the line locator --------------------------------------------------------------------------


def test_locator_handles_headers_dotted_keys_inline_tables_and_strings() -> None:
    text = textwrap.dedent(
        """\
        title = "a # not a comment"
        note = \"\"\"
        fake = "inside a string"
        [not.a.table]
        \"\"\"
        site."google.com".x = 1
        point = { x = 1, y = { z = 2 } }

        [a."b c"]   # comment
        k = 'v'

        [[items]]
        name = "first"
        [[items]]
        name = "second"
        [items.sub]
        deep = true
        """
    )
    locate = KeyLocator(text)
    assert locate.line_of(("title",)) == 1
    assert locate.line_of(("fake",)) is None
    assert locate.line_of(("not",)) is None
    assert locate.line_of(("site", "google.com", "x")) == 6
    assert locate.line_of(("point", "y", "z")) == 7
    assert locate.line_of(("a", "b c", "k")) == 10
    assert locate.line_of(("a", "b c", "missing")) == 9  # falls back to the enclosing table
    assert locate.line_of(("items", 0, "name")) == 13
    assert locate.line_of(("items", 1, "name")) == 15
    assert locate.line_of(("items", 1, "sub", "deep")) == 17
    assert locate.line_of(("nowhere",)) is None


def test_config_module_imports_neither_textual_nor_httpx() -> None:
    code = "import sys, tui.config, tui.paths; print(sorted({'textual', 'httpx'} & set(sys.modules)))"
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert result.stdout.strip() == "[]"
