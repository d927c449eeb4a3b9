"""mlp: the seed's XOR multi-layer perceptron, trained by a hand-written chain rule or by autograd.

Imports torch and numpy only, never a UI. The public names:
    Config, train, Run, Progress                 one run, recorded at every step
    DATASETS, ACTIVATIONS, INITS, BACKENDS       the tables of choices
    losses.LOSSES, optim.RULES                   the costs (BCE, MSE) and update rules (SGD, momentum, Adam)
    FEATURES, FEATURE_NAMES, inputs, plane       the input features, and the plane the pictures show
    gradient_check, inspect_step                 hand-written gradients beside autograd's
    sweep, Sweep, max_seeds, MAX_SEEDS           many seeds at once, one batched program (per-device limits)
    resolve_device, cuda_state                   where work runs (what device='auto' picks for it)
    hyper_map, HyperMap                          the share of seeds that learn, over a grid of two settings
    notebook.CELLS, notebook.cell_of             the seed notebook's printed logs and the nets that print them
    export.notebook, export.to_json              a run as a Jupyter notebook in the lab's style (needs nbformat)
    backward, forward, step.chain_rule_step      the math itself (shown on the Chain-rule page): a step in one place
    fast                                         where the numbers live and how fast they move (no lesson in it)
"""

from . import diagnose, export, fast, inspection, logic, losses, maps, notebook, optim, step, sweeps
from .backprop import backward
from .chunk import predicted_class
from .config import FEATURE_NAMES, LIMITS, Config
from .data import DATASETS, FEATURES, inputs, make_data, plane
from .fast import cuda_state, cuda_unavailable_reason, resolve_device
from .inspection import gradient_check, inspect_step
from .maps import HyperMap, hyper_map
from .model import ACTIVATIONS, INITS, forward
from .sweeps import MAX_SEEDS, SOLVED_COST, Sweep, max_seeds, sweep
from .train import BACKENDS, Progress, Run, train

__all__ = [
    "ACTIVATIONS", "BACKENDS", "DATASETS", "FEATURES", "FEATURE_NAMES", "INITS", "LIMITS", "MAX_SEEDS", "Config",
    "Progress", "Run", "Sweep", "backward", "cuda_state", "cuda_unavailable_reason", "forward", "gradient_check",
    "inspect_step", "make_data", "inputs", "plane", "inspection", "logic", "losses", "optim", "max_seeds", "notebook",
    "diagnose", "export", "fast", "step",
    "resolve_device", "sweep", "sweeps", "train", "SOLVED_COST", "hyper_map", "HyperMap", "maps", "predicted_class",
]
