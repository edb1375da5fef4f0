"""Which adapter serves which `vendor = "..."` of a profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from tui.vendors.base import Vendor

if TYPE_CHECKING:
    from tui.config import ProfileConfig

DISPLAY_NAMES = {
    "yemot": "Yemot HaMashiach",
    "simotel": "Simotel",
    "coocenter": "coocenter-api",
    "mango": "Mango Office",
}


class VendorNotBuilt(Exception):
    """The profile names a vendor whose adapter is not part of this build yet."""


def make_vendor(profile: ProfileConfig, *, transport: httpx.AsyncBaseTransport | None = None) -> Vendor:
    """Build the adapter for a profile. Secrets are resolved now (an unset *_env raises ConfigError)."""
    if profile.vendor == "yemot":
        from tui.vendors.yemot.adapter import YemotVendor

        return YemotVendor(
            base_url=profile.base_url,
            username=profile.username,
            password=profile.secret("password"),
            token=profile.secret("token"),
            queues=list(profile.queues),
            timeout=profile.timeout,
            verify_tls=profile.verify_tls,
            transport=transport,
        )
    if profile.vendor == "coocenter":
        from tui.vendors.coocenter.adapter import CoocenterVendor

        return CoocenterVendor(
            base_url=profile.base_url,
            webkey=profile.secret("webkey"),
            timeout=profile.timeout,
            verify_tls=profile.verify_tls,
            transport=transport,
            pbx_timezone=profile.pbx_timezone,
            queues=list(profile.queues),
        )
    raise VendorNotBuilt(f"{DISPLAY_NAMES.get(profile.vendor, profile.vendor)} is not supported yet")
