// händelser → the Cosmic Link message that says them: the inverse of map (map(render(h)) gives h back).
import type { RenderedMessage } from '../common/adapter.ts';
import type { Detalj, Handelse, Part } from '../common/handelse.ts';
import {
  HANDELSE_TYP,
  ID_TYP,
  KONTAKTVAG,
  KVITTENS_TYP,
  MOTESFORM,
  PART_TYP,
  PLAN_STATUS,
  SAMTYCKE_BESLUT,
  SKYDDAD_IDENTITET,
  TVANGSVARD,
  VARDFORM,
  VISAM_SPAR,
  type CosmicLinkHandelse,
  type CosmicLinkMeddelande,
  type HandelseTyp,
} from './contract.ts';
import { defined, oneMessage, svarPa } from './json-kontrakt.ts';

const TYP_OF = new Map(Object.entries(HANDELSE_TYP).map(([typ, kind]) => [kind as string, typ as HandelseTyp]));

export function renderCosmicLink(handelser: readonly Handelse[]): RenderedMessage {
  const h = oneMessage(handelser, 'cosmic-link');
  const { stay, patient: p } = h;
  if (stay.sourceCaseId === undefined) throw new Error('cosmic-link: every message belongs to a samordningsärende (stay.sourceCaseId)');
  if (stay.unit.kind !== 'slutenvard' || stay.unit.hsaId === undefined) throw new Error('cosmic-link: the vårdenhet is an inpatient unit with an HSA-id');
  const a = p.folkbokforingsadress;
  const message: CosmicLinkMeddelande = {
    meddelandeId: h.messageId,
    skickad: h.sentAt,
    samordningsarende: defined({
      arendeId: stay.sourceCaseId,
      vardgivare: stay.issuer,
      vardkontaktId: stay.id,
      inskrivningstid: stay.admittedAt,
      vardenhet: { hsaId: stay.unit.hsaId, namn: stay.unit.name },
      vardform: VARDFORM.toSource(stay.careType),
      tvangsvard: stay.compulsoryCare && TVANGSVARD.toSource(stay.compulsoryCare),
      visamSpar: stay.visamTrack && VISAM_SPAR.toSource(stay.visamTrack),
      placerandeKommun: stay.placingKommun,
    }),
    patient: defined({
      id: { typ: ID_TYP.toSource(p.identifier.kind), varde: p.identifier.value },
      efternamn: p.family,
      fornamn: p.given,
      folkbokforingsadress: a && defined({ adressrader: a.line, postnummer: a.postalCode, postort: a.city }),
      folkbokforingskommun: p.folkbokforingskommun,
      skyddadIdentitet: p.skyddadIdentitet && SKYDDAD_IDENTITET.toSource(p.skyddadIdentitet),
    }),
    avsandare: partOf(h.sender),
    mottagare: h.recipients.map(partOf),
    handelser: handelser.map(eventOf),
  };
  return { contentType: 'application/json', body: JSON.stringify(message, null, 2) };
}

function partOf(p: Part) {
  return defined({ partTyp: PART_TYP.toSource(p.kind), hsaId: p.hsaId, kommunkod: p.kommunkod, namn: p.name });
}

function eventOf(h: Handelse): CosmicLinkHandelse {
  const typ = TYP_OF.get(h.kind);
  if (typ === undefined) throw new Error(`cosmic-link does not carry ${h.kind}`);
  return { typ, tidpunkt: h.occurredAt, ...fieldsOf(h) } as CosmicLinkHandelse;
}

/** The event's own fields, as Cosmic Link names them. */
function fieldsOf(d: Detalj): Record<string, unknown> {
  switch (d.kind) {
    case 'vardbegaran':
    case 'kallelse-svpl':
    case 'kommentar':
      return { text: d.text };
    case 'inskrivningsmeddelande':
      return defined({ beraknadUtskrivning: d.estimatedDischarge, orsak: d.reason });
    case 'samtycke':
      return { beslut: SAMTYCKE_BESLUT.toSource(d.decision) };
    case 'beraknad-utskrivning':
      return { beraknadUtskrivning: d.estimatedDischarge };
    case 'kvittens': {
      const a = svarPa.toSource('cosmic-link', d.acknowledges);
      return defined({ kvittenstyp: KVITTENS_TYP.toSource(d.kvittens), text: d.text, avserMeddelande: a && { meddelandeId: a.messageId, avsandare: a.sender } });
    }
    case 'fast-vardkontakt': {
      const c = d.contact;
      return {
        vardkontakt: { namn: c.name, roll: c.role, enhet: partOf(c.unit), kontaktvagar: c.telecom.map((t) => ({ typ: KONTAKTVAG.toSource(t.system), varde: t.value })) },
      };
    }
    case 'aterkallad-utskrivningsklar':
      return defined({ text: d.text });
    case 'kallelse-sip':
      return { syfte: d.purpose, mote: { tid: d.meeting.time, plats: d.meeting.place, form: MOTESFORM.toSource(d.meeting.form) } };
    case 'sip-status': {
      const p = d.plan;
      return {
        plan: defined({
          planId: p.id,
          planTyp: p.type,
          status: PLAN_STATUS.toSource(p.status),
          insatser: p.actions.map((x) => ({ beskrivning: x.description, ansvarig: partOf(x.performer) })),
          uppfoljning: p.followUp,
        }),
      };
    }
    default:
      return {};
  }
}
