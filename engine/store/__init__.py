"""Storage: companies, append-only profile versions, screening runs and their decisions.

This module is the store's public API: the web layer and the CLI import from here, never from its
modules. Every function takes a SQLAlchemy `session` (or, where each batch must commit on its own,
a sessionmaker); only CLI commands and views open sessions and commit:
    make_engine(url=None)                         DATABASE_URL, else instance/subsidy.db
    upgrade(engine) / downgrade(engine, rev)       the Alembic migrations
    import_file(session, path, entered_by, source) -> ImportReport   (engine.intake reads files)
    add_profiles(session, profiles, entered_by, source)             append-only versions
    save_profile(session, profile, entered_by, source)  one save, committed, safe against a race
    start_run(session, catalog, profile_ids, as_of, items, by, selection) -> Run
    process_run(sessionmaker, run_id, workers=, batch_size=, progress=) -> Run  (also resumes)
    iter_run_records(session, run_id, company=None), run_metadata(session, run_id)  for exports
        (explanations rebuilt from the stored profile, rules and date: store.rebuild)
    DecisionReader(session, run_id).applicant(profile_id)  one applicant's decisions, rebuilt
    firm_counts(session, run)                    the run in applicants: firms eligible, total
    start_export / run_export_job / export_job / job_progress   exports in the background
    run_changes(sessionmaker, run_a, run_b)      what changed, with the criteria
    run_profile_data(session, run_id, companies)  the facts a run decided each company on
    result_page(session, run_id, filter, page)   one filtered, sorted page of a run
    sign_off(session, run, by, comment=None) / signoff_of   a run's sign-off (read-only after)
    search_companies(session, query, page, per_page) -> CompanyPage   by name part or code prefix
    company_history(session, credit_code) -> CompanyHistory   versions and runs of one company
    add_review(session, run_id, profile_id, item_id, action, text, by, override_status=,
               override_amount=) / reviews_of / review_summaries   reviewers' actions, audited
    load_draft(path) / draft_impact(session, draft, run_id=, as_of=)   policy-draft impact
    start_draft_job / run_draft_job / draft_job / draft_progress   the same in the background
    create_push_list / exclude_entry / restore_entry / publish_push_list / push_entries /
        export_push_list                                      免申即享 lists
    notices_for / mark_notices_seen / confirm_notice / notice_counts   firm notices
    set_user_disabled / reset_password / set_role / list_users   admin user functions, audited
    create_user / authenticate / create_token / user_for_token / recent_failures   accounts
    record_audit(session, actor, action, target)  the audit log
    record_check(session, engine, profile_id) / recheck_company(session, engine, code) /
        recheck_accounts(sessionmaker, engine, companies=None)   saved versions re-checked when
        the rules change; unseen_changes / mark_changes_seen   what the firm's account lists
    seed_demo(session)                           seed profiles and demo users, idempotent
The models (Run, Company, ...) are exported for queries in views. May import engine's pure core,
engine.intake and engine.export; never flask or click.
"""

from __future__ import annotations

from .account_changes import mark_changes_seen, unseen_changes
from .accounts import (
    admin_create_user,
    authenticate,
    clear_failures,
    create_token,
    create_user,
    find_user,
    list_tokens,
    list_users,
    recent_failures,
    record_failure,
    reserve_attempt,
    reset_password,
    revoke_token,
    set_role,
    set_user_disabled,
    user_for_token,
)
from .audit import record as record_audit
from .company import CompanyHistory, UnknownCompany, company_history
from .db import PROJECT_ROOT, database_url, make_engine, make_sessionmaker
from .demo import DEMO_LOGINS, login_lines, seed_demo
from .draft_jobs import draft_job, draft_progress, live_draft_jobs, run_draft_job, start_draft_job
from .drafts import DraftError, draft_impact, load_draft
from .export_jobs import ExportJobError, export_job, file_name, job_progress, run_export_job, start_export
from .firms import firm_counts
from .importing import ImportReport, import_file
from .leases import is_stale, live_runs, may_start
from .migrate import downgrade, upgrade
from .models import (
    AuditEntry,
    Company,
    DecisionReview,
    DecisionRow,
    DraftJob,
    FirmNotice,
    ProfileChange,
    ProfileVersion,
    PushEntry,
    PushList,
    Run,
    User,
)
from .notices import NoticeError, confirm_notice, mark_notices_seen, notice_counts, notices_for
from .profiles import SaveConflict, add_profile, add_profiles, save_profile
from .push_export import PUSH_FORMATS, export_push_list
from .push_lists import (
    PushListError,
    create_push_list,
    exclude_entry,
    get_push_list,
    list_meta,
    publish_push_list,
    push_entries,
    restore_entry,
    screen_for_push_list,
)
from .rebuild import ReproductionError
from .rechecks import (
    Recheck,
    RecheckReport,
    account_companies,
    default_as_of,
    recheck_accounts,
    recheck_company,
    record_check,
)
from .results import SORTS, ResultFilter, result_page
from .reviews import OVERRIDE_STATUSES, ReviewError, ReviewSummary, add_review, review_summaries, reviews_of
from .run_export import audit_target, export_letters, export_table
from .run_profiles import run_profile_data
from .runs import (
    DecisionReader,
    get_run,
    iter_applicant_decisions,
    iter_run_errors,
    iter_run_records,
    list_runs,
    run_budget,
    run_changes,
    run_metadata,
)
from .screening import RunError, process_run, request_stop, select_all, start_run, stop_requested
from .search import CompanyPage, SearchError, search_companies
from .signoffs import sign_off, signoff_of

__all__ = [
    "DEMO_LOGINS", "PROJECT_ROOT", "SORTS", "AuditEntry", "Company", "DecisionReader", "DecisionRow",
    "ExportJobError", "ImportReport", "ReproductionError", "export_job", "file_name", "firm_counts",
    "iter_applicant_decisions", "job_progress", "run_export_job", "start_export",
    "ProfileVersion", "ResultFilter", "Run", "RunError", "SaveConflict", "User", "add_profile",
    "add_profiles", "save_profile",
    "audit_target", "authenticate", "clear_failures", "create_token", "create_user", "database_url",
    "downgrade", "export_letters", "export_table", "find_user", "get_run", "import_file", "is_stale",
    "iter_run_errors", "iter_run_records", "list_runs", "list_tokens", "live_runs", "login_lines",
    "make_engine", "make_sessionmaker", "may_start", "process_run", "recent_failures", "record_audit",
    "record_failure", "request_stop", "reserve_attempt", "result_page", "revoke_token", "run_budget",
    "run_changes", "run_metadata", "run_profile_data", "seed_demo", "select_all", "sign_off",
    "signoff_of", "start_run",
    "stop_requested", "upgrade", "user_for_token",
    # issue 15: officials at scale
    "OVERRIDE_STATUSES", "PUSH_FORMATS", "CompanyHistory", "CompanyPage", "DecisionReview",
    "DraftError", "FirmNotice", "PushEntry", "PushList", "PushListError", "ReviewError",
    "ReviewSummary", "SearchError", "UnknownCompany", "add_review", "company_history",
    "DraftJob", "draft_job", "draft_progress", "live_draft_jobs", "run_draft_job", "start_draft_job",
    "NoticeError", "mark_notices_seen", "notice_counts",
    "confirm_notice", "create_push_list", "draft_impact", "exclude_entry", "export_push_list",
    "get_push_list", "list_meta", "list_users", "load_draft", "notices_for", "publish_push_list",
    "push_entries", "reset_password", "restore_entry", "review_summaries", "reviews_of",
    "screen_for_push_list", "search_companies", "set_role", "set_user_disabled", "admin_create_user",
    # issue 14: the firm's account remembers
    "ProfileChange", "Recheck", "RecheckReport", "account_companies", "default_as_of",
    "mark_changes_seen", "recheck_accounts", "recheck_company", "record_check", "unseen_changes",
]
