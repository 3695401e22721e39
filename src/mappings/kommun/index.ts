// The municipal record systems' adapter (Treserva, Pulsen Combine, Lifecare VoO): JSON replies from
// kommun units to the inpatient unit, contract in docs/mappings/kommun.md.
import type { SourceAdapter } from '../common/adapter.ts';
import { KOMMUN_CONTENT_TYPES, mapKommun } from './map.ts';
import { renderKommun } from './render.ts';

export const kommunAdapter: SourceAdapter = {
  id: 'kommun',
  title: 'Municipal record systems (Treserva, Pulsen Combine, Lifecare VoO)',
  contentTypes: KOMMUN_CONTENT_TYPES,
  kinds: ['kvittens', 'vardbegaran', 'kommentar', 'sip-status'],
  map: mapKommun,
  render: renderKommun,
};
