"""The one frozen configuration of a training run: its fields, their defaults, and their limits.

A Config is the cache key of the app, the state in the URL and the arguments of the CLI. It checks
itself when it is made, so an invalid run is refused before any work, with a message that names the
field and what is allowed. It knows nothing of torch, numpy or the UI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

# Names of the choices. The tables behind them (DATASETS, ACTIVATIONS, INITS, BACKENDS) live next to
# their code; tests check that these lists and the tables agree.
DATASET_NAMES = ("xor", "and", "or", "circle", "gauss", "spiral")
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
INIT_NAMES = ("default", "notebook", "xavier", "normal", "zeros")
BACKEND_NAMES = ("manual", "autograd")
DEVICE_NAMES = ("auto", "cpu", "cuda")
DTYPE_NAMES = ("float32", "float64")
GRAD_CONVENTIONS = ("mean", "seed-lab")

CHOICES = {  # field → its allowed values: Config checks them, the CLI offers them
    "dataset": DATASET_NAMES,
    "activation": ACTIVATION_NAMES,
    "init": INIT_NAMES,
    "backend": BACKEND_NAMES,
    "device": DEVICE_NAMES,
    "dtype": DTYPE_NAMES,
    "grad_convention": GRAD_CONVENTIONS,
}

# Upper limits: large enough for any lesson, small enough that one request cannot take a server down.
LIMITS = {
    "hidden_layers": (0, 16),
    "width": (1, 256),
    "steps": (1, 200_000),
    "lr": (0.0, 1e6),  # lr must be > 0 and finite
    "points": (4, 1_000),
    "noise": (0.0, 0.5),
    "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class Config:
    dataset: str = "xor"  # DATASETS: xor/and/or are the 4-point truth tables; circle/gauss/spiral are noisy
    hidden_layers: int = 1  # hidden layers between input and output (0 = a single perceptron)
    width: int = 2  # units in each hidden layer
    activation: str = "sigmoid"  # ACTIVATIONS, used in every hidden layer; the output is always sigmoid
    init: str = "default"  # INITS: default = torch.nn.Linear's own; notebook = the nets the seed notebook printed
    lr: float = 1.0  # learning rate of plain full-batch gradient descent (the seed's SGD(lr=1))
    steps: int = 10_001  # gradient steps, as in the seed (range(10001))
    backend: str = "manual"  # BACKENDS: manual = hand-written chain rule; autograd = torch.nn + backward()
    device: str = "auto"  # auto = cuda if torch sees one, else cpu
    seed: int = 777  # torch.manual_seed(777), as in the seed; also seeds the noisy datasets
    points: int = 200  # samples in the noisy datasets (truth tables always have 4)
    noise: float = 0.1  # noise of the noisy datasets, 0..0.5 of their radius (TensorFlow Playground's 0..50 %)
    dtype: str = "float32"  # float32 as the seed; float64 for exact gradient checks
    grad_convention: str = "mean"  # mean over samples for W and b; "seed-lab" = the lab's bug (W summed, b averaged)

    def __post_init__(self):
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"{name}={value!r} is not one of: {', '.join(allowed)}")
        for name in ("hidden_layers", "width", "steps", "points", "seed"):
            value = getattr(self, name)
            lo, hi = LIMITS[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name}={value!r} must be a whole number from {lo} to {hi:,}")
            if not lo <= value <= hi:
                raise ValueError(f"{name}={value:,} is out of range: allowed {lo} to {hi:,}")
        for name in ("lr", "noise"):
            value = getattr(self, name)
            lo, hi = LIMITS[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{name}={value!r} must be a finite number")
        if not 0 < self.lr <= LIMITS["lr"][1]:
            raise ValueError(f"lr={self.lr!r} is out of range: allowed 0 < lr ≤ {LIMITS['lr'][1]:g}")
        if not LIMITS["noise"][0] <= self.noise <= LIMITS["noise"][1]:
            raise ValueError(f"noise={self.noise!r} is out of range: allowed 0 to 0.5")
        # Store numbers in one canonical type so that equal configs hash equally (cache keys).
        object.__setattr__(self, "lr", float(self.lr))
        object.__setattr__(self, "noise", float(self.noise))

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Units per layer, input first: the seed's nets are (2, 2, 1) and (2, 10, 10, 10, 1)."""
        return (2, *[self.width] * self.hidden_layers, 1)

    def label(self) -> str:
        """A short human name, e.g. '2-2-1 sigmoid, lr 1, manual'."""
        arch = "-".join(map(str, self.layer_sizes))
        return f"{arch} {self.activation}, lr {self.lr:g}, {self.backend}, {self.dataset}, seed {self.seed}"

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}
