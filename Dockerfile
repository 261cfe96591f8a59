# Switchboard: multi-stage build on the current Node LTS image, run as a non-root user.
# The config is mounted as a directory (/config) so that edits are seen and reloaded.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages ./packages
RUN npm ci --ignore-scripts && npx tsc -b && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/packages ./packages
RUN mkdir -p /config /data && chown node:node /data
USER node
VOLUME ["/config", "/data"]
EXPOSE 8080 2525
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "packages/daemon/dist/cli.js"]
CMD ["run", "-c", "/config/config.json"]
