# samverkan-gateway: Node 24 (LTS), production dependencies only, non-root, health-checked.
# scripts/check-docker-steps.sh performs these same steps without a Docker engine (CI runs it).
FROM node:24-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/samverkan \
    AUTH_MODE=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
RUN mkdir -p /var/lib/samverkan && chown node:node /var/lib/samverkan
USER node
EXPOSE 8080
# HL7v2 over MLLP is off by default. To take it: MLLP_PORT=2575 MLLP_HOST=0.0.0.0 MLLP_ALLOW_REMOTE=true, publish
# the port only where the hospitals' integration engines reach it (MLLP has no credentials; docs/ingest.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "src/gateway/cli.ts", "serve"]
