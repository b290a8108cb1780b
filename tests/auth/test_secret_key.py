"""The generated SECRET_KEY of a new install: server processes that start together all read
the one key written (never an empty or half-written file, never a key of their own)."""

from __future__ import annotations

import multiprocessing

from assets_app.config import _secret_key


def _read_key(instance: str, barrier, out) -> None:
    barrier.wait()  # every process at the starting line, then all at once
    out.put(_secret_key(instance))


def test_processes_starting_together_share_one_whole_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    ctx = multiprocessing.get_context("fork")
    for round_no in range(10):
        instance = str(tmp_path / f"instance{round_no}")
        n = 6
        barrier, out = ctx.Barrier(n), ctx.Queue()
        procs = [ctx.Process(target=_read_key, args=(instance, barrier, out)) for _ in range(n)]
        for p in procs:
            p.start()
        keys = [out.get(timeout=30) for _ in procs]
        for p in procs:
            p.join(timeout=30)
        assert len(set(keys)) == 1, keys
        assert len(keys[0]) == 64, keys
        assert _secret_key(instance) == keys[0]  # the key stays the one on disk
        assert sorted(p.name for p in (tmp_path / f"instance{round_no}").iterdir()) == [
            "secret_key"
        ]  # no temporary file left behind
