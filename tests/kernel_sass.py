"""The 2-W-1 sweep kernel (mlp/kernel.py) compiled for sm_90 by Triton's own toolchain, no GPU needed: prints the
SASS instructions of its step loop, one a line (from a backward branch's target to the branch), for
tests/test_kernel.py. Run in a process of its own, without TRITON_INTERPRET (which would interpret the kernel).

    python tests/kernel_sass.py WIDTH BLOCK WARPS      exit 3 (with the reason) where it cannot compile here
"""

import os
import re
import subprocess
import sys
import tempfile

SIGNATURE = {"P": "*fp32", "X": "*fp32", "Y": "*fp32", "LR": "*fp32", "first": "i32", "steps": "i32", "B": "i32",
             "keep": "*i32", "k0": "i32", "n_keep": "i32", "solved_cost": "fp32", "cost_out": "*fp32",
             "norm_out": "*fp32", "final_out": "*fp32", "acc_out": "*fp32", "solved_out": "*i32", "alive_io": "*i32",
             "params_out": "*fp32", "grads_out": "*fp32", "logits_out": "*fp32",
             "W": "constexpr", "WP": "constexpr", "EVERY": "constexpr", "BLOCK": "constexpr"}


def step_loop(width: int, block: int, warps: int) -> list[str]:
    import triton
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

    from mlp.fast import kernel

    source = ASTSource(fn=kernel._train_2w1, signature=SIGNATURE,
                       constexprs={"W": width, "WP": width, "EVERY": False, "BLOCK": block})
    options = {"num_warps": warps, "enable_fp_fusion": kernel.FP_FUSION}  # as the launches set it
    compiled = triton.compile(source, target=GPUTarget("cuda", 90, 32), options=options)
    tools = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin")
    with tempfile.TemporaryDirectory() as folder:
        cubin = os.path.join(folder, "sweep_2w1.cubin")
        with open(cubin, "wb") as f:
            f.write(compiled.asm["cubin"])
        sass = subprocess.run([os.path.join(tools, "cuobjdump"), "-sass", cubin], capture_output=True, text=True,
                              check=True).stdout
    code = [(int(a, 16), text.strip()) for a, text in re.findall(r"/\*([0-9a-f]{4,})\*/\s+([^;]*);", sass)]
    loops = []  # (target, branch) of every backward branch: cuobjdump prints a branch's target address
    for at, text in code:
        target = re.search(r"\bBRA\s+0x([0-9a-f]+)", text)
        if target and int(target.group(1), 16) < at:
            loops.append((int(target.group(1), 16), at))
    start, end = max(loops, key=lambda loop: loop[1] - loop[0])  # the widest backward branch: the step loop
    return [text for at, text in code if start <= at <= end and not text.startswith("NOP")]


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    try:
        loop = step_loop(*map(int, sys.argv[1:4]))
    except (ImportError, FileNotFoundError, subprocess.CalledProcessError) as e:
        print(f"triton cannot compile for sm_90 here: {e}")
        sys.exit(3)
    print("\n".join(loop))
