"""The parsers behind every form: property tests (hypothesis) and the sentences people see."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.service.validate import (
    MAX_CAMPAIGN_NUMBERS,
    campaign_cost,
    parse_caller_id,
    parse_campaign_numbers,
    parse_code,
    parse_dial,
    parse_email,
    parse_extension,
    parse_extension_path,
    parse_ip,
    parse_ip_list,
    parse_list_id,
    parse_mfa_phone,
    parse_phone,
    parse_sip_extension,
)

PARSERS = [
    parse_code,
    parse_email,
    parse_extension,
    parse_extension_path,
    parse_ip,
    parse_ip_list,
    parse_dial,
    parse_phone,
    parse_sip_extension,
    parse_caller_id,
    parse_mfa_phone,
]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@given(text=st.text(max_size=80))
@settings(max_examples=150, deadline=None)
def test_any_text_is_accepted_or_refused_with_a_sentence(parser, text):
    try:
        parser(text)
    except ValueError as error:
        assert str(error)  # a message for the field, never a crash of another kind


@given(st.text(alphabet="0123456789", min_size=4, max_size=8), st.text(alphabet=" ", max_size=3))
def test_code_digits_with_spaces(digits, pad):
    assert parse_code(pad + digits[:2] + pad + digits[2:] + pad) == digits


@given(st.text(alphabet="0123456789", max_size=3) | st.text(min_size=9, max_size=12, alphabet="0123456789"))
def test_code_of_wrong_length_is_refused(digits):
    with pytest.raises(ValueError):
        parse_code(digits)


@given(st.ip_addresses())
def test_every_ip_address_round_trips(address):
    assert ipaddress.ip_address(parse_ip(str(address))) == address


@given(st.lists(st.ip_addresses(), min_size=1, max_size=50))
def test_ip_lists_up_to_fifty(addresses):
    parsed = parse_ip_list("\n".join(str(a) for a in addresses))
    assert set(parsed) == {str(a) for a in addresses}


def test_more_than_fifty_ips_and_bad_lines_are_named():
    many = "\n".join(f"10.0.0.{i}" for i in range(51))
    with pytest.raises(ValueError, match="at most 50"):
        parse_ip_list(many)
    with pytest.raises(ValueError, match=r"line 2: '0\.192\.66\.2222' is not"):
        parse_ip_list("1.2.3.4\n0.192.66.2222")


@given(st.lists(st.integers(0, 999), min_size=1, max_size=4))
def test_extension_paths(segments):
    path = "/".join(str(s) for s in segments)
    assert parse_extension_path(path) == "/" + path
    assert parse_extension_path("GOTO:/" + path) == "/" + path


@pytest.mark.parametrize("bad", ["", "/", "1 2", "/1//2", "../1", "GOTO:"])
def test_bad_extension_paths(bad):
    with pytest.raises(ValueError, match="extension path"):
        parse_extension_path(bad)


@given(st.integers(200, 10000))
def test_sip_extension_range(number):
    assert parse_sip_extension(str(number)) == number


@given(st.integers(-1000, 199) | st.integers(10001, 10**7))
def test_sip_extension_outside_range(number):
    with pytest.raises(ValueError, match="200 to 10000"):
        parse_sip_extension(str(number))


def test_sip_extension_empty_clears():
    assert parse_sip_extension("  ") is None


@given(st.text(alphabet="0123456789", min_size=2, max_size=10))
def test_pbx_extensions(digits):
    assert parse_extension(digits) == digits


def test_mfa_phones_of_israel_us_canada_only():
    assert parse_mfa_phone("052-847-5913") == "+972528475913"
    assert parse_mfa_phone("+1 212 555 0100").startswith("+1")
    with pytest.raises(ValueError, match="Israel, the USA and Canada"):
        parse_mfa_phone("+44 20 7946 0958")


def test_campaign_numbers_one_a_line_or_colon_separated_bad_ones_by_line():
    numbers, problems = parse_campaign_numbers("0528475913\n0587654321:0526666666\nhello\n0528475913")
    assert numbers == ("0528475913", "0587654321", "0526666666")
    assert problems == ["line 3: 'hello' is not a valid phone number"]


@given(st.lists(st.sampled_from(["0528475913", "0587654321", "0548518244", "x", "05"]), max_size=30))
def test_campaign_numbers_never_crash_and_count(entries):
    numbers, problems = parse_campaign_numbers(":".join(entries))
    assert len(numbers) == len({e for e in entries if e not in ("x", "05")})
    assert len(problems) == sum(1 for e in entries if e in ("x", "05"))


def test_more_than_five_hundred_numbers_is_a_problem():
    text = "\n".join(f"+1212555{i:04d}" for i in range(MAX_CAMPAIGN_NUMBERS + 1))
    numbers, problems = parse_campaign_numbers(text)
    assert len(numbers) == MAX_CAMPAIGN_NUMBERS + 1 and "at most 500" in problems[-1]


def test_list_ids_and_cost():
    assert parse_list_id("TPL:12") == "tpl:12" and parse_list_id("tzl:3") == "tzl:3"
    assert parse_list_id("tpl:") is None and parse_list_id("0521234567") is None
    assert campaign_cost(6) == (0.6, 6.6)  # 0.1 each dialled; +1 a minute each answered
    assert campaign_cost(4, answered_minutes=0.2) == (0.4, 2.4)  # at least 0.5 an answered call
