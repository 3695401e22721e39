// The Cosmic Link source adapter (POST /ingest/cosmic-link): contract in contract.ts and docs/mappings/cosmic-link.md.
import type { SourceAdapter } from '../common/adapter.ts';
import type { HandelseKind } from '../common/handelse.ts';
import { HANDELSE_TYP } from './contract.ts';
import { mapCosmicLink } from './map.ts';
import { renderCosmicLink } from './render.ts';

export const cosmicLinkAdapter: SourceAdapter = {
  id: 'cosmic-link',
  title: 'Cosmic Link (Cambio)',
  contentTypes: ['application/json'],
  kinds: Object.values(HANDELSE_TYP) as HandelseKind[],
  // One JSON contract whatever the media type's parameters (charset): the content type is checked by ingest.
  map: (raw) => mapCosmicLink(raw),
  render: renderCosmicLink,
};
