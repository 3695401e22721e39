// Cosmic Link message → händelser. Pure, and never throws: every problem is an issue named by its path
// in the contract (`handelser[0].tidpunkt`, `patient.id.varde`).
import type { MappingIssue, MappingResult } from '../common/adapter.ts';
import type { Detalj, Handelse, PatientUppgifter, VardtillfalleUppgifter } from '../common/handelse.ts';
import { HANDELSE_TYP, meddelandeSchema, type CheckedHandelse, type CheckedMeddelande } from './contract.ts';
import { addressIssues, crossFieldIssues, defined, mapJsonMessage, part, patientUppgifter, svarPa } from './json-kontrakt.ts';

export function mapCosmicLink(raw: string): MappingResult {
  return mapJsonMessage(raw, ['meddelandeId'], meddelandeSchema, (m, issues) => {
    const patient = patientOf(m, issues);
    const stay = stayOf(m, issues);
    if (!patient) return undefined;
    return m.handelser.map((e, seq): Handelse => ({
      source: 'cosmic-link',
      messageId: m.meddelandeId,
      seq,
      occurredAt: e.tidpunkt,
      sentAt: m.skickad,
      patient,
      stay,
      sender: m.avsandare,
      recipients: m.mottagare,
      ...detaljOf(e),
    }));
  });
}

function patientOf(m: CheckedMeddelande, issues: MappingIssue[]): PatientUppgifter | undefined {
  const p = m.patient;
  const a = p.folkbokforingsadress;
  return patientUppgifter(
    { kind: p.id.typ, value: p.id.varde, path: 'patient.id.varde' },
    m.skickad,
    defined({
      family: p.efternamn,
      given: p.fornamn,
      folkbokforingsadress: a && defined({ line: a.adressrader, postalCode: a.postnummer, city: a.postort }),
      folkbokforingskommun: p.folkbokforingskommun,
      skyddadIdentitet: p.skyddadIdentitet,
    }),
    issues,
  );
}

const ADDRESS = { address: 'patient.folkbokforingsadress', postalCode: 'postnummer', city: 'postort' };

function stayOf(m: CheckedMeddelande, issues: MappingIssue[]): VardtillfalleUppgifter {
  const a = m.samordningsarende;
  issues.push(...crossFieldIssues(a.vardform, a.tvangsvard, 'samordningsarende.tvangsvard'));
  m.handelser.forEach((e, i) => {
    if (e.typ === 'INSKRIVNINGSMEDDELANDE') issues.push(...addressIssues(m.patient.folkbokforingsadress, ADDRESS, `handelser[${i}]`));
  });
  return defined({
    issuer: a.vardgivare,
    id: a.vardkontaktId,
    admittedAt: a.inskrivningstid,
    unit: part('slutenvard', a.vardenhet.namn, a.vardenhet.hsaId),
    careType: a.vardform,
    compulsoryCare: a.tvangsvard,
    visamTrack: a.visamSpar,
    placingKommun: a.placerandeKommun,
    sourceCaseId: a.arendeId,
  });
}

function detaljOf(e: CheckedHandelse): Detalj {
  switch (e.typ) {
    case 'VARDBEGARAN':
    case 'KALLELSE_SVPL':
    case 'KOMMENTAR':
      return { kind: HANDELSE_TYP[e.typ], text: e.text };
    case 'INSKRIVNINGSMEDDELANDE':
      return { kind: 'inskrivningsmeddelande', estimatedDischarge: e.beraknadUtskrivning, ...(e.orsak !== undefined ? { reason: e.orsak } : {}) };
    case 'SAMTYCKE':
      return { kind: 'samtycke', decision: e.beslut };
    case 'BERAKNAD_UTSKRIVNING':
      return { kind: 'beraknad-utskrivning', estimatedDischarge: e.beraknadUtskrivning };
    case 'KVITTENS': {
      const a = e.avserMeddelande;
      return {
        kind: 'kvittens',
        kvittens: e.kvittenstyp,
        ...(e.text !== undefined ? { text: e.text } : {}),
        ...svarPa.fromSource('cosmic-link', a && { messageId: a.meddelandeId, sender: a.avsandare }),
      };
    }
    case 'FAST_VARDKONTAKT': {
      const v = e.vardkontakt;
      return { kind: 'fast-vardkontakt', contact: { name: v.namn, role: v.roll, unit: v.enhet, telecom: v.kontaktvagar.map((k) => ({ system: k.typ, value: k.varde })) } };
    }
    case 'UTSKRIVNINGSKLAR':
      return { kind: 'utskrivningsklar' };
    case 'ATERKALLAD_UTSKRIVNINGSKLAR':
      return { kind: 'aterkallad-utskrivningsklar', ...(e.text !== undefined ? { text: e.text } : {}) };
    case 'KALLELSE_SIP':
      return { kind: 'kallelse-sip', purpose: e.syfte, meeting: { time: e.mote.tid, place: e.mote.plats, form: e.mote.form } };
    case 'UTSKRIVNINGSMEDDELANDE':
      return { kind: 'utskrivningsmeddelande' };
    case 'SIP_STATUS': {
      const p = e.plan;
      return {
        kind: 'sip-status',
        plan: {
          id: p.planId,
          type: p.planTyp,
          status: p.status,
          actions: p.insatser.map((i) => ({ description: i.beskrivning, performer: i.ansvarig })),
          ...(p.uppfoljning !== undefined ? { followUp: p.uppfoljning } : {}),
        },
      };
    }
  }
}
