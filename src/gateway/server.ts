// Runs the gateway over HTTP with a graceful shutdown: stop accepting, finish in-flight requests, close the store.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { createGateway, type Gateway, type GatewayOptions } from './app.ts';
import type { GatewayConfig } from './config.ts';
import type { Db } from '../store/db.ts';
import { clientErrorResponse } from './http/outcome.ts';
import { HL7_CONTENT_TYPE, hl7Acknowledgement } from './ingest/hl7-ack.ts';
import { startMllpListener, type MllpListener } from './ingest/mllp-listener.ts';
import type { Principal } from './auth/principal.ts';
import { parseScopes } from './auth/scopes.ts';

/** MLLP has no credentials: whoever reaches the listener (bound to MLLP_HOST) sends as the hospital's EHR. */
const MLLP_PRINCIPAL: Principal = {
  clientId: 'mllp',
  role: 'inpatient-unit',
  scopes: parseScopes('system/Organization.cu system/Patient.cu system/Encounter.cu system/Communication.cu system/Consent.cu system/CareTeam.cu system/CarePlan.cu system/*.rs'),
  development: false,
};

export interface RunningServer {
  gateway: Gateway;
  server: http.Server;
  url: string;
  /** The MLLP listener's port, when MLLP_PORT is set. */
  mllpPort?: number;
  stop(): Promise<void>;
}

/** HL7v2 over MLLP: each framed message goes through the same ingest as POST /ingest/hl7v2. */
async function startMllp(gateway: Gateway, at: { host: string; port: number }, maxFrameBytes: number, logger: Logger): Promise<MllpListener> {
  const listener = await startMllpListener({
    host: at.host,
    port: at.port,
    maxFrameBytes,
    logger,
    handle: async (message) => {
      const result = await gateway.ingest.ingest({ source: 'hl7v2', body: message, contentType: HL7_CONTENT_TYPE, principal: MLLP_PRINCIPAL });
      return hl7Acknowledgement(message, result);
    },
  });
  return listener;
}

export async function startServer(config: GatewayConfig, logger: Logger, db?: Db, options: GatewayOptions = {}): Promise<RunningServer> {
  const gateway = await createGateway(config, logger, db, options);
  const server = http.createServer(gateway.app);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  // Requests Node's HTTP parser refuses (oversized headers, malformed HTTP, timeouts) get an OperationOutcome too.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
    if (err.code === 'ECONNRESET' || !socket.writable || answering) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const mllp = config.mllp ? await startMllp(gateway, config.mllp, config.maxBodyBytes, logger) : undefined;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // In-flight requests get 10 s to finish; then their connections are cut.
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, 10_000).unref();
      });
      await mllp?.close();
      await gateway.close();
    })());
  return { gateway, server, url, ...(mllp ? { mllpPort: mllp.port } : {}), stop };
}

export async function serve(config: GatewayConfig, logger: Logger): Promise<RunningServer> {
  const running = await startServer(config, logger);
  if (config.auth.mode === 'development') {
    logger.warn(
      { host: config.host },
      'DEVELOPMENT MODE: requests without a token get full access as the development principal; listening on loopback only. Set AUTH_MODE=production with AUTH_JWKS_FILE or AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE for real use.',
    );
  }
  logger.info({ url: `${running.url}/fhir`, store: running.gateway.db.kind }, 'samverkan-gateway serving FHIR R4');
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return running;
}
