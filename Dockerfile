# syntax=docker/dockerfile:1
#
# CloudOps Bot container image.
#
#   docker build -t cloudops-bot:0.1.0 .
#   docker run --rm -p 8080:8080 --env-file .env --read-only --tmpfs /tmp \
#     -v cloudops-data:/var/lib/cloudops cloudops-bot:0.1.0
#
# The base image is pinned by tag and by the digest of its multi-architecture index, so a
# rebuild pulls the same bytes. To move to a newer patch release, update both together:
#   docker buildx imagetools inspect python:3.11.X-slim-bookworm
# No secret is baked in: every credential arrives at run time through the environment.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d

# ---- builder: resolve the pinned dependencies into a venv, then install the wheel -------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /src

# Dependencies first (they change less often than the code): a separate, cacheable layer.
# requirements.lock pins every package, transitive ones included, with the sha256 of each
# file; --require-hashes refuses anything else. Regenerate it after changing pyproject.toml:
#   uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
#     --python-platform x86_64-manylinux_2_28 -o requirements.lock
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps --requirement requirements.lock

# Then the project itself, built as a wheel and installed without touching the deps again.
COPY . ./
RUN pip wheel --no-deps --wheel-dir /tmp/wheels . \
 && pip install --no-deps /tmp/wheels/*.whl \
 && python -m compileall -q /opt/venv/lib

# ---- runtime: the venv and nothing else from the build ------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="cloudops-bot" \
      org.opencontainers.image.description="Feishu (Lark) ChatOps bot for Kubernetes and Prometheus" \
      org.opencontainers.image.licenses="MIT"

# Read-only root file system: Python must not write bytecode next to the code, and every
# cache that a library keeps goes to /tmp (an emptyDir/tmpfs at run time).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    XDG_CACHE_HOME=/tmp/.cache \
    CLOUDOPS_DATA_DIR=/var/lib/cloudops

RUN groupadd --system --gid 10001 cloudops \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/cloudops \
      --no-create-home --shell /usr/sbin/nologin cloudops \
 && install --directory --owner=10001 --group=10001 --mode=0750 /var/lib/cloudops

COPY --from=builder /opt/venv /opt/venv

USER 10001:10001
WORKDIR /var/lib/cloudops
VOLUME ["/var/lib/cloudops"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"]

ENTRYPOINT ["cloudops"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
