"""The smallest page a live class's step resembles, for bench/bench_runs.py: a fragment holding a button and `n`
markdowns (`?n=`, 0–200). With MLP_BENCH_MEND=1 in the server's environment it applies the app's mends of
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


@st.fragment
def part():
    for i in range(n):
        st.markdown(f"line {i}")
    st.button("go", key="go")


part()
