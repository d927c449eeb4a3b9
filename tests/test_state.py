"""The UI's state passes in the open: session state holds the settings, their widgets, and only the keys that
ui.state.SESSION_KEYS lists, each read and written by the one module it names (read from the code, not run)."""

import ast
from pathlib import Path

from ui.state import CONTROLS, SESSION_KEYS, VIEW

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "streamlit_app.py"])


def is_session_state(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def key_of(node):
    """A key written in the code: "lesson", f"_playing_{key}" → "_playing_*", "w_" + key → "w_*"; None if it is
    a variable (sidebar.widget_for's settings, play's page control)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = key_of(node.left), key_of(node.right)
        return f"{left or '*'}{right or '*'}" if left or right else None
    return None


def keys_used(source: str) -> set[str]:
    """The session-state keys a module's code names: subscripts, get/setdefault/pop, and `in`."""
    keys = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and is_session_state(node.value):
            keys.add(key_of(node.slice))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and is_session_state(node.func.value) and node.args):
            keys.add(key_of(node.args[0]))
        elif (isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In)
              and is_session_state(node.comparators[0])):
            keys.add(key_of(node.left))
    return keys - {None}


def page_controls() -> set[str]:
    """The keys of every page's own controls (Control.page("lesson", …)): settings in the URL like the sidebar's."""
    keys = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "page"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    return keys


def test_the_scanner_finds_keys_in_each_form_the_code_writes_them():
    code = """
st.session_state["a"] = 1
x = st.session_state.get("b", 0)
st.session_state.setdefault(f"_c_{key}", set())
"d" in st.session_state
st.session_state["w_" + key] = 2
st.session_state[key] = 3
"""
    assert keys_used(code) == {"a", "b", "_c_*", "d", "w_*"}


def test_session_state_holds_the_settings_their_widgets_and_the_listed_keys_only():
    settings = {c.key for c in CONTROLS + VIEW} | page_controls()
    widgets = {"w_*", "*_hide"} | {f"w_{k}" for k in settings}  # sidebar.widget_for; *_hide are VIEW settings
    assert {"hidden_layers", "lang", "presenter", "lesson", "step", "at", "speed", "pins"} <= settings
    used_by = {}
    for path in SOURCES:
        for key in keys_used(path.read_text()):
            used_by.setdefault(key, set()).add(path.relative_to(ROOT).as_posix())
    assert len(used_by) > 20  # the scanner read the pages
    others = {key: files for key, files in used_by.items() if key not in settings | widgets}
    unlisted = sorted(set(others) - set(SESSION_KEYS))
    assert not unlisted, f"session-state keys that are not settings and not in ui.state.SESSION_KEYS: {unlisted}"
    shared = {key: sorted(files) for key, files in others.items() if files != {SESSION_KEYS[key][0]}}
    assert not shared, f"keys used outside the one module SESSION_KEYS names (pass them as arguments): {shared}"
    stale = sorted(set(SESSION_KEYS) - set(used_by))
    assert not stale, f"SESSION_KEYS lists keys no code uses: {stale}"


def test_each_listed_key_says_why_it_outlives_a_rerun():
    for key, (owner, why) in SESSION_KEYS.items():
        assert (ROOT / owner).is_file(), key
        assert len(why) > 20, key


def test_the_measured_time_per_step_shows_under_device_for_the_sidebars_run_only():
    """ui.page_frame gives each page the sidebar's place for the time per step (no longer a session-state slot)."""
    from test_app import app, no_errors

    def timing_captions(at):
        return [c.value for c in at.sidebar.caption if "/step" in c.value]

    at = app("streamlit_app.py", steps="200", seed="4242")
    no_errors(at)
    [caption] = timing_captions(at)
    assert "200 steps" in caption and "cpu" in caption
    at.switch_page("pages/0_Lesson.py").run()  # its runs are not the sidebar's: the sidebar has no settings
    no_errors(at)
    assert not timing_captions(at)
    at = app("pages/3_Compare.py", steps="200", seed="4242", pins="steps:200~steps:200,seed:4242")
    no_errors(at)
    assert len(timing_captions(at)) == 1  # said once, for the pinned run with the sidebar's settings


def test_a_session_waiting_for_another_to_train_the_same_run_is_called_while_it_waits():
    """RunStore.claim calls `waiting` every half second while another session trains the config (the page passes
    ui.runs.rerun_point: where a moved slider ends the wait), and hands over the finished run."""
    import threading

    import ui

    store, config = ui.RunStore(), object()
    calls, started, release = [], threading.Event(), threading.Event()

    def trainer():
        with store.claim(config) as owner:
            assert owner
            started.set()
            release.wait(5)
            store.put(config, "the run")

    thread = threading.Thread(target=trainer)
    thread.start()
    started.wait(5)
    threading.Timer(1.2, release.set).start()
    with store.claim(config, waiting=lambda: calls.append(1)) as owner:
        assert not owner and store.get(config) == "the run"
    thread.join()
    assert len(calls) >= 2  # 1.2 s of waiting: at 0.5 s and at 1.0 s


CHOICES = ("activation", "loss", "optimizer", "init", "dataset")  # settings whose values name a table's entry


def choice_literal_comparisons(source: str) -> list[int]:
    """Lines where a choice (config.loss, run.config.activation, …) is compared with a string literal (or a tuple,
    list or set of them): what its table's entry should say instead."""
    def literal(node):
        return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or (
            isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(literal(e) for e in node.elts))

    def choice(node):
        return isinstance(node, ast.Attribute) and node.attr in CHOICES

    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(choice(a) for a in sides) and any(literal(a) for a in sides):
                lines.append(node.lineno)
    return lines


def test_the_scanner_finds_a_choice_compared_with_a_literal():
    assert choice_literal_comparisons('if config.loss == "mse": pass\nx = run.config.init in ("a", "b")') == [1, 2]
    assert choice_literal_comparisons('if LOSSES[config.loss].convex: pass\nx = config.loss == other.loss') == []


def test_no_module_outside_the_tables_compares_a_choice_with_a_string():
    """Each choice's entry carries what the program needs of it (mlp.losses.LOSSES: its solved cost, convexity, σ'
    in δ_L; mlp.model.ACTIVATIONS: its range, whether it dies; mlp.optim.RULES: torch.optim's rule and state;
    mlp.data.DATASETS: a truth table, the students' own points); texts are keyed by the choice's name. config.py,
    which defines the names, is the one place they are spelled out."""
    found = {}
    for path in sorted([*(ROOT / "mlp").glob("*.py"), *SOURCES]):
        if path.name == "config.py":
            continue
        lines = choice_literal_comparisons(path.read_text())
        if lines:
            found[path.relative_to(ROOT).as_posix()] = lines
    assert not found, f"a choice compared with a string literal (put it in its table's entry): {found}"
