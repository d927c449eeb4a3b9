"""A run taken home: the Config written out as a Jupyter notebook in the seed lab's own style, that prints the
app's numbers.

The notebook imports torch and numpy only (nothing of this package): the data drawn as mlp/data.py draws it (numpy,
from the seed), the initial weights drawn as mlp/model.py draws them (torch, from the seed), then the training loop:
the hand-written chain rule written out layer by layer as the lab's first cell, or torch.nn + autograd as its
second, printing `step cost` at the lab's cadence, then the predictions and the accuracy.

Safe by construction: only validated Config values (numbers and names from fixed tables) and this module's own
texts reach a cell; a student's own points are written as numbers. nbformat builds and validates the file; it is
imported when a notebook is made, so `import mlp` still needs torch and numpy only.
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

TEXTS = {
    "en": {
        "title": "# XOR MLP: {label}",
        "intro": "This notebook trains the net you saw in the XOR MLP app, with the same data, the same initial "
                 "weights and the same rule, so it prints the app's numbers. It needs only **torch** and **numpy**: "
                 "run all cells (Jupyter or Colab).\n\n{settings}",
        "link": "In the app, this view is `{link}`.",
        "settings": "| setting | value |\n|---|---|\n{rows}",
        "points": "{n} points", "noise": "noise",
        "data": "## The training data\n\n{what}",
        "data.table": "The {name} truth table, as the lab's `X` and `Y`.",
        "data.sampled": "{points} points of the *{name}* dataset with noise {noise}, drawn from seed {seed} "
                        "(numpy), as the app draws them.",
        "data.own": "The {n} points you placed in the app, written out as numbers.",
        "data.features": "The net's inputs: {names}.",
        "data.test": "{share} of the points are held out for testing (drawn from the seed); the net never trains "
                     "on them.",
        "net": "## The net and its initial weights\n\nLayers {arch}: {act} in the hidden layers, a sigmoid at the "
               "output. {init}",
        "init.default": "The weights are drawn as `torch.nn.Linear` draws them, from `torch.manual_seed({seed})`.",
        "init.notebook": "The weights are the very ones the lab printed: drawn as `torch.nn.Linear` draws them from "
                         "`torch.manual_seed({seed})`, after the nets the lab had drawn before this one.",
        "init.xavier": "Xavier (Glorot) uniform weights and zero biases, drawn from `torch.manual_seed({seed})`.",
        "init.normal": "Weights and biases from N(0, 1), drawn from `torch.manual_seed({seed})`.",
        "init.zeros": "Every weight and bias is 0: a saddle point, where every hidden unit stays the same.",
        "train.manual": "## Training: the chain rule written by hand\n\nEach step: the forward pass layer by layer, "
                        "then δ of each layer from the output back (`d_z` is ∂C/∂z), the gradients, and "
                        "{update}. {extras}The cost is printed as the lab prints it.",
        "train.autograd": "## Training: torch.nn and autograd\n\nAs the lab's second cell: `nn.Sequential`, the "
                          "criterion, `torch.optim`, then `zero_grad()`, `backward()` and `step()`. {extras}The "
                          "cost is printed as the lab prints it.",
        "update.sgd": "the update `W -= lr * dW`",
        "update.momentum": "the update with momentum {mu} (`v = μv + dW`, `W -= lr * v`)",
        "update.adam": "Adam's update (running means of the gradient and of its square)",
        "extra.l2": "The cost includes the L2 term l2/2 · Σ‖W‖² (l2 = {l2}), so each weight's gradient gets "
                    "l2 · W. ",
        "extra.lab": "As the lab did, the weights' gradients are summed over the samples (×N) while the biases' "
                     "are averaged. ",
        "extra.batch": "Each step learns from a mini-batch of {n} points (reshuffled every epoch); the printed cost "
                       "is on all training points. ",
        "result": "## The result\n\nThe net's output ŷ for the training points, its answer (ŷ > 0.5) and the "
                  "accuracy.{test}",
        "result.test": " Then the same for the held-out points.",
    },
    "ko": {
        "title": "# XOR MLP: {label}",
        "intro": "XOR MLP 앱에서 본 신경망을 같은 데이터, 같은 초기 가중치, 같은 규칙으로 학습하는 노트북입니다. "
                 "그래서 앱과 같은 숫자를 출력합니다. **torch**와 **numpy**만 있으면 됩니다. 모든 셀을 실행해 "
                 "보세요(Jupyter나 Colab).\n\n{settings}",
        "link": "앱에서 이 화면의 링크는 `{link}`입니다.",
        "settings": "| 설정 | 값 |\n|---|---|\n{rows}",
        "points": "점 {n}개", "noise": "노이즈",
        "data": "## 학습 데이터\n\n{what}",
        "data.table": "{name} 진리표입니다. 실습의 `X`, `Y`와 같습니다.",
        "data.sampled": "*{name}* 데이터셋의 점 {points}개입니다. 노이즈는 {noise}이고, 앱과 똑같이 시드 {seed}에서 "
                        "numpy로 뽑습니다.",
        "data.own": "앱에서 직접 찍은 점 {n}개를 숫자로 적었습니다.",
        "data.features": "신경망의 입력: {names}.",
        "data.test": "점의 {share}는 테스트용으로 떼어 둡니다(시드에서 뽑음). 신경망은 이 점들로 학습하지 않습니다.",
        "net": "## 신경망과 초기 가중치\n\n층 구성은 {arch}입니다. 은닉층은 {act}, 출력층은 시그모이드입니다. {init}",
        "init.default": "가중치는 `torch.manual_seed({seed})`에서 `torch.nn.Linear`와 같은 방식으로 뽑습니다.",
        "init.notebook": "실습이 출력한 바로 그 가중치입니다. `torch.manual_seed({seed})`에서 `torch.nn.Linear`와 같은 "
                         "방식으로 뽑되, 실습이 이 신경망보다 먼저 뽑은 신경망들을 먼저 뽑아 둡니다.",
        "init.xavier": "Xavier(Glorot) 균등 분포 가중치와 0인 편향을 `torch.manual_seed({seed})`에서 뽑습니다.",
        "init.normal": "가중치와 편향을 `torch.manual_seed({seed})`에서 N(0, 1)로 뽑습니다.",
        "init.zeros": "모든 가중치와 편향이 0입니다. 안장점이라서 은닉 유닛들이 끝까지 똑같이 움직입니다.",
        "train.manual": "## 학습: 손으로 쓴 연쇄 법칙\n\n한 스텝마다 층별 순전파, 출력층부터 거꾸로 각 층의 δ"
                        "(`d_z`는 ∂C/∂z), 기울기, 그리고 {update}를 합니다. {extras}비용은 실습처럼 출력합니다.",
        "train.autograd": "## 학습: torch.nn과 autograd\n\n실습의 두 번째 셀처럼 `nn.Sequential`, 손실 함수, "
                          "`torch.optim`을 만들고 `zero_grad()`, `backward()`, `step()`을 부릅니다. {extras}비용은 "
                          "실습처럼 출력합니다.",
        "update.sgd": "`W -= lr * dW` 업데이트",
        "update.momentum": "모멘텀 {mu} 업데이트(`v = μv + dW`, `W -= lr * v`)",
        "update.adam": "Adam 업데이트(기울기와 그 제곱의 이동 평균)",
        "extra.l2": "비용에는 L2 항 l2/2 · Σ‖W‖²(l2 = {l2})가 들어 있어서 가중치의 기울기에 l2 · W가 더해집니다. ",
        "extra.lab": "실습에서처럼 가중치의 기울기는 샘플에 대해 합하고(×N), 편향의 기울기는 평균합니다. ",
        "extra.batch": "스텝마다 점 {n}개짜리 미니배치로 학습합니다(에폭마다 다시 섞음). 출력하는 비용은 학습용 점 "
                       "전체의 비용입니다. ",
        "result": "## 결과\n\n학습용 점에 대한 출력 ŷ, 그 답(ŷ > 0.5), 정확도입니다.{test}",
        "result.test": " 이어서 떼어 둔 점에 대해서도 같은 것을 출력합니다.",
    },
}

SETTING_NAMES = {
    "en": {"dataset": "data", "hidden_layers": "hidden layers", "width": "width", "activation": "activation",
           "init": "initial weights", "lr": "learning rate", "steps": "steps", "backend": "gradients",
           "seed": "seed", "dtype": "precision", "grad_convention": "gradient convention", "loss": "cost",
           "optimizer": "update rule", "l2": "L2", "test_fraction": "held out", "batch_size": "batch size",
           "features": "inputs"},
    "ko": {"dataset": "데이터", "hidden_layers": "은닉층 수", "width": "너비", "activation": "활성화 함수",
           "init": "초기 가중치", "lr": "학습률", "steps": "스텝 수", "backend": "기울기 계산", "seed": "시드",
           "dtype": "정밀도", "grad_convention": "기울기 규칙", "loss": "비용", "optimizer": "업데이트 규칙",
           "l2": "L2", "test_fraction": "테스트용", "batch_size": "배치 크기", "features": "입력"},
}


BACKEND_WORDS = {"en": {"manual": "the chain rule by hand", "autograd": "autograd (torch.nn)"},
                 "ko": {"manual": "손으로 쓴 연쇄 법칙", "autograd": "autograd (torch.nn)"}}


def cadence(config: Config) -> tuple[int, int, int]:
    """(dense, until, then): `step cost` is printed when step % dense == 0 and step < until, or step % then == 0.
    The lab cell's own cadence for the nets it printed; else the CLI's (every 100 to 2,000, then every 500),
    spread out for long runs so that a notebook prints at most ~60 lines after step 2,000."""
    cell = cell_of(config)
    if cell is not None:
        return cell.cadence
    then = 500 * max(1, -(-config.steps // (500 * 60)))
    return 100, 2000, then


def file_name(config: Config) -> str:
    """The notebook's file name says the run: xor_2-2-1_sigmoid_lr1_manual_seed777.ipynb."""
    arch = "-".join(map(str, config.layer_sizes))
    return f"{config.dataset}_{arch}_{config.activation}_lr{config.lr:g}_{config.backend}_seed{config.seed}.ipynb"


def notebook(configs, lang: str = "en", link: str = "", names=None) -> dict:
    """The notebook (nbformat v4, validated) for one Config, or for several (one section each, as Compare pins
    them). `link`: the app's relative link to the same view (e.g. 'Train?layers=3'), shown in the intro with every
    character a URL may not carry plainly percent-encoded (nothing in it can end the code span or add markdown).
    `names`: each run's title (the app's label in the session's language); Config.label() where not given."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    configs = [configs] if isinstance(configs, Config) else list(configs)
    words = TEXTS["ko" if lang == "ko" else "en"]
    names = [c.label() for c in configs] if names is None else [_plain(name) for name in names]
    cells = []
    for i, (config, name) in enumerate(zip(configs, names)):
        if len(configs) > 1:
            cells.append(new_markdown_cell(f"---\n# {i + 1}. {name}"))
        for kind, text in _sections(config, name, words, lang, _safe_link(link) if i == 0 else ""):
            cells.append(new_markdown_cell(text) if kind == "md" else new_code_cell(text))
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


def _safe_link(link: str) -> str:
    from urllib.parse import quote

    return quote(str(link)[:2000], safe="?=&%+,:/~._-")


def to_json(nb) -> str:
    import nbformat

    return nbformat.writes(nb)


def _plain(name: str) -> str:
    """A title as plain text in markdown: the characters markdown or HTML would act on are dropped."""
    return "".join(ch for ch in str(name)[:200] if ch not in "`*_[]<>#|\\\n\r!")


def _sections(config: Config, name: str, w: dict, lang: str, link: str):
    """(kind, text) of each cell: 'md' or 'code'."""
    intro = w["intro"].format(settings=_settings_table(config, w, lang))
    if link:
        intro += "\n\n" + w["link"].format(link=link)
    yield "md", w["title"].format(label=name) + "\n\n" + intro
    yield "code", _imports(config)
    yield "md", w["data"].format(what=_data_words(config, w))
    yield "code", _data_code(config)
    sizes = config.layer_sizes
    yield "md", w["net"].format(arch="-".join(map(str, sizes)), act=config.activation,
                                init=w[f"init.{config.init}"].format(seed=config.seed))
    yield "code", _net_code(config)
    extras = "".join([w["extra.l2"].format(l2=f"{config.l2:g}")] * bool(config.l2)
                     + [w["extra.lab"]] * (config.grad_convention == "seed-lab")
                     + [w["extra.batch"].format(n=config.batch_size)] * bool(config.batch_size))
    update = w[f"update.{config.optimizer}"].format(mu=f"{config.momentum:g}")
    yield "md", w[f"train.{config.backend}"].format(update=update, extras=extras)
    yield "code", LOOPS[config.backend](config)
    yield "md", w["result"].format(test=w["result.test"] if config.test_fraction else "")
    yield "code", _result_code(config)


def _settings_table(config: Config, w: dict, lang: str) -> str:
    names = SETTING_NAMES["ko" if lang == "ko" else "en"]
    values = config.to_dict()
    values["features"] = ", ".join(config.features)
    values["lr"] = f"{config.lr:g}"
    values["steps"] = f"{config.steps:,}"
    values["backend"] = BACKEND_WORDS["ko" if lang == "ko" else "en"][config.backend]
    data = DATASETS[config.dataset]
    if data.noisy:
        values["dataset"] = f"{config.dataset} ({w['points'].format(n=config.points)}, {w['noise']} {config.noise:g})"
    if data.own:
        values["dataset"] = f"{config.dataset} ({w['points'].format(n=len(config.own_points))})"
    values["test_fraction"] = f"{config.test_fraction:.0%}"
    values["optimizer"] = UPDATE[config.optimizer].name.format(mu=f"{config.momentum:g}")
    always = ("dataset", "hidden_layers", "width", "activation", "lr", "steps", "backend", "seed", "init")
    default = Config().to_dict()
    rows = [f"| {names[k]} | {values[k]} |" for k in names
            if k in always or getattr(config, k) != default[k]]
    return w["settings"].format(rows="\n".join(rows))


def _data_words(config: Config, w: dict) -> str:
    data = DATASETS[config.dataset]
    if data.table:
        text = w["data.table"].format(name=config.dataset.upper())
    elif data.own:
        text = w["data.own"].format(n=len(config.own_points))
    else:
        text = w["data.sampled"].format(points=config.points, name=config.dataset, noise=f"{config.noise:g}",
                                        seed=config.seed)
    if config.features != ("x1", "x2"):
        text += " " + w["data.features"].format(names=", ".join(config.features))
    if config.test_fraction:
        text += " " + w["data.test"].format(share=f"{config.test_fraction:.0%}")
    return text


def _imports(config: Config) -> str:
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


def _data_code(config: Config) -> str:
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


def _before_draws(config: Config) -> list:
    """The nets the lab drew before the one it printed (init 'notebook'): drawn again, and set aside."""
    return INITS[config.init].before(config.layer_sizes)


BEFORE = "# the nets the lab had drawn from this seed before the one it printed: drawn again, set aside"


def _net_code(config: Config) -> str:
    sizes, L = config.layer_sizes, len(config.layer_sizes) - 1
    nn_layers = config.backend == AUTOGRAD and INIT_CODE[config.init] is NN_LINEAR  # the lab's nn.Linear(…) lines
    lines = []
    before = _before_draws(config)
    if nn_layers:
        if before:
            lines.append(BEFORE)
            for net in before:
                lines.append("; ".join(f"torch.nn.Linear({a}, {b})" for a, b in zip(net[:-1], net[1:])))
        for l in range(L):
            lines.append(f"linear{l + 1} = torch.nn.Linear({sizes[l]}, {sizes[l + 1]}, bias=True)")
    else:
        fill = INIT_CODE[config.init]
        lines += ["def layer(n_in, n_out):",
                  f'    """A layer\'s weight (out, in) and bias (out,): init "{config.init}"."""',
                  "    w, b = torch.empty(n_out, n_in), torch.empty(n_out)"]
        lines += [f"    {line}" for line in fill]
        lines += ["    return w, b", "", ""]
        if before:
            lines.append(BEFORE)
            for net in before:
                lines.append("; ".join(f"layer({a}, {b})" for a, b in zip(net[:-1], net[1:])))
        if config.backend != AUTOGRAD:
            lines.append("# W is (in, out), so that a layer computes X @ W + b (nn.Linear keeps W transposed)")
            for l in range(L):
                lines.append(f"w{l + 1}, b{l + 1} = layer({sizes[l]}, {sizes[l + 1]})")
            for l in range(L):
                lines.append(f"w{l + 1}, b{l + 1} = w{l + 1}.T.to(device, dtype).contiguous(), "
                             f"b{l + 1}.to(device, dtype)")
            lines += ["", "", "def sigmoid(x):", "    return 1 / (1 + torch.exp(-x))", "", "", *COST_CODE[config.loss]]
            return "\n".join(lines)
        lines.append("drawn = [" + ", ".join(f"layer({sizes[l]}, {sizes[l + 1]})" for l in range(L)) + "]")
        for l in range(L):
            lines.append(f"linear{l + 1} = torch.nn.Linear({sizes[l]}, {sizes[l + 1]}, bias=True)")
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
    loop (its state), the lines of one step (inside the loop, over params and grads), and torch.optim's call."""
    name: str
    setup: tuple
    step: tuple
    torch: str


UPDATE = {
    "sgd": Update("sgd", (), ("{p} -= lr * {g}",),  # one line a parameter, as the lab's w1 = w1 - learning_rate * d_w1
                  "torch.optim.SGD(model.parameters(), lr={lr})"),
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
    grads = ", ".join(f"d_w{l + 1}, d_b{l + 1}" for l in range(L))
    step = UPDATE[config.optimizer].step
    if "{p}" in step[0]:  # written out parameter by parameter
        names = [(f"w{l + 1}", f"d_w{l + 1}") for l in range(L)] + [(f"b{l + 1}", f"d_b{l + 1}") for l in range(L)]
        lines += ["", "    # the update"] + [f"    {step[0].format(p=p, g=g)}" for p, g in sorted(names, key=_order)]
    else:
        lines += ["", "    # the update", f"    grads = [{grads}]"] + [f"    {line}" for line in step]
    lines += ["", f"    if {_printed(config)}:", "        print(step, cost.item())"]
    return "\n".join(lines)


def _order(pair):
    """w1, b1, w2, b2, …: the lab's order of the updates."""
    name = pair[0]
    return int(name[1:]), name[0] == "b"


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


LOOPS = {"manual": _manual_loop, "autograd": _autograd_loop}


def _result_code(config: Config) -> str:
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
