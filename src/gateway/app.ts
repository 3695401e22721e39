// Wires the gateway: store, validation, auth and the FHIR API into one express app.
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { openPgliteWorker, openPostgres, type Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { Repository } from '../store/repository.ts';
import { SearchParamRegistry } from '../store/search-params.ts';
import { authenticate } from './auth/middleware.ts';
import { createTokenVerifier } from './auth/verify.ts';
import { buildCapabilityStatement } from './capability.ts';
import type { GatewayConfig } from './config.ts';
import { fhirApi, sendError, sendJson } from './http/fhir-api.ts';
import { httpError } from './http/outcome.ts';
import { WritePipeline } from './pipeline.ts';
import { createValidator, loadDefinitions } from './validation.ts';
import { scrubPersonnummer } from './logger.ts';
import { sourceAdapters } from '../mappings/index.ts';
import { projectSearchParameters } from '../profiles/definitions/search-parameters.ts';
import type { SourceAdapter } from '../mappings/common/adapter.ts';
import { ingestRoutes } from './ingest/routes.ts';
import { IngestService } from './ingest/service.ts';
import { HL7_CONTENT_TYPE, hl7Acknowledgement } from './ingest/hl7-ack.ts';

export interface Gateway {
  app: express.Express;
  db: Db;
  repo: Repository;
  pipeline: WritePipeline;
  ingest: IngestService;
  close(): Promise<void>;
}

export interface GatewayOptions {
  /** Source adapters by id; the shipped ones by default (tests add their own). */
  adapters?: ReadonlyMap<string, SourceAdapter>;
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export async function openDatabase(config: Pick<GatewayConfig, 'databaseUrl' | 'dataDir'>): Promise<Db> {
  if (config.databaseUrl) return openPostgres({ url: config.databaseUrl });
  const dir = path.join(config.dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  // On a worker thread: the database gets its own core (see docs/decisions.md).
  return openPgliteWorker({ dataDir: dir });
}

export async function createGateway(config: GatewayConfig, logger: Logger, existingDb?: Db, options: GatewayOptions = {}): Promise<Gateway> {
  const db = existingDb ?? (await openDatabase(config));
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'database migrations applied');
  const definitions = loadDefinitions();
  const registry = new SearchParamRegistry(definitions.searchParameters);
  for (const sp of projectSearchParameters()) registry.add(sp);
  const repo = new Repository(db, registry, { localBaseUrls: [config.baseUrl] });
  const pipeline = new WritePipeline(createValidator(), (t) => registry.isServed(t));
  const capabilityText = JSON.stringify(buildCapabilityStatement(registry, config.baseUrl, pkg, new Date()));
  const verifier = createTokenVerifier(config.auth);
  const ingest = new IngestService({ repo, pipeline, baseUrl: config.baseUrl, adapters: options.adapters ?? sourceAdapters() });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(logger));
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    try {
      await db.query('select 1 from schema_migrations limit 1');
      res.json({ status: 'ready', store: db.kind });
    } catch {
      res.status(503).json({ status: 'unavailable', store: db.kind });
    }
  });
  app.use(
    '/fhir',
    authenticate(verifier, config.auth),
    fhirApi({ repo, pipeline, baseUrl: config.baseUrl, maxBodyBytes: config.maxBodyBytes, capabilityStatement: () => capabilityText, logger }),
  );
  app.use(
    '/ingest',
    authenticate(verifier, config.auth),
    ingestRoutes({
      service: ingest,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      acknowledgement: (source, body, result) =>
        source === 'hl7v2' ? { contentType: HL7_CONTENT_TYPE, body: hl7Acknowledgement(body, result) } : undefined,
    }),
  );
  app.use((req: Request, res: Response) => sendJson(res, 404, httpError(404, 'not-found', `Nothing at ${req.path}; the FHIR API is under /fhir`).outcome));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err, logger));

  return {
    app,
    db,
    repo,
    pipeline,
    ingest,
    close: async () => {
      await db.close();
    },
  };
}

function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w\-.]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({ requestId, method: req.method, url: scrubPersonnummer(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
