"""python -m mlp: train one net from the command line and print the seed notebook's log (--notebook-out: and
write the run as a Jupyter notebook that prints the same numbers).

Every Config field is an option (--hidden-layers, --width, --lr, --backend, --device, --steps, --seed,
--features x1,x2,x1x2 …), its help taken from the field's comment in config.py, except the students' own
points (the app's Train page makes them). Bad values exit with status 2 and one line.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from dataclasses import fields

from . import config as config_module
from .chunk import predicted_class
from .config import Config
from .data import CORNERS
from .notebook import CELLS
from .train import train

CHOICES = config_module.CHOICES  # the choices Config checks, one table


def field_help() -> dict:
    """Field name → the comment beside its default in config.py (one truth for the docs)."""
    source = inspect.getsource(config_module.Config)
    return dict(re.findall(r"^\s+(\w+): \w+ = [^#\n]+#\s*(.+)$", source, re.MULTILINE))


def _names(text: str) -> tuple:
    """'x1,x2,x1x2' → ('x1', 'x2', 'x1x2'); Config checks the names."""
    return tuple(name.strip() for name in text.split(","))


def logged(step: int) -> bool:
    """The seed's cadence: every 100 steps up to 2,000, then every 500."""
    return (step % 100 == 0 and step < 2000) or step % 500 == 0


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse's default prints the whole usage first)
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m mlp", description="Train the seed's XOR MLP and print its cost log.")
    p.add_argument("--notebook", choices=[k for k, c in CELLS.items() if c.config is not None], default=None,
                   help="train the very net that cell of the seed notebook printed, log it at the cell's cadence "
                        "and compare with the printed log (other options still apply on top)")
    p.add_argument("--notebook-out", metavar="FILE.ipynb", default=None,
                   help="also write the run as a Jupyter notebook in the lab's style (torch and numpy only) that "
                        "prints the same numbers")
    p.add_argument("--lang", choices=("en", "ko"), default="en", help="the notebook's language (default: en)")
    helps = field_help()
    for f in fields(Config):
        if f.name == "own_points":
            continue
        kind = {"int": int, "float": float, "str": str, "tuple": _names}[f.type]
        default = ",".join(f.default) if f.type == "tuple" else f.default
        p.add_argument(f"--{f.name.replace('_', '-')}", dest=f.name, type=kind, default=f.default,
                       choices=CHOICES.get(f.name), metavar=None if f.name in CHOICES else f.name.upper(),
                       help=helps.get(f.name, "").replace("%", "%%") + f" (default: {default})")
    return p


def main(argv=None) -> int:
    p = parser()
    args = p.parse_args(argv)
    cell = CELLS[args.notebook] if args.notebook else None
    if cell is not None:  # the cell's net as the defaults; options given on the command line still win
        p.set_defaults(**cell.config.to_dict())
        args = p.parse_args(argv)
    fields_given = {k: v for k, v in vars(args).items() if k not in ("notebook", "notebook_out", "lang")}
    try:
        config = Config(**fields_given)
        if args.notebook_out:  # written before training: a long run still leaves its notebook
            write_notebook(config, args.notebook_out, args.lang)
        run = train(config, on_step=_printer(cell.logged if cell else logged))
    except (ValueError, OSError) as e:
        p.error(str(e))
    print()
    print("x1 x2 -> hypothesis (predicted)")
    for (x1, x2), prob in zip(CORNERS, run.predict(CORNERS)):
        print(f"{x1:.0f}  {x2:.0f}  -> {prob:.6f} ({predicted_class(prob)})")
    print(f"accuracy on the training data: {run.accuracy[-1]:.3f}" if run.steps_done else "no step recorded")
    print(f"{config.label()} | device {run.device} | {run.seconds_per_step * 1e6:.1f} µs/step")
    if run.diverged:
        print(f"diverged after {run.steps_done} steps: the cost or weights became inf/NaN; try a lower --lr")
    if cell is not None:
        print(against_notebook(cell, run.cost))
    return 0


def write_notebook(config: Config, path: str, lang: str):
    """The run as a notebook (mlp.export), into `path`; a one-line note on stderr says where."""
    from .export import notebook, to_json

    if not path.endswith(".ipynb"):
        raise ValueError(f"--notebook-out {path!r}: the file name must end in .ipynb")
    with open(path, "w", encoding="utf-8") as f:
        f.write(to_json(notebook(config, lang=lang)))
    print(f"notebook written to {path}", file=sys.stderr)


def against_notebook(cell, cost) -> str:
    """One line: how far this run's costs are from the lines the notebook printed."""
    pairs = [(s, c) for s, c in cell.log() if s < len(cost)]
    if not pairs:
        return "the notebook printed no step this run reached"
    step, printed = max(pairs, key=lambda p: abs(cost[p[0]] - p[1]) / p[1])
    return (f"the notebook's {cell.name} cell printed {len(pairs)} of these steps; largest difference "
            f"{abs(cost[step] - printed) / printed:.3%} at step {step} ({cost[step]:.6g} here, {printed:.6g} printed)")


def _printer(logged):
    printed = 0

    def on_step(progress):
        nonlocal printed
        cost = progress.run.cost
        for step in range(printed, len(cost)):
            if logged(step):
                print(step, cost[step], flush=True)
        printed = len(cost)

    return on_step


if __name__ == "__main__":
    sys.exit(main())
