"""The map (engine): the share of seeds that learn over a grid of two settings, each cell a sweep."""

import time
from dataclasses import replace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import mlp
import ui

BASE = mlp.Config(device="cpu", steps=1500)


@pytest.mark.parametrize("rows,cols", [
    (("lr", (0.1, 1.0, 10.0)), ("width", (1, 2, 6))),  # lr cells share a program (a learning rate per net)
    (("activation", ("sigmoid", "tanh")), ("lr", (0.5, 2.0))),
    (("optimizer", ("sgd", "adam")), ("hidden_layers", (1, 2))),
    (("init", ("default", "xavier", "zeros")), ("lr", (0.5, 2.0))),  # one program: an init and an lr per net
])
def test_each_cell_equals_the_sweep_of_its_own_config(rows, cols):
    calls = []
    result = mlp.hyper_map(BASE, rows, cols, 8, on_cell=calls.append, storage="numpy")
    assert result.solved_fraction.shape == (len(rows[1]), len(cols[1])) and result.n_seeds == 8
    for i, r in enumerate(rows[1]):
        for j, c in enumerate(cols[1]):
            cell = mlp.sweep(replace(BASE, **{rows[0]: r, cols[0]: c}), 8, storage="numpy")
            solved = cell.solved_step[cell.solved_step >= 0]
            assert result.solved_fraction[i, j] == np.mean(cell.solved_step >= 0), (r, c)
            assert result.diverged_fraction[i, j] == np.mean(cell.diverged)
            if len(solved):
                assert result.median_solved_step[i, j] == np.median(solved)
            else:
                assert np.isnan(result.median_solved_step[i, j])
            final = cell.final_cost[~cell.diverged]
            np.testing.assert_allclose(result.median_final_cost[i, j], np.median(final) if len(final) else np.nan)
    assert np.isnan(calls[0].solved_fraction).any() or len(calls) == 1  # cells fill in as their batch finishes
    assert not np.isnan(calls[-1].solved_fraction).any()


@pytest.mark.slow
def test_a_cells_share_is_the_share_of_single_runs_that_solve():
    """Not a sweep against a sweep: each of a cell's 8 seeds trained alone (mlp.train), solved where its cost falls
    under SOLVED_COST with every point right. Two float32 programs may put "solved" a step or two apart
    (tests/agree.py), so a seed that solves within 2 steps of the end is not counted either way."""
    result = mlp.hyper_map(BASE, ("lr", (0.5, 1.0)), ("width", (2, 3)), 8)
    for i, lr in enumerate((0.5, 1.0)):
        for j, width in enumerate((2, 3)):
            solved, counted = 0, 0
            for k in range(8):
                run = mlp.train(replace(BASE, lr=lr, width=width, seed=BASE.seed + k))
                at = np.flatnonzero((run.cost < mlp.SOLVED_COST) & (run.accuracy >= 1.0))
                if len(at) and at[0] >= BASE.steps - 2:
                    continue
                counted += 1
                solved += bool(len(at))
            if counted == 8:
                assert result.solved_fraction[i, j] == solved / 8, (lr, width)
            else:
                assert abs(result.solved_fraction[i, j] - solved / 8) <= (8 - counted) / 8, (lr, width)
    assert 0 < result.solved_fraction.mean() < 1  # seeds that solve and seeds that stick: the count means something


def test_the_map_shows_what_the_lecture_says():
    result = mlp.hyper_map(BASE, ("lr", (0.01, 1.0)), ("width", (1, 8)), 16)
    assert result.solved_fraction[:, 0].max() == 0  # one hidden unit cannot draw XOR's two lines
    assert result.solved_fraction[0].max() == 0  # lr 0.01: 1,500 steps are far too few
    assert result.solved_fraction[1, 1] >= 0.9  # lr 1, 8 units: nearly every seed


@pytest.mark.parametrize("rows,cols,match", [
    (("seed", (1, 2)), ("lr", (1.0,)), "axis"), (("lr", ()), ("width", (2,)), "at least one"),
    (("lr", (1.0,)), ("lr", (2.0,)), "differ"), (("width", (0,)), ("lr", (1.0,)), "width"),
])
def test_a_bad_map_is_refused_with_what_to_change(rows, cols, match):
    with pytest.raises(ValueError, match=match):
        mlp.hyper_map(BASE, rows, cols, 4)


@pytest.mark.slow
def test_the_map_page_draws_the_map_and_its_cells_are_the_engines():
    from test_app import app, charts, frame_with, no_errors

    at = app("pages/6_Map.py", steps="1500", map_rows="act", map_cols="lr", map_seeds="8")
    no_errors(at)
    cells = frame_with(charts(at)[0], "row", "col", "i", "j", "solved", "steps", "diverged", "cost")
    lrs = (0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0)
    expected = mlp.hyper_map(BASE, ("activation", tuple(mlp.ACTIVATIONS)), ("lr", lrs), 8)
    assert len(cells) == 3 * 8
    net = "**Net:** 2-2-1 sigmoid, lr 1, manual, xor, seed 777 and the seeds after it, 1,500 steps; each cell changes"
    assert f"{net} its activation and learning rate." in [c.value for c in at.caption]  # (a follower's sidebar: none)
    for _, cell in cells.iterrows():
        assert cell.solved == expected.solved_fraction[cell.i, cell.j]
    same = app("pages/6_Map.py", steps="300", map_rows="width", map_cols="width", map_seeds="9")
    no_errors(same)
    assert any("two different settings" in w.value for w in same.warning)
    assert any("map_seeds=9" in w.value for w in same.warning if w.icon == "🔗")
    if mlp.cuda_state() != "gpu":  # 128 and 256 seeds a cell (and finer grids) are offered on a GPU only
        # the note is said by the run that reads the link (a rerun while the map fills finds 64 already set)
        many = app("pages/6_Map.py", settled=False, steps="300", map_seeds="256")
        assert any("need a GPU" in i.value for i in many.info) and many.session_state["map_seeds"] == "64"


def test_a_map_too_big_for_two_minutes_is_refused_before_any_work():
    from test_app import app, charts, no_errors

    big = (("width", (1, 2, 4, 8, 16, 32)), ("lr", (0.01, 0.1, 1.0, 10.0)))
    config = mlp.Config(hidden_layers=8, steps=200_000, device="cpu")
    assert mlp.maps.map_work(config, *big, 64) > mlp.maps.WORK_MAX
    with pytest.raises(ValueError, match="fewer seeds per cell, fewer steps, or a smaller net"):
        mlp.hyper_map(config, *big, 64)
    at = app("pages/6_Map.py", layers="8", steps="200000", map_seeds="64")
    no_errors(at)
    assert any("a map may take 2" in w.value for w in at.warning) and not charts(at)


@pytest.mark.slow
def test_the_map_fills_in_the_background_and_its_controls_stay_usable(monkeypatch):
    """A map trains in a thread of its own (ui/runs.py: MapJob): the page's script ends at once with the sidebar
    and the pickers drawn and a progress bar, the map so far comes as cells finish, and the finished map (with its
    links) once it is done. A map nobody follows any more (a control moved to another map, the student left)
    stops at its next batch, and asked for again it starts anew. Told by events, not by the clock: the test holds
    the line's one turn while the page opens, and sets how long a map may go unfollowed."""
    from test_app import charts, frame_with, no_errors, settle

    monkeypatch.setattr(ui.runs, "MAP_FIRST_WAIT", 0.0)  # the page does not wait for a quick map to finish
    monkeypatch.setattr(ui.runs, "MAP_ABANDON", 1e9)
    lrs, widths = ("lr", (0.01, 0.05, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0)), ("width", (1, 2, 4, 8, 16, 32))

    def page(steps):
        at = AppTest.from_file("../pages/6_Map.py", default_timeout=60)
        for k, v in dict(steps=str(steps), map_rows="lr", map_cols="width", map_seeds="16").items():
            at.query_params[k] = v
        return at

    key = ("map", ui.config_of({"steps": 2001}), lrs, widths, 16)
    at = page(2001)
    with ui.runs.turns("nets").turn(0):  # another training holds the line: this map waits its turn
        at.run()
        no_errors(at)
        job = ui.runs.map_jobs()[key]
        assert at.get("progress") and not job.done.is_set()  # the page is back, the map still to come
        assert at.sidebar.slider(key="w_hidden_layers") and at.selectbox(key="w_map_rows")  # the controls are there
    while job.partial is None and not job.done.is_set():
        time.sleep(0.05)
    at.run()  # what the fragment draws on its next tick: the map so far
    if not job.done.is_set():
        partial = frame_with(charts(at)[0], "row", "col", "i", "j", "solved")
        assert 0 < partial.solved.notna().sum() < 8 * 6, partial.solved.notna().sum()
    settle(at)
    no_errors(at)
    assert not at.get("progress") and job.result is not None and ui.runs.store().get(key) is job.result
    cells = frame_with(charts(at)[0], "row", "col", "i", "j", "solved")
    assert cells.solved.notna().all() and "map_chart" in at.session_state  # the finished, clickable map
    at.sidebar.slider(key="w_width").set_value(3).run()  # an axis's own value in the sidebar: the same map
    assert not at.get("progress") and frame_with(charts(at)[0], "row", "col", "i", "j", "solved").equals(cells)

    monkeypatch.setattr(ui.runs, "MAP_ABANDON", 0.0)  # followed by nobody from the moment it starts
    left = page(1501)
    left.run()
    gone = ui.runs.map_jobs()[("map", ui.config_of({"steps": 1501}), lrs, widths, 16)]
    assert gone.done.wait(60) and gone.result is None and gone.error is None  # stopped at its first batch
    monkeypatch.setattr(ui.runs, "MAP_ABANDON", 1e9)
    settle(left.run())  # asked for again: a new job, to the end
    no_errors(left)
    assert frame_with(charts(left)[0], "row", "col", "i", "j", "solved").solved.notna().all()


@pytest.mark.slow  # ~1.5–2 s on an AMD EPYC: out of the fast lane
def test_a_map_that_fails_says_why_once_and_the_next_ask_tries_again(monkeypatch):
    """An error in the map's thread reaches the page as a message (never a traceback), once; the page asked again
    trains it anew rather than repeating the failure."""
    from test_app import app, charts

    monkeypatch.setattr(ui.runs, "MAP_FIRST_WAIT", 0.0)
    real = mlp.hyper_map

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory in the test")

    monkeypatch.setattr(mlp, "hyper_map", broken)
    at = app("pages/6_Map.py", steps="301", map_seeds="8")  # reruns until the map's job has ended
    assert not at.exception  # no traceback: the page's message, with the error's own words
    assert any("out of memory in the test" in e.value for e in at.error) and not charts(at)
    monkeypatch.setattr(mlp, "hyper_map", real)
    again = app("pages/6_Map.py", steps="301", map_seeds="8")
    assert not again.exception and not again.error, [e.value for e in again.error]
    assert not again.error, [e.value for e in again.error]
    assert len(charts(again)) == 1
