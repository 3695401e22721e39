// Lifecare SP message → one händelse. Pure, and never throws: every problem is an issue named by its path
// in the contract (`innehall.motestid`, `person.id`).
import type { MappingResult } from '../common/adapter.ts';
import type { Detalj } from '../common/handelse.ts';
import { addressIssues, crossFieldIssues, defined, mapJsonMessage, part, patientUppgifter, svarPa } from '../cosmic-link/json-kontrakt.ts';
import { MEDDELANDETYP, meddelandeSchema, type CheckedMeddelande } from './contract.ts';

export function mapLifecareSp(raw: string): MappingResult {
  return mapJsonMessage(raw, ['id'], meddelandeSchema, (m, issues) => {
    const p = m.person;
    const v = m.vardtillfalle;
    issues.push(...crossFieldIssues(v.vardtyp, v.tvangsvard, 'vardtillfalle.tvangsvard'));
    if (m.typ === 'inskrivningsmeddelande') issues.push(...addressIssues(p.adress, { address: 'person.adress', postalCode: 'postnummer', city: 'postort' }, 'typ inskrivningsmeddelande'));
    const patient = patientUppgifter(
      { kind: p.idTyp, value: p.id, path: 'person.id' },
      m.skapad,
      defined({
        family: p.efternamn,
        given: p.fornamn,
        folkbokforingsadress: p.adress && defined({ line: p.adress.utdelningsadress, postalCode: p.adress.postnummer, city: p.adress.postort }),
        folkbokforingskommun: p.kommunkod,
        skyddadIdentitet: p.skydd,
      }),
      issues,
    );
    if (!patient) return undefined;
    const stay = defined({
      issuer: v.vardgivareHsaId,
      id: v.vardtillfalleId,
      admittedAt: v.inskrivningstid,
      unit: part('slutenvard', v.avdelning.namn, v.avdelning.hsaId),
      careType: v.vardtyp,
      compulsoryCare: v.tvangsvard,
      visamTrack: v.visam,
      placingKommun: v.placerandeKommun,
      sourceCaseId: v.planeringsnummer,
    });
    return [
      { source: 'lifecare-sp', messageId: m.id, seq: 0, occurredAt: m.handelsetid, sentAt: m.skapad, patient, stay, sender: m.fran, recipients: m.till, ...detaljOf(m) },
    ];
  });
}

function detaljOf(m: CheckedMeddelande): Detalj {
  switch (m.typ) {
    case 'vardbegaran':
    case 'kallelse-planering':
    case 'meddelande':
      return { kind: MEDDELANDETYP[m.typ], text: m.innehall.fritext };
    case 'inskrivningsmeddelande':
      return defined({ kind: 'inskrivningsmeddelande', estimatedDischarge: m.innehall.beraknadUtskrivning, reason: m.innehall.inskrivningsorsak });
    case 'samtycke':
      return { kind: 'samtycke', decision: m.innehall.samtycke };
    case 'beraknad-utskrivning':
      return { kind: 'beraknad-utskrivning', estimatedDischarge: m.innehall.beraknadUtskrivning };
    case 'kvittens': {
      const r = m.innehall.svarPa;
      return defined({
        kind: 'kvittens',
        kvittens: m.innehall.svar,
        text: m.innehall.fritext,
        ...svarPa.fromSource('lifecare-sp', r && { messageId: r.id, sender: r.fran }),
      });
    }
    case 'fast-vardkontakt': {
      const c = m.innehall;
      return { kind: 'fast-vardkontakt', contact: { name: c.namn, role: c.yrkesroll, unit: c.enhet, telecom: c.kontakt.map((k) => ({ system: k.typ, value: k.varde })) } };
    }
    case 'utskrivningsklar':
    case 'utskrivningsmeddelande':
      return { kind: m.typ };
    case 'aterkallad-utskrivningsklar':
      return defined({ kind: 'aterkallad-utskrivningsklar', text: m.innehall.orsak });
    case 'kallelse-sip': {
      const c = m.innehall;
      return { kind: 'kallelse-sip', purpose: c.syfte, meeting: { time: c.motestid, place: c.motesplats, form: c.motesform } };
    }
    case 'sip-status': {
      const c = m.innehall;
      return {
        kind: 'sip-status',
        plan: defined({
          id: c.planId,
          type: c.plantyp,
          status: c.status,
          actions: c.atgarder.map((a) => ({ description: a.beskrivning, performer: a.ansvarig })),
          followUp: c.uppfoljningsdatum,
        }),
      };
    }
  }
}
