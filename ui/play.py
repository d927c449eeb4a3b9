"""Play at lecture speed, shared by the Chain-rule and Train pages: a step slider with Play / Pause and a
speed of ×1, ×10, ×100 or ×1,000 steps a frame, whose pictures redraw about 6 times a second.

While playing, a fragment reruns only the slider and the pictures every TICK seconds (what else on the page
depends on the step waits for Pause); each chart is built once and only its data swapped (ui.animated), so the
browser updates it in place. The weights of each step are exact where the run can go on from the last step reached (the
hand-written chain rule in float32 on the cpu: ~20 µs a step); elsewhere the run's nearest kept snapshot.
"""

from __future__ import annotations

import functools
import math

import streamlit as st

import mlp

from . import charts, network, owndata, units
from .figures import animated
from .live import played_step, steered
from .session import fragment, lang, t
from .sidebar import widget_for
from .state import END, Control

SPEEDS = ("1", "10", "100", "1000")  # steps per frame
TICK = 0.15  # seconds between frames while playing: ~6 a second here (python bench/bench_ui.py --play)
FPS = f"{math.floor(10 / TICK) / 10:g}"  # what the texts say: at most this many frames a second (rounded down)
SPEED = Control.page("speed", "10", "choice", choices=SPEEDS)  # a page control, in the URL
SIDE_PLANE = 190  # px: the input plane, square, beside the net and the curves on a laptop's first screen …
PRESENTER_PLANE = 1.15, 1.4  # … larger at a projector's fonts (beside the sidebar; with it hidden, sidebar_hide), and
COLUMNS = [1.5, 0.7, 1, 1]  # the plane's, the net's and the curves' shares of the row: the plane's chart (the plane and
# its axes: 244 px here, 283 in presenter mode, 331 with the sidebar hidden) within its column from a 1280-px window
# on (the row is 739, 825 and 1,144 px there: the plane's column 270, 300 and 414 px, measured): wider, it ran under
# the net's picture, which hid part of it. The plane's column then narrows to the plane (ui.session's CSS): on a
# wider screen the rest of its share goes to the net and the curves instead of a gap beside the plane
SIDE_CURVE_HEIGHT = 190  # px: the two curves' plots, beside the pictures
MOVING_GRID = 25, 11  # while playing: the boundary's and each unit's grid, coarser than at rest: a frame in time


def playing(key: str) -> bool:
    return bool(st.session_state.get(f"_playing_{key}"))


def set_playing(key: str, value: bool):
    st.session_state[f"_playing_{key}"] = value


def start(key: str, last: int):
    """Play: from the step shown, or, at the end of the run, from step 0 again (as a media player does)."""
    if st.session_state[key] >= last:
        st.session_state[key] = 0
    st.session_state[f"_drawn_{key}"] = set()
    set_playing(key, True)


def buttons(key: str, last: int, box):
    """Play (Replay at the end of the run), Pause and the speed, into a row of the page's own buttons."""
    on = playing(key) and st.session_state[key] < last
    at_end = st.session_state[key] >= last
    box.button(t("chain.replay" if at_end else "chain.play"), on_click=start, args=(key, last),
               icon=":material/replay:" if at_end else ":material/play_arrow:",
               disabled=on or last == 0, type="secondary" if on else "primary", key=f"b_play_{key}")
    box.button(t("chain.pause"), on_click=set_playing, args=(key, False), icon=":material/pause:", disabled=not on,
               key=f"b_pause_{key}")
    with box:
        widget_for(st.segmented_control, t("ctl.speed"), "speed", list(SPEEDS),
                   format_func=lambda v: t("chain.speed_option", n=f"{int(v):,}"), help=t("help.speed", fps=FPS))


def weights_at(config: mlp.Config, step: int, run=None):
    """(flat weights at `step`, exact?); None where only the run's snapshots have them."""
    if mlp.inspection.goes_on(config):
        return mlp.inspection.params_at_step(config, step, run), True
    return None, False


def pictures(config: mlp.Config, run, step: int, key: str, log_y: bool = False, units_header=None):
    """The net at `step` and the run up to it, side by side on the first screen: the decision boundary (a square
    plane), the net, the cost so far and the gradient sizes so far (each ending in a dot at the step), moving together
    while playing. With `units_header` (Train): below them what it draws (a heading, the layer picker) and each
    unit's picture of the layer it returns (1-based; the output is the last)."""
    language = lang()
    exact = mlp.inspection.goes_on(config)
    params = functools.cache(lambda: weights_at(config, step, run)[0])  # made only if a picture is not kept yet
    still = None if playing(key) else (run, step)  # a paused picture of a finished run is kept (ui.animated)
    upto = run.upto(step)
    plane_col, net_col, cost_col, grad_col = st.columns(COLUMNS)
    presenter = st.session_state.get("presenter")
    side = round(SIDE_PLANE * (PRESENTER_PLANE[bool(st.session_state.get("sidebar_hide"))] if presenter else 1))
    grid, unit_grid = MOVING_GRID if playing(key) else (None, None)  # None: each picture's own grid
    boundary = lambda: charts.boundary_frames(run, step, params(), grid, lang=language, titled=False)  # noqa: E731
    clickable = (mlp.DATASETS[config.dataset].own and units_header is not None and not playing(key)
                 and not st.session_state.get("own_points_hide"))
    chart_key = f"{key}_boundary_{len(config.own_points)}" if clickable else f"{key}_boundary"  # a new chart for
    plane = plane_col.container(key=f"fixed_{key}_plane")  # its column no narrower than it (ui.session: fixed_)
    animated(charts.decision_boundary, boundary, run, still=still, lang=language, target=plane,  # each point:
             key=chart_key, alt_text=t("alt.boundary"), clickable=clickable,  # its click starts unselected
             on_select=(lambda: owndata.clicked(chart_key)) if clickable else None,
             width=side, height=side, legends_below=True)
    net = lambda: network.network_frames(run, step, params(), lang=language, titled=False)  # noqa: E731
    animated(network.network_diagram, net, run, still=still, lang=language, target=net_col, key=f"{key}_net",
             alt_text=t("alt.network"), height=side + 40)
    animated(charts.cost_chart, lambda: charts.cost_frames(upto, log_y, lang=language), upto, still=still,
             lang=language, log_cost=log_y, target=cost_col, key=f"{key}_cost", alt_text=t("alt.cost"),
             height=SIDE_CURVE_HEIGHT, now=True)
    animated(charts.gradient_chart, lambda: charts.gradient_frames(upto, lang=language), upto, still=still,
             lang=language, target=grad_col, key=f"{key}_grad", alt_text=t("alt.gradients"),
             height=SIDE_CURVE_HEIGHT, narrow=True, now=True)
    if units_header is not None:
        layer = units_header() - 1
        animated(units.unit_maps, lambda: units.unit_frames(run, layer, step, params(), unit_grid, lang=language), run,
                 still=still, layer=layer, lang=language, key=f"{key}_units", alt_text=t("alt.units"))
    if not exact:
        st.caption(t("chain.snapshot_note"))


def frame(config: mlp.Config, run, key: str, label: str, end_sticks: bool = False, log_y: bool = False,
          units_header=None) -> int:
    """One frame: the step slider (session_state[key]) and the pictures; while playing, `speed` steps on.
    With `end_sticks`, the last step is kept as END ("the end, whatever the run's length")."""
    last = max(0, run.steps_done - 1)  # a diverged run ends early
    step = min(st.session_state[key], last)
    if playing(key):
        step = min(last, step + int(st.session_state["speed"]))
        st.session_state[key] = END if end_sticks and step == last else step
        st.session_state.setdefault(f"_drawn_{key}", set()).add(step)
        played_step(key, None if st.session_state[key] == END else step)  # in a live class: to the students
    if last > 0:
        st.session_state[f"w_{key}"] = step

        def moved():
            value = st.session_state[f"w_{key}"]
            drawn = st.session_state.get(f"_drawn_{key}", set())
            if not playing(key) and value in drawn:  # the browser sending back a frame Play drew (its widget state
                drawn.clear()  # lagging the last frame when the page reruns), not a student's move: ignored once
                return
            st.session_state[key] = END if end_sticks and value == last else value

        st.slider(label, 0, last, key=f"w_{key}", on_change=moved, help=t("help.step"),
                  disabled=steered())  # (following: the step is the lecturer's, as Play and the settings are)
    else:  # a one-step run: nothing to choose (a slider from 0 to 0 is not allowed)
        st.caption(f"{label}: 0")
    pictures(config, run, step, key, log_y, units_header)
    if playing(key) and step >= last:
        set_playing(key, False)
        st.rerun()  # the end: the whole page again, with Play enabled (and the Chain rule's numbers)
    return step


@fragment(run_every=TICK)
def _playing_frame(config, run, key, label, end_sticks, log_y, units_header):
    if not playing(key):  # stopped (the end, or Pause) and the page not redrawn yet: a rerun request at the
        st.rerun()  # end can be lost to a tick queued at the same moment; this tick asks again
    frame(config, run, key, label, end_sticks, log_y, units_header)


def player(config: mlp.Config, run, key: str, label: str, end_sticks: bool = False, log_y: bool = False,
           units_header=None):
    """The slider and the pictures: redrawn by a timer while playing (then returns None: the page should
    wait for Pause before drawing what depends on the step), else once (returns the step)."""
    last = max(0, run.steps_done - 1)
    if playing(key) and min(st.session_state[key], last) < last:
        _playing_frame(config, run, key, label, end_sticks, log_y, units_header)
        st.info(t("chain.playing", speed=f"{int(st.session_state['speed']):,}", fps=FPS), icon="▶️")
        return None
    set_playing(key, False)
    return frame(config, run, key, label, end_sticks, log_y, units_header)
