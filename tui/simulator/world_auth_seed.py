"""The demo accounts the simulated world opens with: profiles, units and MFA methods."""

from __future__ import annotations

from datetime import datetime, timedelta

from tui.simulator.demo_accounts import DEMO_ACCOUNTS
from tui.simulator.secret import Secret
from tui.simulator.world_auth_records import Account, MethodKind, MethodOrigin, MfaMethod, SendChannel

FIRST_CUSTOMER_ID = 1117319  # as in the RunCampaign example id "0773137770-1117319-…" (2.4)


def _seed_methods(start: datetime, owner_phone: str, email: str, with_home_phone: bool) -> list[MfaMethod]:
    expires = start + timedelta(days=300)
    methods = [
        MfaMethod(
            MethodKind.PHONE,
            owner_phone,
            MethodOrigin.CREATED_SYSTEM,
            (SendChannel.CALL, SendChannel.SMS),
            expires,
            last_used=start - timedelta(days=3, hours=2),
        ),
        MfaMethod(MethodKind.EMAIL, email, MethodOrigin.RECOVERY_EMAIL, (SendChannel.EMAIL,), expires),
    ]
    if with_home_phone:
        methods.append(
            MfaMethod(
                MethodKind.PHONE,
                "+972529876543",
                MethodOrigin.CUSTOMER,
                (SendChannel.CALL,),
                expires,
                stable_id=6598,
                note="הטלפון בבית",
            )
        )
    return methods


def seed_accounts(start: datetime) -> list[Account]:
    """The demo accounts, with profiles and MFA methods."""
    accounts = []
    for index, demo in enumerate(DEMO_ACCOUNTS):
        email = f"admin{index}@callboard-demo.example"
        accounts.append(
            Account(
                system=demo.system,
                password=Secret(demo.password),
                name=demo.system,
                organization="Callboard demo",
                email=email,
                contact_name="Demo Admin",
                units=round(812.5 - 100 * index, 1),
                units_expire=(start + timedelta(days=180)).date(),
                customer_id=FIRST_CUSTOMER_ID + 137 * index,
                sms_units=round(150.0 - 40 * index, 1),
                pirsum_phone=index == 0,
                sip_enabled=demo.sip_enabled,
                trusted_ips=list(demo.trusted_ips),
                methods=_seed_methods(start, f"+97250123456{index}", email, with_home_phone=index == 0),
            )
        )
    return accounts
