"""One step under the microscope: forward values, the hand-written backward values, and autograd's.

Everything here is computed in float64 at the weights the run had reached at that step, so the
hand-written gradients can be compared with autograd's to about 1e-15 (makemore's `cmp` table).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
import torch

from .autograd_backend import build_model, torch_optimizer
from .config import Config
from .data import batch_rows, training_data
from .fast import resolve_device
from .loop import Work, manual_steps
from .losses import LOSSES, l2_term
from .model import Layout, init_params
from .optim import RULES, make_rule
from .step import Recipe, gradients
from .train import train


@dataclass
class StepDetail:
    step: int  # the step whose weights these are (the weights before that step's update)
    X: np.ndarray  # (N, 2)
    Y: np.ndarray  # (N, 1)
    W: list  # W_l (n_in, n_out)
    b: list  # b_l (n_out,)
    z: list  # z_l (N, n_out)
    a: list  # a_l (N, n_out), a[0] = X
    cost: float
    delta: list  # δ_l = ∂C/∂z_l (N, n_out)
    dW: list  # the hand-written ∂C/∂W_l, in the config's gradient convention
    db: list
    autograd_dW: list  # loss.backward()'s, float64: the oracle
    autograd_db: list

    def differences(self) -> dict:
        """Parameter name → max |hand-written − autograd|, e.g. {'W1': 1e-17, 'b1': 0.0, …}."""
        out = {}
        for l in range(len(self.W)):
            out[f"W{l + 1}"] = float(np.abs(self.dW[l] - self.autograd_dW[l]).max())
            out[f"b{l + 1}"] = float(np.abs(self.db[l] - self.autograd_db[l]).max())
        return out


def goes_on(config: Config) -> bool:
    """Whether stepping through a run of `config` can go on from a step already reached (the hand-written
    chain rule in float32 on the cpu); elsewhere each step is trained again from step 0."""
    return config.backend == "manual" and config.dtype == "float32" and resolve_device(config.device, config) == "cpu"


def params_at_step(config: Config, step: int, run=None) -> np.ndarray:
    """The flat parameter row the run of `config` has before the update of `step` (0 = initial).

    Walking through a run a step at a time (the Chain-rule page's Step and Play), each call goes on from
    the nearest earlier step already reached, with the very same loop, instead of training again from
    step 0: the same numbers bit for bit (tested), at the cost of the steps in between. `run`: a finished
    run of `config`; where it kept that step's weights (its first and last steps, ~48 between), they are
    taken from it (the same numbers, tested): the last step of a new run costs no training again."""
    step = min(step, config.steps)
    if run is not None and run.config == config and not run.diverged and step <= run.steps_done \
            and step in run.snapshots:
        return run.snapshots[step]
    layout = Layout(config.layer_sizes)
    if step > 0 and not goes_on(config):
        return _params_by_training(config, step)  # kept in another precision, or on a GPU: no going on
    path = replace(config, steps=1)  # the run's path does not depend on how many steps were asked for
    with _REACHED_LOCK:
        start = max((k for c, k in _REACHED if c == path and k <= step), default=0)
        P, state = _REACHED.get((path, start), (None, {}))
    if P is None:  # start == 0: the initial weights
        P = init_params(layout, config.init, [config.seed])[0]
    if start < step:
        X, Y = training_data(config)
        with np.errstate(all="ignore"):
            # the update rule goes on with its own state, and the mini-batches from the step reached
            work = Work(replace(config, steps=step - start), layout, X, Y, P[None], "cpu", rule_state=state,
                        first_step=start)
            for chunk in manual_steps(work, set()):
                if not chunk.finite_params or not np.isfinite(chunk.logits).all():
                    return _params_by_training(config, step)  # diverging: the run's own stopping rule decides
                P, state = chunk.params, chunk.rule_state
        with _REACHED_LOCK:
            _REACHED[(path, step)] = (P, {k: v.copy() for k, v in state.items()})
            while len(_REACHED) > REACHED_MAX:
                _REACHED.popitem(last=False)
    return P


REACHED_MAX = 256  # parameter rows kept for params_at_step (a few KB each), oldest dropped first
_REACHED: OrderedDict = OrderedDict()  # (config with steps=1, step) → (flat float32 parameters, rule state) there
_REACHED_LOCK = threading.Lock()


def _params_by_training(config: Config, step: int) -> np.ndarray:
    run = train(replace(config, steps=step))
    return run.snapshots[max(run.snapshots)]  # the last finite weights (a diverged run stops early)


def inspect_step(config: Config, step: int = 0) -> StepDetail:
    """Forward and backward values at `step`, by the hand-written chain rule and by autograd, in float64."""
    layout = Layout(config.layer_sizes)
    flat = params_at_step(config, step).astype(np.float64)[None]
    X, Y = training_data(config)
    recipe = Recipe.of(config, len(X))
    if config.batch_size:  # the chain rule at this step runs on this step's mini-batch
        rows = batch_rows(config, len(X), step)[0]
        X, Y = X[rows], Y[rows]
    W, b = layout.views(flat)
    loss = LOSSES[config.loss]
    with np.errstate(all="ignore"):
        z, a, delta, dW, db = gradients(W, b, X, Y, recipe)  # the very function each step of a run calls
    model = build_model(replace(config, dtype="float64"), layout, flat[0], "cpu")
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    cost_t = loss.module()(model(torch.as_tensor(X)), torch.as_tensor(Y))
    cost_t = cost_t + l2_term([m.weight for m in linears], config.l2)
    cost_t.backward()
    cost, _ = loss.cost(z[-1][0, :, 0], Y[:, 0])
    cost = cost + l2_term(W, config.l2)[0]
    first = lambda xs: [x[0] for x in xs]  # noqa: E731  (drop the leading model axis, B = 1)
    return StepDetail(
        step=step, X=X, Y=Y, W=first(W), b=[v[0, 0] for v in b], z=first(z), a=[X] + first(a[1:]),
        cost=float(cost), delta=first(delta), dW=first(dW), db=[v[0, 0] for v in db],
        autograd_dW=[m.weight.grad.T.numpy() for m in linears],
        autograd_db=[m.bias.grad.numpy() for m in linears],
    )


def gradient_check(config: Config, step: int = 0) -> dict:
    """Per parameter (W1, b1, …), the max |hand-written − autograd| gradient at `step`, in float64."""
    return inspect_step(config, step).differences()


def update_check(config: Config, step: int = 0):
    """max |the weights after `step`'s update by optim.py − by torch.optim|, both from the weights and the
    update rule's state the run has at `step`, in float64: the hand-written rule against torch's, one step.
    None where stepping through cannot go on (the state of such runs is not kept)."""
    if not goes_on(config):
        return None
    layout = Layout(config.layer_sizes)
    P = params_at_step(config, step).astype(np.float64)
    with _REACHED_LOCK:
        _, state = _REACHED.get((replace(config, steps=1), step), (None, {}))
    detail = inspect_step(config, step)
    g = np.zeros(layout.size)
    gW, gb = layout.views(g)
    for l in range(len(layout.shapes)):
        gW[l][...], gb[l][0] = detail.dW[l], detail.db[l]
    rule = make_rule(config)
    rule.load({k: np.asarray(v, dtype=np.float64) for k, v in state.items()})
    ours = P.copy()
    rule.step(ours, g)
    model = build_model(replace(config, dtype="float64"), layout, P, "cpu")
    optimizer = torch_optimizer(config, model.parameters())
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    slots = [(m.weight, s, True) for m, s in zip(linears, layout.w_slices)]
    slots += [(m.bias, s, False) for m, s in zip(linears, layout.b_slices)]
    for l, m in enumerate(linears):
        m.weight.grad = torch.as_tensor(detail.autograd_dW[l].T.copy())
        m.bias.grad = torch.as_tensor(detail.autograd_db[l].copy())
    for p, s, weight in slots:  # our flat state, parameter by parameter, as torch.optim keeps it
        piece = {k: torch.as_tensor(np.asarray(v, np.float64)[s].reshape(p.T.shape if weight else p.shape))
                 for k, v in state.items() if k != "t"}
        piece = {k: v.T.contiguous() if weight else v for k, v in piece.items()}
        kept = RULES[config.optimizer].torch_state(piece, state.get("t"))
        if kept:
            optimizer.state[p] = kept
    optimizer.step()
    theirs = np.concatenate([p.detach().T.reshape(-1).numpy() if weight else p.detach().numpy()
                             for p, _, weight in sorted(slots, key=lambda x: x[1].start)])
    return float(np.abs(ours - theirs).max())
