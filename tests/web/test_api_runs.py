"""/api/v1/runs with bearer tokens: create a run, read it, page through its decisions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy import select

from engine.store.accounts import create_token, find_user
from engine.store.db import make_engine, make_sessionmaker
from engine.store.demo import FIRM_A
from engine.store.models import ApiToken
from web.official.launch import wait_all

from .conftest import DemoData, csrf_token


def _token(demo: DemoData, username: str = "official") -> str:
    db = make_engine(f"sqlite:///{demo.path}")
    with make_sessionmaker(db)() as session:
        token = create_token(session, find_user(session, username), "test")  # type: ignore[arg-type]
        session.commit()
    db.dispose()
    return token


def _valid(client: FlaskClient, name: str, body: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    validator = Draft202012Validator({"$ref": f"#/components/schemas/{name}",
                                      "components": spec["components"]})
    validator.validate(body)


def _error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status
    assert set(response.get_json()) == {"error"}
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize("header", [None, "Bearer", "Basic b2ZmaWNpYWw6eA==", "Bearer sk_not_a_token"])
def test_without_a_valid_token_the_answer_is_401(demo_app: Flask, client: FlaskClient, demo: DemoData,
                                                 header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get(f"/api/v1/runs/{demo.run_id}", headers=headers)
    _error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_reads_a_run_and_its_decisions(demo_app: Flask, client: FlaskClient,
                                                demo: DemoData) -> None:
    auth = {"Authorization": f"Bearer {_token(demo)}"}
    run = client.get(f"/api/v1/runs/{demo.run_id}", headers=auth)
    assert run.status_code == 200
    _valid(client, "Run", run.get_json())
    assert run.get_json()["status"] == "complete" and run.get_json()["signed_off"] is None
    page = client.get(f"/api/v1/runs/{demo.run_id}/decisions?status=eligible&item=futian.rd_input",
                      headers=auth)
    body = page.get_json()
    _valid(client, "DecisionPage", body)
    assert body["total"] >= 1
    assert {d["status"] for d in body["decisions"]} == {"eligible"}
    assert {d["item_id"] for d in body["decisions"]} == {"futian.rd_input"}
    rd_firm = next(d for d in body["decisions"] if d["credit_code"] == FIRM_A)
    assert rd_firm["amount"] == rd_firm["explanation"]["amount"]
    assert isinstance(rd_firm["amount"], str)
    _error(client.get(f"/api/v1/runs/{demo.run_id}/decisions?status=great", headers=auth),
           400, "invalid_request")
    _error(client.get("/api/v1/runs/999", headers=auth), 404, "not_found")


def test_a_token_starts_a_run(demo_app: Flask, client: FlaskClient, demo: DemoData) -> None:
    auth = {"Authorization": f"Bearer {_token(demo, 'admin')}"}
    response = client.post("/api/v1/runs", headers=auth, json={
        "as_of": "2020-06-01", "credit_codes": [FIRM_A], "items": ["futian.rd_input"]})
    assert response.status_code == 202
    created = response.get_json()
    _valid(client, "Run", created)
    assert response.headers["Location"] == f"/api/v1/runs/{created['id']}"
    assert created["started_by"] == "admin" and created["rows_total"] == 1
    wait_all()
    done = client.get(response.headers["Location"], headers=auth).get_json()
    assert done["status"] == "complete" and done["counts"] == {"eligible": 1}
    _error(client.post("/api/v1/runs", headers=auth, json={"as_of": "soon"}), 400, "invalid_request")
    _error(client.post("/api/v1/runs", headers=auth, json={"whatever": 1}), 400, "invalid_request")


def test_tokens_are_created_once_stored_hashed_and_revocable(
        login_as: Callable[[str], FlaskClient], demo: DemoData) -> None:
    client = login_as("official")
    page = client.post("/official/tokens", data={"label": "district system",
                                                 "csrf_token": csrf_token(client, "/official/")})
    token = re.search(r'id="new-token">([^<]+)<', page.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    api = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/runs/{demo.run_id}", headers=api).status_code == 200
    db = make_engine(f"sqlite:///{demo.path}")
    with make_sessionmaker(db)() as session:
        row = session.scalars(select(ApiToken)).one()
        assert token not in row.token_hash and len(row.token_hash) == 64
    db.dispose()
    assert token not in client.get("/official/tokens").get_data(as_text=True)
    client.post(f"/official/tokens/{row.id}/revoke", data={"csrf_token": csrf_token(client, "/official/")})
    _error(client.get(f"/api/v1/runs/{demo.run_id}", headers=api), 401, "unauthorized")


def test_a_firm_users_token_is_refused(demo_app: Flask, client: FlaskClient, demo: DemoData) -> None:
    auth = {"Authorization": f"Bearer {_token(demo, 'firm-a')}"}
    _error(client.get(f"/api/v1/runs/{demo.run_id}", headers=auth), 403, "forbidden")
