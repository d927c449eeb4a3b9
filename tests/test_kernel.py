"""The fused 2-2-1 Triton kernel (mlp/kernel.py) against mlp.sweep's batched chain rule. Without a GPU it runs
in Triton's interpreter on the CPU (TRITON_INTERPRET=1); where triton is not installed (it is not in
requirements: ~1 GB) these tests skip with that reason. The cuda tests in test_engine.py run it on a GPU."""

import os
import subprocess
import sys
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import torch

if not torch.cuda.is_available():
    os.environ["TRITON_INTERPRET"] = "1"  # before triton reads it: the kernel runs on CPU tensors, in numpy
pytest.importorskip("triton", reason="triton is not installed (pip install triton: ~1 GB; the app never needs it)")

from agree import assert_nearly_every_net, assert_same_accuracy, assert_same_curve, assert_same_solved_steps  # noqa: E402

import mlp  # noqa: E402
from mlp.data import training_data  # noqa: E402
from mlp.fast import kernel  # noqa: E402
from mlp.losses import LOSSES  # noqa: E402
from mlp.model import Layout, init_params  # noqa: E402
from mlp.sweeps import kept_steps  # noqa: E402

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


@pytest.mark.slow
@pytest.mark.parametrize("config", [mlp.Config(steps=200, lr=3.0, seed=40), mlp.Config(steps=120, seed=7),
                                    mlp.Config(steps=150, width=3, lr=2.0, seed=5), mlp.Config(steps=100, width=8)])
def test_the_fused_kernel_trains_the_nets_the_batched_chain_rule_trains(config, monkeypatch):
    """48 nets of 2-W-1 (W = 2, the lab's; 3, a masked column in each tile; 8) against mlp.sweep on the cpu,
    in small tiles: several programs, the last one part-full."""
    monkeypatch.setattr(kernel, "TILE", 32)  # BLOCK = 32 // W nets a program
    B = 48
    expected = mlp.sweep(replace(config, device="cpu"), B)
    P0 = init_params(Layout(config.layer_sizes), config.init, config.seed + np.arange(B))
    X, Y = training_data(config)
    got = kernel.sweep_2w1(P0, X, Y, config.lr, config.steps, kept_steps(config.steps), LOSSES["bce"].solved,
                           device=DEVICE)
    np.testing.assert_allclose(got["cost"], expected.cost, atol=1e-5)
    np.testing.assert_allclose(got["norms"], expected.grad_norms, atol=1e-5)
    np.testing.assert_allclose(got["final_cost"], expected.final_cost, atol=1e-5)
    assert_same_accuracy(got["final_accuracy"], expected.final_accuracy, points=4, share=1 / B)
    assert_same_solved_steps(got["solved_step"], expected.solved_step)
    assert not got["diverged"].any()
    if config.lr == 3.0:
        assert (expected.solved_step >= 0).sum() >= 5  # the first solved step is really compared (7 of 48)


@pytest.mark.slow
def test_a_kernel_sweep_launch_by_launch_equals_one_launch_and_stops_when_asked():
    """A sweep on a GPU runs in launches of a bounded amount of work, with on_step between them (progress, and a
    moved slider stops it); each launch goes on where the last ended: first solved steps, divergence, the kept
    records. The same numbers as one launch, bit for bit."""
    config = mlp.Config(steps=200, lr=3.0, seed=40)
    P0 = init_params(Layout(config.layer_sizes), config.init, config.seed + np.arange(48))
    X, Y = training_data(config)
    keep = kept_steps(config.steps)
    run = partial(kernel.sweep_2w1, P0, X, Y, config.lr, config.steps, keep, LOSSES["bce"].solved, device=DEVICE)
    whole, seen = run(segment=200), []
    parts = run(segment=37, on_step=lambda done, steps: seen.append((done, steps)))
    assert seen == [(37, 200), (74, 200), (111, 200), (148, 200), (185, 200), (200, 200)]
    for name in ("cost", "norms", "final_cost", "final_accuracy", "solved_step"):
        np.testing.assert_array_equal(parts[name], whole[name])
    assert (whole["solved_step"] >= 0).sum() >= 5 and parts["steps_done"] == 200
    stopped = run(segment=37, on_step=lambda done, steps: done < 74)  # False after the second launch
    assert stopped["steps_done"] == 74
    assert np.isfinite(stopped["cost"][:, keep < 74]).all() and np.isnan(stopped["cost"][:, keep >= 74]).all()


@pytest.mark.slow
def test_the_fused_kernel_takes_a_learning_rate_per_net_as_a_map_does():
    config = mlp.Config(steps=150, width=4, seed=3)
    lr = np.repeat([0.1, 0.3, 1.0, 2.0], 8)  # four cells of a map's learning-rate axis, 8 seeds each
    seeds = np.tile(config.seed + np.arange(8), 4)
    expected = mlp.sweep(replace(config, device="cpu"), 32, lr=lr, seeds=seeds)
    P0 = init_params(Layout(config.layer_sizes), config.init, seeds)
    X, Y = training_data(config)
    got = kernel.sweep_2w1(P0, X, Y, lr, config.steps, kept_steps(config.steps), LOSSES["bce"].solved, device=DEVICE)
    np.testing.assert_allclose(got["cost"], expected.cost, atol=1e-5)
    assert_same_solved_steps(got["solved_step"], expected.solved_step)
    assert len({tuple(np.round(got["final_cost"][k:k + 8], 4)) for k in range(0, 32, 8)}) == 4  # the rates differ


def test_the_kernel_takes_only_the_configs_it_trains_as_sweep_does():
    assert kernel.covers(mlp.Config()) and kernel.covers(mlp.Config(width=32)) and kernel.covers(mlp.Config(width=1))
    for other in (mlp.Config(hidden_layers=2), mlp.Config(hidden_layers=0), mlp.Config(activation="tanh"),
                  mlp.Config(loss="mse"), mlp.Config(optimizer="adam"), mlp.Config(l2=0.001),
                  mlp.Config(dataset="circle"), mlp.Config(grad_convention="seed-lab"),
                  mlp.Config(features=("x1", "x2", "x1x2"))):
        assert not kernel.covers(other), other


@pytest.mark.slow
@pytest.mark.parametrize("width", [2, 5])
def test_a_single_run_by_the_kernel_records_what_the_hand_written_loop_records(width):
    """A single run through the kernel (its every-step mode: how a 2-W-1 run trains on cuda) against the numpy
    loop: every step's cost, accuracy and gradient norms, each unit's, and the kept weights; over two chunks."""
    config = mlp.Config(steps=300, lr=3.0, seed=40, width=width, device=DEVICE)
    fused, loop = mlp.train(config, storage="fused"), mlp.train(replace(config, device="cpu"))
    assert fused.steps_done == loop.steps_done == 300 and not fused.diverged
    np.testing.assert_allclose(fused.cost, loop.cost, atol=1e-5)
    assert_same_accuracy(fused.accuracy, loop.accuracy, points=4)
    np.testing.assert_allclose(fused.grad_norms, loop.grad_norms, atol=1e-5)
    np.testing.assert_allclose(fused.bias_grad_norms, loop.bias_grad_norms, atol=1e-5)
    np.testing.assert_allclose(fused.unit_grad_norms, loop.unit_grad_norms, atol=1e-5)
    assert sorted(fused.snapshots) == sorted(loop.snapshots) and len(fused.snapshots) > 10
    for step, weights in loop.snapshots.items():
        np.testing.assert_allclose(fused.snapshots[step], weights, atol=1e-5)
    assert loop.cost[-1] < 0.6 * loop.cost[0]  # it learned: the curves compared are not flat


def test_the_kernel_is_refused_where_it_would_train_something_else():
    with pytest.raises(ValueError, match="2-W-1 sigmoid nets on XOR"):
        mlp.train(mlp.Config(hidden_layers=2, device="cpu"), storage="fused")
    with pytest.raises(ValueError, match="backend='manual' only"):
        mlp.train(mlp.Config(backend="autograd", device="cpu"), storage="fused")


_COMPILE = """
import inspect
import sys
import triton
from triton.backends.compiler import GPUTarget
from triton.compiler import ASTSource
from mlp.fast import kernel
if "constexprs" not in inspect.signature(ASTSource).parameters:
    sys.exit("SKIP: triton " + triton.__version__ + " is older than the compile API this test speaks (3.3+)")
types = dict(P="*fp32", X="*fp32", Y="*fp32", LR="*fp32", first="i32", steps="i32", B="i32", keep="*i32", k0="i32",
             n_keep="i32", solved_cost="fp32", cost_out="*fp32", norm_out="*fp32", final_out="*fp32",
             acc_out="*fp32", solved_out="*i32", alive_io="*i32", params_out="*fp32", grads_out="*fp32",
             logits_out="*fp32",
             W="constexpr", WP="constexpr", EVERY="constexpr", BLOCK="constexpr")
assert list(types) == list(kernel._train_2w1.arg_names), kernel._train_2w1.arg_names
for arch in (80, 90):
    for width in (2, 10):
        for every in (False, True):  # as sweep_2w1 and steps_2w1 launch it
            block, wp, warps = kernel.shape(width, single=every)
            src = ASTSource(fn=kernel._train_2w1, signature=types,
                            constexprs={"W": width, "WP": wp, "EVERY": every, "BLOCK": block})
            binary = triton.compile(src, target=GPUTarget("cuda", arch, 32), options={"num_warps": warps})
            print(arch, width, every, len(binary.asm["cubin"]))
"""


@pytest.mark.slow
def test_the_kernel_compiles_for_the_gpus_it_is_meant_for(tmp_path):
    """Triton's compiler, not its interpreter, for an A100 (sm_80) and an H100 (sm_90), both modes, the lab's
    width and a masked one, down to the cubin (triton's own ptxas): the interpreter runs the kernel as Python
    and lets through what the compiler refuses (a loop-carried value changing type: tried, this test failed
    and the interpreter's passed). No GPU is needed to compile."""
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env.update(TRITON_CACHE_DIR=str(tmp_path), PYTHONPATH=os.getcwd())
    done = subprocess.run([sys.executable, "-c", _COMPILE], env=env, capture_output=True, text=True, timeout=240)
    if done.stderr.startswith("SKIP: "):
        pytest.skip(done.stderr[6:].strip())
    assert done.returncode == 0, done.stderr[-3000:]
    built = [line.split() for line in done.stdout.splitlines()]
    assert len(built) == 8 and all(int(size) > 1000 for *_, size in built), done.stdout


@pytest.mark.cuda
def test_a_single_cuda_run_by_the_kernel_equals_the_batched_chain_rule_on_the_gpu():
    """Two float32 programs on one GPU: the kernel (fused multiply-adds, approximate exp and division) and the torch
    path (cuBLAS sums, accurate expf). They round differently by a few float32 roundings a step, as two cpu programs
    do (agree.py), so their curves agree as agree.py's do; the gradient norms too, at the same bounds (a norm is a
    few times the cost's size and moves with it here, ~1e-1)."""
    config = mlp.Config(steps=2000, device="cuda")  # the default 2-2-1 run on cuda: the kernel
    fused, torch_path = mlp.train(config), mlp.train(config, storage="torch")
    assert fused.steps_done == torch_path.steps_done == 2000
    assert_same_curve(fused.cost, torch_path.cost)
    for layer in range(2):
        assert_same_curve(fused.grad_norms[:, layer], torch_path.grad_norms[:, layer])


@pytest.mark.cuda
def test_a_cuda_sweep_by_the_kernel_equals_the_batched_chain_rule_on_the_gpu():
    config = mlp.Config(steps=3000, seed=100, device="cuda")
    fused = mlp.sweep(config, 1024)  # 2-2-1 XOR on cuda: the kernel
    torch_path = mlp.sweep(config, 1024, storage="torch")  # storage named: the batched chain rule
    assert_nearly_every_net(fused, torch_path, flips=2)  # two float32 programs (agree.py)


def test_the_compiled_sweep_step_moves_no_numbers_through_shared_memory():
    """Compiled for sm_90: a net's own numbers live in the tile's layout ([BLOCK, 1] columns) and the four points
    are loaded once, so the 2-W-1 sweep's step loop at W = 2 has no barrier, no shared-memory traffic, and no more
    than 450 instructions a net-step (BLOCK 256 nets over 4 warps: 2 nets a thread)."""
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}  # compiled, not interpreted
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("kernel_sass.py")), "2", "256", "4"],
                          capture_output=True, text=True, env=env, timeout=300)
    if done.returncode == 3:
        pytest.skip(done.stdout.strip())
    assert done.returncode == 0, done.stderr[-2000:]
    loop = done.stdout.splitlines()
    assert not [i for i in loop if i.startswith(("BAR", "STS", "LDS"))], [i for i in loop if i[:3] in "BARSTSLDS"]
    per_net_step = len(loop) / (256 / (4 * 32))
    assert per_net_step <= 450, per_net_step
    print(f"step loop: {len(loop)} instructions, {per_net_step:.0f} a net-step")


def test_the_launch_shape_fits_the_sweep_and_can_be_chosen(monkeypatch):
    assert kernel.shape(2, single=False, nets=65_536) == (256, 2, 4)  # a large sweep of 2-unit nets: 256 × 4 warps
    assert kernel.shape(2, single=False, nets=1_000)[0] <= 128 and kernel.shape(6, single=False, nets=65_536)[0] <= 128
    assert kernel.shape(2, single=True)[0] <= 32
    monkeypatch.setenv(kernel.BLOCK_ENV, "64")
    monkeypatch.setenv(kernel.WARPS_ENV, "1")
    assert kernel.shape(2, single=False, nets=65_536) == (64, 2, 1)
    monkeypatch.setenv(kernel.BLOCK_ENV, "100")
    with pytest.raises(ValueError, match="MLP_KERNEL_BLOCK='100'"):
        kernel.shape(2, single=False)
