"""The real app with /metrics on a port of its own, and a way to read what it exports."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.handlers.conftest import START
from tests.harness.app import SHARED_CHANNEL, Clock, Liaison, running_liaison

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Observed:
    app: Liaison
    metrics_url: str

    async def scrape(self) -> Samples:
        response = await self.app.http.get(self.metrics_url)
        assert response.status_code == 200, response.text
        return parse(response.text)


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    """How much one series changed between two scrapes (the registry is the process's: tests read changes)."""
    return value(after, name, **labels) - value(before, name, **labels)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def observed(database_url: str, clock: Clock) -> AsyncIterator[Observed]:
    """A project (Asia/Shanghai, English) with its client channel, and METRICS_PORT on a free loopback port."""
    port = free_port()
    overrides = {"metrics_port": port, "metrics_host": "127.0.0.1"}
    async with running_liaison(database_url, clock=clock, settings_overrides=overrides) as app:
        await app.command("/project", 'setup name:"ACME ERP" client:"ACME" tz:Asia/Shanghai lang:en')
        await app.command("/project", "client-channel", channel=SHARED_CHANNEL)
        yield Observed(app=app, metrics_url=f"http://127.0.0.1:{port}/metrics")


async def settled(app: Liaison) -> None:
    """Every listener task has finished (their replies went out before they ended)."""
    assert await app.svc.tasks.drain(10) == 0
