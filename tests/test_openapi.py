"""The OpenAPI document at /api/openapi.json, and schemathesis holding the app to it in-process."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from search.facetspec import SEARCH_FACETS
from search.ingest import document_id

pytestmark = pytest.mark.slow  # schemathesis walks every operation

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = {("GET", "/api/search"), ("POST", "/api/search"), ("GET", "/api/doc/{doc_id}"), ("GET", "/api/clause/{clause_id}"),
              ("GET", "/api/clause/{clause_id}/similar"), ("GET", "/api/agency/{name}"), ("GET", "/api/agencies"), ("GET", "/healthz"),
              ("GET", "/api/doc/{doc_id}/relations"), ("GET", "/api/doc/{old_id}/diff/{new_id}"), ("GET", "/api/ledger"),
              ("GET", "/api/support"), ("GET", "/api/clause/{clause_id}/compare"), ("POST", "/api/compare")}


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


# Bounded and repeatable: 25 examples per operation and mode, the same ones every run, nothing
# kept between runs. (schemathesis' own @schema.parametrize() over a fixture needs a pytest
# private attribute pytest 9 no longer has, so the strategy is drawn from directly.)
# Negative cases (data the document forbids) need a parameter to break: /healthz has none, and
# the only invalid agency name, "", makes no URL.
CASES = [(method, path, mode) for method, path in sorted(OPERATIONS) for mode in GenerationMode
         if mode is GenerationMode.POSITIVE or path not in ("/healthz", "/api/agencies")]


@pytest.mark.parametrize("method,path,mode", CASES)
def test_api_conforms_to_its_openapi_document(api_schema, method, path, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


# Generated ids almost never exist, so real ones make sure each 200 body is held to its schema too.
KNOWN = [
    ("/api/search", {}, {"q": "质押融资"}),
    ("/api/search", {}, {"q": "地理标志 农产品", "level": ["省", "县"], "year": ["2016-2022"], "one_per_doc": "1"}),
    ("/api/search", {}, {"q": "专利法第二十条", "sort": "date", "per_page": "3", "page": "2"}),
    ("/api/search", {}, {"q": "商标 质押"}),  # relaxed: 4 exact hits, then ranked ones
    ("/api/search", {}, {"q": "别人盗版我的软件怎么办", "legal_terms": "0"}),
    ("/api/search", {}, {"q": "驰名商表"}),  # little: word counts and a near word
    ("/api/doc/{doc_id}", {"doc_id": "2797ba83d9"}, {"q": "质押融资"}),
    ("/api/clause/{clause_id}", {"clause_id": "2797ba83d9-p2.s8"}, {}),
    ("/api/clause/{clause_id}/similar", {"clause_id": "2797ba83d9-p2.s8"}, {"limit": "3"}),
    ("/api/agency/{name}", {"name": "知识产权局"}, {}),
    ("/api/agency/{name}", {"name": "市场监管局"}, {"level": ["省"], "region": ["黑龙江省"]}),
    ("/api/agency/{name}", {"name": "国家工商行政管理总局"}, {}),
    ("/api/agencies", {}, {}),
    ("/healthz", {}, {}),
    # versions, status and references: the 2010 and 2023 专利法实施细则, the patent law, the Sanmenxia opinion
    ("/api/doc/{doc_id}/relations", {"doc_id": document_id("专利法实施细则(2010-01-09).md")}, {"as_of": "2015-06-01"}),
    ("/api/doc/{doc_id}/relations", {"doc_id": document_id("002_d612a12ae481ae56.txt")}, {}),
    ("/api/doc/{doc_id}", {"doc_id": document_id("专利法(2020-10-17).md")}, {}),
    ("/api/doc/{old_id}/diff/{new_id}", {"old_id": document_id("专利法实施细则(2010-01-09).md"),
                                         "new_id": document_id("专利法实施细则(2023-12-11).md")}, {}),
    ("/api/search", {}, {"q": "专利法实施细则", "status": ["已被修订"], "as_of": "2020-01-01"}),
    ("/api/ledger", {}, {"region": ["黑龙江省"]}),
    ("/api/support", {}, {"place": "三门峡", "sort": "amount"}),
    ("/api/clause/{clause_id}/compare", {"clause_id": "759e9eb900-p3.s2.i30"}, {}),
    ("/api/support", {}, {"place": "罗山县", "ip_type": ["专利"], "ip_general": "1", "limit": "3"}),
    ("/api/clause/{clause_id}/similar", {"clause_id": f"{document_id('专利法实施细则(2010-01-09).md')}-c1.a12"}, {}),
    ("/api/clause/{clause_id}", {"clause_id": f"{document_id('专利法(2020-10-17).md')}-c1.a6"}, {}),
]


@pytest.mark.parametrize("path,path_parameters,query", KNOWN)
def test_real_answers_match_their_schema(api_schema, path, path_parameters, query):
    case = api_schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 200


def _passage(chars: int) -> str:
    from conftest import RAW_DOCS

    text = (RAW_DOCS / "专利法(2020-10-17).md").read_text(encoding="utf-8")
    return text[text.index("第一条"):][:chars]


@pytest.mark.parametrize("body,status", [
    ({"q": _passage(1500), "level": ["国家"], "one_per_doc": "true"}, 200),
    ({"q": "质押融资", "legal_terms": "false"}, 200),
    ({"q": _passage(2001)}, 400),
])
def test_posted_forms_match_their_schema(api_schema, body, status):
    case = api_schema["/api/search"]["POST"].Case(body=body, media_type="application/x-www-form-urlencoded")
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == status


def test_the_document_describes_every_json_route(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.0")
    assert {(method.upper(), path) for path, item in document["paths"].items() for method in item} == OPERATIONS
    params = {p["name"] for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert params == {"q", *(f.name for f in SEARCH_FACETS), "sort", "page", "per_page", "one_per_doc", "legal_terms",
                      "as_of", "place", "ip_general"}
    form = document["paths"]["/api/search"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert set(form["schema"]["properties"]) == params
    assert document["components"]["schemas"]["Error"]["required"] == ["error", "code", "status"]
    assert {"relaxed", "little"} <= set(document["components"]["schemas"]["SearchPage"]["required"])


def test_api_responses_link_the_document(client):
    for url in ("/api/search?q=专利", "/api/clause/no-such", "/healthz"):
        assert '</api/openapi.json>; rel="service-desc"' in client.get(url).headers["Link"]
