"""Run a contender in a fresh Python process and report its wall time and peak memory.

Each contender is a code string that sets ``result`` (any JSON-able value); the child prints
{"seconds", "peak_mb", "result"}. A fresh process per contender keeps peak RSS honest."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

CHILD = """
import json, sys, time
t0 = time.perf_counter()
{code}
seconds = time.perf_counter() - t0
# VmHWM is this process's own high-water mark (ru_maxrss would carry the parent's RSS across fork)
peak_mb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print("@@RESULT@@" + json.dumps({{"seconds": seconds, "peak_mb": peak_mb, "result": result}}, default=str))
"""


def measure(code: str, repeat: int = 1, timeout: float | None = None) -> dict:
    """Best wall time of ``repeat`` fresh runs, with that run's peak memory and result.
    ``timeout`` (seconds): the child is killed then and subprocess.TimeoutExpired raised, its
    ``stdout`` holding what the child printed so far."""
    best = None
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", CHILD.format(code=textwrap.dedent(code))],
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-3000:])
        # DuckDB's progress bar (queries over 2 s) writes to stdout without a newline: find the marker
        run = json.loads(proc.stdout.rsplit("@@RESULT@@", 1)[1].splitlines()[0])
        if best is None or run["seconds"] < best["seconds"]:
            best = run
    return best


def report(title: str, ours: dict, peer: dict, peer_name: str) -> None:
    print(f"\n{title}")
    print(f"  custlens   {ours['seconds']:8.2f} s   peak {ours['peak_mb']:8.0f} MB")
    print(f"  {peer_name:<10} {peer['seconds']:8.2f} s   peak {peer['peak_mb']:8.0f} MB")
    print(f"  speed-up {peer['seconds'] / ours['seconds']:.1f}x   memory ratio (custlens/{peer_name}) "
          f"{ours['peak_mb'] / peer['peak_mb']:.2f}")


def same(what: str, ours: dict, peer: dict, peer_name: str) -> bool:
    """Print whether both contenders computed the same figures (both shown when they differ)."""
    equal = ours["result"] == peer["result"]
    print(f"  same {what}: {equal}  custlens {ours['result']}")
    if not equal:
        print(f"  {' ' * len(what)}      {peer_name:<8} {peer['result']}")
    return equal
