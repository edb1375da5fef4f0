"""What the hosted phone systems are asked to do: SIP accounts, caller IDs, SMS and campaigns.

`HostedSystems` is a part of `world.World`: it checks each request against the system's numbers,
SIP accounts and units, hands it to the book that keeps them (`world_sip_accounts`,
`world_numbers`, `world_sms`, `world_campaigns`) and logs what changed. Outcomes are
vendor-neutral; a facade turns them into its vendor's wire replies.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from tui.simulator import world_seed
from tui.simulator.world_campaigns import Campaign
from tui.simulator.world_numbers import (
    GOTO_USAGE,
    SIP_USAGE,
    Approval,
    CallerIdUse,
    UsageOutcome,
    check_caller_id,
    selectable,
)
from tui.simulator.world_sip_accounts import SipAccount, SipOutcome, SipTransport
from tui.simulator.world_sms import Sms
from tui.vendors.yemot.assumptions import CAMPAIGN_UNITS_PER_NUMBER


class LaunchStatus(StrEnum):
    OK = "ok"
    NO_EXTENSION = "no such extension"
    NO_NUMBERS = "no numbers"
    LOW_UNITS = "low units"


class HostedSystems:
    """SIP accounts, caller IDs, SMS and campaigns of each system (a part of `World`, on its state)."""

    def sip_accounts(self, system: str) -> list[SipAccount]:
        """The system's SIP accounts by account number (none where the system has no SIP)."""
        return self.sip.accounts_of(system)

    def sip_account(self, system: str, number: int | None = None) -> SipAccount | None:
        """An account by number; None asks for the first one."""
        return self.sip.account(system, number)

    def sip_account_limit(self, system: str) -> int:
        return self.sip.limit(system)

    def create_sip_account(
        self, system: str, extension: int | None = None
    ) -> tuple[SipOutcome, SipAccount | None]:
        t = self._utc_now()
        outcome, account = self.sip.create(system, extension, t)
        if account is not None:
            self._log(t, "sip account created", None, account.username)
        return outcome, account

    def delete_sip_accounts(self, system: str, numbers: list[int]) -> int:
        deleted = self.sip.delete(system, numbers)
        if deleted:
            self._log(self._utc_now(), "sip accounts deleted", None, f"{system}: {deleted}")
        return deleted

    def set_sip_transport(self, system: str, number: int | None, transport: SipTransport) -> SipOutcome:
        return self.sip.set_transport(system, number, transport, self._utc_now())

    def set_sip_caller_id(self, system: str, number: int | None, caller_id: str) -> SipOutcome:
        """Only a number approved for calls in this system (its own numbers included) is taken."""
        if self.sip.account(system, number) is None:
            return SipOutcome.NOT_FOUND
        if not self.caller_id_approval(system, caller_id).approved:
            return SipOutcome.CALLER_ID_NOT_APPROVED
        return self.sip.set_caller_id(system, number, caller_id.strip())

    def set_sip_extension(self, system: str, number: int | None, extension: int | None) -> SipOutcome:
        return self.sip.set_extension(system, number, extension)

    def caller_id_approval(
        self, system: str, caller_id: str, use: CallerIdUse = CallerIdUse.CALL
    ) -> Approval:
        """May the system show `caller_id` on calls (or as an SMS sender)?"""
        return check_caller_id(self.numbers[system], caller_id, use)

    def set_secondary_usage(self, system: str, number_id: int, usage: str) -> UsageOutcome:
        """Send direct calls of a secondary number to a SIP account (`sip:5`) or an extension (`goto:/1`)."""
        secondary = next((n for n in self.numbers[system].secondary if n.number_id == number_id), None)
        if secondary is None:
            return UsageOutcome.NOT_FOUND
        if not selectable(secondary.usage):
            return UsageOutcome.LOCKED
        sip, goto = SIP_USAGE.match(usage), GOTO_USAGE.match(usage)
        if sip is not None:
            target = int(sip.group(1))
            accounts = self.sip.accounts_of(system)
            if not any(target in (a.number, a.extension) for a in accounts):
                return UsageOutcome.BAD_USAGE
        elif goto is None or self.ivr_module(goto.group(1).rstrip("/") or "/") is None:
            return UsageOutcome.BAD_USAGE
        secondary.usage = usage
        self._log(self._utc_now(), "secondary number usage", None, f"{secondary.number} -> {usage}")
        return UsageOutcome.OK

    def incoming_sms(
        self, system: str, start: datetime | None = None, end: datetime | None = None, limit: int = 100
    ) -> list[Sms]:
        """Up to `limit` messages received between `start` and `end` (inclusive), newest first."""
        found: list[Sms] = []
        for sms in self.sms.newest_first(system, start, end):
            if len(found) >= limit:
                break
            found.append(sms)
        return found

    def receive_sms(self, system: str, source: str, text: str, destination: str | None = None) -> Sms:
        """An SMS reaches the system now (tests, demos)."""
        return self.sms.receive(system, source, text, self._utc_now(), destination)

    def ivr_module(self, path: str) -> str | None:
        """The module of the IVR extension at a canonical path such as "/2/5" (None: no such one)."""
        return world_seed.IVR_EXTENSIONS.get(path)

    def launch_campaign(
        self,
        system: str,
        campaign_id: str,
        numbers: list[tuple[str, str]],
        caller_id: str,
        ivr_path: str,
        timeout_s: int,
        errors: dict[str, str] | None = None,
    ) -> tuple[LaunchStatus, Campaign | None]:
        """Dial `numbers` ((phone, caller ID) pairs) and bridge the answered ones into `ivr_path`."""
        module = self.ivr_module(ivr_path)
        if module is None:
            return LaunchStatus.NO_EXTENSION, None
        if not numbers:
            return LaunchStatus.NO_NUMBERS, None
        account = self.auth.accounts[system]
        if account.units < CAMPAIGN_UNITS_PER_NUMBER * len(numbers):
            return LaunchStatus.LOW_UNITS, None
        t = self._utc_now()
        campaign = self.campaigns.launch(
            system, campaign_id, numbers, caller_id, ivr_path, module, timeout_s, errors or {}, t
        )
        self._log(t, "campaign launched", None, f"{campaign_id}: {len(numbers)} numbers -> {ivr_path}")
        return LaunchStatus.OK, campaign

    def campaign(self, system: str, campaign_id: str) -> Campaign | None:
        return self.campaigns.find(system, campaign_id)

    def active_campaigns(self, system: str) -> list[Campaign]:
        """Campaigns still running, paused or stopping."""
        return [c for c in self.campaigns.of(system) if c.running]

    def pause_campaign(self, system: str, campaign_id: str, paused: bool) -> bool:
        campaign = self.campaigns.find(system, campaign_id)
        return campaign is not None and self.campaigns.set_paused(campaign, paused)

    def stop_campaign(self, system: str, campaign_id: str) -> bool:
        campaign = self.campaigns.find(system, campaign_id)
        if campaign is None or not self.campaigns.stop(campaign, self._utc_now()):
            return False
        self._log(self._utc_now(), "campaign stopped", None, campaign_id)
        return True

    def _charge_units(self, system: str, units: float) -> None:
        account = self.auth.accounts.get(system)
        if account is not None:
            account.units = round(account.units - units, 2)
