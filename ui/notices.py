"""What to say about a run on the page: a clear word when it went wrong, with what to try, each cause read off
the run's own numbers (mlp.diagnose), worked out once for each run a store keeps."""

from __future__ import annotations

import threading
import weakref

import streamlit as st

import mlp

from .session import t
from .state import LR_OPTIONS


def run_messages(run):
    """A clear word when a run went wrong, with what to try: each cause read off the run's own numbers."""
    c = run.config
    if run.diverged:
        st.error(t("msg.diverged", step=f"{run.steps_done:,}", lr=f"{c.lr:g}",
                   lower=f"{max(c.lr / 10, LR_OPTIONS[0]):g}"), icon="💥")
        return
    wrong, zero = diagnosis(run)
    if wrong:
        st.warning(t("msg.wrong", cost=f"{run.cost[-1]:.3g}", n=wrong[0], total=wrong[1]), icon="⚠️")
    if zero is not None:
        st.info(zero_gradient_text(zero, c), icon="ℹ️")


_DIAGNOSED: dict = {}  # id(run) → (a weak reference to it, its steps done, its diagnosis)
_DIAGNOSED_LOCK = threading.Lock()


def diagnosis(run) -> tuple:
    """(how many points it gets confidently wrong and of how many, where its cost ended above 5, else None; its
    zero-gradient diagnosis or None) from mlp.diagnose, worked out once for each run and number of steps done: a
    run kept in the store is drawn again and again (every follower's page in a live class, every rerun)."""
    with _DIAGNOSED_LOCK:
        ref, steps, found = _DIAGNOSED.get(id(run), (None, None, None))
    if ref is not None and ref() is run and steps == run.steps_done:
        return found
    wrong = mlp.diagnose.confidently_wrong(run) if run.steps_done and run.cost[-1] > 5 else None
    found = (wrong if wrong and wrong[0] else None, mlp.diagnose.zero_gradient(run))
    with _DIAGNOSED_LOCK:
        for key in [k for k, (r, _, _) in _DIAGNOSED.items() if r() is None]:
            del _DIAGNOSED[key]  # runs gone from the store (an id may then name a new run: the reference tells)
        _DIAGNOSED[id(run)] = (weakref.ref(run), run.steps_done, found)
    return found


def zero_gradient_text(zero, config) -> str:
    """Which layers' gradient is exactly 0 and from when, then why (mlp.diagnose), in the session's language."""
    head = t("msg.zero.all") if zero.every_layer_from_the_start else t(
        "msg.zero.from", layers=", ".join(str(l) for l in zero.layers), step=f"{zero.step:,}")
    output = zero.cause == "flat" and zero.layer == zero.n_layers
    why = t("msg.zero.flat_output") if output else t(f"msg.zero.{zero.cause}", layer=zero.layer,
                                                      act=t(f"act.{config.activation}"))
    if zero.cause == "flat":  # from step 0 the starting weights were flat already: no learning rate did it
        advice = (("msg.zero.flat.lr", "msg.zero.flat.lr_or_ce"), ("msg.zero.flat.init", "msg.zero.flat.init_or_ce"))
        why += " " + t(advice[zero.step == 0][output])
    return f"{head} {why}"
