# Tailor's container image (docs/operations/container.md, ADR 0090).
#
#   docker build -t tailor .
#   docker run -d -p 4000:4000 -v tailor-data:/data \
#     -e TAILOR_ADMIN_EMAIL=you@example.com -e TAILOR_ADMIN_PASSWORD=... tailor
#
# BASE_IMAGE is what the image runs on, BUILD_IMAGE what compiles it (it needs npm, python3, make
# and g++ for better-sqlite3's native addon). Both are build arguments so that a mirror, a pinned
# digest or a locally made base can stand in for Docker Hub's images. The final stage runs no
# command of its own (no shell needed): any base with Node 20's `node` on PATH, the same libc as
# BUILD_IMAGE and no ENTRYPOINT will do.
# Works with BuildKit (the stages `build` and `deps` then run in parallel) and the classic builder.

ARG BASE_IMAGE=node:20-bookworm-slim
ARG BUILD_IMAGE=node:20-bookworm

# ---- the workspaces' manifests: what `npm ci` needs, cached until a package.json or the lock changes
FROM ${BUILD_IMAGE} AS manifests
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/engine/package.json packages/engine/
COPY packages/contract/package.json packages/contract/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY bench/package.json bench/

# ---- build: every dependency (TypeScript, Vite, ...), then the server's and the console's dist.
# No install scripts here: nothing in `npm run build` loads better-sqlite3, which `deps` compiles.
FROM manifests AS build
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build \
 && mkdir -p /out/apps/server /out/apps/web /out/packages/engine /out/packages/contract /out-data /out-bin \
 && ln -s /app/apps/server/bin/tailor.js /out-bin/tailor \
 && cp package.json /out/ \
 && cp -R apps/server/package.json apps/server/bin apps/server/dist /out/apps/server/ \
 && cp -R apps/web/dist /out/apps/web/ \
 && cp -R packages/engine/package.json packages/engine/dist /out/packages/engine/ \
 && cp -R packages/contract/package.json packages/contract/dist /out/packages/contract/ \
 && rm -rf /out/apps/server/dist/test \
 && find /out -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.tsbuildinfo' \
      -o -name '*.test.js' -o -name '*-test-*.js' \) -delete

# ---- deps: the server's production dependencies only (no devDependencies of any workspace, no
# console or bench packages: the console is served as built files). Compiles better-sqlite3.
# npm puts a package under apps/server/node_modules when the root holds another version of it.
FROM manifests AS deps
RUN npm ci --omit=dev --workspace apps/server --no-audit --no-fund \
 && addon=$(find node_modules apps/server/node_modules -path '*/better-sqlite3/build/Release/better_sqlite3.node' 2>/dev/null | head -n 1) \
 && test -n "$addon" \
 && dir=${addon%/build/Release/better_sqlite3.node} \
 && mv "$addon" /tmp/ && rm -rf "$dir/build" "$dir/deps" "$dir/src" \
 && mkdir -p "$dir/build/Release" && mv /tmp/better_sqlite3.node "$dir/build/Release/" \
 && mkdir -p /deps \
 && for d in . apps/server packages/engine packages/contract; do \
      if [ -d "$d/node_modules" ]; then mkdir -p "/deps/$d" && mv "$d/node_modules" "/deps/$d/"; fi; \
    done

# ---- the image: the server's dist, the console's dist and production node_modules; nothing else
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="Tailor" \
      org.opencontainers.image.description="Self-hosted personalization engine (Contentstack Personalize wire protocol)" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /deps/ ./
COPY --from=build /out/ ./
# `tailor` on PATH, for `docker exec <container> tailor backup ...` and the other commands.
COPY --from=build /out-bin/ /usr/local/bin/
# An empty /data owned by the runtime user; a new named volume takes this ownership.
COPY --from=build --chown=1000:1000 /out-data/ /data/
VOLUME ["/data"]
# uid 1000 is `node` in the official Node images; numeric so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 4000
# No curl in slim images: Node's fetch asks /readyz (200 once the database answers and the
# migrations are applied) on the address the server listens on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const h=process.env.HOST;const a=!h||h==='0.0.0.0'||h==='::'?'127.0.0.1':h.includes(':')?'['+h+']':h;fetch('http://'+a+':'+(process.env.PORT||4000)+'/readyz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
# The server finishes in-flight requests and closes the database on SIGTERM (ADR 0009).
STOPSIGNAL SIGTERM
CMD ["node", "apps/server/bin/tailor.js", "serve"]
