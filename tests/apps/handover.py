"""The smallest app that meets Streamlit's hand-over race (ui/handover.py), for tests/test_handover.py.

A page with a fragment and a button. The button's run puts a callback on the server's event loop before it draws
anything: the callback holds the loop (as a server under load does) until the run has ended, then asks for the
fragment's rerun, as a browser's timer does. Everything the run drew is then still queued on the loop (the callback
goes on the loop once the loop has handled what the run handed it before: mended, the messages go over in batches,
and one queued ahead of the hold would take the whole run, its end too, with it). With `?mend=1` the app mends the
race first (as every page of the app does, ui.page_frame), for the rest of the process.
"""

import sys
import threading
import time
from pathlib import Path

import streamlit as st
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from ui import handover  # noqa: E402

if st.query_params.get("mend") == "1":
    handover.mend()


def rerun_fragment_once_the_run_ends(session, fragment: str):
    runner, deadline = session._scriptrunner, time.monotonic() + 10
    while not handover.finished(runner) and time.monotonic() < deadline:
        time.sleep(0.005)  # the loop is held: nothing the run sends is handled meanwhile
    state = ClientState()
    state.CopyFrom(session._client_state)
    state.fragment_id, state.is_auto_rerun = fragment, True
    session.request_rerun(state)


runs = st.session_state["runs"] = st.session_state.get("runs", 0) + 1
if st.session_state.get("go"):
    runtime = Runtime.instance()
    session = runtime._session_mgr.get_active_session_info(get_script_run_ctx().session_id).session
    loop = runtime._get_async_objs().eventloop
    # what the run has handed the loop so far (its start) is handled first: mended, a run's messages go over in
    # batches (ui.handover.in_batches), and what the run sends from here on is then a batch queued behind the hold
    handled = threading.Event()
    loop.call_soon_threadsafe(handled.set)
    handled.wait(10)
    loop.call_soon_threadsafe(rerun_fragment_once_the_run_ends, session, st.session_state["box"])
st.header(f"run {runs}")


@st.fragment
def box():
    st.session_state["box"] = ThreadState.get().fragment_id
    st.caption("the fragment")


box()
st.button("go", key="go")
