"""wrk, the load generator of `make bench`: its scripts and its summary line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

LATENCY_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %f %d %d %d %d %d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors, summary.errors.status))
end
"""


def wrk(url: str, *, duration: int, connections: int, cookie: str | None, script: Path) -> dict:
    command = [
        "wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
        "-s", str(script), url,
    ]  # fmt: skip
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, check=True, text=True, capture_output=True).stdout
    match = re.search(r"^BENCH (\d+) ([\d.]+) (\d+) (\d+) (\d+) (\d+) (\d+)$", output, re.M)
    if not match:
        raise RuntimeError(f"wrk gave no summary for {url}:\n{output}")
    requests, seconds, p50, p95, p99, errors, _status = match.groups()
    return {
        "rps": int(requests) / float(seconds),
        "p50": int(p50) / 1000,
        "p95": int(p95) / 1000,
        "p99": int(p99) / 1000,
        "errors": int(errors),
    }


def random_claims_script(latency: Path, ids: list[int]) -> Path:
    """wrk's script that asks for one of these claims' pages at random, then reports."""
    script = latency.with_name("random_claims.lua")
    listed = ",".join(str(pk) for pk in ids)
    script.write_text(
        f"math.randomseed(7)\nlocal ids = {{{listed}}}\n"
        'request = function()\n  return wrk.format("GET", "/claims/" .. ids[math.random(#ids)]'
        ' .. "/")\nend\n' + latency.read_text()
    )
    return script
