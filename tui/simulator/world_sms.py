"""Each system's incoming-SMS inbox: a few days of history, and new messages arriving over time.

Texts mix Hebrew, English, Arabic and Persian; some look like markup (`[bold]50% off[/]`) and some
span several lines, because a console must show every one of them as it is. Numbers are kept as
the SMS network gives them: digits in international form without `+` (`972501234567`).

Vendor-neutral; draws from its own random stream, so SMS never change the callers.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

HISTORY_DAYS = 4
# Messages a day at the busiest hour's rate; nights are quieter. The main demo system gets most.
PER_DAY: dict[str, float] = {"0773137770": 80.0, "0773137771": 25.0, "0773137772": 12.0}
NIGHT_SHARE = 0.15  # of the daytime rate, between 22:00 and 07:00
KEEP = 20000  # per system; older messages are dropped so a long demo does not grow
LOCAL = ZoneInfo("Asia/Jerusalem")  # the day/night rhythm follows the senders' clocks

NAMES = ("דוד", "שרה", "Moshe", "Rachel", "أحمد", "فاطمة", "رضا", "مریم", "Yossi", "Noa")

TEMPLATES: tuple[str, ...] = (
    # Hebrew
    "שלום, אני רוצה לקבוע תור ליום {day}",
    "הקוד שלך הוא {code}",
    "תודה רבה על השירות המהיר!",
    "אפשר לחזור אליי בבקשה? {name}",
    "ההזמנה מספר {order} התקבלה",
    "אני לא מצליח להתחבר למערכת, מה עושים?",
    "הסר",
    "כמה עולה המנוי החודשי?",
    "מאשר הגעה לפגישה ב-{hour}:00",
    "שלום\nאני מחכה לשיחה חוזרת כבר יומיים\nתודה, {name}",
    # English
    "Hi, please call me back about order {order}",
    "Your verification code is {code}",
    "STOP",
    "Is the office open on Friday?",
    "Running late, will be there at {hour}:30",
    "Thanks!\nSee you tomorrow.\n-- {name}",
    # Arabic
    "مرحبا، هل يمكنني حجز موعد؟",
    "شكرا جزيلا على المساعدة",
    "رقم الطلب {order} لم يصل بعد",
    "أرجو الاتصال بي في أقرب وقت\nمع الشكر",
    # Persian
    "سلام، لطفا با من تماس بگیرید",
    "کد تایید شما {code} است",
    "ممنون از پیگیری شما",
    "سفارش {order} کی ارسال می‌شود؟",
    # Looks like markup: a console must not read it as styles
    "[bold]50% off[/] on all plans this week!",
    "price [/] x",
    "[red]URGENT[/red] call back {name}",
    "מבצע [b]1+1[/b] עד יום {day}",
    "Reply [link=https://example.com]here[/link] to confirm",
)
DAYS = ("ראשון", "שני", "שלישי", "רביעי", "חמישי")


@dataclass(frozen=True, slots=True)
class Sms:
    received_at: datetime  # UTC
    source: str  # "972501234567"
    destination: str  # "972773137770"
    text: str


def international(number: str) -> str:
    """A local Israeli number as the SMS network writes it: `0773137770` -> `972773137770`."""
    return "972" + number[1:] if number.startswith("0") else number.lstrip("+")


class SmsInbox:
    """Messages by system, oldest first (queries read them newest first)."""

    def __init__(self, rng: random.Random, destinations: dict[str, list[str]], origin: datetime) -> None:
        self._rng = rng
        self._destinations = {
            system: [international(n) for n in numbers] for system, numbers in destinations.items()
        }
        self.messages: dict[str, deque[Sms]] = {system: deque(maxlen=KEEP) for system in destinations}
        self._senders = [self._mobile() for _ in range(60)]  # people who write again and again
        for system in destinations:
            self._seed_history(system, origin)

    def _mobile(self) -> str:
        return "9725" + self._rng.choice("0234568") + f"{self._rng.randrange(10**7):07d}"

    def _text(self) -> str:
        rng = self._rng
        return rng.choice(TEMPLATES).format(
            code=f"{rng.randrange(10**6):06d}",
            order=rng.randrange(10000, 99999),
            name=rng.choice(NAMES),
            hour=rng.randrange(8, 20),
            day=rng.choice(DAYS),
        )

    def _message(self, system: str, t: datetime) -> Sms:
        rng = self._rng
        source = rng.choice(self._senders) if rng.random() < 0.6 else self._mobile()
        destinations = self._destinations[system]
        destination = (
            destinations[0] if rng.random() < 0.75 or len(destinations) == 1 else rng.choice(destinations)
        )
        return Sms(t.replace(microsecond=0), source, destination, self._text())

    @staticmethod
    def _rate_per_s(system: str, t: datetime) -> float:
        hour = t.astimezone(LOCAL).hour
        share = NIGHT_SHARE if hour >= 22 or hour < 7 else 1.0
        return PER_DAY.get(system, 10.0) * share / (15 * 3600)

    def _seed_history(self, system: str, origin: datetime) -> None:
        """Messages over the past days, at the same day/night rhythm as live ones."""
        start = origin - timedelta(days=HISTORY_DAYS)
        peak = PER_DAY.get(system, 10.0) / (15 * 3600)
        moment = start
        while True:
            moment += timedelta(seconds=self._rng.expovariate(peak))
            if moment >= origin:
                break
            if self._rng.random() * peak < self._rate_per_s(system, moment):
                self.messages[system].append(self._message(system, moment))

    def step(self, t: datetime) -> None:
        for system in self.messages:
            if self._rng.random() < self._rate_per_s(system, t):
                self.messages[system].append(self._message(system, t))

    def receive(
        self, system: str, source: str, text: str, t: datetime, destination: str | None = None
    ) -> Sms:
        """A message arrives now (tests, demos)."""
        to = international(destination) if destination else self._destinations[system][0]
        sms = Sms(t.replace(microsecond=0), international(source), to, text)
        self.messages[system].append(sms)
        return sms

    def newest_first(
        self, system: str, start: datetime | None = None, end: datetime | None = None
    ) -> Iterator[Sms]:
        """Messages received between `start` and `end` (inclusive, UTC), newest first."""
        for sms in reversed(self.messages.get(system, ())):
            if end is not None and sms.received_at > end:
                continue
            if start is not None and sms.received_at < start:
                return
            yield sms

    def describe(self) -> dict[str, object]:
        return {system: len(messages) for system, messages in sorted(self.messages.items())}
