"""Load generator, run in its own process: pre-signed `/risk add` requests written as raw HTTP/1.1 over
keep-alive asyncio streams (the cheapest client Python has), closed loop, for a fixed time.

Closed loop by default; with "rate" in the spec, paced to that many requests per second.

Usage (normally started by bench.common.run_load): python -m bench.loadgen SPEC.json
Prints `START` when the timed phase begins and `RESULT {json}` at the end.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import resource
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import command_form, latency_ms, raw_request


def build_requests(spec: dict[str, Any], count: int) -> list[bytes]:
    """Every request of the run, each with a unique title, trigger_id and response_url, signed now."""
    host, port, tag = spec["host"], int(spec["port"]), spec["tag"]
    run = uuid.uuid4().hex[:8]
    return [
        raw_request(
            command_form(
                "/risk",
                spec["text"].format(tag=tag, i=i),
                response_url=f"{spec['response_base']}{tag}-{run}-{i}",
                trigger=f"{i}.{run}{tag}",
            ),
            host=host,
            port=port,
        )
        for i in range(count)
    ]


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.close()
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def exchange(self, request: bytes) -> tuple[int, bool, bytes]:
        """Send one request and read the whole response; returns (status, connection still usable, body)."""
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length, chunked, keep = 0, False, True
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                keep = b"close" not in value.lower()
        body = b""
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                body += (await self.reader.readexactly(size + 2))[:-2]
                if size == 0:
                    break
        elif length:
            body = await self.reader.readexactly(length)
        return status, keep, body


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    cpu_seconds: float = 0.0
    exhausted: bool = False
    busy: int = 0  # 200s whose ack said "busy, try again" (bot/workpool.py): answered, nothing done
    first_sent_mono: float = 0.0  # time.monotonic() of the first request (comparable across processes)

    @property
    def ok(self) -> int:
        return self.statuses.get("200", 0)

    def report(self) -> dict[str, Any]:
        done = sum(self.statuses.values())
        return {
            "requests": done,
            "ok": self.ok,
            "statuses": dict(self.statuses),
            "errors": dict(self.errors),
            "elapsed_s": round(self.elapsed, 3),
            "rps": round(done / self.elapsed, 1) if self.elapsed else 0.0,
            "ok_rps": round(self.ok / self.elapsed, 1) if self.elapsed else 0.0,
            "latency_ms": latency_ms(self.latencies),
            "loadgen_cpu_pct": round(100 * self.cpu_seconds / self.elapsed, 1) if self.elapsed else 0.0,
            "exhausted": self.exhausted,
            "busy": self.busy,
            "first_sent_mono": self.first_sent_mono,
        }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_phase(
    conns: list[Connection], requests: Iterator[bytes], seconds: float, rate: float = 0.0
) -> Phase:
    """Closed loop (each connection sends as soon as its last answer is in) or, with `rate`, paced:
    request k is sent no earlier than k / rate seconds into the phase, on whichever connection is free."""
    phase = Phase()
    begin = time.perf_counter()
    deadline = begin + seconds
    slots = itertools.count()

    async def work(conn: Connection) -> None:
        while time.perf_counter() < deadline:
            if rate > 0:
                delay = begin + next(slots) / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if time.perf_counter() >= deadline:
                    return
            request = next(requests, None)
            if request is None:
                phase.exhausted = True
                return
            started = time.perf_counter()
            if not phase.first_sent_mono:
                phase.first_sent_mono = time.monotonic()
            try:
                status, keep, body = await conn.exchange(request)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
                phase.errors[type(exc).__name__] += 1
                conn.close()
                continue
            phase.latencies.append(time.perf_counter() - started)
            phase.statuses[str(status)] += 1
            if status == 200 and b"busy" in body:
                phase.busy += 1
            if not keep:
                conn.close()

    cpu, started = _cpu(), time.perf_counter()
    async with asyncio.timeout(seconds + 120):  # a hung server must not hang the benchmark
        await asyncio.gather(*(work(c) for c in conns))
    phase.elapsed = time.perf_counter() - started
    phase.cpu_seconds = _cpu() - cpu
    return phase


async def main(spec: dict[str, Any]) -> dict[str, Any]:
    seconds, warmup = float(spec["seconds"]), float(spec["warmup_seconds"])
    rate = float(spec.get("rate") or 0.0)
    built = time.perf_counter()
    requests = build_requests(spec, int((rate or spec["max_rate"]) * (seconds + warmup) * 1.05) + 100)
    built = time.perf_counter() - built
    conns = [Connection(spec["host"], int(spec["port"])) for _ in range(int(spec["connections"]))]
    for conn in conns:
        await conn.open()
    stream = iter(requests)
    warm = await run_phase(conns, stream, warmup, rate) if warmup > 0 else Phase()
    print("START", flush=True)
    timed = await run_phase(conns, stream, seconds, rate)
    for conn in conns:
        conn.close()
    return {
        "tag": spec["tag"],
        "connections": len(conns),
        "rate": rate or "closed loop",
        "prepared": len(requests),
        "prepare_s": round(built, 3),
        "warmup": warm.report(),
        "timed": timed.report(),
        "acked_total": warm.ok + timed.ok,
        "busy_total": warm.busy + timed.busy,
        "first_sent_mono": warm.first_sent_mono or timed.first_sent_mono,
    }


if __name__ == "__main__":
    result = asyncio.run(main(json.loads(Path(sys.argv[1]).read_text())))
    print("RESULT " + json.dumps(result), flush=True)
