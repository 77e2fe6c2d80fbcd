"""The OpenAPI description of /api/v1/runs (officials, bearer tokens), merged into openapi.json."""

from __future__ import annotations

from typing import Any

DATE = {"type": "string", "format": "date"}
MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "description": "Decimal yuan as a string"}
STATUS = {"enum": ["eligible", "may_apply", "ineligible", "undetermined", "not_assessable",
                   "not_in_force"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


RUN = {"type": "object", "required": ["id", "status", "as_of", "rules_version", "rows_total",
                                      "rows_done", "counts", "signed_off"],
       "properties": {
           "id": {"type": "integer"}, "status": {"enum": ["running", "complete", "incomplete"]},
           "as_of": DATE, "rules_version": {"type": "string"},
           "items": _nullable({"type": "array", "items": {"type": "string"}}),
           "selection": {"type": "string"}, "rows_total": {"type": "integer"},
           "rows_done": {"type": "integer"},
           "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
           "started_by": {"type": "string"}, "started_at": {"type": "string"},
           "finished_at": _nullable({"type": "string"}),
           "signed_off": _nullable({"type": "object", "required": ["by", "at"], "properties": {
               "by": {"type": "string"}, "at": {"type": "string"}}})}}

RUN_REQUEST = {"type": "object", "additionalProperties": False, "properties": {
    "as_of": {**DATE, "description": "Assessment date; default today."},
    "items": {"type": "array", "items": {"type": "string"}, "description": "Only these item ids."},
    "credit_codes": {"type": "array", "items": {"type": "string"},
                     "description": "Only these stored companies (default: every one); each is "
                                    "screened on its latest profile version not after as_of's year."}}}

DECISION_ROW = {"type": "object", "required": ["id", "credit_code", "item_id", "status", "amount",
                                               "explanation"],
                "properties": {
                    "id": {"type": "integer"}, "credit_code": {"type": "string"},
                    "name": _nullable({"type": "string"}), "district": _nullable({"type": "string"}),
                    "fiscal_year": {"type": "integer"}, "profile_version": {"type": "integer"},
                    "item_id": {"type": "string"}, "status": STATUS, "amount": _nullable(MONEY),
                    "amount_is_ceiling": {"type": "boolean"}, "explanation": _ref("Decision")}}

DECISION_PAGE = {"type": "object", "required": ["run_id", "page", "pages", "total", "decisions"],
                 "properties": {"run_id": {"type": "integer"}, "page": {"type": "integer"},
                                "pages": {"type": "integer"}, "total": {"type": "integer"},
                                "decisions": {"type": "array", "items": _ref("DecisionRow")}}}


def _errors(*statuses: int) -> dict[str, Any]:
    words = {400: "Invalid request", 401: "Missing, unknown or revoked bearer token",
             403: "The token's user is not an official", 404: "No such run",
             415: "Body is not application/json", 500: "Internal error"}
    return {str(s): {"description": words[s], "content": {"application/json": {"schema": _ref("Error")}}}
            for s in statuses}


def _json(status: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {status: {"description": description, "content": {"application/json": {"schema": schema}}}}


RUN_ID = {"name": "run_id", "in": "path", "required": True, "schema": {"type": "integer"}}
SECURITY = [{"bearer": []}]

PATHS = {
    "/runs": {"post": {
        "operationId": "createRun", "summary": "Start screening stored companies (officials)",
        "security": SECURITY,
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("RunRequest")}}},
        "responses": {**_json("202", _ref("Run"), "Started; poll the run until it is complete"),
                      **_errors(400, 401, 403, 415, 500)}}},
    "/runs/{run_id}": {"get": {
        "operationId": "getRun", "summary": "A run: progress, counts, sign-off", "security": SECURITY,
        "parameters": [RUN_ID],
        "responses": {**_json("200", _ref("Run"), "The run"), **_errors(401, 403, 404, 500)}}},
    "/runs/{run_id}/decisions": {"get": {
        "operationId": "listRunDecisions", "summary": "A page of the run's decisions",
        "security": SECURITY,
        "parameters": [RUN_ID,
                       {"name": "status", "in": "query", "schema": STATUS},
                       {"name": "item", "in": "query", "schema": {"type": "string"}},
                       {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}],
        "responses": {**_json("200", _ref("DecisionPage"), "50 decisions per page"),
                      **_errors(400, 401, 403, 404, 500)}}},
}

SCHEMAS = {"Run": RUN, "RunRequest": RUN_REQUEST, "DecisionRow": DECISION_ROW,
           "DecisionPage": DECISION_PAGE}

SECURITY_SCHEMES = {"bearer": {"type": "http", "scheme": "bearer",
                               "description": "An API token created in the screening console "
                                              "(/official/tokens); stored only as a hash."}}
