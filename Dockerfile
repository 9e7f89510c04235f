# syntax=docker/dockerfile:1
# wecom-crm-bot: the application image (docs/deployment.md). Two stages: the build stage has the
# dev dependencies (tsc, prisma generate) and compiles src/ to dist/; the runtime stage has only
# production dependencies, runs plain `node dist/main.js` as the unprivileged `node` user, and
# is the same image for ROLE=web and ROLE=worker.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No package needs its install scripts (docs/deployment.md): --ignore-scripts keeps it that way.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8787 \
    EXPORT_DIR=/app/exports \
    SEED_DEMO=never
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# the migration runner reads prisma/migrations beside dist/ (applied at start under a named lock)
COPY --from=build --chown=node:node /app/prisma ./prisma
RUN mkdir -p /app/exports && chown node:node /app/exports
USER node
EXPOSE 8787
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node runs as PID 1 and handles SIGTERM itself (src/main.ts: stops within 10 s).
CMD ["node", "dist/main.js"]
