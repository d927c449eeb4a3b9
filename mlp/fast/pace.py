"""How many steps a chunk holds: a count fixed by the work, never by a clock, so that what a chunk holds (and so
when on_step is called) is the same on any machine and under any load.

A caller can stop a run only between chunks (a moved slider stops the old run at the next on_step), so a chunk
should take about 0.1 s or less. Its step count is CHUNK_SECONDS over a step's estimated time, the estimate taken
for a machine SLOWER times slower than the one that measured the costs below (this project's 2-core development
machine; `bench/bench_engine.py --chunks` prints the chunk times of a range of nets and sweeps against 0.1 s).
"""

from __future__ import annotations

MAX_CHUNK = 256  # a chunk holds at most this many steps, so on_step is called often enough to stream
CHUNK_ELEMENTS = {"cpu": 1 << 20, "cuda": 1 << 25}  # … and its raw records at most this many numbers
CHUNK_SECONDS = 0.1  # … and about this long a chunk, by the estimate below, on a machine SLOWER times slower
SLOWER = 2
# A step's cost, as measured: per step and per further layer, each backend's Python and array calls (numpy, or the
# autograd backend's torch.nn, criterion and optimizer); per unit and point, the element-wise work (activations, δ,
# the update); per multiply-add of the three products a layer (z, ∂C/∂W, δ).
STEP_SECONDS = {"manual": (9e-6, 14e-6), "autograd": (250e-6, 8e-6)}
UNIT_POINT_SECONDS = 6.5e-9
MULTIPLY_ADD_SECONDS = 3.5e-11


def step_seconds(backend: str, layer_shapes, nets: int, samples: int) -> float:
    """A step's estimated time on the measuring machine: `nets` nets with Linear layers of `layer_shapes`
    [(n_in, n_out), …], each step going forward and back over `samples` points."""
    per_step, per_layer = STEP_SECONDS[backend]
    units = sum(n_out for _, n_out in layer_shapes)
    products = sum(n_in * n_out for n_in, n_out in layer_shapes)
    return (per_step + per_layer * (len(layer_shapes) - 1)
            + nets * samples * (UNIT_POINT_SECONDS * units + MULTIPLY_ADD_SECONDS * 3 * products))


def chunk_steps(backend: str, layout, nets: int, samples: int, device: str = "cpu") -> int:
    """Steps a chunk holds for this work: as many as take CHUNK_SECONDS on a machine SLOWER times slower than the
    measuring one, and whose records fit CHUNK_ELEMENTS (a gradient row and the output logits a step and a net),
    from 1 to MAX_CHUNK."""
    by_time = int(CHUNK_SECONDS / (SLOWER * step_seconds(backend, layout.shapes, nets, samples)))
    budget = CHUNK_ELEMENTS["cuda" if device == "cuda" else "cpu"]
    by_memory = budget // (nets * (samples + layout.size))
    return max(1, min(MAX_CHUNK, by_time, by_memory))
