#!/usr/bin/env node
// The `samverkan` command: serve, migrate, validate, token, settle, ingest, dead-letters, ingest-log, demo, package, reindex.
import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';

const HELP = `samverkan: FHIR R4 gateway for Swedish discharge coordination (Lag 2017:612)

Usage: samverkan <command> [options]

Commands:
  serve                 serve FHIR R4 at http://HOST:PORT/fhir (default http://127.0.0.1:8080/fhir)
  migrate               apply database migrations and exit
  validate FILE...      validate FHIR JSON resources (files) as a write would; exit 1 if any has errors
  token [options]       mint a development access token (samverkan token --help)
  settle [options]      settle a month from an episode export (samverkan settle --help)
  ingest FILE|DIR...    backfill source messages, with a progress bar (samverkan ingest --help)
  dead-letters ...      list, show, replay and discard refused messages (samverkan dead-letters)
  ingest-log purge ...  erase old raw messages from the ingest log (samverkan ingest-log --help)
  demo [options]        send a month of synthetic episodes to a running gateway (samverkan demo --help)
  package [--out DIR]   write the profiles and terminology as a FHIR NPM package (samverkan package --help)
  reindex [options]     recompute the search index of the stored resources (samverkan reindex --help)

Configuration comes from the environment: PORT, HOST, DATABASE_URL, DATA_DIR, LOG_LEVEL, BASE_URL,
MAX_BODY_BYTES, AUTH_MODE, AUTH_JWKS_FILE, AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE, MLLP_PORT, MLLP_HOST,
MLLP_ALLOW_REMOTE (see README.md).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const { serve } = await import('./server.ts');
      await serve(config, logger);
      return -1; // keep running
    }
    case 'migrate': {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const { openDatabase } = await import('./app.ts');
      const { migrate } = await import('../store/migrate.ts');
      const db = await openDatabase(config);
      try {
        const applied = await migrate(db);
        logger.info({ applied, store: db.kind }, applied.length ? 'migrations applied' : 'database is up to date');
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'validate':
      return validateFiles(rest);
    case 'token': {
      const { tokenCommand } = await import('./auth/dev-key.ts');
      await tokenCommand(rest, process.env, (s) => process.stdout.write(s + '\n'));
      return 0;
    }
    case 'settle': {
      const { settleCommand } = await import('./cli/settle.ts');
      return settleCommand(rest, {
        readFile: (p: string) => readFile(p, 'utf8'),
        out: (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
        err: (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
      });
    }
    case 'ingest': {
      const { ingestCommand, localTarget, httpTarget } = await import('./cli/ingest.ts');
      const { sourceAdapters } = await import('../mappings/index.ts');
      return ingestCommand(rest, cliIo(), sourceAdapters(), async ({ url, token }) => {
        if (url) return httpTarget(url, token);
        const gateway = await openLocalGateway();
        return localTarget(gateway.ingest, () => gateway.close());
      });
    }
    case 'dead-letters': {
      const { deadLettersCommand } = await import('./cli/ingest.ts');
      const gateway = await openLocalGateway();
      try {
        return await deadLettersCommand(rest, cliIo(), gateway.ingest);
      } catch (err) {
        const { toOutcome } = await import('./http/outcome.ts');
        const { status, outcome } = toOutcome(err);
        process.stderr.write(`samverkan dead-letters: ${outcome.issue?.map((i) => i.details?.text).join('; ')}\n`);
        return status === 404 || status === 409 ? 1 : 2;
      } finally {
        await gateway.close();
      }
    }
    case 'ingest-log': {
      const { ingestLogCommand } = await import('./cli/ingest-log.ts');
      return ingestLogCommand(rest, cliIo(), async () => {
        const gateway = await openLocalGateway();
        return { queryable: gateway.ingest.queryable, close: () => gateway.close() };
      });
    }
    case 'demo': {
      const { demoCommand } = await import('./cli/demo.ts');
      return demoCommand(rest, process.stdout);
    }
    case 'package': {
      const { packageCommand } = await import('./cli/package.ts');
      return packageCommand(rest, cliIo());
    }
    case 'reindex': {
      const { reindexCommand } = await import('./cli/reindex.ts');
      return reindexCommand(rest, cliIo(), async () => {
        const gateway = await openLocalGateway();
        return { db: gateway.db, registry: gateway.repo.registry, localBaseUrls: [loadConfig().baseUrl], close: () => gateway.close() };
      });
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`samverkan: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

function cliIo() {
  return { out: (s: string) => void process.stdout.write(s.endsWith('\n') ? s : s + '\n'), err: process.stderr };
}

/** The gateway's store and services in this process, for CLI work on the database itself. */
async function openLocalGateway() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { createGateway } = await import('./app.ts');
  return createGateway(config, logger);
}

async function validateFiles(files: string[]): Promise<number> {
  if (!files.length) {
    process.stderr.write('usage: samverkan validate FILE...\n');
    return 2;
  }
  const { createValidator } = await import('./validation.ts');
  const { WritePipeline } = await import('./pipeline.ts');
  const pipeline = new WritePipeline(createValidator(), () => true);
  let failed = 0;
  for (const file of files) {
    let candidate: unknown;
    try {
      candidate = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      process.stdout.write(`${file}: cannot read JSON: ${(err as Error).message}\n`);
      failed++;
      continue;
    }
    const outcome = pipeline.validate(candidate);
    const errors = (outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
    if (errors.length) failed++;
    process.stdout.write(`${file}: ${errors.length ? 'INVALID' : 'valid'}\n`);
    for (const i of outcome.issue ?? []) {
      if (i.severity === 'information') continue;
      process.stdout.write(`  ${i.severity} ${i.expression?.join(', ') ?? ''}: ${i.details?.text ?? i.diagnostics ?? ''}\n`);
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`samverkan: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`samverkan: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
