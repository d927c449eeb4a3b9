"""Benchmark of the mlp engine against the seed's plain torch loop, measured side by side in one run.

Baseline: the seed's second cell as a user would write it (nn.Sequential + BCELoss + SGD, torch's
default threads), timing only its loop. Each contender is timed in rounds interleaved with the
baseline, and the median of the per-round ratios is printed, so a noisy machine moves both alike.

    python bench/bench_engine.py [--steps 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

import mlp  # noqa: E402


def baseline(sizes, steps, seed=777):
    """The seed's nn cell, unchanged but for the sizes: seconds per step of its loop."""
    torch.manual_seed(seed)
    X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    Y = torch.FloatTensor([[0], [1], [1], [0]])
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out, bias=True), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    criterion = torch.nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1)
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad()
        hypothesis = model(X)
        cost = criterion(hypothesis, Y)
        cost.backward()
        optimizer.step()
    return (time.perf_counter() - start) / steps


def engine(config):
    return mlp.train(config).seconds_per_step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    deep = dict(hidden_layers=3, width=10)
    cases = [
        ("2-2-1 manual, full recording", mlp.Config(steps=args.steps, device="cpu"), "≥ 8"),
        ("2-10-10-10-1 manual, full recording", mlp.Config(steps=args.steps, device="cpu", **deep), "≥ 5"),
        ("2-2-1 autograd, full recording", mlp.Config(steps=args.steps, device="cpu", backend="autograd"),
         "≥ 0.91 (time ≤ 1.1×)"),
    ]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.steps} steps, {args.rounds} rounds")
    print(f"{'case':40s} {'baseline µs/step':>17s} {'engine µs/step':>15s} {'speed-up':>9s}  target")
    for name, config, target in cases:
        ratios, base_t, eng_t = [], [], []
        engine(replace(config, steps=200))  # warm up
        for _ in range(args.rounds):
            b = baseline(config.layer_sizes, args.steps)
            e = engine(config)
            base_t.append(b)
            eng_t.append(e)
            ratios.append(b / e)
        print(f"{name:40s} {statistics.median(base_t) * 1e6:17.1f} {statistics.median(eng_t) * 1e6:15.1f} "
              f"{statistics.median(ratios):8.2f}×  {target}")


if __name__ == "__main__":
    main()
