"""Raw data (a form, a JSON file, an import row) into a Profile, with errors naming the fields."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from engine.errors import ProfileError

from .profile import Profile


def parse_profile(data: Any, source: str | None = None) -> Profile:
    """Validate raw data into a Profile, turning pydantic's errors into one ProfileError.

    Raises:
        ProfileError: naming every offending field and why.
    """
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        fields: list[str] = []
        reasons: list[str] = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            loc = ".".join(str(p) for p in err["loc"])
            named = [loc] if loc else _fields_in_message(msg)
            fields.extend(named)
            reasons.append(f"{loc}: {msg}" if loc else msg)
        raise ProfileError("invalid profile: " + "; ".join(reasons), fields=fields,
                           source=source) from None


def _fields_in_message(message: str) -> list[str]:
    """Model-level errors name their fields before the first colon."""
    names = [part.strip() for part in message.split(":", 1)[0].split(",")]
    return names if all(name in Profile.model_fields for name in names) else []
