"""A page whose language changes between two runs of one script thread, for tests/test_i18n.py: the first run
settles English (ui.session.settle_lang, as page() does), sets Korean as the language control's callback would, and
asks for a rerun, which Streamlit runs on the same thread; that run must read Korean before it settles it again."""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from ui import session  # noqa: E402

st.session_state.setdefault("lang", "en")
runs = st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.write(f"run {runs}: {session.lang()}")  # before this run settles it
session.settle_lang()
st.write(f"settled: {session.lang()}")
if runs == 1:
    st.session_state["lang"] = "ko"
    st.rerun()
