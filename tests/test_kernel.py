"""The fused 2-2-1 Triton kernel (mlp/kernel.py) against mlp.sweep's batched chain rule. Without a GPU it runs
in Triton's interpreter on the CPU (TRITON_INTERPRET=1); where triton is not installed (it is not in
requirements: ~1 GB) these tests skip with that reason. The cuda tests in test_engine.py run it on a GPU."""

import os
from dataclasses import replace

import numpy as np
import pytest
import torch

if not torch.cuda.is_available():
    os.environ["TRITON_INTERPRET"] = "1"  # before triton reads it: the kernel runs on CPU tensors, in numpy
pytest.importorskip("triton", reason="triton is not installed (pip install triton: ~1 GB; the app never needs it)")

import mlp  # noqa: E402
from mlp import kernel  # noqa: E402
from mlp.data import training_data  # noqa: E402
from mlp.model import Layout, init_params  # noqa: E402
from mlp.sweeps import SOLVED_COSTS, kept_steps  # noqa: E402

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


@pytest.mark.slow
@pytest.mark.parametrize("config", [mlp.Config(steps=200, lr=3.0, seed=40), mlp.Config(steps=120, seed=7)])
def test_the_fused_kernel_trains_the_nets_the_batched_chain_rule_trains(config):
    B = 48
    expected = mlp.sweep(replace(config, device="cpu"), B)
    P0 = init_params(Layout(config.layer_sizes), config.init, config.seed + np.arange(B))
    X, Y = training_data(config)
    got = kernel.sweep_221(P0, X, Y, config.lr, config.steps, kept_steps(config.steps), SOLVED_COSTS["bce"],
                           device=DEVICE, block=16)  # 3 programs, the last one part-full
    np.testing.assert_allclose(got["cost"], expected.cost, atol=1e-5)
    np.testing.assert_allclose(got["norms"], expected.grad_norms, atol=1e-5)
    np.testing.assert_allclose(got["final_cost"], expected.final_cost, atol=1e-5)
    np.testing.assert_array_equal(got["final_accuracy"], expected.final_accuracy)
    np.testing.assert_array_equal(got["solved_step"], expected.solved_step)
    assert not got["diverged"].any()
    if config.lr == 3.0:
        assert (expected.solved_step >= 0).sum() >= 5  # the first solved step is really compared (7 of 48)


def test_the_kernel_takes_only_the_configs_it_trains_as_sweep_does():
    assert kernel.covers(mlp.Config())
    for other in (mlp.Config(width=3), mlp.Config(activation="tanh"), mlp.Config(loss="mse"),
                  mlp.Config(optimizer="adam"), mlp.Config(l2=0.001), mlp.Config(dataset="circle"),
                  mlp.Config(grad_convention="seed-lab"), mlp.Config(features=("x1", "x2", "x1x2"))):
        assert not kernel.covers(other), other


@pytest.mark.cuda
def test_a_cuda_sweep_by_the_kernel_equals_the_batched_chain_rule_on_the_gpu():
    config = mlp.Config(steps=3000, seed=100, device="cuda")
    fused = mlp.sweep(config, 1024)  # 2-2-1 XOR on cuda: the kernel
    torch_path = mlp.sweep(config, 1024, storage="torch")  # storage named: the batched chain rule
    np.testing.assert_array_equal(fused.solved_step >= 0, torch_path.solved_step >= 0)
    np.testing.assert_allclose(fused.final_cost, torch_path.final_cost, atol=1e-4)
    np.testing.assert_allclose(fused.cost, torch_path.cost, atol=1e-4)
