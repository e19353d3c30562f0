"""How others worded it: a clause's task (or a pasted draft paragraph) beside the same task in other places' documents.

``/clause/<id>/compare`` and its JSON twin ``/api/clause/<id>/compare`` render ``Comparison.to_dict()``;
``/compare`` takes a pasted paragraph as a form (field ``text``, POST: no URL holds 2,000 characters),
``/api/compare`` answers the same form with its JSON.
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search import settings
from search.comparing import compare_tasks, compare_text
from search.errors import QuerySyntaxError
from search.wording import task_lists

from .compare import mark
from .errors import ApiError
from .index import open_index
from .views import FLAG_FALSE, FLAG_TRUE, check_clause_id

bp = Blueprint("comparing", __name__)


def clause_page(clause_id: str, args: MultiDict) -> dict:
    """Return how other documents word a clause's task: ``Comparison.to_dict()``.

    :raises ApiError 404: not a clause id; 400: a bad ``tasks_only``. :raises ClauseNotFound, FilterError.
    """
    check_clause_id(clause_id)
    with open_index() as index:
        return compare_tasks(index, clause_id, limit=args.get("limit", ""), tasks_only=_tasks_only(args)).to_dict()


def text_page(args: MultiDict) -> dict:
    """Return how the collection's tasks word a pasted paragraph (form field ``text``): ``Comparison.to_dict()``.

    :raises QuerySyntaxError: an empty text (``empty_text``) or one past ``settings.MAX_PASSAGE_CHARS``
        (``text_too_long``). :raises ApiError 400: a bad ``tasks_only``. :raises FilterError: a bad ``limit``.
    """
    with open_index() as index:
        return compare_text(index, args.get("text", ""), limit=args.get("limit", ""),
                            tasks_only=_tasks_only(args)).to_dict()


def _tasks_only(args: MultiDict) -> bool:
    raw = args.get("tasks_only", "").strip().lower()
    if not raw or raw in FLAG_FALSE:
        return False
    if raw in FLAG_TRUE:
        return True
    raise ApiError(f"tasks_only 只能是 1 或 0，收到的是“{raw[:40]}”", 400, "bad_flag")


def _render(page: dict | None, json_url: str | None, status: int = 200, **context) -> Response:
    response = Response(render_template("comparing.html", page=page, json_url=json_url, mark=mark,
                                        task_lists=task_lists, MAX_TEXT_CHARS=settings.MAX_PASSAGE_CHARS,
                                        **context), status=status)
    if json_url:
        response.headers["Link"] = f'<{json_url}>; rel="alternate"; type="application/json"'
    return response


@bp.get("/clause/<clause_id>/compare")
def clause(clause_id: str):
    """Show a clause's task beside the same task in other places' documents, grouped by place."""
    page = clause_page(clause_id, request.args)
    json_url = url_for("comparing.api_clause", clause_id=clause_id, limit=request.args.get("limit") or None,
                       tasks_only=request.args.get("tasks_only") or None)
    return _render(page, json_url)


@bp.get("/api/clause/<clause_id>/compare")
def api_clause(clause_id: str):
    """Return how other documents word a clause's task, grouped by place."""
    return jsonify(clause_page(clause_id, request.args))


@bp.route("/compare", methods=["GET", "POST"])
def paste():
    """Compare a pasted draft paragraph with the tasks of the collection (GET: the empty form)."""
    if request.method == "GET":
        return _render(None, None)
    text = request.form.get("text", "")
    try:
        page = text_page(request.form)
    except QuerySyntaxError as exc:  # the form again, the text kept to be shortened, the reason said
        return _render(None, None, status=400, error=str(exc), error_code=exc.code, text_value=text)
    return _render(page, None, text_value=text)


@bp.post("/api/compare")
def api_paste():
    """Return how the collection's tasks word a pasted paragraph (a form: ``text``, ``limit``, ``tasks_only``)."""
    return jsonify(text_page(request.form))
