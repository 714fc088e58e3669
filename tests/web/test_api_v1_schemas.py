"""The OpenAPI document describes every 200 answer of /api/v1: each route's real answer on the
test site validates against the schema the served document gives for it, the schemas are not
trivially permissive, and a broken answer fails them."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from lofte.model import RawInput, VerdictStatus
from lofte.review import pledges as pledge_review
from lofte.review.deadlines import set_deadline
from lofte.review.verdicts import set_verdict
from lofte.store import archive

from .conftest import Site
from .test_api_v1 import _rate

SPEC_URI = "urn:lofte:api:v1:openapi"
Json = Any


def _richer(site: Site) -> None:
    """The test site with what fills the nullable fields too: a published verdict with its
    evidence (`_rate`), one with an as-of date, a party, an editor's deadline and an archived
    copy behind the evidence's document."""
    _rate(site)
    set_verdict(
        site.store,
        site.preschool,
        VerdictStatus.IN_THE_WORKS,
        "Beslutat.",
        as_of="2024-11",
        actor="tester",
    )
    pledge_review.edit(site.store, site.pool, party="S", actor="anna")
    set_deadline(site.store, site.pool, dt.date(2026, 6, 30), actor="anna")
    raw = RawInput(
        b"<p>Simhallen invigd</p>",
        "https://example.org/nyheter/simhall",
        "text/html",
        dt.datetime(2024, 3, 2, 8, 15, tzinfo=dt.UTC),
        {"content-type": "text/html; charset=utf-8"},
        200,
    )
    with site.store.session() as s:
        archive.set_document_archive(s, [site.news["pool"]], archive.ensure_archived(s, raw))


def _addresses(site: Site) -> dict[str, list[str]]:
    """Each route of the OpenAPI document -> the addresses that test it."""
    return {
        "/api/v1/trackers": ["/api/v1/trackers"],
        "/api/v1/trackers/{slug}": ["/api/v1/trackers/sjovik"],
        "/api/v1/pledges": ["/api/v1/pledges", "/api/v1/pledges?page=9"],
        "/api/v1/pledges/{pledge_id}": [
            f"/api/v1/pledges/{site.pool}",  # rated, with evidence and an archived copy
            f"/api/v1/pledges/{site.group}",  # a group with parts
            f"/api/v1/pledges/{site.preschool}",  # a part, its verdict dated as of a month
        ],
        "/api/v1/documents": ["/api/v1/documents"],
        "/api/v1/documents/{document_id}": [
            f"/api/v1/documents/{site.program}",  # its pledges marked
            f"/api/v1/documents/{site.news['pool']}",  # evidence for a pledge, archived
        ],
        "/api/v1/verdicts": ["/api/v1/verdicts?tracker=sjovik"],
    }


def _answer_schema(spec: Json, path: str) -> Json:
    return spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def _validator(spec: Json, path: str) -> Draft202012Validator:
    """A validator of `path`'s 200 answer, its `#/components/schemas/…` refs read from the
    served document (registered as one resource), formats (dates) checked."""
    ref = _answer_schema(spec, path)["$ref"]
    closed = _closed(spec)
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, DRAFT202012.create_resource(closed)
    )
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}{ref}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _closed(spec: Json) -> Json:
    """The spec with every record closed (`additionalProperties: false` where it says nothing):
    the served document allows fields added later, this test wants every field described."""
    closed = copy.deepcopy(spec)

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(closed["components"]["schemas"])
    return closed


def _errors(validator: Draft202012Validator, answer: Json) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(answer)]


@pytest.fixture
def spec(client: TestClient) -> Json:
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    return served.json()


def test_every_answer_validates_against_its_schema(
    client: TestClient, site: Site, spec: Json
) -> None:
    _richer(site)
    addresses = _addresses(site)
    assert set(addresses) == set(spec["paths"])  # a new route needs a schema and a case here
    Draft202012Validator.check_schema({"$defs": spec["components"]["schemas"]})
    for path, urls in addresses.items():
        schema = _answer_schema(spec, path)
        assert set(schema) == {"$ref"} and schema["$ref"].startswith("#/components/schemas/")
        validator = _validator(spec, path)
        for url in urls:
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert _errors(validator, answer.json()) == [], url
    # the cases above reach the nullable fields' other branch too
    pool = client.get(f"/api/v1/pledges/{site.pool}").json()
    assert pool["evidence"][0]["archived_copy"] and pool["deadline_source"] == "editor"
    assert pool["pledge"]["party"] == "S" and pool["timeline"]
    part = client.get(f"/api/v1/pledges/{site.preschool}").json()
    assert part["timeline"][0]["as_of"] == {"value": "2024-11-01", "precision": "month"}
    assert part["pledge"]["parent_id"] == site.group


def test_the_schemas_are_not_trivially_permissive(spec: Json) -> None:
    schemas = spec["components"]["schemas"]
    for path in spec["paths"]:
        ok = spec["paths"][path]["get"]["responses"]["200"]
        assert ok["description"] != "Successful Response", path
    pledge, item = schemas["Pledge"], schemas["PledgeListItem"]
    assert {"id", "quote", "span", "state", "attributes"} <= set(pledge["required"])
    assert {"id", "quote", "status", "deadline_passed"} <= set(item["required"])
    assert {"id", "title", "body", "date"} <= set(schemas["Document"]["required"])
    assert "body" not in schemas["DocumentSummary"]["properties"]
    assert {"tracker", "meter", "by_party"} <= set(schemas["TrackerMeter"]["required"])
    assert set(schemas["PledgePage"]["required"]) == {"items", "page", "per_page", "total", "pages"}
    assert schemas["PledgePage"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/PledgeListItem"
    }
    # a record lists its fields, all required, and (served) allows fields added in version 1;
    # an open object says so
    records = [
        n
        for n, s in schemas.items()
        if "properties" in s and n != "Error" and s.get("additionalProperties") is not True
    ]
    assert {"Tracker", "Pledge", "PledgeListItem", "Document", "DocumentDetail"} <= set(records)
    assert {"PledgeDetail", "Meter", "VerdictChange", "Evidence", "Counts"} <= set(records)
    for name in records:
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name
        assert schemas[name].get("additionalProperties") is not False, name
    assert pledge["properties"]["attributes"]["additionalProperties"] is True
    assert schemas["Checks"]["additionalProperties"] is True
    assert pledge["properties"]["parent_id"]["type"] == ["integer", "null"]
    assert "Error" in schemas  # the errors' schema is still there


def _broken(answer: Json, change: Any) -> Json:
    copied = copy.deepcopy(answer)
    change(copied)
    return copied


def test_a_broken_answer_fails_its_schema(client: TestClient, site: Site, spec: Json) -> None:
    _rate(site)
    pledges = client.get("/api/v1/pledges").json()
    detail = client.get(f"/api/v1/pledges/{site.pool}").json()
    meter = client.get("/api/v1/trackers/sjovik").json()
    changes = client.get("/api/v1/verdicts?tracker=sjovik").json()
    document = client.get(f"/api/v1/documents/{site.program}").json()
    cases: list[tuple[str, Json, Any]] = [
        ("/api/v1/pledges", pledges, lambda a: a["items"][0].update(id="1")),
        ("/api/v1/pledges", pledges, lambda a: a["items"][0].pop("quote")),
        ("/api/v1/pledges", pledges, lambda a: a["items"][0].update(status="great")),
        ("/api/v1/pledges", pledges, lambda a: a["items"][0].update(secret=1)),
        ("/api/v1/pledges", pledges, lambda a: a.pop("total")),
        ("/api/v1/pledges", pledges, lambda a: a["items"][0]["span"].update(end=None)),
        ("/api/v1/pledges/{pledge_id}", detail, lambda a: a["pledge"].pop("id")),
        ("/api/v1/pledges/{pledge_id}", detail, lambda a: a["evidence"][0].update(features={})),
        ("/api/v1/pledges/{pledge_id}", detail, lambda a: a["timeline"][0].update(date="today")),
        ("/api/v1/pledges/{pledge_id}", detail, lambda a: a["source"].update(body="text")),
        ("/api/v1/trackers/{slug}", meter, lambda a: a["meter"]["counts"].pop("kept")),
        ("/api/v1/trackers/{slug}", meter, lambda a: a["tracker"].update(term_start="2022")),
        ("/api/v1/verdicts", changes, lambda a: a["items"][0].update(pledge_id=None)),
        ("/api/v1/documents/{document_id}", document, lambda a: a["marked_body"].append({})),
    ]
    for path, answer, change in cases:
        validator = _validator(spec, path)
        assert _errors(validator, answer) == [], path
        assert _errors(validator, _broken(answer, change)), (path, change)
    # an extractor's new attribute is no break: `attributes` is open
    extended = _broken(pledges, lambda a: a["items"][0]["attributes"].update(new_key=[1]))
    assert _errors(_validator(spec, "/api/v1/pledges"), extended) == []


def test_the_document_says_the_validators_the_304_and_what_each_parameter_is(spec: Json) -> None:
    """QA: no 304 or 503 answers, no headers, no parameter descriptions, no status values and
    no date format in the document."""
    from lofte.model import VerdictStatus

    for path, methods in spec["paths"].items():
        operation = methods["get"]
        responses = operation["responses"]
        assert {"200", "304", "503"} <= set(responses), path
        assert {"ETag", "Last-Modified"} <= set(responses["200"]["headers"]), path
        assert "Retry-After" in responses["503"]["headers"], path
        paged = any(p["name"] == "page" for p in operation.get("parameters", []))
        assert ("Link" in responses["200"]["headers"]) == paged, path
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
            if parameter["name"] == "status":
                values = set(parameter["schema"]["enum"]) - {None}
                assert values == {s.value for s in VerdictStatus}, path
            if parameter["name"] in ("from", "to"):
                assert parameter["schema"]["format"] == "date", path
