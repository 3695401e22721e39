// The store's contents as comparable data: every current resource of the given types, without server
// ids and meta, with references rewritten from server ids to the target's business identifier. Two stores
// built from the same messages in different orders must give equal snapshots.
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { Fhir } from '../http/http.ts';

export const INGESTED_TYPES = ['Organization', 'Patient', 'Encounter', 'Communication', 'Consent', 'CareTeam', 'CarePlan'];

type WithIdentifier = Resource & { identifier?: { system?: string; value?: string }[] };

export async function storeSnapshot(fhir: Fhir, types = INGESTED_TYPES): Promise<Record<string, Record<string, unknown>>> {
  const all: WithIdentifier[] = [];
  for (const type of types) {
    let url: string | undefined = `${type}?_count=1000`;
    while (url) {
      const page: Bundle = await fhir.search(url);
      all.push(...((page.entry ?? []).map((e) => e.resource) as WithIdentifier[]));
      url = page.link?.find((l) => l.relation === 'next')?.url;
    }
  }
  const keyOf = new Map<string, string>();
  for (const r of all) {
    const id = r.identifier?.map((i) => `${i.system}|${i.value}`).sort()[0];
    keyOf.set(`${r.resourceType}/${r.id}`, `${r.resourceType}[${id ?? r.id}]`);
  }
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = k === 'reference' && typeof x === 'string' ? (keyOf.get(x) ?? x) : rewrite(x);
      return out;
    }
    return v;
  };
  const snapshot: Record<string, Record<string, unknown>> = {};
  for (const r of all) {
    const { id: _id, meta, ...rest } = r as Resource & { meta?: { profile?: string[]; security?: unknown } };
    const key = keyOf.get(`${r.resourceType}/${r.id}`)!;
    if (snapshot[key]) throw new Error(`two resources share the business key ${key}`);
    snapshot[key] = rewrite({ ...rest, meta: { profile: meta?.profile, security: meta?.security } }) as Record<string, unknown>;
  }
  return snapshot;
}
