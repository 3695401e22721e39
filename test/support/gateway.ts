// A real gateway on a loopback port, over a fresh database of the given backend, for HTTP tests.
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/gateway/config.ts';
import { createLogger } from '../../src/gateway/logger.ts';
import { startServer, type RunningServer } from '../../src/gateway/server.ts';
import type { GatewayOptions } from '../../src/gateway/app.ts';
import type { Db } from '../../src/store/db.ts';
import { freshDb, type Backend } from './db.ts';

export interface TestGateway {
  /** FHIR base, e.g. http://127.0.0.1:43121/fhir */
  base: string;
  /** Server root, for /healthz and /readyz. */
  root: string;
  running: RunningServer;
  /** The gateway's data folder (its development key lives there). */
  dataDir: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `db`: a store to use instead of a fresh one of `backend` (e.g. PGlite on its worker thread, as the server runs it). */
export async function startTestGateway(backend: Backend, env: Record<string, string> = {}, options: GatewayOptions = {}, db?: Db): Promise<TestGateway> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'samverkan-test-'));
  const config = loadConfig({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', AUTH_MODE: 'development', ...env });
  const running = await startServer(config, createLogger('silent'), db ?? (await freshDb(backend)), options);
  return { base: `${running.url}/fhir`, root: running.url, running, dataDir, stop: () => running.stop() };
}
