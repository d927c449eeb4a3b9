"""A run taken home: the Config written out as a Jupyter notebook in the seed lab's own style, that prints the
app's numbers.

The notebook imports torch and numpy only (nothing of this package): the data drawn as mlp/data.py draws it (numpy,
from the seed), the initial weights drawn as mlp/model.py draws them (torch, from the seed), then the training loop:
the hand-written chain rule written out layer by layer as the lab's first cell, or torch.nn + autograd as its
second, printing `step cost` at the lab's cadence, then the predictions and the accuracy.

This module lays the notebook out and writes its words (English or Korean); the code cells are
mlp/export_cells.py's. Safe by construction: only validated Config values (numbers and names from fixed tables)
and these modules' own texts reach a cell; a student's own points are written as numbers. nbformat builds and
validates the file; it is imported when a notebook is made, so `import mlp` still needs torch and numpy only.
"""

from __future__ import annotations

from .config import Config
from .data import DATASETS
from .export_cells import UPDATE, cadence, data_cell, imports_cell, loop_cell, net_cell, result_cell

__all__ = ["cadence", "file_name", "notebook", "to_json"]

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
    yield "code", imports_cell(config)
    yield "md", w["data"].format(what=_data_words(config, w))
    yield "code", data_cell(config)
    sizes = config.layer_sizes
    yield "md", w["net"].format(arch="-".join(map(str, sizes)), act=config.activation,
                                init=w[f"init.{config.init}"].format(seed=config.seed))
    yield "code", net_cell(config)
    extras = "".join([w["extra.l2"].format(l2=f"{config.l2:g}")] * bool(config.l2)
                     + [w["extra.lab"]] * (config.grad_convention == "seed-lab")
                     + [w["extra.batch"].format(n=config.batch_size)] * bool(config.batch_size))
    update = w[f"update.{config.optimizer}"].format(mu=f"{config.momentum:g}")
    yield "md", w[f"train.{config.backend}"].format(update=update, extras=extras)
    yield "code", loop_cell(config)
    yield "md", w["result"].format(test=w["result.test"] if config.test_fraction else "")
    yield "code", result_cell(config)


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


