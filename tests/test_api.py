"""The JSON API: each route returns the dict its HTML page renders, and every error has one shape."""
import pytest

from search import settings
from search.searching import get_clause, get_document, search, similar
from web import views

LUOSHAN_CLAUSE = "2797ba83d9-p2.s8"  # 罗山 (八): 知识产权质押融资风险补偿机制
LUOSHAN_DOC = "2797ba83d9"


def test_search_json_is_exactly_the_library_search_page(client, searchable):
    got = client.get("/api/search?q=质押融资&ip_type=专利&sort=date&per_page=3&page=2").get_json()
    assert got == search(searchable, "质押融资", filters={"ip_type": ["专利"]}, sort="date", per_page=3,
                         page=2).to_dict()


def test_search_json_takes_repeated_filters_and_one_per_doc(client, searchable):
    got = client.get("/api/search?level=省&level=县&year=2016-2022&one_per_doc=1").get_json()
    expected = search(searchable, "", filters={"level": ["省", "县"], "year": ["2016-2022"]}, one_per_doc=True)
    assert got == expected.to_dict()
    assert got["filters"] == {"level": ["省", "县"], "year": ["2016-2022"]} and got["one_per_doc"] is True


def test_search_json_keys(client):
    data = client.get("/api/search?q=质押融资").get_json()
    assert list(data) == ["query", "total", "page", "per_page", "hits", "facets", "filters", "sort", "one_per_doc",
                          "relaxed"]
    assert set(data["facets"]) == {"issuer", "level", "region", "year", "ip_type", "agency", "doc_type", "authority"}


@pytest.mark.parametrize("query,page,per_page", [
    ("per_page=100000", 1, settings.MAX_PER_PAGE),
    ("per_page=0", 1, 1),
    ("per_page=-5", 1, 1),
    ("page=99999999", settings.MAX_PAGE, settings.DEFAULT_PER_PAGE),
    ("page=0", 1, settings.DEFAULT_PER_PAGE),
])
def test_page_and_per_page_are_capped(client, query, page, per_page):
    data = client.get(f"/api/search?{query}").get_json()
    assert (data["page"], data["per_page"]) == (page, per_page)
    assert len(data["hits"]) <= per_page


def test_doc_json_is_the_document_page_dict(app, client, searchable):
    data = client.get(f"/api/doc/{LUOSHAN_DOC}?q=质押融资").get_json()
    with app.test_request_context():
        assert data == views.document_page(LUOSHAN_DOC, "质押融资")
    units = get_document(searchable, LUOSHAN_DOC)
    assert [c["clause_id"] for c in data["clauses"]] == [u.clause_id for u in units]
    assert data["metadata"]["doc_number"] == "罗政〔2021〕28号"
    assert data["metadata"]["source"] == "003_06b732dbd06fe955.txt"
    marked = next(c for c in data["clauses"] if c["clause_id"] == LUOSHAN_CLAUSE)
    assert "<mark>质押融资</mark>" in marked["highlight"]
    assert "…" not in marked["highlight"]  # the whole clause, not a snippet


def test_clause_json(client, searchable):
    assert client.get(f"/api/clause/{LUOSHAN_CLAUSE}").get_json() == get_clause(searchable, LUOSHAN_CLAUSE).to_dict()


def test_similar_json(client, searchable):
    data = client.get(f"/api/clause/{LUOSHAN_CLAUSE}/similar?limit=3").get_json()
    origin, hits = similar(searchable, LUOSHAN_CLAUSE, limit=3)
    assert data == {"clause": origin.to_dict(), "similar": [h.to_dict() for h in hits]}
    assert all(h["doc_id"] != LUOSHAN_DOC for h in data["similar"])


def test_agency_json_groups_by_document(client, searchable):
    data = client.get("/api/agency/知识产权局").get_json()
    expected = search(searchable, "", filters={"agency": ["知识产权局"]}, per_page=1)
    assert data["canonical"] == "知识产权局" and data["total"] == expected.total
    assert sum(len(d["clauses"]) for d in data["documents"]) == data["total"]
    doc_ids = [d["doc_id"] for d in data["documents"]]
    assert len(doc_ids) == len(set(doc_ids)) > 1
    for doc in data["documents"]:
        for clause in doc["clauses"]:
            assert clause["doc_id"] == doc["doc_id"]
            assert clause["roles"] and all(r["role"] in ("lead", "cooperate", "responsible") for r in clause["roles"])


def test_agency_alias_is_folded(client):
    data = client.get("/api/agency/省知识产权局").get_json()
    assert data["canonical"] == "知识产权局"


def test_healthz(client):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok" and data["clauses"] > 2000


@pytest.mark.parametrize("url,status,words", [
    ("/api/search?sort=newest", 400, "unknown sort 'newest'"),
    ("/api/search?page=two", 400, "page must be a whole number"),
    ("/api/search?per_page=1.5", 400, "per_page must be a whole number"),
    ("/api/search?one_per_doc=maybe", 400, "one_per_doc must be 1 or 0"),
    ("/api/search?year=去年", 400, "year filter"),
    ("/api/search?year=2020-2010", 400, "ends before it starts"),
    ("/api/search?q=%22未闭合", 400, "never closed"),
    ("/api/search?q=" + "专利" * 101, 400, "at most 200"),  # longer still: 414 (test_security.py)
    ("/api/clause/2797ba83d9-p99.s99", 404, "no clause"),
    ("/api/clause/not-a-clause!", 404, "no clause"),
    ("/api/clause/../../etc/passwd/similar", 404, ""),
    ("/api/clause/0000000000-a1/similar", 404, "no clause"),
    ("/api/doc/0000000000", 404, "no document"),
    ("/api/doc/XYZ", 404, "10 hexadecimal"),
    ("/api/doc/2797ba83d9?q=-", 400, ""),
    ("/api/agency/没有这个机关", 404, "no clause gives"),
    ("/api/agency/%20", 404, "agency name"),
    ("/api/nowhere", 404, ""),
    ("/export.json?sort=x", 400, "unknown sort"),
    ("/api/search?q=专利法第2147483648条", 400, "no law has an article or paragraph 2147483648"),
    ("/api/search?q=专利法第一万亿条", 400, "numbers go from 1 to 9999"),
    ("/api/search?q=专利法第二十条第99999999999款", 400, "no law has an article or paragraph 99999999999"),
    ("/export.json?q=专利法第一万亿条", 400, "no law has an article"),
])
def test_errors_are_json_of_one_shape(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error", "status"} and body["status"] == status
    assert words in body["error"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_a_missing_index_is_503_json(tmp_path):
    from web import create_app

    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == 503 and "search build" in response.get_json()["error"]
    assert client.get("/").status_code == 503  # the HTML error page, not a traceback
