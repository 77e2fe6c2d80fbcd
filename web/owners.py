"""Ownership checks in one place (flaskr's `get_post(id, check_author=True)` pattern): every view
that shows a firm's stored data loads it through here."""

from __future__ import annotations

from flask import abort, g

from engine.store import ProfileVersion

from .db import get_session


def get_profile(profile_id: int, check_owner: bool = True) -> ProfileVersion:
    """The profile version, or 404; with check_owner, 403 unless it is the firm user's company's."""
    version = get_session().get(ProfileVersion, profile_id)
    if version is None:
        abort(404)
    if check_owner and (g.user is None or g.user.role != "firm"
                        or version.company_code != g.user.company_code):
        abort(403)
    return version
