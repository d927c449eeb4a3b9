"""The students' own points: read from an uploaded CSV, and written into (and read from) a link.

Pure Python (no Streamlit, nothing executed, nothing written anywhere): a file is bytes in, points or one
message out. A message is (text key, values) for i18n and names the first bad row, so a student can fix it.
"""

from __future__ import annotations

import csv
import io
import math
import re

import mlp

MAX_POINTS = mlp.LIMITS["own_points"][1]
MAX_BYTES = 256 << 10  # 1,000 rows of three numbers are ~40 KB; anything far larger is not such a file
COORDINATE = mlp.LIMITS["coordinate"]
COLUMNS = ("x1", "x2", "label")
XOR = ((0.0, 0.0, 0), (0.0, 1.0, 1), (1.0, 0.0, 1), (1.0, 1.0, 0))  # where a fresh plane of own points starts
URL_MAX = 2000  # characters of a link's `pts` value: beyond this the link does not carry the points


class PointsError(ValueError):
    """What is wrong with a file: args = (text key, values for the text)."""


def read_csv(content: bytes) -> tuple:
    """((x1, x2, label), …) from a CSV with the columns x1, x2, label (a header row is optional when the
    columns come in that order); PointsError naming the first thing that is wrong."""
    if len(content) > MAX_BYTES:
        raise PointsError("points.too_big", dict(size=f"{len(content) / 2**20:.1f}", limit=MAX_BYTES >> 10))
    if b"\0" in content:
        raise PointsError("points.binary", {})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PointsError("points.binary", {}) from None
    rows = [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1) if any(c.strip() for c in row)]
    if not rows:
        raise PointsError("points.empty", {})
    order = [0, 1, 2]
    first = [c.strip().lower() for c in rows[0][1]]
    if not all(_number(c) is not None for c in first):  # a header
        if sorted(first) != sorted(COLUMNS):
            raise PointsError("points.columns", dict(found=", ".join(first)[:80]))
        order = [first.index(name) for name in COLUMNS]
        rows = rows[1:]
    if not rows:
        raise PointsError("points.empty", {})
    if len(rows) > MAX_POINTS:
        raise PointsError("points.too_many", dict(n=f"{len(rows):,}", limit=f"{MAX_POINTS:,}"))
    points = []
    for n, row in rows:
        if len(row) != 3:
            raise PointsError("points.row_fields", dict(row=n, count=len(row)))
        x1, x2, label = (row[i].strip() for i in order)
        for name, cell in (("x1", x1), ("x2", x2)):
            value = _number(cell)
            if value is None:
                raise PointsError("points.row_number", dict(row=n, column=name, value=cell[:20]))
            if not (math.isfinite(value) and COORDINATE[0] <= value <= COORDINATE[1]):
                raise PointsError("points.row_range",
                                  dict(row=n, column=name, value=cell[:20], limit=f"{COORDINATE[1]:g}"))
        if _number(label) not in (0.0, 1.0):
            raise PointsError("points.row_label", dict(row=n, value=label[:20]))
        points.append((float(x1), float(x2), int(_number(label))))
    return tuple(points)


def _number(text: str):
    """The number `text` stands for (plain decimal or exponent notation, nan/inf included), else None."""
    if not re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*|\s*[+-]?(nan|inf|infinity)\s*", text, re.I):
        return None
    return float(text)


def to_csv(points) -> str:
    """The points as a CSV a student can download, edit and upload again."""
    return "x1,x2,label\n" + "".join(f"{x1!r},{x2!r},{label}\n" for x1, x2, label in points)


def to_url(points) -> str | None:
    """The link's form: 'a0_0b0_1b1_0a1_1' (a = class 0, b = class 1, then x1_x2), or None where it would be
    longer than URL_MAX or round the numbers (the link then does not carry the points)."""
    parts = []
    for x1, x2, label in points:
        xs = [format(x, ".6g").replace("e+", "e") for x in (x1, x2)]
        if [float(x) for x in xs] != [x1, x2]:
            return None
        parts.append("ab"[label] + "_".join(xs))
    text = "".join(parts)
    return text if len(text) <= URL_MAX else None


_POINT = r"([ab])([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)_([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)"


def from_url(text: str) -> tuple:
    """The points a link's `pts` value carries; ValueError(text key, values) if it is not one."""
    if not 0 < len(text) <= URL_MAX or not re.fullmatch(f"(?:{_POINT})+", text):
        raise ValueError("allowed.points", dict(n=f"{MAX_POINTS:,}"))
    points = tuple((float(x1), float(x2), "ab".index(c)) for c, x1, x2 in re.findall(_POINT, text))
    try:
        mlp.Config(dataset="own", own_points=points)
    except ValueError:
        raise ValueError("allowed.points", dict(n=f"{MAX_POINTS:,}")) from None
    return points
