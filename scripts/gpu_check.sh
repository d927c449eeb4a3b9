#!/usr/bin/env bash
# Everything that needs an NVIDIA GPU, as one command, for a machine that has one (this project's device
# tool: `run` with command "bash scripts/gpu_check.sh", timeout_s 600). Needs $PYTHON (python3) with a CUDA build of
# torch, triton, numpy and pytest; not streamlit or altair (mlp and these tests import neither).
#   1. the cuda tests: cuda = cpu for both backends, the 16,384-net sweep, the per-device limit, the fused
#      kernel (sweeps and single runs) against the batched chain rule, real CUDA-graph replay against eager;
#   2. the kernel tests on the GPU itself (no interpreter): the kernel against the numpy loop, compiled for sm_80/90;
#   3. bench/bench_engine.py --cuda-only: every cuda figure against the cpu of the same machine.
# Logs go to $OUT (the device tool brings them back), else artifacts/gpu/.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-artifacts/gpu}"
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
PY="${PYTHON:-python3}"  # e.g. PYTHON=.venv/bin/python after the test command has made .venv
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  "$PY" -c "import torch, triton; print('torch', torch.__version__, '· triton', triton.__version__)"; } | tee "$OUT/gpu.txt"
timeout 240 "$PY" -m pytest -p no:cacheprovider -q -rs -m cuda tests/test_engine.py tests/test_replay.py \
    tests/test_kernel.py 2>&1 | tee "$OUT/cuda-tests.log"
cuda_tests=${PIPESTATUS[0]}
timeout 120 "$PY" -m pytest -p no:cacheprovider -q -rs -m "not cuda" tests/test_kernel.py 2>&1 | tee "$OUT/kernel-tests.log"
kernel_tests=${PIPESTATUS[0]}
timeout 200 "$PY" bench/bench_engine.py --cuda-only --rounds 3 2>&1 | tee "$OUT/bench.log"
echo "cuda tests: exit $cuda_tests · kernel tests: exit $kernel_tests · logs in $OUT"
[ "$cuda_tests" = 0 ] && [ "$kernel_tests" = 0 ]
