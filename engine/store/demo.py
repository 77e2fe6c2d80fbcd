"""Demo data for `make run` and `subsidy seed`: the seed profiles as profile versions and a few
demo users. Idempotent: profiles already stored add nothing, existing users are left alone
(their passwords included), so running it on every start is safe."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.intake.seeds import demo_profiles

from .accounts import create_user, find_user
from .profiles import add_profiles


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    company: str | None = None  # credit code of a firm user's company


FIRM_A = "91440300MA5F3K7L04"  # seeds/profiles/futian_rd_firm.json
FIRM_B = "91310115MA1K4A2B3A"  # seeds/profiles/shanghai_pudong_hnte.json
# Firm users for a Futian and a Shanghai company, so that one firm can be shown not to see the
# other's data.
DEMO_LOGINS = (DemoLogin("official", "official-demo", "official"),
               DemoLogin("admin", "admin-demo", "admin"),
               DemoLogin("firm-a", "firm-a-demo", "firm", FIRM_A),
               DemoLogin("firm-b", "firm-b-demo", "firm", FIRM_B))


def seed_demo(session: Session) -> tuple[int, list[DemoLogin]]:
    """Store the seed profiles and the demo users; returns (profile versions added, logins)."""
    # A seed without a credit code (the incomplete start-up) stays a self-check example only.
    profiles = [p for p, _as_of in demo_profiles() if p.credit_code and p.fiscal_year is not None]
    added = sum(new for _id, new in add_profiles(session, profiles, "seed", "self_declared"))
    for login in DEMO_LOGINS:
        if find_user(session, login.username) is None:
            create_user(session, login.username, login.password, login.role, login.company)
    return added, list(DEMO_LOGINS)


def login_lines(logins: list[DemoLogin]) -> list[str]:
    """'  official / official-demo  (official)' lines, as `make run` prints them."""
    return [f"  {x.username} / {x.password}  ({x.role}{', ' + x.company if x.company else ''})"
            for x in logins]
