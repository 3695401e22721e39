// One händelse → the Lifecare SP message that says it: the inverse of map (map(render(h)) gives h back).
import type { RenderedMessage } from '../common/adapter.ts';
import type { Detalj, Handelse, Part } from '../common/handelse.ts';
import { defined, oneMessage, svarPa } from '../cosmic-link/json-kontrakt.ts';
import {
  AKTOR,
  ID_TYP,
  KONTAKTTYP,
  MEDDELANDETYP,
  MOTESFORM,
  PLANSTATUS,
  SAMTYCKE,
  SKYDD,
  SVAR,
  TVANGSVARD,
  VARDTYP,
  VISAM,
  type LifecareSpMeddelande,
  type Meddelandetyp,
} from './contract.ts';

const TYP_OF = new Map(Object.entries(MEDDELANDETYP).map(([typ, kind]) => [kind as string, typ as Meddelandetyp]));

export function renderLifecareSp(handelser: readonly Handelse[]): RenderedMessage {
  const h = oneMessage(handelser, 'lifecare-sp');
  // A Lifecare SP message is one event; two händelser would need two messages (two ids).
  if (handelser.length > 1) throw new Error('lifecare-sp: one message carries one händelse');
  const typ = TYP_OF.get(h.kind);
  if (typ === undefined) throw new Error(`lifecare-sp does not carry ${h.kind}`);
  const { stay: v, patient: p } = h;
  if (v.unit.kind !== 'slutenvard' || v.unit.hsaId === undefined) throw new Error('lifecare-sp: the avdelning is an inpatient unit with an HSA-id');
  const a = p.folkbokforingsadress;
  const message = {
    typ,
    id: h.messageId,
    skapad: h.sentAt,
    handelsetid: h.occurredAt,
    fran: aktorOf(h.sender),
    till: h.recipients.map(aktorOf),
    vardtillfalle: defined({
      vardgivareHsaId: v.issuer,
      vardtillfalleId: v.id,
      inskrivningstid: v.admittedAt,
      avdelning: { hsaId: v.unit.hsaId, namn: v.unit.name },
      vardtyp: VARDTYP.toSource(v.careType),
      tvangsvard: v.compulsoryCare && TVANGSVARD.toSource(v.compulsoryCare),
      visam: v.visamTrack && VISAM.toSource(v.visamTrack),
      placerandeKommun: v.placingKommun,
      planeringsnummer: v.sourceCaseId,
    }),
    person: defined({
      idTyp: ID_TYP.toSource(p.identifier.kind),
      id: p.identifier.value,
      fornamn: p.given,
      efternamn: p.family,
      adress: a && defined({ utdelningsadress: a.line, postnummer: a.postalCode, postort: a.city }),
      kommunkod: p.folkbokforingskommun,
      skydd: p.skyddadIdentitet && SKYDD.toSource(p.skyddadIdentitet),
    }),
    innehall: innehallOf(h),
  } as LifecareSpMeddelande;
  return { contentType: 'application/json', body: JSON.stringify(message, null, 2) };
}

function aktorOf(p: Part) {
  return defined({ aktor: AKTOR.toSource(p.kind), hsaId: p.hsaId, kommunkod: p.kommunkod, namn: p.name });
}

/** The event's content, as Lifecare SP names it. */
function innehallOf(d: Detalj): Record<string, unknown> {
  switch (d.kind) {
    case 'vardbegaran':
    case 'kallelse-svpl':
    case 'kommentar':
      return { fritext: d.text };
    case 'inskrivningsmeddelande':
      return defined({ beraknadUtskrivning: d.estimatedDischarge, inskrivningsorsak: d.reason });
    case 'samtycke':
      return { samtycke: SAMTYCKE.toSource(d.decision) };
    case 'beraknad-utskrivning':
      return { beraknadUtskrivning: d.estimatedDischarge };
    case 'kvittens': {
      const r = svarPa.toSource('lifecare-sp', d.acknowledges);
      return defined({ svar: SVAR.toSource(d.kvittens), fritext: d.text, svarPa: r && { id: r.messageId, fran: r.sender } });
    }
    case 'fast-vardkontakt': {
      const c = d.contact;
      return { namn: c.name, yrkesroll: c.role, enhet: aktorOf(c.unit), kontakt: c.telecom.map((t) => ({ typ: KONTAKTTYP.toSource(t.system), varde: t.value })) };
    }
    case 'aterkallad-utskrivningsklar':
      return defined({ orsak: d.text });
    case 'kallelse-sip':
      return { syfte: d.purpose, motestid: d.meeting.time, motesplats: d.meeting.place, motesform: MOTESFORM.toSource(d.meeting.form) };
    case 'sip-status': {
      const p = d.plan;
      return defined({
        planId: p.id,
        plantyp: p.type,
        status: PLANSTATUS.toSource(p.status),
        atgarder: p.actions.map((x) => ({ beskrivning: x.description, ansvarig: aktorOf(x.performer) })),
        uppfoljningsdatum: p.followUp,
      });
    }
    default:
      return {};
  }
}
