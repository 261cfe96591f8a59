# Switchboard's image: built in one stage, run from a second that holds only the compiled
# JavaScript, the production dependencies and tini. How to run it: docs/deploy.md#docker.
# packages/daemon/src/deploy/docker-image.test.ts builds the same runtime tree and runs it the
# way this image does, so keep the two in step.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages ./packages
COPY scripts ./scripts
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npx tsc -b \
 && node scripts/runtime-tree.mjs /runtime

FROM node:24-bookworm-slim
# tini is PID 1: it passes signals on to node and reaps the processes that commands leave.
# fonts-dejavu-core gives the monitor's charts their labels (docs/monitor.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
# The config is read from the read-only /config volume; state (the mail outbox, the control
# socket) goes to /data.
ENV NODE_ENV=production STATE_DIRECTORY=/data SWITCHBOARD_CONFIG=/config/config.json
WORKDIR /app
COPY --from=build /runtime /app
RUN ln -s /app/packages/daemon/bin/switchboard.js /usr/local/bin/switchboard \
 && mkdir -p /config /data \
 && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080 2525
# Asks the daemon itself, at the listen address, basePath and TLS of its config.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/packages/daemon/dist/cli.js", "health"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/packages/daemon/dist/cli.js"]
CMD ["run"]
