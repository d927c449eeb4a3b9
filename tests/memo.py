"""Runs and sweeps that several tests read, each trained once a test process (a worker of pytest -n).

Training is deterministic (a Config names its seed, its device and its dtype): a second mlp.train of the same
Config gives the same numbers, so the tests that read the seed net's run (the Lesson's claims, the notebook's
log, the exported notebooks) read one. The tests of the engine itself call mlp.train and mlp.sweep."""

import functools

import mlp


@functools.lru_cache(maxsize=32)
def trained(config: mlp.Config) -> mlp.Run:
    return mlp.train(config)


@functools.lru_cache(maxsize=16)
def swept(config: mlp.Config, n_seeds: int) -> mlp.Sweep:
    return mlp.sweep(config, n_seeds)
