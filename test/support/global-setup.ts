// Creates one fresh PostgreSQL database for this test run and drops it afterwards; each test file then
// works in its own schema inside it (see test/support/db.ts). Set TEST_POSTGRES=off to run PGlite only.
import pg from 'pg';
import type { TestProject } from 'vitest/node';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export default async function setup(project: TestProject) {
  if (process.env.TEST_POSTGRES === 'off') {
    project.provide('postgresUrl', '');
    return;
  }
  const name = `samverkan_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `The tests need PostgreSQL at ${adminUrl} (set TEST_DATABASE_URL, or TEST_POSTGRES=off to skip it): ${String(err)}`,
      { cause: err },
    );
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  project.provide('postgresUrl', url.toString());
  return async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
