"""What a widget reads of the session state, one key at a time (ui/widget_state.py): the same answers as Streamlit's
own `filtered_state` dict, for every kind of key a page's state holds, in a real script run (AppTest)."""

from streamlit.testing.v1 import AppTest

from conftest import ROOT


def script():
    """Widgets keyed and not, a value set before its widget, a selectbox and a number box with no value, plain keys,
    a private and an internal one, a widget drawn only in the first run: then the one-key view against the dict."""
    import streamlit as st
    from streamlit.runtime.state.session_state_proxy import get_session_state

    from ui.widget_state import OneKey

    st.session_state.setdefault("plain", 5)
    st.session_state.setdefault("_private", [1, 2])
    st.session_state.setdefault("$$STREAMLIT_INTERNAL_KEY_x", "internal")
    st.session_state.setdefault("w_preset_value", "b")
    st.session_state.setdefault("runs", 0)
    st.session_state["runs"] += 1
    st.slider("keyed", 0, 10, 3, key="w_slider")
    st.slider("keyless", 0, 10, 4)
    st.selectbox("no option chosen", ["a", "b"], index=None, key="w_none")
    st.selectbox("set before it was drawn", ["a", "b"], key="w_preset_value")
    st.number_input("emptied", value=None, key="w_number")
    if st.session_state["runs"] == 1:
        st.checkbox("only in the first run", key="w_gone")
    # a slider whose range grows each run: a new id each run, the last run's id still maps back to its key
    st.slider("its range grows", 0, 10 + st.session_state["runs"], st.session_state["runs"], key="w_ranged")
    full = get_session_state().filtered_state
    view = OneKey(get_session_state()).filtered_state
    asked = [*full, "absent", "w_gone", "_private", "$$STREAMLIT_INTERNAL_KEY_x", 42, None]
    state_type = type(get_session_state()._state)  # which questions listed all the state's keys to answer
    listing, listed = state_type._keys, []
    state_type._keys = lambda self: listed.append(True) or listing(self)
    try:
        seen = []
        for k in asked:
            listed.clear()
            seen.append((k, k in full, k in view, full.get(k, "-"), view.get(k, "-"), bool(listed)))
    finally:
        state_type._keys = listing
    st.session_state["$$STREAMLIT_INTERNAL_KEY_answers"] = seen
    st.session_state["$$STREAMLIT_INTERNAL_KEY_whole"] = (dict(view) == full, len(view) == len(full))
    one = OneKey(get_session_state())  # and the rest of it is the SafeSessionState's own
    st.session_state["$$STREAMLIT_INTERNAL_KEY_rest"] = ("plain" in one, one["plain"], "absent" in one)


def answers(at):
    state = at.session_state._state._state  # (SafeSessionState → SessionState: the internal keys stay out of view)
    return state["$$STREAMLIT_INTERNAL_KEY_answers"], state["$$STREAMLIT_INTERNAL_KEY_whole"]


def test_a_widget_reads_of_each_key_what_streamlits_whole_dict_holds():
    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception
    for run in range(2):  # the first run, then one where a widget is gone and the others hold their values
        seen, whole = answers(at)
        for key, in_full, in_view, from_full, from_view, _ in seen:
            assert in_view == in_full, (run, key)
            assert from_view == from_full, (run, key)
        held = {key for key, in_full, *_ in seen if in_full}
        assert {"plain", "_private", "w_slider", "w_none", "w_preset_value", "w_number", "w_ranged"} <= held, held
        assert "$$STREAMLIT_INTERNAL_KEY_x" not in held and "absent" not in held
        assert dict((k, v) for k, _, _, v, _, _ in seen if k in held)["w_none"] is None  # "no option chosen"
        # each key read on its own; all of them listed only for the slider whose two ids both hold a value now
        assert {k for k, *_, listed in seen if listed} == ({"w_ranged"} if run else set()), (run, seen)
        assert whole == (True, True)  # iterated and measured: Streamlit's own dict
        assert at.session_state._state._state["$$STREAMLIT_INTERNAL_KEY_rest"] == (True, 5, False)
        at.slider(key="w_slider").set_value(7).run()
        assert not at.exception


def test_the_pages_widgets_read_through_it_once_a_page_has_run():
    import importlib

    at = AppTest.from_file(str(ROOT / "pages" / "1_Train.py"), default_timeout=120)
    at.query_params["steps"] = "200"
    at.run()
    assert not at.exception
    for name in ("selectbox", "radio", "slider", "number_input"):
        module = importlib.import_module(f"streamlit.elements.widgets.{name}")
        assert hasattr(module.get_session_state, "__wrapped__"), name  # ui.handover.mend put it there
    assert at.selectbox(key="w_activation").value == "sigmoid"  # and the widgets are as they were


def settings_script():
    """A page's settings read and defaulted in one go (ui.session.setting_values, set_defaults) against
    `st.session_state.get` and `setdefault` one key at a time: a setting set in the state, one bound to its widget
    (moved, then its key written through the widget), one absent; the state held by each way after defaulting."""
    import streamlit as st

    from ui.session import set_defaults, setting_values
    from ui.state import Control

    controls = [Control.page(key, default, "int") for key, default in
                (("one_go_set", 1), ("one_go_widget", 2), ("one_go_absent", 3), ("one_go_late", 4))]
    st.session_state.setdefault("one_go_set", 10)
    st.slider("bound", 0, 50, key="one_go_widget")
    one_by_one = {c.key: st.session_state.get(c.key, c.default) for c in controls}
    in_one_go = setting_values(controls)
    set_defaults(controls[2:3])  # one absent key defaulted in one go …
    st.session_state.setdefault("one_go_late", 4)  # … and one by Streamlit's own
    after = {c.key: st.session_state.get(c.key, "unset") for c in controls}
    st.session_state["$$STREAMLIT_INTERNAL_KEY_one_go"] = (one_by_one, in_one_go, after)


def test_a_pages_settings_read_and_defaulted_in_one_go_are_what_session_state_reads_one_by_one():
    at = AppTest.from_function(settings_script, default_timeout=60).run()
    assert not at.exception
    for run in range(3):  # the first run; the slider moved; then a run after defaulting
        one_by_one, in_one_go, after = at.session_state._state._state["$$STREAMLIT_INTERNAL_KEY_one_go"]
        assert in_one_go == one_by_one, run
        assert after["one_go_absent"] == 3 and after["one_go_late"] == 4
        assert in_one_go["one_go_widget"] == (0 if run == 0 else 37), in_one_go  # (the slider's own: its minimum)
        at.slider(key="one_go_widget").set_value(37).run() if run == 0 else at.run()
        assert not at.exception
