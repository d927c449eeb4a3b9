"""The code cells of a run taken home (mlp/export.py): each written from a validated Config, in the seed lab's own
style, so that it prints the app's numbers: the data drawn as mlp/data.py draws them (numpy, from the seed), the
initial weights drawn as mlp/model.py draws them (torch, from the seed), the hand-written chain rule written out
layer by layer (the lab's first cell) or torch.nn + autograd (its second), and the predictions.

Every choice's code is a table keyed by its name, beside the entry of mlp's own table it mirrors; only numbers and
names from those tables reach a cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import Config
from .data import CORNERS, DATASETS
from .model import INITS
from .notebook import cell_of

FEATURE_CODE = {  # as mlp.data.FEATURES, written for the notebook
    "x1": "X[:, 0]", "x2": "X[:, 1]", "x1x2": "X[:, 0] * X[:, 1]", "x1sq": "X[:, 0] ** 2", "x2sq": "X[:, 1] ** 2",
    "sin_x1": "np.sin(X[:, 0])", "sin_x2": "np.sin(X[:, 1])",
}

ACTIVATION_CODE = {  # hidden layers: a = f(z), and f'(z) written with a (as mlp.model.ACTIVATIONS)
    "sigmoid": ("sigmoid({z})", "({a} - {a} * {a})", "σ'(z) = σ(z)(1 − σ(z)) = a − a²"),
    "tanh": ("torch.tanh({z})", "(1 - {a} * {a})", "tanh'(z) = 1 − a²"),
    "relu": ("torch.relu({z})", "({a} > 0)", "relu'(z) = 1 where z > 0, else 0"),
}

NN_ACTIVATION = {"sigmoid": "torch.nn.Sigmoid()", "tanh": "torch.nn.Tanh()", "relu": "torch.nn.ReLU()"}

NN_LINEAR = ["torch.nn.init.kaiming_uniform_(w, a=math.sqrt(5))", "bound = 1 / math.sqrt(n_in)",
             "torch.nn.init.uniform_(b, -bound, bound)"]  # exactly torch.nn.Linear's own draw
INIT_CODE = {  # one layer's weight (out, in) and bias (out,), drawn as mlp.model's INITS fill them
    "default": NN_LINEAR,
    "notebook": NN_LINEAR,  # the same draw, after the nets the lab drew first (INITS["notebook"].before)
    "xavier": ["torch.nn.init.xavier_uniform_(w)", "torch.nn.init.zeros_(b)"],
    "normal": ["torch.nn.init.normal_(w)", "torch.nn.init.normal_(b)"],
    "zeros": ["torch.nn.init.zeros_(w)", "torch.nn.init.zeros_(b)"],
}



def cadence(config: Config) -> tuple[int, int, int]:
    """(dense, until, then): `step cost` is printed when step % dense == 0 and step < until, or step % then == 0.
    The lab cell's own cadence for the nets it printed; else the CLI's (every 100 to 2,000, then every 500),
    spread out for long runs so that a notebook prints at most ~60 lines after step 2,000."""
    cell = cell_of(config)
    if cell is not None:
        return cell.cadence
    then = 500 * max(1, -(-config.steps // (500 * 60)))
    return 100, 2000, then




def imports_cell(config: Config) -> str:
    """The lab's first lines: the imports, the device, the precision and the seed."""
    return "\n".join([
        "import math",
        "",
        "import numpy as np",
        "import torch",
        "",
        "device = 'cuda' if torch.cuda.is_available() else 'cpu'",
        f"dtype = torch.{config.dtype}",
        "",
        "# for reproducibility",
        f"torch.manual_seed({config.seed})",
        "if device == 'cuda':",
        f"    torch.cuda.manual_seed_all({config.seed})",
    ])


NOISY_CODE = {  # the body of mlp.data's makers, with `rng`, `points` and `noise` given
    "circle": """# a disc of class 1 inside a ring of class 0 (TensorFlow Playground's circle)
n1 = points // 2
r = np.concatenate([rng.uniform(0, 0.5, n1), rng.uniform(0.7, 1.0, points - n1)])
angle = rng.uniform(0, 2 * math.pi, points)
X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
X += rng.uniform(-1, 1, X.shape) * noise
Y = (np.hypot(X[:, 0], X[:, 1]) < 0.5).astype(np.float64).reshape(-1, 1)  # labelled after the noise""",
    "gauss": """# two Gaussian blobs, class 1 around (1/3, 1/3), class 0 around (−1/3, −1/3)
n1 = points // 2
std = math.sqrt(0.5 + 7.0 * noise) / 6
X = np.concatenate([rng.normal(2 / 6, std, (n1, 2)), rng.normal(-2 / 6, std, (points - n1, 2))])
Y = np.concatenate([np.ones(n1), np.zeros(points - n1)]).reshape(-1, 1)""",
    "spiral": """# two interleaved spiral arms, 1.75 turns each


def arm(n, delta):
    i = np.arange(n)
    r = i / n
    t = 1.75 * i / n * 2 * math.pi + delta
    X = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return X + rng.uniform(-1, 1, X.shape) * noise / 5


n1 = points // 2
X = np.concatenate([arm(n1, 0.0), arm(points - n1, math.pi)])
Y = np.concatenate([np.ones(n1), np.zeros(points - n1)]).reshape(-1, 1)""",
}


def data_cell(config: Config) -> str:
    """The points and labels, the inputs the net sees, the held-out rows; then the lab's X and Y."""
    lines, data = [], DATASETS[config.dataset]
    if data.table:
        xs = ", ".join(f"[{a:.0f}, {b:.0f}]" for a, b in CORNERS)
        ys = ", ".join(f"[{y}]" for y in data.table)
        lines += [f"X = np.array([{xs}], dtype=np.float64)", f"Y = np.array([{ys}], dtype=np.float64)"]
    elif data.own:
        rows = ",\n    ".join(f"({float(x1)!r}, {float(x2)!r}, {int(label)})" for x1, x2, label in config.own_points)
        lines += ["points = [  # (x1, x2, label)", f"    {rows},", "]",
                  "X = np.array([(x1, x2) for x1, x2, _ in points], dtype=np.float64)",
                  "Y = np.array([[label] for _, _, label in points], dtype=np.float64)"]
    else:
        lines += [f"rng = np.random.default_rng({config.seed})",
                  f"points, noise = {config.points}, {config.noise!r}", NOISY_CODE[config.dataset]]
    if config.features != ("x1", "x2"):
        columns = ", ".join(FEATURE_CODE[name] for name in config.features)
        lines += ["", f"inputs = np.stack([{columns}], axis=1)  # {', '.join(config.features)}"]
    else:
        lines += ["", "inputs = X"]
    if config.test_fraction:
        lines += ["", f"# {config.test_fraction:.0%} held out for testing, drawn from the seed",
                  f"n_test = min(max(1, round(len(X) * {config.test_fraction!r})), len(X) - 1)",
                  f"order = np.random.default_rng([{config.seed}, 1]).permutation(len(X))",
                  "train_rows, test_rows = np.sort(order[n_test:]), np.sort(order[:n_test])",
                  "X_test = torch.tensor(inputs[test_rows], dtype=dtype, device=device)",
                  "Y_test = torch.tensor(Y[test_rows], dtype=dtype, device=device)",
                  "X_all, Y_all = inputs[train_rows], Y[train_rows]"]
    else:
        lines += ["X_all, Y_all = inputs, Y"]
    lines += ["", "# the training data, as the lab's X and Y",
              "X = torch.tensor(X_all, dtype=dtype, device=device)",
              "Y = torch.tensor(Y_all, dtype=dtype, device=device)",
              "N = len(X)"]
    return "\n".join(lines)


BEFORE = "# the nets the lab had drawn from this seed before the one it printed: drawn again, set aside"


def net_cell(config: Config) -> str:
    """The net and its initial weights: the lab's nn.Linear(…) lines where its draw is nn.Linear's own (autograd),
    else a layer(n_in, n_out) that draws as the init does; the nets the lab drew first are drawn again, set aside."""
    sizes, L = config.layer_sizes, len(config.layer_sizes) - 1
    nn_layers = config.backend == AUTOGRAD and INIT_CODE[config.init] is NN_LINEAR
    draw = "torch.nn.Linear({}, {})" if nn_layers else "layer({}, {})"
    lines = []
    if not nn_layers:
        lines += ["def layer(n_in, n_out):",
                  f'    """A layer\'s weight (out, in) and bias (out,): init "{config.init}"."""',
                  "    w, b = torch.empty(n_out, n_in), torch.empty(n_out)",
                  *[f"    {line}" for line in INIT_CODE[config.init]],
                  "    return w, b", "", ""]
    before = INITS[config.init].before(config.layer_sizes)
    if before:
        lines.append(BEFORE)
        lines += ["; ".join(draw.format(a, b) for a, b in zip(net[:-1], net[1:])) for net in before]
    if config.backend != AUTOGRAD:
        lines.append("# W is (in, out), so that a layer computes X @ W + b (nn.Linear keeps W transposed)")
        lines += [f"w{l + 1}, b{l + 1} = layer({sizes[l]}, {sizes[l + 1]})" for l in range(L)]
        lines += [f"w{l + 1}, b{l + 1} = w{l + 1}.T.to(device, dtype).contiguous(), b{l + 1}.to(device, dtype)"
                  for l in range(L)]
        lines += ["", "", "def sigmoid(x):", "    return 1 / (1 + torch.exp(-x))", "", "", *COST_CODE[config.loss]]
        return "\n".join(lines)
    if not nn_layers:
        lines.append("drawn = [" + ", ".join(f"layer({sizes[l]}, {sizes[l + 1]})" for l in range(L)) + "]")
    lines += [f"linear{l + 1} = torch.nn.Linear({sizes[l]}, {sizes[l + 1]}, bias=True)" for l in range(L)]
    if not nn_layers:
        lines += ["with torch.no_grad():  # the drawn weights into the layers",
                  *[f"    linear{l + 1}.weight.copy_(drawn[{l}][0]), linear{l + 1}.bias.copy_(drawn[{l}][1])"
                    for l in range(L)]]
    parts = []
    for l in range(L):
        parts += [f"linear{l + 1}", NN_ACTIVATION[config.activation] if l < L - 1 else "torch.nn.Sigmoid()"]
    lines.append(f"model = torch.nn.Sequential({', '.join(parts)}).to(device, dtype)")
    return "\n".join(lines)


@dataclass(frozen=True)
class Update:
    """An update rule (mlp.optim.RULES) written out for a notebook: its name in the settings, the lines before the
    loop (its state), the lines of one step, and torch.optim's call. `each`: the step is one line a parameter
    (`{p}`, `{g}`: a parameter and its gradient), as the lab writes w1 = w1 - learning_rate * d_w1; else it runs
    over the lists params and grads."""
    name: str
    setup: tuple
    step: tuple
    torch: str
    each: bool = False


UPDATE = {
    "sgd": Update("sgd", (), ("{p} -= lr * {g}",), "torch.optim.SGD(model.parameters(), lr={lr})", each=True),
    "momentum": Update("momentum {mu}", ("mu = {mu}", "velocity = [torch.zeros_like(p) for p in params]"),
                       ("for p, g, vel in zip(params, grads, velocity):", "    vel *= mu  # v = μ v + g",
                        "    vel += g", "    p -= lr * vel"),
                       "torch.optim.SGD(model.parameters(), lr={lr}, momentum={mu})"),
    "adam": Update("adam", ("beta1, beta2, eps = 0.9, 0.999, 1e-8  # torch.optim.Adam's defaults",
                            "m = [torch.zeros_like(p) for p in params]  # running mean of the gradient",
                            "v = [torch.zeros_like(p) for p in params]  # … and of its square", "t = 0"),
                   ("t += 1", "for p, g, m_, v_ in zip(params, grads, m, v):", "    m_ *= beta1",
                    "    m_ += (1 - beta1) * g", "    v_ *= beta2", "    v_ += (1 - beta2) * (g * g)",
                    "    p -= (lr / (1 - beta1 ** t)) * m_ / (v_ ** 0.5 / (1 - beta2 ** t) ** 0.5 + eps)"),
                   "torch.optim.Adam(model.parameters(), lr={lr})"),
}

DELTA_CODE = {  # δ at the output, as mlp.losses' delta functions: y the labels, n the samples
    "bce": "(Y_pred - {y}) / {n}  # δ at the output: (ŷ − y)/N, cross-entropy after σ",
    "mse": "2 * (Y_pred - {y}) * (Y_pred - Y_pred * Y_pred) / {n}  # δ: 2(ŷ − y)/N · ŷ(1 − ŷ)",
}
CRITERION_CODE = {"bce": "torch.nn.BCELoss()", "mse": "torch.nn.MSELoss()"}  # mlp.losses' modules
AUTOGRAD = "autograd"  # the backend whose loop is the lab's second cell (torch.nn + autograd)


def _printed(config: Config) -> str:
    dense, until, then = cadence(config)
    return f"(step % {dense} == 0 and step < {until}) or step % {then} == 0"


def _batch_lines(config: Config, indent: str) -> list:
    b = config.batch_size
    return [f"{indent}epoch, j = divmod(step, -(-N // {b}))  # batches of {b}, a new order every epoch",
            f"{indent}rows = np.random.default_rng([{config.seed}, 2, epoch]).permutation(N)[j * {b}:(j + 1) * {b}]",
            f"{indent}Xb, Yb = X[rows], Y[rows]"]


COST_CODE = {  # the printed cost from the output logits z, in float64 as the app computes it
    "bce": ["def bce(z, y):",
            '    """Binary cross-entropy of ŷ = σ(z): −mean[y log ŷ + (1 − y) log(1 − ŷ)], written with',
            '    log σ(z) = −softplus(−z) so that it never takes log 0."""',
            "    z, y = z.double(), y.double()",
            "    return torch.mean(y * torch.nn.functional.softplus(-z) + (1 - y) * torch.nn.functional.softplus(z))"],
    "mse": ["def mse(z, y):",
            '    """Mean squared error of ŷ = σ(z): mean (ŷ − y)²."""',
            "    return torch.mean((torch.sigmoid(z.double()) - y.double()) ** 2)"],
}


def _manual_loop(config: Config) -> str:
    L = len(config.layer_sizes) - 1
    f, df, df_words = ACTIVATION_CODE[config.activation]
    weights = ", ".join(f"w{l + 1}" for l in range(L))
    params = ", ".join(f"w{l + 1}, b{l + 1}" for l in range(L))
    lines = [f"lr = {config.lr!r}"]
    if config.l2:
        lines.append(f"l2 = {config.l2!r}")
    lines.append(f"params = [{params}]")
    lines += [line.format(mu=repr(config.momentum)) for line in UPDATE[config.optimizer].setup]
    lines += ["", "", "def logits(X):", '    """The net without its last σ: z of the output layer."""', "    a = X"]
    for l in range(L):
        z = f"a @ w{l + 1} + b{l + 1}"
        lines.append(f"    a = {f.format(z=z)}" if l < L - 1 else f"    return {z}")
    lines += ["", ""]
    lines.append(f"for step in range({config.steps}):")
    x, y = "X", "Y"
    if config.batch_size:
        lines += _batch_lines(config, "    ")
        x, y = "Xb", "Yb"
    lines.append("    # forward")
    a_prev = x
    for l in range(1, L + 1):
        lines.append(f"    z{l} = {a_prev} @ w{l} + b{l}")
        if l < L:
            lines.append(f"    a{l} = {f.format(z=f'z{l}')}")
            a_prev = f"a{l}"
    lines.append(f"    Y_pred = sigmoid(z{L})")
    penalty = f" + l2 / 2 * sum((w * w).sum() for w in [{weights}])" if config.l2 else ""
    z_all = "logits(X)" if config.batch_size else f"z{L}"
    lines.append(f"    cost = {config.loss}({z_all}, Y){penalty}")
    lines.append("")
    lines.append("    # backward: the chain rule")
    n = "len(Xb)" if config.batch_size else "N"
    lines.append(f"    d_z{L} = " + DELTA_CODE[config.loss].format(y=y, n=n))
    for l in range(L, 0, -1):
        a_in = x if l == 1 else f"a{l - 1}"
        lines.append(f"    d_w{l} = {a_in}.T @ d_z{l}  # ∂C/∂W{l} = a{l - 1}ᵀ δ{l}" if l > 1 else
                     f"    d_w{l} = {a_in}.T @ d_z{l}  # ∂C/∂W{l} = Xᵀ δ{l}")
        lines.append(f"    d_b{l} = d_z{l}.sum(0)")
        if l > 1:
            lines.append(f"    d_z{l - 1} = (d_z{l} @ w{l}.T) * {df.format(a=f'a{l - 1}')}  # {df_words}")
    if config.l2:
        for l in range(1, L + 1):
            lines.append(f"    d_w{l} += l2 * w{l}  # the L2 term's gradient")
    if config.grad_convention == "seed-lab":
        for l in range(1, L + 1):
            lines.append(f"    d_w{l} *= N  # the lab's convention: weights' gradients summed, not averaged")
    update = UPDATE[config.optimizer]
    lines += ["", "    # the update"]
    if update.each:  # w1, b1, w2, b2, …: the lab's order
        lines += [f"    {line.format(p=f'{k}{l + 1}', g=f'd_{k}{l + 1}')}" for l in range(L) for k in "wb"
                  for line in update.step]
    else:
        grads = ", ".join(f"d_w{l + 1}, d_b{l + 1}" for l in range(L))
        lines += [f"    grads = [{grads}]"] + [f"    {line}" for line in update.step]
    lines += ["", f"    if {_printed(config)}:", "        print(step, cost.item())"]
    return "\n".join(lines)


def _autograd_loop(config: Config) -> str:
    L = len(config.layer_sizes) - 1
    weights = ", ".join(f"linear{l + 1}.weight" for l in range(L))
    criterion = CRITERION_CODE[config.loss]
    optimizer = UPDATE[config.optimizer].torch.format(lr=repr(config.lr), mu=repr(config.momentum))
    lines = [f"criterion = {criterion}.to(device)", f"optimizer = {optimizer}"]
    if config.l2:
        lines.append(f"l2 = {config.l2!r}")
    if config.l2 or config.grad_convention == "seed-lab":
        lines.append(f"weights = [{weights}]")
    penalty = " + l2 / 2 * sum((w * w).sum() for w in weights)" if config.l2 else ""
    lines += ["", f"for step in range({config.steps}):", "    optimizer.zero_grad()"]
    if config.batch_size:
        lines += _batch_lines(config, "    ")
        lines += ["    hypothesis = model(Xb)", f"    cost = criterion(hypothesis, Yb){penalty}", "    cost.backward()",
                  "    with torch.no_grad():  # the printed cost: on all training points",
                  f"        cost = criterion(model(X), Y){penalty}"]
    else:
        lines += ["    hypothesis = model(X)", f"    cost = criterion(hypothesis, Y){penalty}", "    cost.backward()"]
    if config.grad_convention == "seed-lab":
        lines += ["    for w in weights:", "        w.grad *= N  # the lab's convention: weights' gradients summed"]
    lines += ["    optimizer.step()", "", f"    if {_printed(config)}:", "        print(step, cost.item())"]
    return "\n".join(lines)


LOOPS = {"manual": _manual_loop, "autograd": _autograd_loop}  # the training cell of each backend


def loop_cell(config: Config) -> str:
    """The training loop: the hand-written chain rule (the lab's first cell) or torch.nn + autograd (its second)."""
    return LOOPS[config.backend](config)


def result_cell(config: Config) -> str:
    """The lab's last print: the output ŷ, its answer and the accuracy (and the same for held-out points)."""
    predict = "model({x})" if config.backend == AUTOGRAD else "torch.sigmoid(logits({x}))"
    lines = ["with torch.no_grad():"]
    sets = [("X", "Y", "")] + ([("X_test", "Y_test", "held out: ")] if config.test_fraction else [])
    for x, y, prefix in sets:
        lines += [f"    hypothesis = {predict.format(x=x)}",
                  "    predicted = (hypothesis > 0.5).float()",
                  f"    accuracy = (predicted == {y}).float().mean()",
                  f"    print('{prefix}Hypothesis: ', hypothesis[:8, 0].cpu().numpy(),",
                  f"          '\\n{prefix}Correct: ', predicted[:8, 0].cpu().numpy(),",
                  f"          '\\n{prefix}Accuracy: ', accuracy.item())"]
    return "\n".join(lines)
