// Händelser of one message → the kommun JSON that maps back to them (map(render(h)) deep-equals h).
// The sending system is read back from the message id's prefix (`treserva:4711`).
import type { RenderedMessage } from '../common/adapter.ts';
import type { Handelse, MeddelandeRef, Part } from '../common/handelse.ts';
import { senderKey } from '../common/keys.ts';
import { afterPrefix, checkOneMessage } from '../samsa/checks.ts';
import { KALLSYSTEM, type Kallsystem, KANAL, type Meddelandetyp, type Part as JsonPart, REDO_PREFIX, SKYDDAD_IDENTITET, TVANGSVARD, VARDFORM } from './contract.ts';

const invert = <K extends string, V extends string>(o: Record<K, V>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [v, k])) as Record<V, K>;
const KALLSYSTEM_AV = invert(KALLSYSTEM);
const KANAL_AV: Partial<Record<string, string>> = invert(KANAL);
const VARDFORM_AV = invert(VARDFORM);
const TVANGSVARD_AV = invert(TVANGSVARD);
const SKYDDAD_AV = invert(SKYDDAD_IDENTITET);
const KVITTENS_AV = { kvittens: 'kvittens', 'ej-kand': 'ejKand', avvisning: 'avvisning' } as const;
const ID_MEMBER = { personnummer: 'personnummer', samordningsnummer: 'samordningsnummer', nationelltReservnummer: 'reservnummer' } as const;

const part = (p: Part): JsonPart => ({ typ: p.kind, ...(p.hsaId ? { hsaId: p.hsaId } : {}), ...(p.kommunkod ? { kommunkod: p.kommunkod } : {}), namn: p.name });

// Composed by map from redoAttTaEmot: "Redo att ta emot[ från <time>][: <text>]".
const REDO = /^ från (\S+?)(?:: ([\s\S]+))?$|^(?:: ([\s\S]+))?$/;

function avserMeddelande(a: MeddelandeRef | undefined): { avserMeddelande?: Record<string, string> } {
  if (a === undefined) return {};
  const kanal = KANAL_AV[a.source];
  if (kanal === undefined) throw new Error(`a kommun reply cannot name a message of ${a.source}`);
  return { avserMeddelande: { kanal, meddelandeId: a.messageId, avsandare: senderKey(a.sender) } };
}

export function renderKommun(hs: readonly Handelse[]): RenderedMessage {
  const h = checkOneMessage(hs, 'kommun');
  if (hs.length !== 1) throw new Error('a kommun message carries one händelse');
  const colon = h.messageId.indexOf(':');
  const kallsystem: Kallsystem | undefined = KALLSYSTEM_AV[h.messageId.slice(0, colon) as (typeof KALLSYSTEM)[Kallsystem]];
  if (!kallsystem) throw new Error(`message id ${h.messageId} does not start with a known sending system (${Object.values(KALLSYSTEM).join(', ')})`);
  if (h.patient.folkbokforingsadress) throw new Error('a kommun message does not carry the folkbokföringsadress');
  if (h.stay.visamTrack) throw new Error('a kommun message does not carry a ViSam track');
  const tidpunkt = h.occurredAt === h.sentAt ? {} : { tidpunkt: h.occurredAt };
  let typ: Meddelandetyp;
  let innehall: Record<string, unknown>;
  switch (h.kind) {
    case 'kvittens':
      typ = KVITTENS_AV[h.kvittens];
      innehall = { ...(h.text ? { text: h.text } : {}), ...avserMeddelande(h.acknowledges), ...tidpunkt };
      break;
    case 'vardbegaran':
      typ = 'adlOchInsatser';
      innehall = { text: h.text, ...tidpunkt };
      break;
    case 'kommentar': {
      const rest = afterPrefix(h.text, REDO_PREFIX);
      const redo = rest === undefined ? null : REDO.exec(rest);
      if (redo) {
        typ = 'redoAttTaEmot';
        const text = redo[2] ?? redo[3];
        innehall = { ...(redo[1] ? { fran: redo[1] } : {}), ...(text ? { text } : {}), ...tidpunkt };
      } else {
        typ = 'meddelande';
        innehall = { text: h.text, ...tidpunkt };
      }
      break;
    }
    case 'sip-status':
      typ = 'sipBeslut';
      innehall = {
        planId: h.plan.id,
        plantyp: h.plan.type,
        status: h.plan.status,
        ...(h.plan.actions.length ? { insatser: h.plan.actions.map((a) => ({ beskrivning: a.description, ansvarig: part(a.performer) })) } : {}),
        ...(h.plan.followUp ? { uppfoljning: h.plan.followUp } : {}),
        ...tidpunkt,
      };
      break;
    default:
      throw new Error(`a kommun message does not carry ${h.kind}`);
  }
  const p = h.patient;
  const s = h.stay;
  const message = {
    meddelandeId: h.messageId.slice(colon + 1),
    kallsystem,
    meddelandetyp: typ,
    skickat: h.sentAt,
    avsandare: part(h.sender),
    mottagare: h.recipients.map(part),
    patient: {
      [ID_MEMBER[p.identifier.kind]]: p.identifier.value,
      efternamn: p.family,
      fornamn: p.given,
      ...(p.folkbokforingskommun ? { folkbokforingskommun: p.folkbokforingskommun } : {}),
      ...(p.skyddadIdentitet ? { skyddadIdentitet: SKYDDAD_AV[p.skyddadIdentitet] } : {}),
    },
    vardtillfalle: {
      vardgivare: s.issuer,
      vardtillfalleId: s.id,
      inskrivningstid: s.admittedAt,
      enhet: { hsaId: s.unit.hsaId, namn: s.unit.name },
      vardform: VARDFORM_AV[s.careType],
      ...(s.compulsoryCare ? { tvangsvard: TVANGSVARD_AV[s.compulsoryCare] } : {}),
      ...(s.placingKommun ? { placerandeKommun: s.placingKommun } : {}),
      ...(s.sourceCaseId ? { arendeId: s.sourceCaseId } : {}),
    },
    innehall,
  };
  return { contentType: 'application/json', body: `${JSON.stringify(message, null, 2)}\n` };
}
