"""Where work runs: whether cuda can, what device="auto" picks for a piece of work, and when the fused Triton
kernel (mlp/fast/kernel.py) trains a config. Imports no UI; imports triton only to see whether the kernel can run.
"""

from __future__ import annotations

import logging
from typing import Optional

import torch

from ..config import MAX_SEEDS, Config


def cuda_state() -> str:
    """The one test of whether cuda can run here: "gpu", "cpu-only build" (torch has no CUDA) or "no gpu"."""
    if torch.cuda.is_available():
        return "gpu"
    return "cpu-only build" if torch.version.cuda is None else "no gpu"


def resolve_device(name: str, config: Optional[Config] = None, nets: int = 1) -> str:
    """Where work runs: 'cpu'; 'cuda' (without a GPU, a clear ValueError); 'auto': the GPU for work it is
    meant to do faster, else the cpu (without a GPU, the cpu). The work: `nets` nets of `config` at once
    (config None: any work, and auto is the GPU wherever torch sees one).

    Faster: an eager step of these tiny nets on cuda is ~30 kernel launches, slower than the cpu's step for a
    single run and for a sweep of up to a thousand nets (the figures: docs/gpu.md). So auto takes the GPU for the
    nets the fused kernel trains (mlp/fast/kernel.py: 2-W-1 sigmoid nets on XOR with cross-entropy and SGD, the
    lab's among them; its speed on a GPU not yet measured) and for sweeps of more nets than the cpu trains at
    once."""
    if name == "auto":
        if cuda_state() != "gpu":
            return "cpu"
        if config is None or nets > MAX_SEEDS["cpu"]:
            return "cuda"
        return "cuda" if fused_kernel(config, "cuda") is not None else "cpu"
    if name == "cuda" and cuda_state() != "gpu":
        raise ValueError(cuda_unavailable_reason() + " Use device='cpu' or device='auto'.")
    return name


def cuda_unavailable_reason() -> str:
    if cuda_state() == "cpu-only build":
        return f"device='cuda' was asked for, but this torch ({torch.__version__}) is a CPU-only build."
    return f"device='cuda' was asked for, but torch {torch.__version__} (CUDA {torch.version.cuda}) sees no GPU."


def fused_kernel(config: Config, device: str, asked: bool = False):
    """mlp/fast/kernel.py (the 2-2-1 chain rule as one Triton kernel) where it trains `config` on `device`: on cuda, or
    anywhere when asked for (Triton's interpreter runs it on the cpu, for tests). None where it does not cover
    the config or triton is missing (the reason logged); asked for, those are a ValueError."""
    if device != "cuda" and not asked:
        return None
    try:
        from . import kernel
    except ImportError as e:  # a torch build without triton
        if asked:
            raise ValueError(f"the fused kernel needs triton ({e})") from e
        logging.getLogger("mlp").info("no fused kernel (%s); the batched chain rule trains on %s", e, device)
        return None
    if kernel.covers(config):
        return kernel
    if asked:
        raise ValueError("the fused kernel trains 2-W-1 sigmoid nets on XOR with cross-entropy and plain SGD only")
    return None
