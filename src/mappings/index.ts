// The source adapters the gateway ingests from, by source id (POST /ingest/{id}).
import type { SourceAdapter } from './common/adapter.ts';
import { cosmicLinkAdapter } from './cosmic-link/index.ts';
import { hl7v2Adapter } from './hl7v2/index.ts';
import { kommunAdapter } from './kommun/index.ts';
import { lifecareSpAdapter } from './lifecare-sp/index.ts';
import { samsaAdapter } from './samsa/index.ts';

const ADAPTERS: readonly SourceAdapter[] = [cosmicLinkAdapter, lifecareSpAdapter, samsaAdapter, kommunAdapter, hl7v2Adapter];

export function sourceAdapters(): ReadonlyMap<string, SourceAdapter> {
  return new Map(ADAPTERS.map((a) => [a.id, a]));
}
