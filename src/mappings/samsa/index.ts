// The SAMSA adapter (VGR and its 49 kommuner): XML notices of the discharge process, contract in
// docs/mappings/samsa.md.
import type { SourceAdapter } from '../common/adapter.ts';
import { mapSamsa, SAMSA_CONTENT_TYPES } from './map.ts';
import { renderSamsa } from './render.ts';

export const samsaAdapter: SourceAdapter = {
  id: 'samsa',
  title: 'SAMSA (Västra Götalandsregionen and its 49 kommuner)',
  contentTypes: SAMSA_CONTENT_TYPES,
  kinds: [
    'vardbegaran',
    'samtycke',
    'inskrivningsmeddelande',
    'beraknad-utskrivning',
    'kvittens',
    'fast-vardkontakt',
    'kallelse-svpl',
    'utskrivningsklar',
    'aterkallad-utskrivningsklar',
    'kallelse-sip',
    'sip-status',
    'utskrivningsmeddelande',
    'kommentar',
  ],
  map: mapSamsa,
  render: renderSamsa,
};
