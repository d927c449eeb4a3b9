"""Benchmark of the mlp engine against the seed's plain torch loop, measured side by side in one run.

Baseline: the seed's second cell as a user would write it (nn.Sequential + BCELoss + SGD, torch's
default threads), timing only its loop. Each contender is timed in rounds interleaved with the
baseline, and the median of the per-round ratios is printed, so a noisy machine moves both alike.

    python bench/bench_engine.py [--steps 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

import mlp  # noqa: E402
from mlp.fast import replay  # noqa: E402


def baseline(sizes, steps, seed=777, adam=False):
    """The seed's nn cell, unchanged but for the sizes (and torch.optim.Adam where asked): seconds per step."""
    torch.manual_seed(seed)
    X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    Y = torch.FloatTensor([[0], [1], [1], [0]])
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out, bias=True), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    criterion = torch.nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1) if adam else torch.optim.SGD(model.parameters(), lr=1)
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


def sweep_rate(config, n_seeds):
    """Model-steps per second of a batched sweep."""
    return mlp.sweep(config, n_seeds).model_steps_per_second


MAP_GRID = (("lr", (0.01, 0.03, 0.1, 0.3, 1.0, 2.0, 5.0, 10.0)), ("width", (1, 2, 4, 8, 16, 32)))  # the Map's default


def sweep_cases(steps: int, deep: dict) -> list:
    """The sweeps timed on the cpu against the seed loop, and on cuda against the cpu: (name, config, nets,
    the cpu target)."""
    return [("1,024 seeds of 2-2-1", mlp.Config(steps=steps, device="cpu"), 1024, "≥ 800"),
            ("256 seeds of 2-10-10-10-1", mlp.Config(steps=steps, device="cpu", **deep), 256, "≥ 200")]


def graph_rate(config, n_seeds, graphs: bool) -> float:
    """Model-steps per second of the batched chain rule on cuda, with CUDA-graph replay or without: a single run
    (n_seeds 0) or a sweep."""
    os.environ[replay.ENV] = "1" if graphs else "0"
    if n_seeds:
        return mlp.sweep(config, n_seeds, storage="torch").model_steps_per_second
    return 1 / mlp.train(config, storage="torch").seconds_per_step


PACE_CASES = [  # (name, config, nets): single runs and sweeps from the lab's net to the largest the app allows
    ("2-2-1 manual", mlp.Config(device="cpu"), 1),
    ("2-2-1 autograd", mlp.Config(device="cpu", backend="autograd"), 1),
    ("2-10-10-10-1 manual", mlp.Config(device="cpu", hidden_layers=3, width=10), 1),
    ("2-10-10-10-1 autograd", mlp.Config(device="cpu", hidden_layers=3, width=10, backend="autograd"), 1),
    ("8 × 64 relu, spiral 1,000 manual", mlp.Config(device="cpu", hidden_layers=8, width=64, activation="relu",
                                                     dataset="spiral", points=1000), 1),
    ("8 × 64 relu, spiral 1,000 autograd", mlp.Config(device="cpu", hidden_layers=8, width=64, activation="relu",
                                                       dataset="spiral", points=1000, backend="autograd"), 1),
    ("16 × 256 tanh, spiral 1,000 manual", mlp.Config(device="cpu", hidden_layers=16, width=256, activation="tanh",
                                                       dataset="spiral", points=1000), 1),
    ("6 × 32, circle 200, batches of 10, 25 % held out", mlp.Config(device="cpu", hidden_layers=6, width=32,
                                                                    dataset="circle", batch_size=10,
                                                                    test_fraction=0.25), 1),
    ("sweep 1,024 × 2-2-1", mlp.Config(device="cpu"), 1024),
    ("sweep 256 × 2-10-10-10-1", mlp.Config(device="cpu", hidden_layers=3, width=10), 256),
    ("sweep 64 × 2-32-32-1, circle 200", mlp.Config(device="cpu", hidden_layers=2, width=32, dataset="circle"), 64),
]


def chunk_times(chunks: int = 6) -> None:
    """How long a chunk takes here (a stop waits for the chunk under way): the step count is fixed by the work
    (mlp.fast.chunk_steps, stated for a machine twice as slow as the development machine); the target is ≤ 0.1 s."""
    print(f"\n{'chunk (a stop waits at most one)':50s} {'steps':>6s} {'median s':>9s} {'max s':>7s}  target ≤ 0.1 s")
    for name, config, nets in PACE_CASES:
        times, last = [], [time.perf_counter()]

        def tick(*_, times=times, last=last):
            now = time.perf_counter()
            times.append(now - last[0])
            last[0] = now
            return False if len(times) == chunks else None

        size = mlp.fast.chunk_steps(config.backend, mlp.model.Layout(config.layer_sizes), nets,
                                    mlp.data.samples(config))
        config = replace(config, steps=200_000)
        last[0] = time.perf_counter()
        mlp.train(config, on_step=tick) if nets == 1 else mlp.sweep(config, nets, on_step=tick)
        times = times[1:] or times  # the first chunk includes setting up (data, weights, buffers)
        print(f"{name:50s} {size:6d} {statistics.median(times):9.3f} {max(times):7.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chunks", action="store_true", help="only the chunk times (how soon a stop is heard)")
    parser.add_argument("--cuda-only", action="store_true",
                        help="only the GPU figures (each still measured against the cpu of the same machine)")
    args = parser.parse_args(argv)
    deep = dict(hidden_layers=3, width=10)
    if args.cuda_only:
        return cuda_figures(args, deep)
    if args.chunks:
        return chunk_times()
    cases = [
        ("2-2-1 manual, full recording", mlp.Config(steps=args.steps, device="cpu"), "≥ 8"),
        ("2-10-10-10-1 manual, full recording", mlp.Config(steps=args.steps, device="cpu", **deep), "≥ 5"),
        ("2-2-1 autograd, full recording", mlp.Config(steps=args.steps, device="cpu", backend="autograd"),
         "≥ 0.91 (time ≤ 1.1×)"),
        ("2-2-1 manual Adam vs torch.optim.Adam", mlp.Config(steps=args.steps, device="cpu", optimizer="adam", lr=0.1),
         "≥ 5"),
    ]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.steps} steps, {args.rounds} rounds")
    print(f"{'case':40s} {'baseline µs/step':>17s} {'engine µs/step':>15s} {'speed-up':>9s}  target")
    for name, config, target in cases:
        ratios, base_t, eng_t = [], [], []
        engine(replace(config, steps=200))  # warm up
        for _ in range(args.rounds):
            b = baseline(config.layer_sizes, args.steps, adam=config.optimizer == "adam")
            e = engine(config)
            base_t.append(b)
            eng_t.append(e)
            ratios.append(b / e)
        print(f"{name:40s} {statistics.median(base_t) * 1e6:17.1f} {statistics.median(eng_t) * 1e6:15.1f} "
              f"{statistics.median(ratios):8.2f}×  {target}")

    sweeps = sweep_cases(args.steps, deep)
    print(f"\n{'sweep (model-steps per second)':40s} {'baseline':>17s} {'sweep':>15s} {'ratio':>9s}  target")
    for name, config, n, target in sweeps:
        ratios, base_r, sweep_r = [], [], []
        for _ in range(max(1, args.rounds // 2)):
            b = 1 / baseline(config.layer_sizes, args.steps)
            r = sweep_rate(config, n)
            base_r.append(b)
            sweep_r.append(r)
            ratios.append(r / b)
        print(f"{name:40s} {statistics.median(base_r):17,.0f} {statistics.median(sweep_r):15,.0f} "
              f"{statistics.median(ratios):8.0f}×  {target}")
    # the map's default grid (issue: ≤ 20 s here): 8 learning rates × 6 widths × 32 seeds of 2-W-1, 10,001 steps
    lrs, widths = MAP_GRID[0][1], MAP_GRID[1][1]
    base = 1 / baseline((2, 2, 1), args.steps)
    result = mlp.hyper_map(mlp.Config(device="cpu"), *MAP_GRID, 32)
    rate = len(lrs) * len(widths) * 32 * 10_001 / result.seconds
    print(f"\nmap 8 lr × 6 widths × 32 seeds × 10,001 steps: {result.seconds:.1f} s (target ≤ 20 s); "
          f"{rate:,.0f} model-steps/s, {rate / base:,.0f}× the seed loop's {base:,.0f}")
    chunk_times()
    cuda_figures(args, deep)


def kernel_stages(n_nets: int, steps: int, device: str = "cuda") -> dict:
    """The fused kernel's sweep of n_nets 2-2-1 nets, stage by stage (seconds): drawing the initial weights, the
    launches alone (synchronised around them: the kernel-only rate), and the whole of kernel.sweep_2w1 (copies to
    the device and the kept records back to the host included: the end-to-end rate)."""
    from mlp.data import training_data
    from mlp.fast import kernel
    from mlp.model import Layout, init_params
    from mlp.sweeps import kept_steps

    config = mlp.Config(steps=steps)
    X, Y = training_data(config)
    start = time.perf_counter()
    P0 = init_params(Layout(config.layer_sizes), "default", range(n_nets))
    drawn = time.perf_counter() - start
    launches = []

    def timed(done, total):  # called after each launch has finished on the device (sweep_2w1 waits for it)
        launches.append(time.perf_counter())

    start = time.perf_counter()
    kernel.sweep_2w1(P0, X, Y, 1.0, steps, kept_steps(steps), 0.1, device=device, on_step=timed)
    whole = time.perf_counter() - start
    return {"init": drawn, "kernel": launches[-1] - start, "whole": whole, "model_steps": n_nets * steps}


def print_stages(stages: dict):
    kernel_rate, whole_rate = (stages["model_steps"] / stages[k] for k in ("kernel", "whole"))
    print(f"    stages: initial weights {stages['init']:.2f} s (a draw is kept for the next ask); the launches "
          f"(and the weights' upload) {stages['kernel']:.3f} s = {kernel_rate:,.3g} model-steps/s kernel-only; "
          f"the whole sweep {stages['whole']:.3f} s = {whole_rate:,.3g} end to end (the kept records' copy included)")


def cuda_figures(args, deep):
    """cuda against the cpu of the same machine, side by side: sweeps, the fused kernel, single runs, graph replay."""
    if torch.cuda.is_available():
        print("cuda:", torch.cuda.get_device_name(0))
        for name, config, n, _ in sweep_cases(args.steps, deep):
            gpu = replace(config, device="cuda")
            sweep_rate(gpu, n)  # warm up
            g, c = sweep_rate(gpu, n), sweep_rate(config, n)
            print(f"  {name}: cuda sweep {g:,.0f} model-steps/s vs cpu {c:,.0f} ({g / c:,.1f}×; 2-2-1 target ≥ 10×, "
                  f"deep ≥ 3×)")
        mlp.hyper_map(mlp.Config(steps=300, device="cuda"), *MAP_GRID, 32)  # warm up: a build of the kernel a width
        gpu_map = mlp.hyper_map(mlp.Config(device="cuda"), *MAP_GRID, 32).seconds
        cpu_map = mlp.hyper_map(mlp.Config(device="cpu"), *MAP_GRID, 32).seconds
        print(f"  the Map's default grid (8 lr × 6 widths × 32 seeds × 10,001 steps, the fused kernel): "
              f"cuda {gpu_map:.2f} s vs cpu {cpu_map:.1f} s ({cpu_map / gpu_map:,.0f}×)")
        big = mlp.Config(steps=10_001, device="cuda")  # the fused kernel's case (mlp/kernel.py)
        sweep_rate(big, 65_536)  # warm up (and compile)
        print(f"  65,536 × 2-2-1 × 10,001 steps, fused kernel: {sweep_rate(big, 65_536):,.3g} model-steps/s "
              f"(target ≥ 1e10)")
        from mlp.fast import kernel  # triton is there: the fused kernel ran above

        kernel_stages(65_536, 300)  # warm up
        print_stages(kernel_stages(65_536, 10_001))

        for block in (64, 128, 256):  # the launch's shape (mlp/kernel.py: shape), each tried at 65,536 nets
            for warps in (1, 4):
                os.environ[kernel.BLOCK_ENV], os.environ[kernel.WARPS_ENV] = str(block), str(warps)
                sweep_rate(big, 65_536)  # a build for this shape
                print(f"    BLOCK {block:3d} × {warps} warps: {sweep_rate(big, 65_536):,.3g} model-steps/s")
        os.environ.pop(kernel.BLOCK_ENV), os.environ.pop(kernel.WARPS_ENV)
        single = mlp.Config(steps=args.steps)
        for name, config, storage, target in (
                ("single 2-2-1 run (fused kernel)", single, None, "target ≤ 1.5×"),
                ("single 2-2-1 run, batched torch path", single, "torch", "eager, for comparison"),
                ("single 2-10-10-10-1 run", replace(single, **deep), None, "eager")):
            gpu = replace(config, device="cuda")
            mlp.train(replace(gpu, steps=300), storage=storage)  # warm up (and compile the kernel)
            times = [(mlp.train(replace(config, device="cpu")).seconds_per_step,
                      mlp.train(gpu, storage=storage).seconds_per_step) for _ in range(3)]
            cpu_t, gpu_t = (statistics.median(t) for t in zip(*times))
            print(f"  {name}: cuda {gpu_t * 1e6:.1f} µs/step vs cpu {cpu_t * 1e6:.1f} µs/step "
                  f"({statistics.median(g / c for c, g in times):.2f}× the cpu's time; {target})")
        # CUDA-graph replay of the batched chain rule (mlp/replay.py, MLP_CUDA_GRAPHS=1), against the same eagerly
        deep_run, small = mlp.Config(steps=1000, device="cuda", **deep), mlp.Config(steps=1000, device="cuda")
        for name, config, n in (("single 2-2-1 run, torch path", small, 0), ("single 2-10-10-10-1 run", deep_run, 0),
                                ("256 × 2-10-10-10-1 sweep", deep_run, 256),
                                ("16,384 × 2-10-10-10-1 sweep", deep_run, 16_384),
                                ("65,536 × 2-2-1 sweep, torch path", small, 65_536)):
            graph_rate(config, n, True), graph_rate(config, n, False)  # warm up
            rounds = [(graph_rate(config, n, False), graph_rate(config, n, True)) for _ in range(3)]
            eager, graphs = (statistics.median(r) for r in zip(*rounds))
            print(f"  {name}: graph replay {graphs:,.0f} model-steps/s vs eager {eager:,.0f} "
                  f"({statistics.median(g / e for e, g in rounds):.2f}×; targets: 16,384 deep ≥ 3e7, "
                  f"65,536 × 2-2-1 ≥ 1e8)")
        os.environ.pop(replay.ENV, None)
    else:
        print("cuda: no GPU visible to torch here; the GPU figures are unmeasured")


if __name__ == "__main__":
    main()
