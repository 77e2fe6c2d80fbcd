"""Self-check for firms: a guided form built from the profile schema, then the assessment.

Nothing a firm types is stored: the result page carries the answers back in a hidden field, so
that "download JSON", "edit answers" and the language switch re-post them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from engine import (
    FontMissingError,
    ProfileError,
    assessment_to_dict,
    catalog_rounds,
    date_message,
    firm_letter_pdf,
    parse_profile,
    path_text,
    round_text,
    summarize,
    total_lines,
)

from . import answers as ans
from . import present, steps
from .engine_ext import get_engine, get_read_by_any, get_usage
from .examples import find_example, load_examples
from .fields import field_specs
from .i18n import current_lang

bp = Blueprint("firm", __name__)


def _common(specs: list[Any], answers: ans.Answers, as_of: str) -> dict[str, Any]:
    """What both steps show: the "why we ask" of each field, the rounds held, field labels, and
    the step-1 answers as query arguments (the language switch and "change" links carry them)."""
    args = {s.name: answers.raw[s.name] for s in specs
            if s.first and answers.raw.get(s.name, "").strip() not in steps.BLANK}
    usage = get_usage()
    return {"usage": usage, "indirect": get_read_by_any() - set(usage),
            "rounds": _rounds_held(), "catalog": get_engine().catalog,
            "field_labels": {s.name: s.label(current_lang()) for s in specs},
            "step_args": {**args, **({"as_of": as_of} if as_of else {})}}


def _step1(answers: ans.Answers | None = None, as_of: str = "", as_of_error: str | None = None,
           status: int = 200, upload_error: str | None = None,
           upload_args: dict[str, str] | None = None) -> tuple[str, int]:
    """Step 1: where the firm is registered, what kind of firm, the date; other answers carried."""
    specs = field_specs()
    answers = answers or ans.Answers({})
    return render_template(
        "firm/start.html", first=[s for s in specs if s.first], answers=answers,
        carried=[s for s in specs if not s.first and answers.raw.get(s.name, "").strip()],
        as_of=as_of, as_of_error=as_of_error, examples=load_examples(),
        upload_error=upload_error, upload_args=upload_args or {}, **_common(specs, answers, as_of),
    ), status


def _form(answers: ans.Answers | None = None, as_of: str = "", as_of_error: str | None = None,
          status: int = 200, upload_error: str | None = None,
          upload_args: dict[str, str] | None = None) -> tuple[str, int]:
    """Step 2: the questions of the items for the firm's region (every question without one)."""
    specs = field_specs()
    answers = answers or ans.Answers({})
    step = steps.step_two(specs, answers, as_of, bad_date=as_of_error is not None)
    common = _common(specs, answers, step.as_of)
    common["usage"] = steps.why_for(common["usage"], step)
    return render_template(
        "firm/check.html", groups=step.groups, step=step, answers=answers, as_of=step.as_of,
        as_of_error=as_of_error, upload_error=upload_error, upload_args=upload_args or {},
        **common,
    ), status


@bp.get("/")
def check_form() -> Any:
    """Step 1, or an example firm's answers straight in step 2 (its region is known)."""
    example = find_example(request.args.get("example"))
    if example is None:  # step-1 answers in the query (a language switch) prefill it
        first = {s.name: request.args.get(s.name, "") for s in field_specs() if s.first}
        return _step1(ans.Answers(first), request.args.get("as_of", ""))
    return _form(ans.Answers(ans.raw_from_data(example.data)), example.as_of)


@bp.post("/check/start")
def start_again() -> Any:
    """Back to step 1 from step 2 ("change"), or step 1 in the other language, answers kept."""
    specs = field_specs()
    answers = steps.first_only(ans.read_form(request.form, specs), specs)
    return _step1(answers, request.form.get("as_of", ""))


@bp.route("/check/questions", methods=["GET", "POST"])
def questions() -> Any:
    """Step 2 after step 1 (GET or POST, no script needed); step 1 again with its mistakes.

    Step 2's own language switch posts here too (`step=2`, everything typed): step 2 comes back
    in the other language with every answer as typed, only step-1 mistakes marked, never step 1
    and never the assessment, so switching loses nothing."""
    specs = field_specs()
    answers = steps.first_only(ans.read_form(request.values, specs), specs)
    steps.check_first(answers)
    text = request.values.get("as_of", "")
    as_of, as_of_error = ans.parse_as_of(text) if text.strip() else (None, None)
    if request.form.get("step") == "2":
        return _form(answers, text if as_of_error else (as_of.isoformat() if as_of else ""),
                     as_of_error)
    if answers.errors or as_of_error:
        return _step1(answers, text, as_of_error, 422)
    return _form(answers, as_of.isoformat() if as_of else "")


@bp.post("/check/upload")
def upload() -> Any:
    """Prefill the form from a profile JSON file (the CLI's format), showing what it got wrong."""
    file = request.files.get("profile_file")
    if file is None or not file.filename:
        return _step1(status=422, upload_error="upload.err.none")
    try:
        data = json.loads(file.read().decode("utf-8-sig"), parse_float=str)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _step1(status=422, upload_error="upload.err.json")
    if not isinstance(data, dict):
        return _step1(status=422, upload_error="upload.err.json")
    specs = field_specs()
    unknown = sorted(set(data) - {s.name for s in specs} - {"provenance"})
    answers = ans.read_form(ans.raw_from_data(data), specs)
    ans.validate(answers)
    if unknown:
        return _form(answers, status=422, upload_error="upload.err.unknown",
                     upload_args={"names": ", ".join(unknown)})
    return _form(answers, status=422 if answers.errors else 200)


@bp.post("/check")
def check() -> Any:
    answers = ans.read_form(request.form, field_specs())
    as_of, as_of_error = ans.parse_as_of(request.form.get("as_of"))
    profile = ans.validate(answers)
    if profile is None or as_of is None:
        return _form(answers, request.form.get("as_of", ""), as_of_error, 422)
    return _result(profile, as_of, answers.data)


def _rounds_held() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(program title, [(round in words, the date to assess it on)])]: the rounds the catalog
    holds, so that a firm whose date falls in none can pick one."""
    engine, lang = get_engine(), current_lang()
    out = []
    for program_id, program in engine.catalog.programs.items():
        rounds = catalog_rounds(engine.catalog, program_id)
        if rounds:
            out.append((program.title.get(lang), [(round_text(r, lang), r.as_of.isoformat())
                                                   for r in rounds]))
    return out


def _result(profile: Any, as_of: dt.date, data: dict[str, Any]) -> str:
    lang = current_lang()
    engine = get_engine()
    assessment = engine.assess(profile, as_of)
    titles = {pid: p.title.get(lang) for pid, p in engine.catalog.programs.items()}
    assessed, elsewhere, others = present.cards(assessment, titles, lang, engine.catalog)
    summary = summarize(engine, assessment)
    notes = [(date_message(on, lang), [(round_text(r, lang), r.as_of.isoformat())
                                       for r in (on.before, on.after) if r is not None])
             for on in summary.nothing_in_force]
    return render_template(
        "firm/result.html", a=assessment, assessed=assessed, elsewhere=elsewhere, others=others,
        counts=present.counts(assessment, engine.catalog), payload=json.dumps(data, ensure_ascii=False),
        as_of=as_of.isoformat(), totals=total_lines(summary, lang), date_notes=notes,
        paths=[path_text(p, lang) for p in summary.top_paths if p.within_reach],
    )


def _posted_profile() -> tuple[Any, dt.date, dict[str, Any]]:
    """The answers a result page posts back (hidden `payload`), validated again."""
    try:
        data = json.loads(request.form.get("payload", ""))
        profile = parse_profile(data)
    except (ValueError, ProfileError):
        abort(400)
    as_of, _error = ans.parse_as_of(request.form.get("as_of"))
    if as_of is None or not isinstance(data, dict):
        abort(400)
    return profile, as_of, data


@bp.post("/check/result")
def result_again() -> Any:
    """The same result again, e.g. in the other language."""
    profile, as_of, data = _posted_profile()
    return _result(profile, as_of, data)


@bp.post("/check/edit")
def edit() -> Any:
    _profile, as_of, data = _posted_profile()
    return _form(ans.Answers(ans.raw_from_data(data)), as_of.isoformat())


@bp.post("/check/assessment.json")
def download_json() -> Response:
    profile, as_of, _data = _posted_profile()
    document = assessment_to_dict(get_engine().assess(profile, as_of))
    body = json.dumps(document, ensure_ascii=False, indent=2)
    name = f"assessment-{as_of.isoformat()}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/check/letter.pdf")
def download_letter() -> Response:
    """The PDF decision letter (Chinese, or English with the language switch), CJK font embedded."""
    profile, as_of, _data = _posted_profile()
    assessment = get_engine().assess(profile, as_of)
    try:  # the letter first (total, next steps, the confirmed paths), the criteria after
        pdf = firm_letter_pdf(get_engine(), assessment, current_lang())
    except FontMissingError:
        abort(503)
    name = f"letter-{as_of.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
