// The source adapters the gateway ingests from, by source id (POST /ingest/{id}).
import type { SourceAdapter } from './common/adapter.ts';

const ADAPTERS: readonly SourceAdapter[] = [];

export function sourceAdapters(): ReadonlyMap<string, SourceAdapter> {
  return new Map(ADAPTERS.map((a) => [a.id, a]));
}
