#!/usr/bin/env bash
# No Docker engine runs on our CI machines, so this performs the Dockerfile's steps by hand: copy what
# the image copies, install production dependencies only, start the server as the image would (production
# mode, with a JWKS file since that is what production needs) and run the image's HEALTHCHECK command.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
grep -q '^FROM node:24' Dockerfile || { echo "Dockerfile must build on node:24"; exit 1; }
grep -q '^USER node' Dockerfile || { echo "Dockerfile must run as a non-root user"; exit 1; }
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
cp -r bin src "$work/"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
node -e "
const { generateKeyPair, exportJWK } = require('$PWD/node_modules/jose');
generateKeyPair('ES256').then(async ({ publicKey }) => {
  const jwk = await exportJWK(publicKey); jwk.kid = 'check'; jwk.alg = 'ES256';
  require('fs').writeFileSync('$work/jwks.json', JSON.stringify({ keys: [jwk] }));
});"
healthcheck=$(sed -n 's/^  CMD \(node -e .*\)$/\1/p' Dockerfile)
(cd "$work" && NODE_ENV=production HOST=127.0.0.1 PORT=$port DATA_DIR="$work/data" AUTH_MODE=production \
  AUTH_JWKS_FILE="$work/jwks.json" AUTH_ISSUER=https://idp.example AUTH_AUDIENCE=samverkan LOG_LEVEL=warn \
  node src/gateway/cli.ts serve) &
pid=$!
for _ in $(seq 1 120); do
  if (cd "$work" && PORT=$port eval "$healthcheck"); then
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/fhir/Patient")
    [ "$code" = 401 ] || { echo "docker steps: production mode answered $code without a token, expected 401"; exit 1; }
    echo "docker steps: production install starts, HEALTHCHECK passes, unauthenticated FHIR request refused (401)"
    exit 0
  fi
  sleep 0.5
done
echo "docker steps: HEALTHCHECK never passed"; exit 1
