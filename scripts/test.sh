#!/usr/bin/env bash
# Install everything the tests need into .venv, then run ruff and the whole pytest suite
# (engine, CLI, AppTest, and real headless Chromium against `streamlit run`).
# Usage: bash scripts/test.sh [pytest args]     (the README's test command; .ci/run calls it too)
#        bash scripts/test.sh --other-cpu [args]  the numeric tests again, as another CPU computes them
#
# --other-cpu switches the CPU's vector paths down (torch's ATen kernels to their default build, MKL to SSE4.2,
# numpy's SIMD dispatch to its x86-64-v2 baseline, OpenBLAS to its Haswell kernels), and on a CPU with AVX-512
# also to AVX2 alone: other kernels sum in another order, which is what a laptop with another CPU does. Every
# float tolerance must hold there too.
set -euo pipefail
cd "$(dirname "$0")/.."
OTHER_CPU=0
if [ "${1:-}" = "--other-cpu" ]; then
  OTHER_CPU=1
  shift
fi

# PyTorch's CPU index (in requirements.txt) may be unreachable (offline labs, CI sandboxes): with
# retries off pip gives up on it in seconds instead of minutes and takes torch from PyPI or a local wheel.
export PIP_RETRIES="${PIP_RETRIES:-0}" PIP_DISABLE_PIP_VERSION_CHECK=1

PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# --no-compile: pip would byte-compile every file of torch and streamlit (~25 s here); Python compiles
# what it imports, once, on first use, and keeps it in __pycache__ for the suite's next processes (its workers,
# each server it starts, the notebook kernel) — unless PYTHONDONTWRITEBYTECODE is set, as some images set it:
# then every process compiles torch, torch._dynamo (torch.optim imports it), streamlit … again, seconds each
.venv/bin/python -m pip install -q --no-compile -r requirements-dev.txt
unset PYTHONDONTWRITEBYTECODE

if [ "$OTHER_CPU" = 1 ]; then
  NUMERIC="tests/test_engine.py tests/test_knobs.py tests/test_features.py tests/test_map.py tests/test_sweep.py
    tests/test_notebook.py tests/test_inside.py tests/test_replay.py tests/test_kernel.py tests/test_export.py
    tests/test_claims.py tests/test_notices.py"
  lane() {  # $1: what the lane computes as; the environment: its kernels
    echo "Numeric tests with the CPU's vector paths as $1"
    .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist worksteal -m "not browser" "${ARGS[@]}" $NUMERIC
  }
  ARGS=("$@")
  rc=0
  # A CPU with AVX-512 (most Intel servers) runs them again as an AVX2-only CPU computes them (AMD EPYC, many
  # laptops): ATen's AVX2 kernels, MKL's AVX2 code, numpy without its AVX-512 dispatch. Where AVX2 is the most the
  # CPU has, the default lane above computed them so already.
  if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
    ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR" \
      lane "an AVX2 CPU's (ATen avx2, MKL AVX2, numpy without AVX-512)" || rc=$?
  fi
  ATEN_CPU_CAPABILITY=default MKL_ENABLE_INSTRUCTIONS=SSE4_2 OPENBLAS_CORETYPE=Haswell \
    NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 AVX512_ICL AVX512_SPR" \
    lane "switched down (ATen default, MKL SSE4.2, numpy x86-64-v2, OpenBLAS Haswell)" || rc=$?
  exit "$rc"
fi

# The browser tests drive the system's Chromium (Playwright's own browser download is not needed): Debian's
# chromium-headless-shell, its headless build (the same Blink and V8 without the browser's UI: the browser tests
# take about a quarter less time), or chromium itself where the shell is not there.
# Fonts: Korean (the app's second language) and emoji, so that screenshots show what a student sees.
# redis-server: the live class's shared store, started by tests/test_classroom.py on a free port.
DEBS="chromium fonts-nanum fonts-noto-color-emoji redis-server"
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  if ! dpkg -s $DEBS >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $DEBS >/dev/null
  fi
  if ! dpkg -s chromium-headless-shell >/dev/null 2>&1; then  # where the distribution has it (Debian 12 does)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null 2>&1 \
      || echo "chromium-headless-shell is not available here: the browser tests drive chromium"
  fi
fi
if [ -z "${CHROMIUM:-}" ]; then
  if [ -x /usr/bin/chromium-headless-shell ]; then
    CHROMIUM=/usr/bin/chromium-headless-shell
  else
    CHROMIUM=/usr/bin/chromium
  fi
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "Chromium not found at $CHROMIUM: install it (Debian/Ubuntu: sudo apt-get install chromium)" \
       "or set CHROMIUM=/path/to/chromium" >&2
  exit 1
fi
export CHROMIUM
if ! command -v "${REDIS_SERVER:-redis-server}" >/dev/null; then
  echo "redis-server not found: install it (Debian/Ubuntu: sudo apt-get install redis-server)" \
       "or set REDIS_SERVER=/path/to/redis-server" >&2
  exit 1
fi

.venv/bin/python -m ruff check .
# Python compiles what it imports once and keeps it in __pycache__; on a fresh venv the suite's first processes
# (both workers, each worker's server, a Jupyter kernel) would each compile torch, streamlit, altair … at the same
# moment: compile them once, here, first
.venv/bin/python -c "import torch, torch.optim, numpy, pandas, pyarrow, altair, streamlit.web.bootstrap, vl_convert, \
redis, nbformat, nbclient, ipykernel.kernelapp, playwright.sync_api, segno, mlp, ui, i18n"
set +e
# Tests in parallel, one worker per core (pytest-xdist; an idle worker takes tests queued for the other):
# each worker starts its own servers on free ports.
.venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist worksteal --durations=10 "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
[ -d artifacts/screenshots ] && echo "Screenshots of every page: $(pwd)/artifacts/screenshots/"
exit "$rc"
