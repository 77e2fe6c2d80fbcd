"""The API reference page (/docs/api/): the generated OpenAPI document rendered on the server.

Rendered here rather than by a JavaScript viewer: the page works without scripts and under the
app's CSP, follows the interface language for its headings, and loads nothing from elsewhere.
The operations and schemas come straight from `openapi_document()`, so the page cannot drift
from /api/v1/openapi.json.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from .apidoc import openapi_document

bp = Blueprint("api_reference", __name__)

REF = "#/components/schemas/"
METHODS = ("get", "post", "put", "patch", "delete")
Part = tuple[str, str | None]  # text, and the schema it links to


def schema_parts(schema: dict[str, Any]) -> list[Part]:
    """A schema in a few words, with links to the named schemas it uses:
    'array of [Decision]', 'string (date) | null', 'one of: pass, fail, unknown'."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF)
        return [(name, name)]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            parts: list[Part] = []
            for index, option in enumerate(schema[key]):
                parts += ([(" | ", None)] if index else []) + schema_parts(option)
            return parts
    if "enum" in schema:
        return [("one of: " + ", ".join(str(v) for v in schema["enum"]), None)]
    kind = schema.get("type")
    if kind == "array":
        return [("array of ", None), *schema_parts(schema.get("items", {}))]
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return [("object of ", None), *schema_parts(schema["additionalProperties"])]
    if kind is None:
        return [("any", None)]
    detail = schema.get("format") or ("pattern " + schema["pattern"] if "pattern" in schema else "")
    return [(f"{kind} ({detail})" if detail else str(kind), None)]


def _fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [{"name": name, "type": schema_parts(prop), "required": name in required,
             "description": prop.get("description", ""),
             "example": (prop.get("examples") or [None])[0]}
            for name, prop in schema.get("properties", {}).items()]


def _body_schema(part: dict[str, Any] | None) -> list[Part] | None:
    content = (part or {}).get("content", {}).get("application/json")
    return schema_parts(content["schema"]) if content else None


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, operations in spec["paths"].items():
        for method in METHODS:
            if method not in operations:
                continue
            op = operations[method]
            found.append({
                "id": op.get("operationId", f"{method}-{path}"), "method": method.upper(),
                "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or [""])[0],
                "bearer": bool(op.get("security")),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "type": schema_parts(p.get("schema", {})),
                                "description": p.get("description", "")}
                               for p in op.get("parameters", [])],
                "body": _body_schema(op.get("requestBody")),
                "responses": [{"status": status, "description": r.get("description", ""),
                               "schema": _body_schema(r)}
                              for status, r in sorted(op["responses"].items())],
            })
    return found


@bp.get("/")
def index() -> Any:
    spec = openapi_document()
    schemas = [{"name": name, "description": s.get("description", ""), "fields": _fields(s),
                "type": None if "properties" in s else schema_parts(s)}
               for name, s in sorted(spec["components"]["schemas"].items())]
    return render_template("apidoc/reference.html", info=spec["info"],
                           operations=_operations(spec), schemas=schemas)
