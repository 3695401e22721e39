// The Lifecare SP source adapter (POST /ingest/lifecare-sp): contract in contract.ts and docs/mappings/lifecare-sp.md.
import type { SourceAdapter } from '../common/adapter.ts';
import type { HandelseKind } from '../common/handelse.ts';
import { MEDDELANDETYP } from './contract.ts';
import { mapLifecareSp } from './map.ts';
import { renderLifecareSp } from './render.ts';

export const lifecareSpAdapter: SourceAdapter = {
  id: 'lifecare-sp',
  title: 'Lifecare SP (Tietoevry, samordnad planering)',
  contentTypes: ['application/json'],
  kinds: Object.values(MEDDELANDETYP) as HandelseKind[],
  map: (raw) => mapLifecareSp(raw),
  render: renderLifecareSp,
};
