"""The OpenAPI 3.1 document of /api/v1, written by hand around the engine's own schemas.

The Profile schema is generated from the engine's pydantic model, so a new profile field is
documented without touching this file; the rest describes the stable JSON of docs/output.md.
"""

from __future__ import annotations

import functools
from typing import Any

from engine import Profile

from . import openapi_runs

REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _text() -> dict[str, Any]:
    return {"type": "object", "required": ["zh", "en"],
            "properties": {"zh": {"type": "string"}, "en": {"type": "string"}}}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "description": "Decimal yuan as a string"}
DATE = {"type": "string", "format": "date"}

CITATION = {"type": "object", "required": ["document", "clause", "basis"], "properties": {
    "document": {"type": "string"}, "clause": {"type": "string"},
    "url": _nullable({"type": "string"}),
    "basis": {"enum": ["verbatim", "reconstructed"]},
    "assumption": _nullable(_text())}}

CRITERION = {"type": "object", "required": ["id", "status", "fact", "threshold", "citation"],
             "properties": {
                 "id": {"type": "string"}, "role": {"enum": ["criterion", "exclusion", "requirement"]},
                 "group": _nullable({"type": "string"}), "text": _text(),
                 "status": {"enum": ["pass", "fail", "unknown"]}, "fact": {"type": "string"},
                 "facts": {"type": "array", "items": {"type": "object"}},
                 "threshold": {"type": "object"}, "gap": _nullable({"type": "object"}),
                 "citation": _ref("Citation")}}

DECISION = {"type": "object",
            "required": ["item_id", "program", "title", "status", "amount", "missing", "criteria"],
            "properties": {
                "item_id": {"type": "string"}, "program": {"type": "string"}, "title": _text(),
                "version": _nullable(_text()), "valid_from": DATE, "valid_to": _nullable(DATE),
                "status": {"enum": ["eligible", "may_apply", "ineligible", "undetermined",
                                    "not_assessable", "not_in_force"]},
                "amount": _nullable(MONEY), "amount_is_ceiling": {"type": "boolean"},
                "amount_steps": {"type": "array", "items": _text()},
                "missing": {"type": "array", "items": {"type": "string"}},
                "reason": _nullable(_text()), "source": _ref("Citation"),
                "evidence": {"enum": ["official", "secondary", "news"]},
                "budget_line_wan": _nullable(MONEY),
                "criteria": {"type": "array", "items": _ref("Criterion")},
                "logic": {}, "stacking": _nullable({"type": "object"})}}

ASSESSMENT = {"type": "object", "required": ["rules_version", "as_of", "company", "decisions"],
              "properties": {
                  "rules_version": {"type": "string"}, "as_of": DATE,
                  "company": {"type": "object"},
                  "decisions": {"type": "array", "items": _ref("Decision")}}}

ASSESS_REQUEST = {"type": "object", "required": ["profile"], "additionalProperties": False,
                  "properties": {
                      "profile": _ref("Profile"),
                      "as_of": {**DATE, "description": "Assessment date; default today. Items are "
                                "dated: an older funding round needs an older date."},
                      "items": {"type": "array", "items": {"type": "string"},
                                "description": "Only these item ids (and the items they require)."}}}

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message", "details"], "properties": {
        "code": {"type": "string", "examples": ["profile_error", "not_found", "payload_too_large"]},
        "message": {"type": "string"}, "details": {"type": "object"}}}}}


def _error_responses(*statuses: int) -> dict[str, Any]:
    words = {400: "Invalid request or profile", 404: "No such item", 405: "Method not allowed",
             413: "Request body too large", 415: "Body is not application/json",
             500: "Internal error"}
    return {str(s): {"description": words[s],
                     "content": {"application/json": {"schema": _ref("Error")}}} for s in statuses}


def _ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}}}


def _profile_schemas() -> dict[str, Any]:
    schema = Profile.model_json_schema(ref_template=REF)
    defs = schema.pop("$defs", {})
    return {**defs, "Profile": schema}


@functools.cache
def openapi_document() -> dict[str, Any]:
    item_param = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"},
                  "example": "futian.rd_input"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "subsidy-eligibility API", "version": "1.0.0",
                 "description": "Which government support items a firm qualifies for, how much, "
                                "and why. Money is Decimal yuan written as strings."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/assess": {"post": {
                "operationId": "assess", "summary": "Assess one company profile",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": _ref("AssessRequest")}}},
                "responses": {**_ok(_ref("Assessment"), "The assessment, one decision per item"),
                              **_error_responses(400, 405, 413, 415, 500)}}},
            "/rules": {"get": {
                "operationId": "listRules", "summary": "Programs and their items",
                "responses": {**_ok({"type": "object"}, "The catalog's programs and items"),
                              **_error_responses(500)}}},
            "/rules/{item_id}": {"get": {
                "operationId": "getRule", "summary": "One item with every version's criteria",
                "parameters": [item_param],
                "responses": {**_ok({"type": "object"}, "The item's versions"),
                              **_error_responses(404, 500)}}},
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document",
                "responses": _ok({"type": "object"}, "The OpenAPI document")}},
            **openapi_runs.PATHS,
        },
        "components": {"schemas": {
            **_profile_schemas(), "AssessRequest": ASSESS_REQUEST, "Assessment": ASSESSMENT,
            "Decision": DECISION, "Criterion": CRITERION, "Citation": CITATION, "Error": ERROR,
            **openapi_runs.SCHEMAS},
            "securitySchemes": openapi_runs.SECURITY_SCHEMES},
    }
