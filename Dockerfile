# syntax=docker/dockerfile:1
#
# Liaison's container image: `docker build -t liaison .` then `docker run -e SLACK_BOT_TOKEN=… -e
# SLACK_SIGNING_SECRET=… -p 3000:3000 liaison` (HTTP mode, SQLite in /app/data). deploy/compose.yaml and
# deploy/k8s/ run it with PostgreSQL and two replicas; README.md, "Deploying", says how.
#
# The base is pinned to a full Python release on Debian 12 ("bookworm") slim, the same tag in both stages:
# the runtime stage reuses the builder's virtual environment, whose interpreter link must find the same
# Python at the same path, and a moving tag (python:3.11-slim) would change the image under an unchanged
# Dockerfile. Bump the patch release on purpose (security fixes); add an @sha256 digest if your registry
# policy wants byte-for-byte reproducible builds.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# --- builder: build Liaison's wheel and install it with its dependencies into /opt/liaison ---------------
FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/liaison
WORKDIR /src
# Only what the wheel is made of (see .dockerignore): tests, benchmarks and tools stay out of the image.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
# Every dependency ships manylinux wheels for amd64 and arm64, so no compiler is needed here either.
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
    && /opt/liaison/bin/pip install /wheels/*.whl \
    && /opt/liaison/bin/pip uninstall --yes pip \
    && /opt/liaison/bin/liaison --help > /dev/null

# --- runtime: the interpreter, the virtual environment, an unprivileged user; nothing else ----------------
FROM ${PYTHON_IMAGE} AS runtime
# No CJK font package is installed (Debian's fonts-noto-cjk adds about 90 MB): the wheel carries
# bot/fonts/LiaisonSansSC-Regular.otf (a subset of Noto Sans CJK SC, OFL), which bot/charts.py registers
# with matplotlib, so Chinese chart labels render with no system font.
RUN groupadd --system --gid 10001 liaison \
    && useradd --system --uid 10001 --gid liaison --home-dir /app --no-create-home --shell /usr/sbin/nologin liaison \
    && mkdir -p /app/data \
    && chown -R liaison:liaison /app
COPY --from=builder /opt/liaison /opt/liaison
# MPLCONFIGDIR: matplotlib's font cache goes to /tmp, the one place a read-only root filesystem keeps
# writable (deploy/k8s mounts an emptyDir there). The default DATABASE_URL is SQLite under /app/data; mount
# a volume there, or set DATABASE_URL to PostgreSQL, to keep data beyond the container.
ENV PATH=/opt/liaison/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    PORT=3000
WORKDIR /app
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER 10001:10001
EXPOSE 3000
# /healthz answers 200 when the database answers and the app has started, 503 otherwise; urlopen raises on
# 503 and on a refused connection, so the exit code says it. Python's urllib: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --start-interval=2s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
ENTRYPOINT ["liaison"]
CMD ["run", "--http"]
