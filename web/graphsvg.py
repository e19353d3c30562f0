"""A document's neighbours as a small server-rendered SVG: what it rests on, what cites it, and its versions.

Drawn from the relations dict the page shows anyway (``views.document_page``); no script and no
build step. Every title is escaped; only documents the collection holds are links.
"""
from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape

WIDTH, ROW, NODE_W, NODE_H = 720, 34, 220, 26
MAX_PER_SIDE = 8  # more would not read; the lists below the picture hold them all
MAX_VERSIONS = 6
CHARS = 15  # of a title in a box


def neighbours_svg(relations: dict) -> Markup:
    """Return the SVG picture of a document's neighbours, or empty markup when it has none."""
    left, drawn = [], set()
    for group in relations["rests_on"] + relations["cites"]:  # a document both rested on and cited: one box
        key = group["doc_id"] or group["title"] + group["doc_number"]
        if key not in drawn:
            drawn.add(key)
            left.append(_node(group, "依据" if "依据" in group["verbs"] or "贯彻落实" in group["verbs"] else "引用"))
    left = left[:MAX_PER_SIDE]
    right = [_node(g, "被引用") for g in relations["cited_by"]][:MAX_PER_SIDE]
    versions = [v for v in relations["versions"] if not v["this"]]
    if not (left or right or versions):
        return Markup("")
    rows = max(len(left), len(right), 1)
    height = rows * ROW + 40 + (ROW + 10 if versions else 0)
    centre_y = 30 + (rows * ROW) / 2 - NODE_H / 2
    cx = (WIDTH - NODE_W) / 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {WIDTH} {height:.0f}" '
             f'width="100%" role="img" aria-labelledby="graph-title">',
             '<title id="graph-title">本文件的依据、被引用与版本关系图</title>',
             '<text x="8" y="16" class="graph-caption">依据 / 引用</text>',
             f'<text x="{WIDTH - 8}" y="16" text-anchor="end" class="graph-caption">被引用</text>']
    for side, nodes, x in (("left", left, 4), ("right", right, WIDTH - NODE_W - 4)):
        for k, node in enumerate(nodes):
            y = 30 + k * ROW
            x1, x2 = (x + NODE_W, cx) if side == "left" else (cx + NODE_W, x)
            parts.append(f'<line x1="{x1}" y1="{y + NODE_H / 2}" x2="{x2}" y2="{centre_y + NODE_H / 2}" '
                         f'class="edge edge-{"held" if node["held"] else "outside"}"/>')
            parts.append(_box(node, x, y))
    parts.append(_box({"label": relations["title"], "full": relations["title"] + relations["version_label"],
                       "href": None, "held": True, "tag": relations["status"]["value"]}, cx, centre_y, centre=True))
    if versions:
        y = rows * ROW + 40
        shown = versions[:MAX_VERSIONS]
        width = min(NODE_W, WIDTH / len(shown) - 8)  # side by side, never overlapping
        step = WIDTH / len(shown)
        for k, v in enumerate(shown):
            x = step * k + (step - width) / 2
            parts.append(f'<line x1="{cx + NODE_W / 2}" y1="{centre_y + NODE_H}" x2="{x + width / 2:.0f}" y2="{y}" '
                         f'class="edge edge-version"/>')
            parts.append(_box({"label": f"{v['version_label'] or v['date']} {v['status']}",
                               "full": v["title"] + v["version_label"], "held": True, "tag": "版本",
                               "href": url_for("pages.document", doc_id=v["doc_id"])}, x, y, width=width))
    parts.append("</svg>")
    return Markup("".join(parts))


def _node(group: dict, tag: str) -> dict:
    title = group["title"] or group["doc_number"] or "（未写明）"
    href = url_for("pages.document", doc_id=group["doc_id"]) if group["doc_id"] else None
    return {"label": title, "full": title + (group["version_label"] or ""), "href": href, "held": group["held"],
            "tag": tag}


def _box(node: dict, x: float, y: float, centre: bool = False, width: float = NODE_W) -> str:
    chars = max(4, int(CHARS * width / NODE_W))
    label = node["label"] if len(node["label"]) <= chars else node["label"][:chars - 1] + "…"
    kind = "centre" if centre else ("held" if node["held"] else "outside")
    body = (f'<g class="node node-{kind}"><title>{escape(node["full"])}（{escape(node["tag"])}）</title>'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{width:.0f}" height="{NODE_H}" rx="4"/>'
            f'<text x="{x + 8:.0f}" y="{y + 17:.0f}">{escape(label)}</text></g>')
    if node["href"]:
        return f'<a href="{escape(node["href"])}">{body}</a>'
    return body
