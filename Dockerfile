# syntax=docker/dockerfile:1
# The payment service's image: one image, two processes. docker-compose.yml runs it as the worker
# (`node --import tsx src/main/worker.ts`) and as the ingress (the default command).
#
# No compile step: the processes run the TypeScript sources through tsx exactly as `npm run worker` and
# `npm run ingress` do (tsx is a production dependency), and the worker bundles the workflow code with
# @temporalio/worker's own bundler when it starts. So the runtime needs production dependencies only.

ARG NODE_VERSION=20.20

# Installs the production dependencies exactly as package-lock.json pins them.
FROM node:${NODE_VERSION}-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The runtime: dependencies and sources owned by root, the process runs as the unprivileged `node`
# user (uid 1000), so it can read but never change its own code.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY workflows ./workflows
COPY activities ./activities
COPY src ./src
USER node
EXPOSE 8080
# The ingress's readiness: Temporal reachable and a worker polling. The worker has no HTTP endpoint;
# docker-compose.yml turns this check off for it (see there).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "src/main/ingress.ts"]
