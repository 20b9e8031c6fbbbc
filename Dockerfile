# syntax=docker/dockerfile:1
#
# One image for every vertrouwd process: web, worker, beat, inbox watcher and
# the one-shot migration. docker-compose.yml picks the command per service.

# --- build: install the project and its runtime dependencies into a venv ---
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}"

WORKDIR /src
# .dockerignore keeps .env, .venv, .git, instance/ and the tests out of the context.
COPY . .
# Runtime dependencies only: no [test] extra, no dev tools.
RUN pip install . \
 && rm -rf /src

# --- runtime: the venv, an unprivileged user, nothing else ---
FROM python:3.11-slim

ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN groupadd --system --gid 10001 vertrouwd \
 && useradd --system --uid 10001 --gid vertrouwd \
        --home-dir /var/lib/vertrouwd --create-home --shell /usr/sbin/nologin vertrouwd

COPY --from=build /opt/venv /opt/venv

# The working directory is the only place the app may write (instance/, the
# celery beat schedule); the installed code is owned by root and read-only.
WORKDIR /var/lib/vertrouwd
USER vertrouwd

EXPOSE 8000

CMD ["vertrouwd", "web", "--host", "0.0.0.0", "--port", "8000"]
