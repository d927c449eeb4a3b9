"""Reliability: hostile links on every page, extremes, bounded memory, and nothing user-supplied executed."""

import random
import re
import urllib.request
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import mlp
import ui
from hostile import hostile_queries

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["streamlit_app.py", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))]
QUERIES = hostile_queries(210)
SAMPLE = 12  # links tried on each page, for its wiring: the parser is the same everywhere (all 210 through it below)
FULL_PAGE = "pages/1_Train.py"  # 24 here, the page with the most controls of its own
LOCAL_KEYS = {"pins", "step", "lab", "at", "logy", "n", "lesson", "speed"}


def last_value_is_valid(key, values):
    control = ui.BY_KEY.get(key) or next((c for c in ui.VIEW if c.key == key), None)
    if control is None:
        return None  # a page control or an unknown key: the page decides
    try:
        control.parse(values[-1][: ui.points.URL_MAX + 1 if control.kind == "points" else 200])  # as parse_query
        return True
    except ValueError:
        return False


def queries_for(page):
    """A fixed sample of the 210 links for each page (a different one per page): 24 on Train, 12 elsewhere."""
    sample = random.Random(page).sample(QUERIES, 2 * SAMPLE if page == FULL_PAGE else SAMPLE)
    if page == "pages/6_Map.py":  # every link trains a whole map: 10 of them, at 300 steps (the rest as the link
        return [{**q, "steps": ["300"]} for q in sample[:10]]  # says; the map's own limit is tested apart)
    return sample


def test_every_hostile_link_parses_to_notes_and_a_valid_config():
    """All 210 links through the parser every page uses (ui.parse_query, ui.config_of): a value not allowed gets a
    note naming its key and is left out (its default stays), an unknown key gets a note, and the settings always
    make a valid Config. The pages' wiring of it is the AppTest below, on a sample of links per page."""
    sidebar = ui.CONTROLS + ui.VIEW
    for query in QUERIES:
        values, notes = ui.parse_query(query, sidebar)
        for key, raw in query.items():
            valid = last_value_is_valid(key, raw)
            if valid is False:
                assert key not in values and any(key in note for note in notes), (key, raw, notes)
            elif valid:
                assert key in values, (key, raw)
            else:
                assert any("unknown" in note for note in notes), (key, notes)
        config = ui.config_of({k: v for k, v in values.items() if k in ui.BY_KEY})
        mlp.Config(**{**config.to_dict(), "device": "cpu"})


@pytest.mark.slow  # the wiring, page by page (the fast lane keeps the parser's test of all 210 above)
@pytest.mark.parametrize("page", PAGES)
def test_hostile_links_get_notes_and_safe_defaults_on_every_page(page):
    assert len(QUERIES) >= 200
    for query in queries_for(page):
        at = AppTest.from_file(f"../{page}", default_timeout=120)
        for key, values in query.items():
            at.query_params[key] = values
        at.run()
        assert not at.exception, (query, [e.message for e in at.exception])
        assert not [e for e in at.error if "Something went wrong" in e.value or "went wrong" in e.value], query
        notes = [w.value for w in at.warning if w.icon == "🔗"]
        for key, values in query.items():
            valid = last_value_is_valid(key, values)
            if valid is False:
                assert any(key in note for note in notes), (key, values, notes)
                assert at.session_state[key] == (ui.BY_KEY.get(key) or next(c for c in ui.VIEW if c.key == key)).default
            if key not in ui.BY_KEY and key not in LOCAL_KEYS and not any(c.key == key for c in ui.VIEW):
                assert any("unknown" in note for note in notes), (key, notes)
        values = {c.field: at.session_state[c.key] for c in ui.CONTROLS}  # always a valid Config
        mlp.Config(**{**values, "device": "cpu"})


def code_without_comments(path) -> str:
    import io
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
    return " ".join(tok.string for tok in tokens if tok.type != tokenize.COMMENT)


def test_nothing_user_supplied_is_evaluated_or_unpickled():
    sources = [*(ROOT / "ui").glob("*.py"), ROOT / "i18n.py", ROOT / "streamlit_app.py",
               *(ROOT / "pages").glob("*.py"), *(ROOT / "mlp").glob("*.py")]
    for path in sources:
        text = code_without_comments(path)  # a comment may speak of them; the code may not call them
        assert not re.search(r"\beval\(|\bexec\(|pickle\.loads?\(|yaml\.load\(|__import__\(|subprocess", text), path
    # one upload (the students' own points): read in memory and checked, never written anywhere
    assert {p.name for p in sources if "file_uploader" in p.read_text()} == {"owndata.py"}
    for path in (ROOT / "ui" / "owndata.py", ROOT / "ui" / "points.py"):
        assert not re.search(r"\bopen\(|\.write|tempfile|Path\(|os\.", code_without_comments(path)), path


@pytest.mark.parametrize("query", [
    pytest.param(dict(lr="10", act="relu", layers="8", width="64", init="normal", steps="300"), marks=pytest.mark.slow),
    pytest.param(dict(lr="10", act="relu", layers="8", width="64", steps="300"), marks=pytest.mark.slow),
    dict(init="zeros", steps="300"),
    pytest.param(dict(steps="200000", layers="0"), marks=pytest.mark.slow),
    *[dict(data=d, lr="10", act="relu", steps="300") for d in mlp.DATASETS],
])
def test_extremes_never_crash_and_still_draw(query):
    at = AppTest.from_file("../pages/1_Train.py", default_timeout=300)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception and not [e for e in at.error if "went wrong" in e.value]
    assert len(at.get("vega_lite_chart")) == 6  # cost, gradients, boundary, network, the units, their gradients
    if query.get("init") == "zeros":
        assert any("Every gradient is exactly 0 from the first step" in i.value for i in at.info)


@pytest.mark.slow
def test_many_distinct_configs_keep_memory_bounded():
    """The run store is bounded in count and in bytes, least recently used dropped first: after 100 distinct
    configs it holds what it held after 48, and a byte limit of three runs holds three."""
    store = ui.RunStore()
    totals = {}
    first = mlp.Config(seed=0, steps=600, hidden_layers=2, width=8)
    for seed in range(100):
        config = replace(first, seed=seed)
        store.put(config, mlp.train(config))
        store.get(first)  # used again and again: never the least recently used
        if seed in (47, 99):
            totals[seed] = (len(store.runs), sum(store.size(r) for r in store.runs.values()))
    assert totals[47] == totals[99] and totals[99][0] == store.max_entries == 48 and totals[99][1] < store.max_bytes
    assert first in store.runs and replace(first, seed=52) not in store.runs and replace(first, seed=53) in store.runs
    assert all(isinstance(v, np.ndarray) for r in store.runs.values() for v in (r.cost, r.grad_norms))
    one = store.size(store.runs[first])
    small = ui.RunStore(max_bytes=3 * one + one // 2)
    for seed in range(10):
        config = replace(first, seed=seed)
        small.put(config, store.get(config) or mlp.train(config))
    assert len(small.runs) == 3 and list(small.runs) == [replace(first, seed=s) for s in (7, 8, 9)]


@pytest.mark.slow
def test_the_server_stays_up_under_hostile_links(server):
    """The page's answer to every one of them: the AppTest above; here, a real server's, as a browser's tab asks it
    (Streamlit's own protocol: bench/protocol.py; a browser draws a link's notes in tests/test_browser.py)."""
    import asyncio
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from chromium import run_apart
    from protocol import Session

    async def open_each():
        said = []
        for query in QUERIES[:5]:
            tab = Session(f"{server.url}/Train?{urlencode(query, doseq=True)}"[:8000])
            await tab.open()
            await tab.run(timeout=90)
            await tab.close()
            said.append((query, tab.errors, len(tab.elements)))
        return said

    for query, errors, drawn in run_apart(asyncio.wait_for(open_each(), 300)):
        assert errors == [] and drawn > 10, (query, errors, drawn)  # no exception, and the page drawn
    assert urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=5).read() == b"ok"
    assert server.alive()
