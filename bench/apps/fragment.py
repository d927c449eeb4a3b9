"""The smallest page a live class's step resembles, for bench/bench_runs.py: a fragment holding a button and `n`
markdowns (`?n=`, 0–200), or `n` selectboxes (`&kind=selectbox`), the session state holding 80 values of the page's
own as an app page's does. With MLP_BENCH_MEND=1 in the server's environment it applies the app's mends of
Streamlit first (ui/handover.py), as every page of the app does."""

import os
import sys
from pathlib import Path

import streamlit as st

if os.environ.get("MLP_BENCH_MEND") == "1":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from ui import handover

    handover.mend()

asked = st.query_params.get("n", "0")
n = min(int(asked), 200) if asked.isdigit() else 0
selectboxes = st.query_params.get("kind") == "selectbox"
for i in range(80):
    st.session_state.setdefault(f"setting_{i}", i)


@st.fragment
def part():
    for i in range(n):
        if selectboxes:
            st.selectbox(f"choice {i}", ["a", "b", "c"], key=f"w_{i}")
        else:
            st.markdown(f"line {i}")
    st.button("go", key="go")


part()
