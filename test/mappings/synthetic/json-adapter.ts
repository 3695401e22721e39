// A tiny adapter for the tests: a message is the JSON of its händelser. It stands in for the real
// adapters, which other tests cover, so the generator's tests depend only on the SourceAdapter contract.
import type { MappingResult, SourceAdapter } from '../../../src/mappings/common/adapter.ts';
import type { Handelse, HandelseKind, SourceId } from '../../../src/mappings/common/handelse.ts';

export function jsonAdapter(id: SourceId, kinds: readonly HandelseKind[]): SourceAdapter {
  return {
    id,
    title: `JSON test adapter (${id})`,
    contentTypes: ['application/json'],
    kinds,
    map(raw: string): MappingResult {
      try {
        const handelser = JSON.parse(raw) as Handelse[];
        return { ok: true, messageId: handelser[0]!.messageId, handelser };
      } catch (e) {
        return { ok: false, issues: [{ path: '', message: (e as Error).message }] };
      }
    },
    render(handelser: readonly Handelse[]) {
      for (const h of handelser) if (!kinds.includes(h.kind)) throw new Error(`${id} does not carry ${h.kind}`);
      return { contentType: 'application/json', body: JSON.stringify(handelser) };
    },
  };
}
