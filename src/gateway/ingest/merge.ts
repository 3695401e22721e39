// Several messages' transaction Bundles as one, and its response split back per message. Pure.
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';

/** The Bundles cannot be one transaction (two of them write the same resource): each goes alone. */
export class NotGroupable extends Error {}

export interface MergedTransaction {
  bundle: Bundle;
  /** Each message's transaction-response, entry for entry as its own Bundle would have had it. */
  split(response: Bundle): Bundle[];
}

/**
 * One transaction of the Bundles' entries. Entries are keyed by deterministic fullUrls (a business
 * identifier's urn:uuid), so an organisation two messages name is one entry: its conditional create is
 * made once, by the first message, and the later one answers as it would alone, having found it. Any
 * other entry two Bundles share is a resource two messages would both write: NotGroupable.
 */
export function mergeTransactions(bundles: readonly Bundle[]): MergedTransaction {
  // One message's Bundle is its own transaction, as it is.
  if (bundles.length === 1) return { bundle: bundles[0]!, split: (response) => [response] };
  const entries: BundleEntry[] = [];
  const byFullUrl = new Map<string, number>();
  const positions: { index: number; shared: boolean }[][] = [];
  for (const b of bundles) {
    const mine: { index: number; shared: boolean }[] = [];
    for (const e of b.entry ?? []) {
      const prior = e.fullUrl === undefined ? undefined : byFullUrl.get(e.fullUrl);
      if (prior !== undefined) {
        if (!sameConditionalCreate(entries[prior]!, e)) throw new NotGroupable(`two messages of the group write ${e.fullUrl}`);
        mine.push({ index: prior, shared: true });
        continue;
      }
      if (e.fullUrl !== undefined) byFullUrl.set(e.fullUrl, entries.length);
      mine.push({ index: entries.length, shared: false });
      entries.push(e);
    }
    positions.push(mine);
  }
  return {
    bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    split: (response) =>
      positions.map((mine) => ({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: mine.map(({ index, shared }) => {
          const e = response.entry?.[index] ?? {};
          // Made by an earlier message of the group: alone, this one would have found it.
          return shared && e.response ? { ...e, response: { ...e.response, status: '200 OK' } } : e;
        }),
      })),
  };
}

function sameConditionalCreate(a: BundleEntry, b: BundleEntry): boolean {
  return (
    a.request?.method === 'POST' &&
    b.request?.method === 'POST' &&
    a.request.ifNoneExist !== undefined &&
    a.request.ifNoneExist === b.request.ifNoneExist &&
    a.request.url === b.request.url
  );
}
