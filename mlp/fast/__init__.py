"""The fast paths: where the hand-written loop keeps its numbers and how fast they move, and the device policy.
Nothing here changes what a step computes (the tests hold each path to the plain numpy loop); the lesson's files
(mlp/*.py) reach this folder through the names below only, never past them (tests/test_state.py checks).

    make_storage, choose_storage, STORAGE_KINDS   numpy, batch-last or torch arrays (storage.py, batch_last.py)
    per_net                                       one number a net (a map's learning rates), shaped for them
    Plan                                          a chunk of steps captured as a CUDA graph, then replayed (replay.py)
    fused_kernel                                  the 2-W-1 chain rule as one Triton kernel, where it covers (kernel.py)
    resolve_device, cuda_state, cuda_unavailable_reason   where work runs (devices.py)
    chunk_steps, CHUNK_ELEMENTS, MAX_CHUNK        how many steps a chunk holds (pace.py)
"""

from .devices import cuda_state, cuda_unavailable_reason, fused_kernel, resolve_device
from .pace import CHUNK_ELEMENTS, MAX_CHUNK, chunk_steps
from .replay import Plan
from .storage import KINDS as STORAGE_KINDS
from .storage import choose as choose_storage
from .storage import make as make_storage
from .storage import per_net

__all__ = ["CHUNK_ELEMENTS", "MAX_CHUNK", "Plan", "STORAGE_KINDS", "choose_storage", "chunk_steps", "cuda_state",
           "cuda_unavailable_reason", "fused_kernel", "make_storage", "per_net", "resolve_device"]
