// The HL7v2 ADT source adapter: hospital record systems' admit, transfer, discharge, update and cancel
// events (A01, A02, A03, A08, A11, A13) in ER7, by the contract in docs/mappings/hl7v2.md.
import type { SourceAdapter } from '../common/adapter.ts';
import { ADT_KINDS } from './contract.ts';
import { mapAdt } from './map.ts';
import { CONTENT_TYPE, renderAdt } from './render.ts';

export const hl7v2Adapter: SourceAdapter = {
  id: 'hl7v2',
  title: 'HL7 v2.5 ADT from hospital record systems',
  contentTypes: [CONTENT_TYPE, 'text/plain'],
  kinds: ADT_KINDS,
  // ER7 is the same whichever of the two media types it came as.
  map: (raw) => mapAdt(raw),
  render: renderAdt,
};

export { ackCodeFor, ackFor, buildAck, type AckCode, type AckIssue, type AckOptions } from './ack.ts';
export { controlIdOf, mapAdt } from './map.ts';
export { renderAdt } from './render.ts';
export { decodeBytes, encodeText, parseEr7, serializeEr7 } from './er7.ts';
export { encodeFrame, MllpDecoder, type MllpEvent } from './mllp.ts';
