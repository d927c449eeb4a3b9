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
DATASET_NAMES = ("xor", "and", "or", "circle", "gauss", "spiral", "own")
NOISY_DATASETS = ("circle", "gauss", "spiral")  # sampled, with `points` and `noise` (data.DATASETS[…].noisy)
FEATURE_NAMES = ("x1", "x2", "x1x2", "x1sq", "x2sq", "sin_x1", "sin_x2")  # TensorFlow Playground's inputs
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu")
INIT_NAMES = ("default", "notebook", "xavier", "normal", "zeros")
BACKEND_NAMES = ("manual", "autograd")
DEVICE_NAMES = ("auto", "cpu", "cuda")
MAX_SEEDS = {"cpu": 1024, "cuda": 65_536}  # nets a sweep trains at once, per device (cuda: while memory allows)
DTYPE_NAMES = ("float32", "float64")
GRAD_CONVENTIONS = ("mean", "seed-lab")
LOSS_NAMES = ("bce", "mse")
OPTIMIZER_NAMES = ("sgd", "momentum", "adam")

CHOICES = {  # field → its allowed values: Config checks them, the CLI offers them
    "dataset": DATASET_NAMES,
    "activation": ACTIVATION_NAMES,
    "init": INIT_NAMES,
    "backend": BACKEND_NAMES,
    "device": DEVICE_NAMES,
    "dtype": DTYPE_NAMES,
    "grad_convention": GRAD_CONVENTIONS,
    "loss": LOSS_NAMES,
    "optimizer": OPTIMIZER_NAMES,
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
    "momentum": (0.0, 1.0),  # 0 ≤ momentum < 1
    "l2": (0.0, 1.0),
    "test_fraction": (0.0, 0.9),
    "batch_size": (0, 1_000),  # 0 = the full batch
    "own_points": (1, 1_000),  # the students' own points: how many
    "coordinate": (-1e6, 1e6),  # … and how far out (x₁², sin x₁ stay finite in float32)
}


LABEL_WORDS = {"lr": "lr", "seed": "seed", "inputs": "inputs {names}", "own": "own ({n} points)",
               "held_out": "{share} held out", "batches": "batches of {n}"}  # Config.label's words, in English


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
    device: str = "auto"  # auto = the GPU for the work it does faster (devices.resolve_device), else the cpu
    seed: int = 777  # torch.manual_seed(777), as in the seed; also seeds the noisy datasets
    points: int = 200  # samples in the noisy datasets (truth tables always have 4)
    noise: float = 0.1  # noise of the noisy datasets, 0..0.5 of their radius (TensorFlow Playground's 0..50 %)
    dtype: str = "float32"  # float32 as the seed; float64 for exact gradient checks
    grad_convention: str = "mean"  # mean over samples for W and b; "seed-lab" = the lab's bug (W summed, b averaged)
    loss: str = "bce"  # the cost: bce = the seed's BCELoss; mse = mean (ŷ − y)², TensorFlow Playground's
    optimizer: str = "sgd"  # sgd = the seed's SGD; momentum = SGD(momentum=…); adam = torch.optim.Adam's defaults
    momentum: float = 0.9  # the momentum of optimizer="momentum", as torch.optim.SGD's (0 ≤ momentum < 1)
    l2: float = 0.0  # L2 penalty: l2/2 · Σ‖W_l‖² (weights only) is added to the cost (0 to 1)
    test_fraction: float = 0.0  # share of a noisy dataset's points held out as a test set (0 to 0.9)
    batch_size: int = 0  # 0 = full batch (the seed); else mini-batches of this size, reshuffled every epoch
    features: tuple = ("x1", "x2")  # the inputs: any of x1, x2, x1x2, x1sq, x2sq, sin_x1, sin_x2 (data.FEATURES)
    own_points: tuple = ()  # dataset "own": ((x1, x2, label 0/1), …), clicked or uploaded by the students

    def __post_init__(self):
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"{name}={value!r} is not one of: {', '.join(allowed)}")
        for name in ("hidden_layers", "width", "steps", "points", "seed", "batch_size"):
            value = getattr(self, name)
            lo, hi = LIMITS[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name}={value!r} must be a whole number from {lo} to {hi:,}")
            if not lo <= value <= hi:
                raise ValueError(f"{name}={value:,} is out of range: allowed {lo} to {hi:,}")
        for name in ("lr", "noise", "momentum", "l2", "test_fraction"):
            value = getattr(self, name)
            lo, hi = LIMITS[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"{name}={value!r} must be a finite number")
        if not 0 < self.lr <= LIMITS["lr"][1]:
            raise ValueError(f"lr={self.lr!r} is out of range: allowed 0 < lr ≤ {LIMITS['lr'][1]:g}")
        if not LIMITS["noise"][0] <= self.noise <= LIMITS["noise"][1]:
            raise ValueError(f"noise={self.noise!r} is out of range: allowed 0 to 0.5")
        if not 0 <= self.momentum < 1:
            raise ValueError(f"momentum={self.momentum!r} is out of range: allowed 0 ≤ momentum < 1")
        if not 0 <= self.l2 <= 1:
            raise ValueError(f"l2={self.l2!r} is out of range: allowed 0 to 1")
        if not 0 <= self.test_fraction <= LIMITS["test_fraction"][1]:
            raise ValueError(f"test_fraction={self.test_fraction!r} is out of range: allowed 0 to 0.9")
        if self.batch_size and self.grad_convention == "seed-lab":
            raise ValueError("batch_size: the lab's gradient convention (grad_convention='seed-lab') is for the "
                             "full batch; use batch_size=0 with it")
        if self.test_fraction and self.dataset not in NOISY_DATASETS:
            raise ValueError(f"test_fraction needs a sampled dataset ({', '.join(NOISY_DATASETS)}): "
                             f"dataset={self.dataset!r} has too few points to hold some out")
        # Store numbers in one canonical type so that equal configs hash equally (cache keys).
        object.__setattr__(self, "lr", float(self.lr))
        object.__setattr__(self, "noise", float(self.noise))
        object.__setattr__(self, "momentum", float(self.momentum))
        object.__setattr__(self, "l2", float(self.l2))
        object.__setattr__(self, "test_fraction", float(self.test_fraction))
        object.__setattr__(self, "features", _check_features(self.features))
        object.__setattr__(self, "own_points", _check_own_points(self.own_points, self.dataset))

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Units per layer, input first: the seed's nets are (2, 2, 1) and (2, 10, 10, 10, 1)."""
        return (len(self.features), *[self.width] * self.hidden_layers, 1)

    def label(self, words: dict | None = None) -> str:
        """A short human name, e.g. '2-2-1 sigmoid, lr 1, manual, xor, seed 777'. `words` puts other words (another
        language's) in place of LABEL_WORDS' and of the activation's and backend's names."""
        w = {**LABEL_WORDS, **(words or {})}
        arch = "-".join(map(str, self.layer_sizes))
        inputs = "" if self.features == ("x1", "x2") else f" ({w['inputs'].format(names=', '.join(self.features))})"
        data = w["own"].format(n=len(self.own_points)) if self.dataset == "own" else self.dataset
        data += f" ({w['held_out'].format(share=f'{self.test_fraction:.0%}')})" if self.test_fraction else ""
        data += f", {w['batches'].format(n=self.batch_size)}" if self.batch_size else ""
        rule = "" if (self.loss, self.optimizer, self.l2) == ("bce", "sgd", 0) else (
            f" {self.loss}, {self.optimizer}" + (f" {self.momentum:g}" if self.optimizer == "momentum" else "")
            + (f", l2 {self.l2:g}" if self.l2 else "") + ",")
        return (f"{arch} {w.get(self.activation, self.activation)}{inputs},{rule} {w['lr']} {self.lr:g}, "
                f"{w.get(self.backend, self.backend)}, {data}, {w['seed']} {self.seed}")

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _check_features(features) -> tuple:
    if isinstance(features, str) or not isinstance(features, (tuple, list)) or not features:
        raise ValueError(f"features={features!r} must be a non-empty tuple of: {', '.join(FEATURE_NAMES)}")
    for name in features:
        if name not in FEATURE_NAMES:
            raise ValueError(f"features: {name!r} is not one of: {', '.join(FEATURE_NAMES)}")
    if len(set(features)) < len(features):
        raise ValueError(f"features={tuple(features)!r} names a feature twice")
    return tuple(name for name in FEATURE_NAMES if name in features)


def _check_own_points(points, dataset: str) -> tuple:
    """((x1, x2, label), …) as floats and 0/1 ints, checked; only dataset "own" has (and needs) them."""
    if dataset != "own":
        if points:
            raise ValueError("own_points are only used with dataset='own'")
        return ()
    lo, hi = LIMITS["own_points"]
    if isinstance(points, str) or not isinstance(points, (tuple, list)) or not lo <= len(points) <= hi:
        raise ValueError(f"dataset='own' needs {lo} to {hi:,} points (x1, x2, label) in own_points")
    out = []
    for i, point in enumerate(points):
        try:
            x1, x2, label = point
            x1, x2 = float(x1), float(x2)
        except (TypeError, ValueError):
            raise ValueError(f"own_points[{i}]={point!r} must be (x1, x2, label)") from None
        c_lo, c_hi = LIMITS["coordinate"]
        if not (math.isfinite(x1) and math.isfinite(x2) and c_lo <= x1 <= c_hi and c_lo <= x2 <= c_hi):
            raise ValueError(f"own_points[{i}]: x1 and x2 must be finite numbers from {c_lo:g} to {c_hi:g}")
        if isinstance(label, bool) or label not in (0, 1):
            raise ValueError(f"own_points[{i}]: label={label!r} must be 0 or 1")
        out.append((x1, x2, int(label)))
    return tuple(out)
