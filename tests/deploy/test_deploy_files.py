"""The deployment files hold what the README promises: the Dockerfile, deploy/compose.yaml and deploy/k8s.

Offline everywhere: Kubernetes manifests are rendered with `kubectl kustomize` and every object is checked
against the Kubernetes JSON schemas that `kubernetes-validate` ships. The image build and the compose smoke
test need a Docker daemon: they run where `docker info` answers and skip with the reason where it does not.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from bot.settings import Settings
from tests.harness.app import Liaison

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
COMPOSE = REPO / "deploy" / "compose.yaml"
K8S = REPO / "deploy" / "k8s"

APP_PORT = Settings.model_fields["port"].default  # what `liaison run --http` listens on unless PORT says
# Measured with `liaison run --http` (deploy/k8s/README.md): VmRSS idle, and the peak under an overload.
IDLE_RSS_MIB = 119
LOADED_PEAK_MIB = 193
# Anything shaped like a real Slack token (a placeholder such as `xoxb-…` is not).
TOKEN = re.compile(r"\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]{6,}")
OLDEST_KUBERNETES = "1.29"
OAUTH_KEYS = {"SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "LIAISON_ENCRYPTION_KEY"}  # all set, or all empty


# --- Kubernetes ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered() -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip(
            "kubectl is not installed on this machine: it renders deploy/k8s offline (`kubectl kustomize "
            "deploy/k8s`, kustomize is built in); install kubectl to run the Kubernetes checks"
        )
    proc = subprocess.run([kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [doc for doc in yaml.safe_load_all(proc.stdout) if doc]


def _one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [o for o in objects if o["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def _mebibytes(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, "K": 1e3 / 2**20, "M": 1e6 / 2**20, "G": 1e9 / 2**20}
    for unit, factor in units.items():
        if quantity.endswith(unit):
            return float(quantity[: -len(unit)]) * factor
    return float(quantity) / 2**20


def test_kustomize_renders_objects_that_validate_against_the_kubernetes_schemas(
    rendered: list[dict[str, Any]],
) -> None:
    kinds = sorted(o["kind"] for o in rendered)
    assert kinds == ["Deployment", "Job", "PodDisruptionBudget", "Secret", "Service"]
    for version in (OLDEST_KUBERNETES, kubernetes_validate.latest_version()):
        for obj in rendered:
            # strict: an unknown or misspelt field is an error, as `kubectl apply` would make it
            kubernetes_validate.validate(obj, version, strict=True)


def test_the_schema_check_is_not_a_formality(rendered: list[dict[str, Any]]) -> None:
    deployment = json.loads(json.dumps(_one(rendered, "Deployment")))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {"httpGet": {"path": "/"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, kubernetes_validate.latest_version(), strict=True)
    deployment = json.loads(json.dumps(_one(rendered, "Deployment")))
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, kubernetes_validate.latest_version(), strict=True)


def test_deployment_runs_replicas_probed_on_healthz_at_the_port_the_app_listens_on(
    rendered: list[dict[str, Any]],
) -> None:
    deployment = _one(rendered, "Deployment")
    assert deployment["spec"]["replicas"] >= 2
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["run", "--http"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    env = {e["name"]: e.get("value") for e in container["env"]}
    listens = int(env.get("PORT") or APP_PORT)
    assert listens in ports.values()
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        http = container[probe]["httpGet"]
        assert http["path"] == "/healthz", probe
        port = ports.get(http["port"], http["port"])  # a port name resolves to its number
        assert port == listens, probe
    # a database outage must not restart every replica at once: liveness waits at least a minute
    liveness = container["livenessProbe"]
    assert liveness["periodSeconds"] * liveness["failureThreshold"] >= 60


def test_every_container_has_requests_and_limits_from_the_measured_memory(
    rendered: list[dict[str, Any]],
) -> None:
    for kind in ("Deployment", "Job"):
        for container in _one(rendered, kind)["spec"]["template"]["spec"]["containers"]:
            resources = container["resources"]
            assert resources["requests"]["cpu"] and resources["requests"]["memory"], kind
            assert resources["limits"]["memory"], kind
    (bot,) = _one(rendered, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert _mebibytes(bot["resources"]["requests"]["memory"]) > IDLE_RSS_MIB
    assert _mebibytes(bot["resources"]["limits"]["memory"]) > LOADED_PEAK_MIB


def test_pods_run_as_non_root_on_a_read_only_root_with_a_writable_tmp(rendered: list[dict[str, Any]]) -> None:
    for kind in ("Deployment", "Job"):
        pod = _one(rendered, kind)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, kind
        assert pod["securityContext"]["runAsUser"] != 0, kind
        tmp_volumes = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, kind
            assert security["allowPrivilegeEscalation"] is False, kind
            assert {m["mountPath"]: m["name"] for m in container["volumeMounts"]}.get("/tmp") in tmp_volumes
    (bot,) = _one(rendered, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert {e["name"]: e.get("value") for e in bot["env"]}["MPLCONFIGDIR"].startswith("/tmp/")


def test_migration_job_runs_db_upgrade_with_the_same_image_and_database(
    rendered: list[dict[str, Any]],
) -> None:
    job = _one(rendered, "Job")
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    (bot,) = _one(rendered, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert migrate["args"] == ["db", "upgrade"]
    assert migrate["image"] == bot["image"]
    (database,) = [e for e in migrate["env"] if e["name"] == "DATABASE_URL"]
    secret = _one(rendered, "Secret")["metadata"]["name"]
    assert database["valueFrom"]["secretKeyRef"] == {"name": secret, "key": "DATABASE_URL"}
    assert {"secretRef": {"name": secret}} in bot["envFrom"]


def test_secret_example_names_every_key_and_holds_only_placeholders(rendered: list[dict[str, Any]]) -> None:
    secret = _one(rendered, "Secret")
    values = secret.get("stringData", {})
    assert "data" not in secret
    assert set(values) == {
        "SLACK_SIGNING_SECRET",
        "SLACK_BOT_TOKEN",
        "DATABASE_URL",
        *OAUTH_KEYS,
    }
    for key, value in values.items():
        assert value == ("" if key in OAUTH_KEYS else "REPLACE_ME"), key
    for path in K8S.rglob("*"):
        if path.is_file():
            assert not TOKEN.search(path.read_text(encoding="utf-8")), path


def test_the_secret_once_its_placeholders_are_replaced_starts_the_app_in_http_mode(
    rendered: list[dict[str, Any]],
) -> None:
    """Filled in as its comments say (REPLACE_ME replaced, the OAuth trio left empty), it is a valid
    configuration for `liaison run --http`: an empty variable counts as unset, not as a broken value."""
    filled = {
        "SLACK_BOT_TOKEN": "xoxb-1-test",
        "SLACK_SIGNING_SECRET": "s",
        "DATABASE_URL": "postgresql://u@db/l",
    }
    values = {k: filled.get(k, v) for k, v in _one(rendered, "Secret")["stringData"].items()}
    settings = Settings(_env_file=None, **{k.lower(): v for k, v in values.items()})  # type: ignore[arg-type]
    settings.check("http")
    assert settings.database_url.startswith("postgresql+asyncpg://")


def test_service_and_disruption_budget_select_the_bot_pods_and_not_the_migration(
    rendered: list[dict[str, Any]],
) -> None:
    bot_labels = _one(rendered, "Deployment")["spec"]["template"]["metadata"]["labels"]
    job_labels = _one(rendered, "Job")["spec"]["template"]["metadata"]["labels"]
    selectors = {
        "Deployment": _one(rendered, "Deployment")["spec"]["selector"]["matchLabels"],
        "Service": _one(rendered, "Service")["spec"]["selector"],
        "PodDisruptionBudget": _one(rendered, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"],
    }
    for kind, selector in selectors.items():
        assert selector.items() <= bot_labels.items(), kind
        assert not selector.items() <= job_labels.items(), kind
    (port,) = _one(rendered, "Service")["spec"]["ports"]
    (bot,) = _one(rendered, "Deployment")["spec"]["template"]["spec"]["containers"]
    assert port["targetPort"] in {p["name"] for p in bot["ports"]}


def test_metrics_are_served_on_their_own_port_that_the_service_does_not_expose(
    rendered: list[dict[str, Any]],
) -> None:
    (bot,) = _one(rendered, "Deployment")["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e.get("value") for e in bot["env"]}
    ports = {p["name"]: p["containerPort"] for p in bot["ports"]}
    assert ports["metrics"] == int(env["METRICS_PORT"]) != ports["http"] == int(env["PORT"])
    assert env["LOG_FORMAT"] == "json"
    (service_port,) = _one(rendered, "Service")["spec"]["ports"]
    assert service_port["targetPort"] == "http"  # /metrics never reaches the Service


# --- Compose -------------------------------------------------------------------------------------------

_VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


class Unset(Exception):
    """A `${VAR:?message}` whose variable is not set: compose refuses to start, naming it."""


def _interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's variable syntax, the part this file uses: $$, ${VAR}, ${VAR:-default}, ${VAR:?message}."""

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group(1), match.group(2), match.group(3)
        value = env.get(name)
        empty = value is None or (op is not None and op.startswith(":") and value == "")
        if op in (":?", "?") and empty:
            raise Unset(f"{name}: {arg}")
        if op in (":-", "-") and empty:
            return arg
        return value or ""

    return _VAR.sub(one, value)


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _variables() -> dict[str, set[str]]:
    """Every variable compose.yaml reads, by how: required (`:?`), defaulted (`:-`) or bare."""
    found: dict[str, set[str]] = {"required": set(), "defaulted": set(), "bare": set()}
    for match in _VAR.finditer(COMPOSE.read_text(encoding="utf-8")):
        if match.group(1):
            how = {":?": "required", "?": "required", ":-": "defaulted", "-": "defaulted"}.get(
                match.group(2) or "", "bare"
            )
            found[how].add(match.group(1))
    return found


def test_compose_needs_only_the_two_slack_variables() -> None:
    variables = _variables()
    assert variables["required"] == {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"}
    assert not variables["bare"], "every other variable has a default"
    environment = _compose()["services"]["liaison"]["environment"]
    with pytest.raises(Unset, match="SLACK_BOT_TOKEN"):
        _interpolate(environment["SLACK_BOT_TOKEN"], {})
    assert _interpolate(environment["SLACK_BOT_TOKEN"], {"SLACK_BOT_TOKEN": "x"}) == "x"


def test_compose_runs_two_replicas_on_postgresql_after_the_migration() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "migrate", "liaison", "proxy"}
    bot, migrate = services["liaison"], services["migrate"]
    assert bot["deploy"]["replicas"] >= 2
    assert bot["command"] == ["run", "--http"]
    assert migrate["command"] == ["db", "upgrade"]
    assert migrate["image"] == bot["image"]
    assert bot["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert migrate["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert services["proxy"]["depends_on"]["liaison"] == {"condition": "service_healthy"}
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    for service in (bot, migrate):
        values = {k.lower(): _interpolate(str(v), env) for k, v in service["environment"].items()}
        settings = Settings(_env_file=None, **values)  # type: ignore[arg-type]
        settings.check("http")  # the replicas start with only the two Slack variables set
        assert settings.database_url.startswith("postgresql+asyncpg://")
        assert "@postgres:5432/" in settings.database_url
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])


def test_compose_proxy_publishes_one_port_and_forwards_slack_and_health_to_the_replicas() -> None:
    compose = _compose()
    proxy = compose["services"]["proxy"]
    (published,) = proxy["ports"]
    assert _interpolate(published, {}) == f"{APP_PORT}:3000"
    nginx = _interpolate(compose["configs"]["nginx"]["content"], {})
    assert f"server liaison:{APP_PORT} resolve;" in nginx
    assert "listen 3000;" in nginx
    assert "location = /slack/events" in nginx and "location = /healthz" in nginx
    assert "$host" in nginx  # $$ escapes reach nginx as its own variables


def test_compose_file_holds_no_secret_literal() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    assert not TOKEN.search(text)
    for service in _compose()["services"].values():
        for name, value in (service.get("environment") or {}).items():
            if any(word in name for word in ("TOKEN", "SECRET", "PASSWORD", "KEY")):
                assert str(value).startswith("${"), name


# --- Dockerfile ----------------------------------------------------------------------------------------


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def _arg(instructions: list[tuple[str, str]], name: str) -> str:
    (value,) = [
        rest.split("=", 1)[1] for op, rest in instructions if op == "ARG" and rest.startswith(name + "=")
    ]
    return value


def test_dockerfile_is_multi_stage_on_a_pinned_base() -> None:
    instructions = _instructions()
    froms = [rest for op, rest in instructions if op == "FROM"]
    assert len(froms) >= 2 and all(" AS " in f.upper() for f in froms)
    base = _arg(instructions, "PYTHON_IMAGE")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base), base
    assert all(f.split()[0] == "${PYTHON_IMAGE}" for f in froms)
    copies = [rest for op, rest in instructions if op == "COPY" and rest.startswith("--from=")]
    assert any("/opt/liaison" in c for c in copies), "the runtime copies the builder's environment"


def test_dockerfile_runs_as_non_root_with_a_healthcheck_on_healthz() -> None:
    instructions = _instructions()
    runtime = instructions[max(i for i, (op, _) in enumerate(instructions) if op == "FROM") :]
    (user,) = [rest for op, rest in runtime if op == "USER"]
    assert user.split(":")[0] not in {"root", "0"}
    assert user.split(":")[0].isdigit(), "numeric, so Kubernetes' runAsNonRoot can check it"
    (health,) = [rest for op, rest in runtime if op == "HEALTHCHECK"]
    assert "/healthz" in health
    assert ("ENTRYPOINT", '["liaison"]') in runtime
    assert ("CMD", '["run", "--http"]') in runtime
    assert ("EXPOSE", str(APP_PORT)) in runtime
    assert f"PORT={APP_PORT}" in " ".join(rest for op, rest in runtime if op == "ENV")


def test_image_gets_the_bundled_cjk_font_and_no_secrets_from_the_context() -> None:
    """The wheel carries the chart font (package data), so the image needs no font package."""
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^bot = \[[^\]]*"fonts/\*\.otf"', pyproject, re.MULTILINE)
    assert list((REPO / "bot" / "fonts").glob("*.otf"))
    ignore = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    assert ignore.index("*") < ignore.index("!bot/"), "everything is excluded, then what the image needs"
    for needed in ("pyproject.toml", "README.md", "bot/", "handlers/", "storage/"):
        assert f"!{needed}" in ignore
    assert "**/.env" in ignore
    assert "fonts-noto-cjk" not in " ".join(rest for op, rest in _instructions() if op == "RUN")


def _healthcheck_command() -> list[str]:
    (health,) = [rest for op, rest in _instructions() if op == "HEALTHCHECK"]
    command: list[str] = json.loads(health.split(" CMD ", 1)[1])
    assert command[0] == "python"
    return [sys.executable, *command[1:]]


async def _exit_code(command: list[str], port: int) -> int:
    env = {**os.environ, "PORT": str(port)}
    proc = await asyncio.create_subprocess_exec(*command, env=env, stderr=asyncio.subprocess.DEVNULL)
    return await asyncio.wait_for(proc.wait(), 30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_the_images_healthcheck_command_passes_on_a_running_app_and_fails_on_none(
    liaison: Liaison,
) -> None:
    """The exact HEALTHCHECK command, run against the real app on this test's database."""
    command = _healthcheck_command()
    port = int(liaison.url.rsplit(":", 1)[1])
    assert await _exit_code(command, port) == 0
    assert await _exit_code(command, _free_port()) != 0


# --- Docker: the image build and the compose smoke test (where a daemon answers) --------------------------


def _docker_unavailable() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return "no docker command"
    try:
        proc = subprocess.run([docker, "info"], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer within 30 s"
    if proc.returncode != 0:
        lines = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
        return f"`docker info` exited {proc.returncode}: {lines[-1] if lines else 'no message'}"
    return None


def _run(args: list[str], *, timeout: float = 120, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _health(url: str, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                return json.loads(response.read())  # type: ignore[no-any-return]
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer 200 within {seconds:.0f} s: {exc}") from exc
            time.sleep(1)


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    reason = _docker_unavailable()
    if reason:
        pytest.skip(
            f"no Docker daemon on this machine ({reason}): the image build and the compose smoke test run "
            "where one answers"
        )
    tag = f"liaison:test-{uuid.uuid4().hex[:8]}"
    _run(["docker", "build", "--tag", tag, str(REPO)], timeout=1800)
    yield tag
    subprocess.run(["docker", "image", "rm", "--force", tag], capture_output=True, timeout=120)


DUMMY_SLACK = {"SLACK_BOT_TOKEN": "xoxb-0-test-only", "SLACK_SIGNING_SECRET": "test-only"}
PRINT_HEALTH = (
    "import os, urllib.request; "
    "print(urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=5).read().decode())"
)


@pytest.mark.docker
def test_image_serves_healthz_on_sqlite_as_non_root_with_the_cjk_font(image: str) -> None:
    name = f"liaison-test-{uuid.uuid4().hex[:8]}"
    env_args = [arg for key, value in DUMMY_SLACK.items() for arg in ("--env", f"{key}={value}")]
    _run(["docker", "run", "--detach", "--name", name, "--publish", "127.0.0.1::3000", *env_args, image])
    try:
        published = _run(["docker", "port", name, "3000/tcp"]).split()[0]
        report = _health(f"http://{published}/healthz", 90)
        assert report["database"] == {"dialect": "sqlite", "ok": True}
        assert report["scheduler"]["running"] is True
        assert _run(["docker", "exec", name, "id", "-u"]).strip() == "10001"
        drawn = "from bot.charts import drawable; print(drawable('风险热力图 里程碑时间线 计划 预测'))"
        assert _run(["docker", "exec", name, "python", "-c", drawn]).strip() == "True"
        deadline = time.monotonic() + 120  # Docker < 25 ignores --start-interval: the 30 s interval applies
        status = ""
        while time.monotonic() < deadline and status != "healthy":
            status = _run(["docker", "inspect", "--format", "{{.State.Health.Status}}", name]).strip()
            time.sleep(2)
        assert status == "healthy"
    finally:
        logs = subprocess.run(["docker", "logs", name], capture_output=True, text=True, timeout=60)
        print(logs.stdout[-4000:], logs.stderr[-4000:])
        subprocess.run(["docker", "rm", "--force", name], capture_output=True, timeout=120)


def _compose_ps(base: list[str], env: dict[str, str], service: str) -> list[dict[str, Any]]:
    out = _run([*base, "ps", "--all", "--format", "json", service], env=env).strip()
    if out.startswith("["):
        return json.loads(out)  # type: ignore[no-any-return]
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.mark.docker
def test_compose_migrates_once_then_serves_healthz_from_both_replicas_on_postgresql(image: str) -> None:
    version = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, timeout=30)
    if version.returncode != 0:
        pytest.skip(f"the Docker daemon answers but `docker compose` does not: {version.stderr.strip()}")
    port = _free_port()
    env = {**os.environ, **DUMMY_SLACK, "LIAISON_IMAGE": image, "LIAISON_PORT": str(port)}
    base = [
        "docker",
        "compose",
        "--project-name",
        f"liaisontest{uuid.uuid4().hex[:8]}",
        "--file",
        str(COMPOSE),
    ]
    try:
        _run([*base, "up", "--detach", "--no-build"], env=env, timeout=900)
        report = _health(f"http://127.0.0.1:{port}/healthz", 240)
        assert report["database"] == {"dialect": "postgresql", "ok": True}
        (migrate,) = _compose_ps(base, env, "migrate")
        assert migrate["State"] == "exited" and migrate["ExitCode"] == 0
        replicas = _compose_ps(base, env, "liaison")
        assert len(replicas) == 2
        for index in (1, 2):
            inside = _run(
                [*base, "exec", "-T", "--index", str(index), "liaison", "python", "-c", PRINT_HEALTH], env=env
            )
            assert json.loads(inside)["database"] == {"dialect": "postgresql", "ok": True}
    finally:
        subprocess.run([*base, "logs", "--no-color"], env=env, timeout=120)
        subprocess.run(
            [*base, "down", "--volumes", "--remove-orphans"], env=env, capture_output=True, timeout=300
        )
