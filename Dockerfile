# The Aegis image: one image, any service (`aegis <command>`), Node 22 LTS.
# Stages: prod-deps (production dependencies only), dashboard (dev tools to
# bundle the page), then the runtime: sources, prod deps and the built
# dashboard, run as the image's unprivileged `node` user. The entrypoint is
# node itself (no shell in between), so SIGTERM reaches the service, whose
# handler drains and exits 0; compose adds `init: true` to reap and forward.

FROM node:22-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim AS dashboard
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY dashboard ./dashboard
COPY pipeline ./pipeline
COPY schemas ./schemas
COPY services ./services
RUN node_modules/.bin/tsx dashboard/build.ts

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    AEGIS_ARTIFACTS_DIR=/app/artifacts
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY pipeline ./pipeline
COPY schemas ./schemas
COPY services ./services
COPY docker/healthcheck.mjs docker/prepare-cluster.ts ./docker/
COPY --from=dashboard /app/dashboard/dist ./dashboard/dist
# The artifacts folder is the one place the services write; a named volume
# mounted there inherits this ownership.
RUN mkdir -p /app/artifacts && chown node:node /app/artifacts
USER node
ENTRYPOINT ["node", "services/cli/bin.js"]
CMD ["--help"]
