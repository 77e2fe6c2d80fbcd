"""JSON API, version 1: assess a profile, browse the rules. Described in openapi.json, which
web/apidoc.py generates from these routes and the models of web/api_models.py.

The API reads no cookie and keeps no session, so it is exempt from CSRF; a cross-site page
cannot send `application/json` without a CORS preflight, which this app never grants.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, jsonify, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from engine import DATE_MAX, DATE_MIN, assessment_to_dict, date_in_range, parse_profile

from . import api_models as m
from .apidoc import document, openapi_document, responses
from .engine_ext import get_engine
from .errors import RequestError

bp = Blueprint("api", __name__)


def read_json(allowed: set[str]) -> dict[str, Any]:
    """The request's JSON object with only `allowed` keys, numbers with a fraction read as Decimal
    (money is never float)."""
    if not request.is_json:
        raise UnsupportedMediaType("send the request body as application/json")
    try:
        body = json.loads(request.get_data(cache=True), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from None
    except (ValueError, RecursionError):
        # An integer of thousands of digits (Python refuses to convert it) or nesting deeper than
        # the parser's stack: no profile looks like that.
        raise BadRequest("the body is not a usable JSON document: a number with too many digits "
                         "or nesting too deep") from None
    if not isinstance(body, dict):
        raise RequestError("the body must be a JSON object", field="body")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise RequestError(f"unknown keys: {', '.join(unknown)}", fields=unknown)
    return body


def _body() -> dict[str, Any]:
    body = read_json({"profile", "as_of", "items"})
    if not isinstance(body.get("profile"), dict):
        raise RequestError("`profile` must be a JSON object", field="profile")
    return body


def _as_of(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        day = None
    if day is None or not date_in_range(day):
        raise RequestError(f"`as_of` must be a date YYYY-MM-DD between {DATE_MIN} and {DATE_MAX}",
                           field="as_of")
    return day


def _items(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequestError("`items` must be a list of item ids", field="items")
    unknown = [v for v in value if v not in get_engine().catalog.versions]
    if unknown:
        raise RequestError(f"unknown items: {', '.join(unknown)}", field="items", items=unknown)
    return value


@bp.post("/assess")
@document("assess", responses((200, m.Assessment, "The assessment, one decision per item"),
                              400, 405, 413, 415, 422), "assessment", json=m.AssessRequest)
def assess() -> Any:
    """Assess one company profile

    Every support item in force on `as_of` (or only `items`): eligible, not eligible or
    undetermined (with the facts to supply), the estimated amount and each criterion's clause.
    """
    body = _body()
    profile = parse_profile(body["profile"])  # ProfileError -> 400 with the fields named
    result = get_engine().assess(profile, _as_of(body.get("as_of")), _items(body.get("items")))
    return jsonify(assessment_to_dict(result))


def _item_summary(item_id: str) -> dict[str, Any]:
    catalog = get_engine().catalog
    versions = catalog.versions[item_id]
    return {"id": item_id, "program": catalog.program_of[item_id],
            "title": versions[-1].title.model_dump(),
            "versions": [{"valid_from": v.valid_from.isoformat(),
                          "valid_to": v.valid_to.isoformat() if v.valid_to else None,
                          "version": v.version.model_dump() if v.version else None,
                          "not_assessable": v.not_assessable is not None} for v in versions]}


@bp.get("/rules")
@document("listRules", responses((200, m.RuleIndex, "The catalog's programs and items")), "rules")
def rules() -> Any:
    """Programs and their items"""
    catalog = get_engine().catalog
    return jsonify({
        "rules_version": catalog.version,
        "programs": [{**p.model_dump(mode="json"), "items": [_item_summary(i)
                                                              for i in catalog.item_ids(pid)]}
                     for pid, p in catalog.programs.items()],
    })


@bp.get("/rules/<item_id>")
@document("getRule", responses((200, m.RuleDetail, "The item's versions"), 404), "rules")
def rule(item_id: str) -> Any:
    """One item with every version's criteria"""
    catalog = get_engine().catalog
    if item_id not in catalog.versions:
        abort(404, description=f"no item `{item_id}`")
    versions = [{**v.model_dump(mode="json", by_alias=True, exclude={"examples"}),
                 "budget_line_wan": _plain(catalog.budget_line_wan(item_id, v))}
                for v in catalog.versions[item_id]]
    return jsonify({"rules_version": catalog.version, "id": item_id,
                    "program": catalog.program_of[item_id], "versions": versions})


def _plain(value: Any) -> Any:
    return None if value is None else format(value, "f")


@bp.get("/openapi.json")
@document("openapi", responses((200, m.OpenAPIDocument, "The OpenAPI document")), "meta")
def openapi() -> Any:
    """This document"""
    return jsonify(openapi_document())
