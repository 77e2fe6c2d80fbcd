"""The officials' screening console (`official` blueprint, roles official and admin):

    uploads   applicant list in -> row report -> start a screening run
    runs      progress, results table, decision page, resume
    signoff   sign-off of a complete run: a confirmation page with a comment, then the record
    reviews   a reviewer's comment, override (with its reason) or request for materials
    reports   budget impact of a run, changes between two runs
    exports   CSV / XLSX / JSONL of a run, a PDF letter per applicant
    push      免申即享 push lists: made from a run, reviewed, published (firms notified), exported
    drafts    policy-draft impact: a changed rule file run beside the rules in force over a run
    search    find a firm by name or credit code; one company across versions and runs
    tokens    the official's API tokens
    audit_log the audit log (admins)
    users     accounts for admins: create, disable or enable, reset a password, set a role

Every view module adds its routes to the one blueprint in base.py; importing them here is what
registers them.
"""

from . import (  # noqa: F401 - they register their routes
    audit_log,
    draft_jobs,
    drafts,
    exports,
    push,
    reports,
    reviews,
    runs,
    search,
    signoff,
    tokens,
    uploads,
    users,
)
from .base import bp

__all__ = ["bp"]
