"""The support-measures pages (issue 14): ``/support`` (HTML), ``/api/support`` (its JSON) and ``/support.csv``.

Each is ``search.support.support_measures`` for the request's place, IP type and sort; the HTML renders
the JSON's dict and adds only how an amount reads (每件 10,000 元) and the form's choices.
"""
from __future__ import annotations

import io
import re
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from search.errors import FilterError
from search.facetspec import general_ip_type, value_label
from search.support import EXPORT_FIELDS, SORTS, SupportPage, support_measures, write_csv
from search.text.amounts import describe

from .errors import ApiError
from .index import open_index
from .pages import spreadsheet_safe
from .views import FLAG_FALSE, FLAG_TRUE

bp = Blueprint("support", __name__)

SORT_LABELS = {"relevance": "相关度", "amount": "金额（从高到低）", "date": "日期（从新到旧）"}
PLACE_CHARS = 40  # as the search page's place box
WHOLE_NUMBER_RE = re.compile(r"[0-9]{1,9}")
CSV_FIELDS = EXPORT_FIELDS


def _arguments() -> dict:
    """Read the page's state from the query string; what the library can't use it refuses itself.

    :raises ApiError 400: an ip_general that is no flag, a limit that is no whole number.
    """
    args = request.args
    return {"place": args.get("place", "").strip()[:PLACE_CHARS] or None,
            "ip_type": tuple(dict.fromkeys(v.strip() for v in args.getlist("ip_type") if v.strip())),
            "q": args.get("q", "").strip(), "sort": args.get("sort", "").strip() or "relevance",
            "as_of": args.get("as_of", "").strip() or None, "ip_general": _flag(args.get("ip_general", "")),
            "limit": _limit(args.get("limit", ""))}


def _flag(raw: str) -> bool:
    raw = raw.strip().lower()
    if not raw or raw in FLAG_FALSE:
        return False
    if raw in FLAG_TRUE:
        return True
    raise ApiError(f"ip_general 只能是 1 或 0，收到的是“{raw[:40]}”", 400, "bad_flag")


def _limit(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not WHOLE_NUMBER_RE.fullmatch(raw) or int(raw) < 1:
        raise FilterError(f"limit 应为正整数，收到的是“{raw[:40]}”", code="bad_number")
    return min(int(raw), current_app.config["EXPORT_MAX_ROWS"])


def _page(arguments: dict) -> SupportPage:
    with open_index() as index:
        return support_measures(index, **arguments)


def _query_string(arguments: dict, **changes) -> str:
    """Return the query string of a state (defaults left out), for the page's links."""
    state = {**arguments, **changes}
    pairs = [(name, state[name]) for name in ("place", "q") if state.get(name)]
    pairs += [("ip_type", value) for value in state.get("ip_type") or ()]
    if state.get("ip_general"):
        pairs.append(("ip_general", "1"))
    if state.get("sort") and state["sort"] != "relevance":
        pairs.append(("sort", state["sort"]))
    if state.get("as_of"):
        pairs.append(("as_of", state["as_of"]))
    if state.get("limit"):
        pairs.append(("limit", str(state["limit"])))
    query = urlencode(pairs)
    return f"?{query}" if query else ""


@bp.app_template_filter("support_amount")
def amount_label(amount: dict) -> str:
    """Say what an amount of the page's dict comes to, as a number: 每件 10,000 元, 最高 500,000 元, 至少 60%."""
    return describe(amount["value"], amount["unit"], amount["per"], amount["cap"], amount["floor"])


def _place_label(measure: dict) -> str:
    return measure["region"][-1] if measure["region"] else "全国"


@bp.get("/support")
def page():
    """Show the support measures that apply in a place: kind, amount, who qualifies, IP, place, status."""
    arguments = _arguments()
    data = _page(arguments).to_dict()
    json_url = url_for("support.api") + _query_string(arguments)
    response = Response(render_template(
        "support.html", page=data, args=arguments, json_url=json_url,
        csv_url=url_for("support.export_csv") + _query_string(arguments),
        sorts=[{"value": s, "label": SORT_LABELS[s], "selected": s == arguments["sort"]} for s in SORTS],
        ip_options=[{"value": v, "label": value_label("ip_type", v), "selected": v in arguments["ip_type"]}
                    for v in dict.fromkeys((*data["ip_type_options"], *arguments["ip_type"]))],
        general_label=value_label("ip_type", general_ip_type()), place_label=_place_label))
    response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


@bp.get("/api/support")
def api():
    """Return the support measures that apply in a place, as ``SupportPage.to_dict()``."""
    return jsonify(_page(_arguments()).to_dict())


@bp.get("/support.csv")
def export_csv():
    """Download the support measures as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    data = _page(_arguments())
    out = io.StringIO()
    write_csv(data, out, base_url=request.host_url, cell=spreadsheet_safe)
    response = Response(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    name = "支持措施" + (f"-{data.place[-1]}" if data.place else "")
    response.headers["Content-Disposition"] = (f'attachment; filename="ip-support.csv"; '
                                               f"filename*=UTF-8''{quote(name)}.csv")
    response.headers["X-Total-Count"] = str(data.total)
    response.headers["X-Export-Truncated"] = "true" if data.truncated else "false"
    return response
