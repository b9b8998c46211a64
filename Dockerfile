# syntax=docker/dockerfile:1
# The bot in a small image: installed by docker/install.sh into /opt/soundtrack-bot (a
# venv, non-editable, with the fact store built now), run as a non-root user, its state
# database on the /data volume. See README "Deploying".

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 FACTS_DB=/opt/soundtrack-bot/facts.db
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY bot/ bot/
COPY cogs/ cogs/
COPY discord_emulator/ discord_emulator/
COPY data/documents/ data/documents/
COPY data/curated.toml data/
COPY docker/install.sh docker/
RUN sh docker/install.sh /opt/soundtrack-bot /src

FROM python:3.11-slim
# A system user with no shell and no home but the volume; uid fixed so volume
# ownership survives image rebuilds.
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin soundtrack \
    && mkdir /data && chown soundtrack:soundtrack /data
COPY --from=build /opt/soundtrack-bot /opt/soundtrack-bot
ENV PATH=/opt/soundtrack-bot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FACTS_DB=/opt/soundtrack-bot/facts.db \
    STATE_DB=/data/state.db
USER soundtrack
WORKDIR /data
VOLUME ["/data"]
# Healthy = the fact store and state database check out and the bot's gateway heartbeat
# is fresh (it touches /data/bot.alive every 30 s while connected).
HEALTHCHECK --interval=60s --timeout=15s --start-period=60s --retries=3 \
    CMD ["soundtrack-bot", "health", "--live"]
STOPSIGNAL SIGTERM
CMD ["soundtrack-bot", "run"]
