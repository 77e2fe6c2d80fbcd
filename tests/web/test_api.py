"""The JSON API: assess, rules, the OpenAPI document, and one error shape for every error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from engine import Engine, assessment_to_dict, parse_profile
from web import create_app

from .conftest import seed


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape: {"error": {"code", "message", "details"}}."""
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def _schema(client: FlaskClient, name: str) -> Draft202012Validator:
    spec = client.get("/api/v1/openapi.json").get_json()
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                 "components": spec["components"]})


def test_assess_returns_the_engines_document(client: FlaskClient, engine: Engine) -> None:
    profile = seed("futian_rd_firm")
    response = client.post("/api/v1/assess", json={"profile": profile, "as_of": "2020-06-01"})
    assert response.status_code == 200
    expected = assessment_to_dict(engine.assess(parse_profile(profile), dt.date(2020, 6, 1)))
    assert response.get_json() == expected
    rd = next(d for d in expected["decisions"] if d["item_id"] == "futian.rd_input")
    assert rd["status"] == "eligible" and rd["amount"] == "320000.00"


def test_assess_matches_the_documented_schema(client: FlaskClient) -> None:
    response = client.post("/api/v1/assess", json={"profile": seed("futian_newcomer"),
                                                   "as_of": "2020-06-01"})
    errors = list(_schema(client, "Assessment").iter_errors(response.get_json()))
    assert errors == []


def test_json_numbers_are_read_as_decimal(client: FlaskClient) -> None:
    """The digits sent are the digits read (up to the bound of 10^13 yuan with cents; a float would
    have turned 0.1 + 0.2 style figures into binary approximations)."""
    body = ('{"as_of": "2020-06-01", "items": ["futian.rd_input"], "profile": '
            '{"registered_district": "futian", "rd_expense_stats_verified": 9999999999999.99}}')
    response = client.post("/api/v1/assess", data=body, content_type="application/json")
    criteria = response.get_json()["decisions"][0]["criteria"]
    read = next(c for c in criteria if c["fact"] == "rd_expense_stats_verified")["facts"][0]
    assert read["value"] == "9999999999999.99"


def test_assess_can_be_limited_to_items(client: FlaskClient) -> None:
    response = client.post("/api/v1/assess", json={"profile": {}, "as_of": "2020-06-01",
                                                   "items": ["futian.rd_input"]})
    assert [d["item_id"] for d in response.get_json()["decisions"]] == ["futian.rd_input"]


def test_an_invalid_profile_names_its_fields(client: FlaskClient) -> None:
    response = client.post("/api/v1/assess", json={"profile": {"employees_total": 5,
                                                               "st_staff": 9}})
    error = assert_error(response, 400, "profile_error")
    assert set(error["details"]["fields"]) == {"st_staff", "employees_total"}
    assert _schema(client, "Error").is_valid(response.get_json())


@pytest.mark.parametrize(("body", "field"), [
    ({"as_of": "2020-06-01"}, "profile"),
    ({"profile": {}, "as_of": "June"}, "as_of"),
    ({"profile": {}, "items": "futian.rd_input"}, "items"),
    ({"profile": {}, "items": ["futian.nothing"]}, "items"),
    ([1, 2], "body"),
])
def test_a_malformed_request_says_where(client: FlaskClient, body: Any, field: str) -> None:
    error = assert_error(client.post("/api/v1/assess", json=body), 400, "invalid_request")
    assert error["details"]["field"] == field


def test_unknown_keys_are_refused(client: FlaskClient) -> None:
    error = assert_error(client.post("/api/v1/assess", json={"profile": {}, "asof": "x"}),
                         400, "invalid_request")
    assert error["details"]["fields"] == ["asof"]


def test_broken_json_is_a_400(client: FlaskClient) -> None:
    response = client.post("/api/v1/assess", data="{", content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_a_body_that_is_not_json_is_a_415(client: FlaskClient) -> None:
    assert_error(client.post("/api/v1/assess", data="profile=1"), 415, "unsupported_media_type")


def test_the_wrong_method_is_a_405_with_allow(client: FlaskClient) -> None:
    response = client.get("/api/v1/assess")
    error = assert_error(response, 405, "method_not_allowed")
    assert "POST" in error["details"]["allowed"]
    assert "POST" in response.headers["Allow"]


def test_an_unknown_path_is_a_json_404(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")


def test_a_body_over_the_limit_is_a_413(client: FlaskClient) -> None:
    big = {"profile": {"name": "x" * 300_000}}
    error = assert_error(client.post("/api/v1/assess", json=big), 413, "payload_too_large")
    assert error["details"]["limit_bytes"] == 256 * 1024


def test_a_bug_is_a_json_500_without_internals() -> None:
    app = create_app({"TESTING": True})

    @app.get("/api/v1/_broken")
    def broken() -> None:
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/api/v1/_broken")
    error = assert_error(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert error["details"] == {}


def test_rules_lists_programs_and_items(client: FlaskClient, engine: Engine) -> None:
    body = client.get("/api/v1/rules").get_json()
    assert body["rules_version"] == engine.rules_version
    futian = next(p for p in body["programs"] if p["id"] == "futian.st")
    assert futian["budget"]["total_wan"] == "26380"
    ids = [i["id"] for i in futian["items"]]
    assert "futian.rd_input" in ids
    pledge = next(i for i in futian["items"] if i["id"] == "futian.ip_pledge")
    assert len(pledge["versions"]) == len(engine.catalog.versions["futian.ip_pledge"]) > 1


def test_one_rule_with_its_versions(client: FlaskClient) -> None:
    body = client.get("/api/v1/rules/futian.rd_input").get_json()
    version = body["versions"][0]
    assert version["valid_from"] == "2017-01-01" and version["budget_line_wan"] == "3000"
    assert version["source"]["basis"] == "reconstructed"
    assert "examples" not in version


def test_an_unknown_rule_is_a_json_404(client: FlaskClient) -> None:
    error = assert_error(client.get("/api/v1/rules/futian.nothing"), 404, "not_found")
    assert "futian.nothing" in error["message"]


def test_the_openapi_document_validates(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert set(spec["paths"]) == {"/api/v1" + p for p in (
        "/assess", "/rules", "/rules/{item_id}", "/openapi.json", "/runs", "/runs/{run_id}",
        "/runs/{run_id}/decisions")}


def test_the_openapi_profile_schema_follows_the_engine(client: FlaskClient) -> None:
    from engine import FACT_FIELDS

    spec = client.get("/api/v1/openapi.json").get_json()
    assert set(FACT_FIELDS) <= set(spec["components"]["schemas"]["Profile"]["properties"])


def test_api_documented_paths_exist(app: Any) -> None:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = {r.rule for r in app.url_map.iter_rules()}
    for path in spec["paths"]:
        assert path.replace("{item_id}", "<item_id>").replace(
            "{run_id}", "<int:run_id>") in routes


def test_concurrent_requests_share_one_engine_safely(app: Any) -> None:
    """Eight threads assess different firms at once; each gets its own firm's answer."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["futian_rd_firm", "futian_newcomer", "futian_ip_loan_firm", "futian_dishonest"] * 2

    def assess(name: str) -> tuple[str, Any]:
        body = {"profile": seed(name), "as_of": "2020-06-01"}
        return name, app.test_client().post("/api/v1/assess", json=body).get_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(assess, names))
    alone = {name: app.test_client().post("/api/v1/assess", json={
        "profile": seed(name), "as_of": "2020-06-01"}).get_json() for name in set(names)}
    for name, document in results:
        assert document == alone[name]
        assert document["company"]["name"] == seed(name)["name"]


def test_responses_validate_against_the_models_the_document_comes_from(client: FlaskClient) -> None:
    """The pydantic models of web/api_models.py describe what the views really send."""
    from web import api_models as m

    assessed = client.post("/api/v1/assess", json={"profile": seed("futian_rd_firm"),
                                                   "as_of": "2020-06-01"})
    assessment = m.Assessment.model_validate(assessed.get_json())
    assert len(assessment.decisions) > 50
    assert m.RuleIndex.model_validate(client.get("/api/v1/rules").get_json()).programs
    detail = m.RuleDetail.model_validate(client.get("/api/v1/rules/futian.rd_input").get_json())
    assert detail.id == "futian.rd_input"
    error = m.Error.model_validate(client.post("/api/v1/assess", json={"as_of": "x"}).get_json())
    assert error.error.code == "invalid_request"
    with pytest.raises(ValueError):  # a model that could not fail would prove nothing
        m.Assessment.model_validate({"rules_version": "x", "as_of": "2020-06-01"})


def test_the_document_describes_each_routes_errors(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    error = {"$ref": "#/components/schemas/Error"}
    assess = spec["paths"]["/api/v1/assess"]["post"]["responses"]
    assert {"200", "400", "413", "415", "422", "500"} <= set(assess)
    assert "404" in spec["paths"]["/api/v1/rules/{item_id}"]["get"]["responses"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2"):
                    assert response["content"]["application/json"]["schema"] == error, (
                        path, method, status)
    runs = spec["paths"]["/api/v1/runs"]["post"]
    assert runs["security"] == [{"bearer": []}] and "401" in runs["responses"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    request = spec["components"]["schemas"]["AssessRequest"]
    assert request["additionalProperties"] is False
    assert request["properties"]["profile"] == {"$ref": "#/components/schemas/Profile"}


def test_the_reference_page_shows_every_operation_and_schema(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/docs/api/?lang=en")
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert f'id="op-{operation["operationId"]}"' in text, (method, path)
            assert f"<code>{method.upper()}</code> <code>{path}</code>" in text
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name}"' in text
    assert 'href="#schema-AssessRequest"' in text and "API reference" in text
    assert "<script" not in text  # rendered on the server: no viewer, nothing from elsewhere


def test_the_navigation_links_the_reference_page_not_the_json(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    assert '<a href="/docs/api/">API 文档</a>' in home
