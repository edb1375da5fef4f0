"""Each hosted system's SIP accounts, and the phones and browsers that register to them.

A SIP account (number 1, 2, …) has a username, a password, an optional internal extension
number (200–10000), an allowed transport (UDP or WebSocket) and a fixed outgoing caller ID. The
devices configured with it register through the same registrar machinery as the PBX's phones
(`world_sip`): their contacts refresh, lapse, expire and come back while the world runs. A
device whose transport the account no longer allows cannot register; switching the transport
brings a device of the new kind along a little later, as a user would set one up.

Vendor-neutral: operations report a `SipOutcome`; facades choose the wire words. Everything
draws from the book's own random stream, so SIP traffic never changes the callers.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from tui.simulator import world_sip
from tui.simulator.secret import Secret
from tui.simulator.world_entities import Registration
from tui.vendors.yemot.assumptions import SIP_EXTENSION_MAX, SIP_EXTENSION_MIN, sip_username

PASSWORD_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 12
DEFAULT_ACCOUNT_LIMIT = 6
# Per second, per registered device: the user closes the softphone, the desk phone loses power...
AWAY_RATE = 1 / 2700
UNREACHABLE_SHARE = 0.5  # of devices going away: the contact stays until it expires
AWAY_SECONDS = (45.0, 900.0)
NEW_DEVICE_SECONDS = (20.0, 240.0)  # from creating an account (or switching transport) to a REGISTER


class SipTransport(StrEnum):
    UDP = "udp"
    WSS = "wss"


class SipOutcome(StrEnum):
    OK = "ok"
    LIMIT_REACHED = "limit reached"
    NOT_FOUND = "not found"
    EXTENSION_OUT_OF_RANGE = "extension out of range"
    EXTENSION_TAKEN = "extension taken"
    UNCHANGED = "unchanged"
    CALLER_ID_NOT_APPROVED = "caller ID not approved"


@dataclass(slots=True)
class SipDevice:
    """A phone, softphone or browser configured with an account."""

    registration: Registration
    via_address: str  # the address in the REGISTER's Via (often the device's own LAN address)
    via_port: int
    ws_contact: str | None = None  # a browser's contact (JsSIP: `<user>@<random>.invalid`)

    def contact_uri(self, username: str) -> str | None:
        reg = self.registration
        if reg.address is None:
            return None
        if self.ws_contact is not None:
            return f"sip:{self.ws_contact};transport=ws"
        return f"sip:{username}@{reg.address}:{reg.port}"


@dataclass(slots=True)
class SipAccount:
    system: str
    number: int
    username: str
    password: Secret
    created_at: datetime
    transport: SipTransport = SipTransport.UDP
    extension: int | None = None
    caller_id: str = ""  # the fixed outgoing caller ID ("" = the system's own)
    devices: list[SipDevice] = field(default_factory=list)

    def contacts(self) -> list[SipDevice]:
        """Devices registered now (their contacts), in the order they were set up."""
        return [d for d in self.devices if d.registration.registered]

    @property
    def registered(self) -> bool:
        return any(d.registration.registered for d in self.devices)


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    user_agent: str
    transport: SipTransport
    contact_address: str
    port: int
    via_address: str
    expiry_s: int
    latency_ms: float
    registered: bool = True


@dataclass(frozen=True, slots=True)
class AccountSpec:
    number: int
    extension: int | None
    transport: SipTransport
    created_days_ago: int
    caller_id: str
    devices: tuple[DeviceSpec, ...]


UDP, WSS = SipTransport.UDP, SipTransport.WSS
# (user agent, transport, contact address, port, Via address, REGISTER expiry s, latency ms)
DESK_PHONE = DeviceSpec("Yealink SIP-T29G 46.83.0.120", UDP, "192.168.1.99", 5060, "192.168.1.110", 600, 12.0)
RECEPTION_PHONE = DeviceSpec(
    "Grandstream GXP1625 1.0.7.13", UDP, "192.168.1.104", 5060, "192.168.1.104", 1800, 20.0
)
HOME_SOFTPHONE = DeviceSpec("Zoiper rv2.10.20.2", UDP, "203.0.113.57", 48213, "10.0.0.12", 120, 85.0)
BROWSER = DeviceSpec("JsSIP 3.10.1", WSS, "198.51.100.23", 55120, "198.51.100.23", 300, 60.0)
REMOTE_SOFTPHONE = DeviceSpec("MicroSIP/3.21.5", UDP, "198.51.100.77", 61044, "192.168.0.15", 300, 110.0)

# system -> (account limit, accounts: number, extension, transport, created days ago, caller ID, devices)
SYSTEM_SPECS: dict[str, tuple[int, tuple[AccountSpec, ...]]] = {
    "0773137770": (
        DEFAULT_ACCOUNT_LIMIT,
        (
            AccountSpec(1, 200, UDP, 900, "", (DESK_PHONE,)),
            AccountSpec(2, 201, UDP, 400, "0773137781", (RECEPTION_PHONE,)),
            AccountSpec(3, 202, UDP, 120, "", (HOME_SOFTPHONE,)),
            AccountSpec(4, None, WSS, 30, "", (BROWSER,)),
        ),
    ),
    "0773137771": (
        DEFAULT_ACCOUNT_LIMIT,
        (
            AccountSpec(1, 300, UDP, 200, "", (REMOTE_SOFTPHONE,)),
            AccountSpec(2, None, UDP, 10, "", ()),  # created, never set up
        ),
    ),
}


class SipAccountBook:
    """The SIP accounts of every system that has SIP, keyed by system number."""

    def __init__(self, rng: random.Random, origin: datetime) -> None:
        self._rng = rng
        self.accounts: dict[str, list[SipAccount]] = {}
        self.limits: dict[str, int] = {}
        for system, (limit, specs) in SYSTEM_SPECS.items():
            self.limits[system] = limit
            self.accounts[system] = [self._seed_account(system, spec, origin) for spec in specs]

    def _password(self) -> Secret:
        return Secret("".join(self._rng.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH)))

    def _seed_account(self, system: str, spec: AccountSpec, origin: datetime) -> SipAccount:
        created = (origin - timedelta(days=spec.created_days_ago)).replace(microsecond=0)
        account = SipAccount(
            system,
            spec.number,
            sip_username(system, spec.number),
            self._password(),
            created,
            spec.transport,
            spec.extension,
            spec.caller_id,
        )
        for device_spec in spec.devices:
            device = self._device(device_spec)
            account.devices.append(device)
            if device_spec.registered:
                world_sip.seed(device.registration, origin, self._rng)
        return account

    def _device(self, spec: DeviceSpec) -> SipDevice:
        registration = Registration(
            spec.user_agent, spec.contact_address, spec.port, spec.expiry_s, spec.latency_ms, spec.transport
        )
        ws_contact = None
        if spec.transport is SipTransport.WSS:
            user = "".join(self._rng.choice(string.ascii_lowercase + string.digits) for _ in range(8))
            host = "".join(self._rng.choice(string.ascii_lowercase + string.digits) for _ in range(12))
            ws_contact = f"{user}@{host}.invalid"
        return SipDevice(registration, spec.via_address, spec.port, ws_contact)

    def _new_device(self, transport: SipTransport, t: datetime) -> SipDevice:
        """A device the user sets up now; it registers a little later."""
        rng = self._rng
        if transport is SipTransport.WSS:
            address = f"198.51.100.{rng.randrange(2, 250)}"
            spec = DeviceSpec(
                "JsSIP 3.10.1", transport, address, rng.randrange(49152, 65535), address, 300, 60.0
            )
        else:
            address = f"203.0.113.{rng.randrange(2, 250)}"
            via = f"192.168.{rng.randrange(0, 3)}.{rng.randrange(2, 250)}"
            spec = DeviceSpec(
                "Zoiper rv2.10.20.2", transport, address, rng.randrange(20000, 65000), via, 300, 90.0
            )
        device = self._device(spec)
        device.registration.back_at = t + timedelta(seconds=rng.uniform(*NEW_DEVICE_SECONDS))
        return device

    # -- lookups -------------------------------------------------------------------------------

    def accounts_of(self, system: str) -> list[SipAccount]:
        return sorted(self.accounts.get(system, []), key=lambda a: a.number)

    def account(self, system: str, number: int | None = None) -> SipAccount | None:
        """An account by number; None asks for the first one."""
        accounts = self.accounts_of(system)
        if number is None:
            return accounts[0] if accounts else None
        return next((a for a in accounts if a.number == number), None)

    def limit(self, system: str) -> int:
        return self.limits.get(system, DEFAULT_ACCOUNT_LIMIT)

    def _extension_problem(
        self, system: str, extension: int, not_this: SipAccount | None
    ) -> SipOutcome | None:
        if not SIP_EXTENSION_MIN <= extension <= SIP_EXTENSION_MAX:
            return SipOutcome.EXTENSION_OUT_OF_RANGE
        if any(a.extension == extension and a is not not_this for a in self.accounts_of(system)):
            return SipOutcome.EXTENSION_TAKEN
        return None

    # -- operations ----------------------------------------------------------------------------

    def create(self, system: str, extension: int | None, t: datetime) -> tuple[SipOutcome, SipAccount | None]:
        """A new account under the lowest free number; a softphone registers to it soon after."""
        accounts = self.accounts.setdefault(system, [])
        if len(accounts) >= self.limit(system):
            return SipOutcome.LIMIT_REACHED, None
        if extension is not None:
            problem = self._extension_problem(system, extension, None)
            if problem is not None:
                return problem, None
        used = {a.number for a in accounts}
        number = next(n for n in range(1, len(accounts) + 2) if n not in used)
        created = t.replace(microsecond=0)
        account = SipAccount(
            system, number, sip_username(system, number), self._password(), created, extension=extension
        )
        account.devices.append(self._new_device(SipTransport.UDP, t))
        accounts.append(account)
        return SipOutcome.OK, account

    def delete(self, system: str, numbers: list[int]) -> int:
        """Delete the accounts with these numbers; how many there were."""
        accounts = self.accounts.get(system, [])
        doomed = [a for a in accounts if a.number in set(numbers)]
        self.accounts[system] = [a for a in accounts if a not in doomed]
        return len(doomed)

    def set_transport(
        self, system: str, number: int | None, transport: SipTransport, t: datetime
    ) -> SipOutcome:
        """Allow only `transport`: devices of the other kind drop off, one of this kind comes along."""
        account = self.account(system, number)
        if account is None:
            return SipOutcome.NOT_FOUND
        if account.transport is transport:
            return SipOutcome.UNCHANGED
        account.transport = transport
        for device in account.devices:
            if device.registration.transport != transport and device.registration.registered:
                world_sip.lapse(device.registration, unreachable=False)
        if not any(d.registration.transport == transport for d in account.devices):
            account.devices.append(self._new_device(transport, t))
        else:
            for device in account.devices:
                if device.registration.transport == transport and not device.registration.online:
                    device.registration.back_at = t + timedelta(
                        seconds=self._rng.uniform(*NEW_DEVICE_SECONDS)
                    )
        return SipOutcome.OK

    def set_caller_id(self, system: str, number: int | None, caller_id: str) -> SipOutcome:
        """Set the fixed outgoing caller ID (the caller checks that it is approved)."""
        account = self.account(system, number)
        if account is None:
            return SipOutcome.NOT_FOUND
        account.caller_id = caller_id
        return SipOutcome.OK

    def set_extension(self, system: str, number: int | None, extension: int | None) -> SipOutcome:
        """Set, change or (None) delete the account's extension number."""
        account = self.account(system, number)
        if account is None:
            return SipOutcome.NOT_FOUND
        if extension is not None:
            problem = self._extension_problem(system, extension, account)
            if problem is not None:
                return problem
        account.extension = extension
        return SipOutcome.OK

    # -- one second of registrar life ----------------------------------------------------------

    def step(self, t: datetime) -> None:
        for accounts in self.accounts.values():
            for account in accounts:
                for device in account.devices:
                    self._step_device(account, device, t)

    def _step_device(self, account: SipAccount, device: SipDevice, t: datetime) -> None:
        reg = device.registration
        if reg.transport != account.transport:
            return  # the registrar refuses it: it stays off until the transport is allowed again
        rng = self._rng
        if not reg.online:
            if reg.back_at is not None and reg.back_at <= t:
                world_sip.register(reg, t, rng)
        elif rng.random() < AWAY_RATE:
            world_sip.lapse(reg, unreachable=rng.random() < UNREACHABLE_SHARE)
            reg.back_at = t + timedelta(seconds=rng.uniform(*AWAY_SECONDS))
            return
        if world_sip.due(reg, t) and world_sip.step(reg, t, rng, idle=lambda: True):
            reg.back_at = t + timedelta(seconds=rng.uniform(*AWAY_SECONDS))

    def describe(self) -> dict[str, object]:
        return {
            system: [
                (a.number, a.extension, str(a.transport), [d.registration.status for d in a.devices])
                for a in self.accounts_of(system)
            ]
            for system in sorted(self.accounts)
        }
