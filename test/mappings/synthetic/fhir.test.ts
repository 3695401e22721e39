// Synthetic episodes through the FHIR builder: every message's transaction Bundle (built as ingest
// builds it, from the stay's händelser so far) holds only resources the gateway's validator accepts,
// and the settlement Episode read back from those resources (src/rules/fhir/timeline.ts) is the one the
// händelser mean (expected-episode.ts), apart from the differences named below.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Handelse } from '../../../src/mappings/common/handelse.ts';
import { buildTransaction } from '../../../src/mappings/common/transaktion.ts';
import { generateEpisodes, type SyntheticEpisode } from '../../../src/mappings/synthetic/index.ts';
import { createValidator } from '../../../src/gateway/validation.ts';
import type { Validator } from '../../../src/profiles/validation/index.ts';
import { episodesFromResources, type Located } from '../../../src/rules/fhir/timeline.ts';
import type { Episode } from '../../../src/rules/episode.ts';
import { toSettlementEpisode } from './expected-episode.ts';

const ctx = { now: new Date('2025-04-15T12:00:00Z') };
let validator: Validator;
let sample: SyntheticEpisode[];
/** Each episode's bundles, one per message, in sending order. */
let bundles: Bundle[][];

beforeAll(() => {
  validator = createValidator();
  sample = generateEpisodes({ seed: 'fhir', count: 200, month: '2025-03' });
  bundles = sample.map((e) => {
    const so_far: Handelse[] = [];
    return e.messages.map((m) => {
      so_far.push(...m.handelser);
      return buildTransaction(so_far, m.handelser);
    });
  });
});

const errors = (issues: OperationOutcomeIssue[]) => issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');

describe('transaction Bundles of 200 synthetic episodes', () => {
  it('every resource of every message validates without an error', () => {
    const found: string[] = [];
    let resources = 0;
    for (const [i, list] of bundles.entries()) {
      for (const b of list) {
        for (const entry of b.entry ?? []) {
          resources++;
          for (const issue of errors(validator.validate(entry.resource!, ctx))) {
            found.push(`${sample[i]!.id} ${entry.resource!.resourceType} ${issue.expression?.join(',')}: ${issue.details?.text}`);
          }
        }
      }
    }
    expect(found.slice(0, 20)).toEqual([]);
    expect(resources).toBeGreaterThan(200 * 20);
  });

  it('covers every resource type the builder writes', () => {
    const types = new Set(bundles.flat().flatMap((b) => (b.entry ?? []).map((e) => e.resource!.resourceType)));
    expect([...types].sort()).toEqual(['CarePlan', 'CareTeam', 'Communication', 'Consent', 'Encounter', 'Organization', 'Patient']);
  });

  it('the FHIR timeline of the stored resources is the Episode the händelser mean', () => {
    const located: Located[] = bundles.flat().flatMap((b) => (b.entry ?? []).map((e) => ({ resource: e.resource!, ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}) })));
    const { episodes, skipped } = episodesFromResources(located);
    expect(skipped).toEqual([]);
    const byId = new Map(episodes.map((e) => [e.episode_id, e]));
    let invisibleSip = 0;
    for (const s of sample) {
      const want: Episode = { ...toSettlementEpisode(s) };
      const got = byId.get(s.id);
      expect(got, s.id).toBeDefined();
      // Representation: with a notice history the timeline leaves ready_at empty (the history decides).
      if (want.readiness_notices) want.ready_at = null;
      // Known gap 1: the common model's Part has no länskod, so no Organization carries one.
      expect(want.hospital_lanskod).toBe(s.lanskod);
      want.hospital_lanskod = null;
      // Known gap 2: a SIP needed but never invited to leaves no trace in FHIR.
      if (want.sip_required && !got!.sip_required) {
        expect(want.sip_invitation_at).toBeNull();
        invisibleSip++;
        want.sip_required = false;
      }
      expect(got, s.id).toEqual(want);
    }
    expect(invisibleSip).toBeLessThan(sample.length * 0.05);
  });
});
