"""What to say about a run on the page: a clear word when it went wrong, with what to try, each cause read off
the run's own numbers (mlp.diagnose), worked out once for each run a store keeps."""

from __future__ import annotations

import threading
import weakref
from typing import NamedTuple

import numpy as np
import streamlit as st

import mlp

from .session import t
from .sidebar import page_links
from .state import LR_OPTIONS

PLATEAU = 0.05  # every training point's ŷ within this of ½ at the end: still on the starting plateau (the seed net's
# at lr 0.1 after 10,001 steps: 0.497–0.503; a net stuck at ln 2 / 2 has ŷ at 0 or 1 on two of its points)
WHY_PAGES = [("pages/6_Map.py", "msg.unlearned.map"), ("pages/4_Robustness.py", "msg.unlearned.robust")]


def run_messages(run):
    """A clear word when a run went wrong, with what to try: each cause read off the run's own numbers."""
    c = run.config
    if run.diverged:
        st.error(t("msg.diverged", step=f"{run.steps_done:,}", lr=f"{c.lr:g}",
                   lower=f"{max(c.lr / 10, LR_OPTIONS[0]):g}"), icon="💥")
        return
    wrong, zero, _, unlearned = diagnosis(run)
    if wrong:
        st.warning(t("msg.wrong", cost=f"{run.cost[-1]:.3g}", n=wrong[0], total=wrong[1]), icon="⚠️")
    outstrode = stride(run)
    if outstrode:
        st.warning(outstrode, icon="⚠️")
    if zero is not None:
        st.info(zero_gradient_text(zero, c), icon="ℹ️")
    if unlearned is not None:
        box = st.container()
        box.info(unlearned_text(run, unlearned), icon="ℹ️")
        page_links(WHY_PAGES, box)


def went_wrong(run) -> bool:
    """Whether run_messages warns of this run or says it failed (a note on exactly-zero gradients aside: the
    gradient chart names those itself)."""
    wrong, _, outstrode, unlearned = diagnosis(run)
    return (run.diverged or bool(wrong) or outstrode is not None
            or unlearned is not None and not unlearned.right_enough)  # (its points right: nothing went wrong)


def pointer(run):
    """On a page whose notes sit under its pictures (Train), one line at the top when the run went wrong, so that the
    first screen says there is a reason to scroll for (where the note names no cause, that it says where to look)."""
    if went_wrong(run):
        st.caption(t("msg.below.unlearned" if diagnosis(run)[3] is not None else "msg.below"))


def stride(run) -> str | None:
    """Adam's note (`_outstrode`, worked out with the run's diagnosis): what the rule's step is, and this run's own
    numbers, in the session's language. None where the note does not apply."""
    largest = diagnosis(run)[2]
    if largest is None:
        return None
    c = run.config
    return " ".join((t(f"msg.stride.{c.optimizer}", lr=f"{c.lr:g}", cost=f"{run.cost[-1]:.3g}",
                       right=f"{run.accuracy[-1]:.0%}"),
                     t("msg.stride.weights", lr=f"{c.lr:g}", largest=f"{largest:.2g}"),
                     t(f"msg.stride.{c.optimizer}.try", usual=f"{mlp.optim.RULES[c.optimizer].usual_lr_max:g}")))


def _outstrode(run) -> float | None:
    """The largest starting weight, where an update rule whose step is about the learning rate whatever the gradient
    (Adam) ran above its usual rates (mlp.optim: `usual_lr_max`), the run ends unsolved (its loss's solved cost and
    accuracy, as Robustness counts a seed) and stalled (its second half never 1 % below the first's best), and its
    first step moved every weight by about lr, more than any starting weight. None otherwise."""
    c = run.config
    usual = mlp.optim.RULES[c.optimizer].usual_lr_max
    if usual is None or c.lr <= usual or run.diverged or not run.steps_done:
        return None
    if solved(run):
        return None
    half = len(run.cost) // 2
    if min(run.cost[half:]) < 0.99 * min(run.cost[:half + 1]):  # still going down: too few steps, maybe
        return None
    (W0, b0), (W1, b1) = run.params_at(0), run.params_at(1)
    largest = max(float(abs(p).max()) for p in (*W0, *b0))
    first = min(float(abs(after - before).min()) for before, after in zip((*W0, *b0), (*W1, *b1)))
    if c.lr <= largest or first < c.lr / 2:  # a first step within the starting weights, or one that left some where
        return None  # they were (a gradient of exactly 0: ui's zero-gradient notice says why): not the stride's doing
    return largest


_DIAGNOSED: dict = {}  # id(run) → (a weak reference to it, its steps done, its diagnosis)
_DIAGNOSED_LOCK = threading.Lock()


def _right_enough(run) -> bool:
    """Every training point right at the run's last step (95 % of them on a noisy dataset), as solved asks."""
    return run.accuracy[-1] >= mlp.sweeps.SOLVED_ACCURACY[mlp.DATASETS[run.config.dataset].noisy]


def solved(run) -> bool:
    """Whether the run ends solved, as Robustness counts a seed: below its loss's solved cost, with every point right
    (95 % of them on a noisy dataset)."""
    return bool(run.steps_done) and run.cost[-1] < mlp.losses.LOSSES[run.config.loss].solved and _right_enough(run)


class Unlearned(NamedTuple):
    """A finished run that ends unsolved, and what its ŷ at the training points say about where it stopped."""
    right: int  # training points right
    total: int  # training points
    lo: float  # the lowest and the highest ŷ
    hi: float
    plateau: bool  # still on its starting plateau: a hidden layer, every ŷ within PLATEAU of ½, a flat cost
    stuck: bool  # the 2-2-1 net's stop on XOR: ln 2 / 2, two points right and ŷ = ½ at the other two
    right_enough: bool  # as many points right as solved asks, its cost alone above the solved cost: not sure yet


LAB_NET = {"loss": "bce", "dataset": "xor", "layer_sizes": (2, 2, 1), "l2": 0.0, "features": ("x1", "x2")}


def _unlearned(run, told: bool) -> Unlearned | None:
    """Where the run finished its steps unsolved and no other note (`told`) says why, what its ŷ say; None
    otherwise."""
    c = run.config
    if told or run.diverged or run.steps_done < c.steps or solved(run):
        return None
    X, Y = mlp.make_data(c)
    rows = mlp.data.split(c)[0]  # the training points (the plane's, not the features of them), as counted
    y_hat, y = run.predict(X[rows]), Y[rows, 0]
    middle = np.abs(y_hat - 0.5) < PLATEAU
    late = run.cost[len(run.cost) // 2:]  # flat, not swinging
    # (no hidden layer has no plateau: ŷ → ½ is a perceptron's best on XOR, not a stop on the way)
    plateau = c.hidden_layers > 0 and middle.all() and late.max() <= 1.01 * late.min()
    stuck = (all(getattr(c, k) == v for k, v in LAB_NET.items()) and abs(run.cost[-1] - np.log(2) / 2) < 0.01
             and middle.sum() == 2 and bool((mlp.predicted_class(y_hat) == y)[~middle].all()))
    return Unlearned(round(float(run.accuracy[-1]) * len(rows)), len(rows), float(y_hat.min()), float(y_hat.max()),
                     bool(plateau), bool(stuck), bool(_right_enough(run)))


def unlearned_text(run, found: Unlearned) -> str:
    """What a run that did not learn its task shows, in the session's language; on its starting plateau, what
    leaves it; stuck where the lab's 2-2-1 net gets stuck, that more steps do not help."""
    if found.right_enough:  # every point right (or 95 %): not wrong, not yet sure of its answers
        solved_cost = mlp.losses.LOSSES[run.config.loss].solved
        return " ".join((t("msg.unlearned.unsure", steps=f"{run.steps_done:,}", cost=f"{run.cost[-1]:.3g}",
                           right=found.right, total=found.total, solved=f"{solved_cost:g}"),
                         t("msg.unlearned.where")))
    text = t("msg.unlearned", steps=f"{run.steps_done:,}", cost=f"{run.cost[-1]:.3g}", right=found.right,
             total=found.total)
    if found.plateau:
        text += " " + t("msg.unlearned.plateau", lo=f"{found.lo:.3f}", hi=f"{found.hi:.3f}")
    elif found.stuck:
        text += " " + t("robust.local_min")
    return text + " " + t("msg.unlearned.where")


def diagnosis(run) -> tuple:
    """(how many points it gets confidently wrong and of how many, where its cost ended above 5, else None; its
    zero-gradient diagnosis or None, from mlp.diagnose; the largest starting weight where Adam's note applies, else
    None: `_outstrode`; where none of these nor a divergence says why a finished run ended unsolved, what
    `_unlearned` finds, else None), worked out once for each run and number of steps done: a run kept in the store
    is drawn again and again (every follower's page in a live class, every rerun; Train asks twice, the note and the
    line above Play)."""
    with _DIAGNOSED_LOCK:
        ref, steps, found = _DIAGNOSED.get(id(run), (None, None, None))
    if ref is not None and ref() is run and steps == run.steps_done:
        return found
    wrong = mlp.diagnose.confidently_wrong(run) if run.steps_done and run.cost[-1] > 5 else None
    found = (wrong if wrong and wrong[0] else None, mlp.diagnose.zero_gradient(run), _outstrode(run))
    found += (_unlearned(run, any(f is not None for f in found)),)
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
