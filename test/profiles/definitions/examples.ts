// Examples for every profile: at least one valid and at least three invalid ones, each invalid example
// failing for one stated reason (the one error the validator must report: where, and a phrase of what).
// Only the test personnummer of identifiers.md are used.
import type { Resource } from '@medplum/fhirtypes';
import { canonical } from '../../../src/profiles/canonical.ts';
import { EXTENSION, PROFILE, SE_SECURITY_LABEL } from '../../../src/profiles/definitions/index.ts';
import { SYSTEM } from '../../../src/profiles/identifiers/index.ts';
import { IDENTIFIER_SYSTEM } from '../../../src/mappings/common/keys.ts';

export interface Example {
  name: string;
  resource: Resource;
}
export interface InvalidExample extends Example {
  /** The one error: its expression contains `expression` and its message contains `message`. */
  expression: string;
  message: string;
}
export interface ProfileExamples {
  profile: string;
  valid: Example[];
  invalid: InvalidExample[];
}

type Json = Record<string, unknown>;
const cs = canonical.codeSystem;
const kommun = (url: string, code: string, system: string = SYSTEM.kommunkod): Json => ({ url, valueCoding: { system, code } });
const coding = (url: string, system: string, code: string): Json => ({ url, valueCoding: { system, code } });
const res = (r: Json): Resource => r as unknown as Resource;

// ---------------------------------------------------------------------------------------------- Patient
const patient = (o: Json = {}): Resource =>
  res({
    resourceType: 'Patient',
    meta: { profile: [PROFILE.patient] },
    extension: [kommun(EXTENSION.folkbokforingskommun, '1880')],
    identifier: [{ system: SYSTEM.personnummer, value: '195009072553' }],
    name: [{ family: 'Tolvansson', given: ['Tolvan'] }],
    address: [{ use: 'home', line: ['Storgatan 1'], postalCode: '70210', city: 'Örebro' }],
    ...o,
  });

const patientExamples: ProfileExamples = {
  profile: PROFILE.patient,
  valid: [
    { name: 'personnummer and folkbokföringskommun', resource: patient() },
    {
      name: 'skyddad folkbokföring',
      resource: patient({
        meta: { profile: [PROFILE.patient], security: [{ system: SE_SECURITY_LABEL, code: 'skyddadFolkbokforing' }] },
        identifier: [{ system: SYSTEM.personnummer, value: '189602029812' }],
        address: undefined,
      }),
    },
    {
      name: 'nationellt reservnummer, no kommun known',
      resource: patient({ extension: undefined, identifier: [{ system: SYSTEM.nationelltReservnummer, value: '20210325K069' }] }),
    },
  ],
  invalid: [
    {
      name: 'no personnummer, samordningsnummer or reservnummer',
      resource: patient({ identifier: [{ system: 'http://hospital.example.org/patient-id', value: 'P1' }] }),
      expression: 'Patient',
      message: 'sg-patient-1',
    },
    {
      name: 'two personnummer',
      resource: patient({
        identifier: [
          { system: SYSTEM.personnummer, value: '195009072553' },
          { system: SYSTEM.personnummer, value: '196101182803' },
        ],
      }),
      expression: 'Patient.identifier',
      message: "slice 'personnummer'",
    },
    {
      name: 'folkbokföringskommun not a kommunkod Coding',
      resource: patient({ extension: [kommun(EXTENSION.folkbokforingskommun, '1880', SYSTEM.lanskod)] }),
      expression: 'Patient.extension[0].value.system',
      message: 'must be exactly',
    },
    {
      name: 'unknown protected-identity label',
      resource: patient({ meta: { profile: [PROFILE.patient], security: [{ system: SE_SECURITY_LABEL, code: 'hemlig' }] } }),
      expression: 'Patient',
      message: 'sg-patient-2',
    },
    { name: 'no name', resource: patient({ name: undefined }), expression: 'Patient.name', message: 'Missing required property' },
  ],
};

// ----------------------------------------------------------------------------------------- Organization
const organization = (o: Json = {}): Resource =>
  res({
    resourceType: 'Organization',
    meta: { profile: [PROFILE.organization] },
    identifier: [{ system: SYSTEM.hsaId, value: 'SE2321000164-1004' }],
    type: [{ coding: [{ system: cs('party-kind'), code: 'slutenvard' }] }],
    name: 'Avdelning 71, Universitetssjukhuset Örebro',
    ...o,
  });

const organizationExamples: ProfileExamples = {
  profile: PROFILE.organization,
  valid: [
    { name: 'inpatient unit with HSA-id', resource: organization() },
    {
      name: 'a kommun by kommunkod',
      resource: organization({
        identifier: [{ system: SYSTEM.kommunkod, value: '1880' }],
        type: [{ coding: [{ system: cs('party-kind'), code: 'kommun' }] }],
        name: 'Örebro kommun',
      }),
    },
  ],
  invalid: [
    {
      name: 'no HSA-id, organisationsnummer or kommunkod',
      resource: organization({ identifier: [{ system: 'http://example.org/ids', value: '1' }] }),
      expression: 'Organization',
      message: 'sg-org-1',
    },
    {
      name: 'no party kind',
      resource: organization({ type: [{ text: 'vårdavdelning' }] }),
      expression: 'Organization',
      message: 'sg-org-2',
    },
    {
      name: 'kommunkod on an inpatient unit',
      resource: organization({ identifier: [{ system: SYSTEM.hsaId, value: 'SE2321000164-1004' }, { system: SYSTEM.kommunkod, value: '1880' }] }),
      expression: 'Organization',
      message: 'sg-org-3',
    },
    {
      name: 'HSA-id without a value',
      resource: organization({ identifier: [{ system: SYSTEM.hsaId }, { system: SYSTEM.organisationsnummer, value: '232100-0164' }] }),
      expression: 'Organization.identifier[0].value',
      message: "Slice 'hsaId' requires 1..1",
    },
  ],
};

// ------------------------------------------------------------------------------------ Vårdtillfälle
const encounter = (o: Json = {}): Resource =>
  res({
    resourceType: 'Encounter',
    meta: { profile: [PROFILE.encounter] },
    extension: [
      { url: EXTENSION.estimatedDischarge, valueDateTime: '2025-03-05' },
      coding(EXTENSION.careType, cs('care-type'), 'somatic'),
      kommun(EXTENSION.liableKommun, '1880'),
    ],
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: 'Patient/p1' },
    period: { start: '2025-02-27T14:20:00+01:00' },
    serviceProvider: { reference: 'Organization/avd71' },
    ...o,
  });

const encounterExamples: ProfileExamples = {
  profile: PROFILE.encounter,
  valid: [
    { name: 'somatic stay in progress', resource: encounter() },
    {
      name: 'finished psychiatric stay under LPT, placed by another kommun',
      resource: encounter({
        extension: [
          { url: EXTENSION.readyForDischarge, valueDateTime: '2025-03-03T10:15:00+01:00' },
          coding(EXTENSION.careType, cs('care-type'), 'psychiatric'),
          coding(EXTENSION.compulsoryCare, cs('compulsory-care'), 'lpt'),
          coding(EXTENSION.visamTrack, cs('visam-track'), 'yellow'),
          kommun(EXTENSION.liableKommun, '1880'),
          kommun(EXTENSION.placingKommun, '1814'),
        ],
        status: 'finished',
        period: { start: '2025-02-27T14:20:00+01:00', end: '2025-03-06T11:00:00+01:00' },
      }),
    },
  ],
  invalid: [
    {
      name: 'finished without a discharge time',
      resource: encounter({ status: 'finished' }),
      expression: 'Encounter',
      message: 'sg-enc-1',
    },
    {
      name: 'compulsory care on a somatic stay',
      resource: encounter({
        extension: [coding(EXTENSION.careType, cs('care-type'), 'somatic'), coding(EXTENSION.compulsoryCare, cs('compulsory-care'), 'lrv')],
      }),
      expression: 'Encounter',
      message: 'sg-enc-2',
    },
    {
      name: 'no care type',
      resource: encounter({ extension: [kommun(EXTENSION.liableKommun, '1880')] }),
      expression: 'Encounter.extension',
      message: "slice 'careType'",
    },
    {
      name: 'not an inpatient encounter',
      resource: encounter({ class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' } }),
      expression: 'Encounter.class',
      message: 'pattern',
    },
    {
      name: 'a ViSam track that does not exist',
      resource: encounter({ extension: [coding(EXTENSION.careType, cs('care-type'), 'somatic'), coding(EXTENSION.visamTrack, cs('visam-track'), 'blue')] }),
      expression: 'Encounter.extension[1].value',
      message: 'not in the required value set',
    },
    {
      name: 'estimated discharge as a valueDate, not a valueDateTime',
      resource: encounter({
        extension: [{ url: EXTENSION.estimatedDischarge, valueDate: '2025-03-05' }, coding(EXTENSION.careType, cs('care-type'), 'somatic')],
      }),
      expression: 'Encounter.extension[0].value',
      message: "Slice 'estimatedDischarge': value is of type date, but profile Vardtillfalle allows only dateTime",
    },
    {
      name: 'no admission time',
      resource: encounter({ period: { end: '2025-03-06T11:00:00+01:00' } }),
      expression: 'Encounter.period.start',
      message: 'Missing required property',
    },
  ],
};

// ------------------------------------------------------------------------------------------ Notices
const notice = (profile: string, kind: string, o: Json = {}): Resource =>
  res({
    resourceType: 'Communication',
    meta: { profile: [profile] },
    status: 'completed',
    category: [{ coding: [{ system: cs('notice-kind'), code: kind }] }],
    subject: { reference: 'Patient/p1' },
    encounter: { reference: 'Encounter/e1' },
    sent: '2025-02-27T16:02:00+01:00',
    sender: { reference: 'Organization/avd71' },
    recipient: [{ reference: 'Organization/orebro-kommun' }],
    ...o,
  });

const samverkansmeddelandeExamples: ProfileExamples = {
  profile: PROFILE.samverkansmeddelande,
  valid: [
    {
      name: 'administrative message',
      resource: notice(PROFILE.samverkansmeddelande, 'kommentar', { payload: [{ contentString: 'Patienten har bytt avdelning.' }] }),
    },
  ],
  invalid: [
    {
      name: 'no notice kind',
      resource: notice(PROFILE.samverkansmeddelande, 'x', { category: [{ text: 'meddelande' }] }),
      expression: 'Communication',
      message: 'sg-com-1',
    },
    {
      name: 'no sender',
      resource: notice(PROFILE.samverkansmeddelande, 'kommentar', { sender: undefined }),
      expression: 'Communication.sender',
      message: 'Missing required property',
    },
    {
      name: 'no time sent',
      resource: notice(PROFILE.samverkansmeddelande, 'kommentar', { sent: undefined }),
      expression: 'Communication.sent',
      message: 'Missing required property',
    },
    {
      name: 'no vårdtillfälle',
      resource: notice(PROFILE.samverkansmeddelande, 'kommentar', { encounter: undefined }),
      expression: 'Communication.encounter',
      message: 'Missing required property',
    },
    {
      name: 'about a group, not a patient',
      resource: notice(PROFILE.samverkansmeddelande, 'kommentar', { subject: { reference: 'Group/avd71-inneliggande' } }),
      expression: 'Communication.subject',
      message: 'subject refers to Group (Group/avd71-inneliggande), but profile Samverkansmeddelande allows only a reference to Patient',
    },
  ],
};

const admissionSubject = { reference: 'Patient/p1', identifier: { system: SYSTEM.personnummer, value: '195009072553' }, display: 'Tolvan Tolvansson' };
const admissionExtensions = [
  { url: EXTENSION.folkbokforingsadress, valueAddress: { line: ['Storgatan 1'], postalCode: '70210', city: 'Örebro' } },
  { url: EXTENSION.estimatedDischarge, valueDateTime: '2025-03-05' },
];
const inskrivning = (o: Json = {}): Resource =>
  notice(PROFILE.inskrivningsmeddelande, 'inskrivningsmeddelande', { subject: admissionSubject, extension: admissionExtensions, ...o });

const inskrivningsmeddelandeExamples: ProfileExamples = {
  profile: PROFILE.inskrivningsmeddelande,
  valid: [
    { name: 'admission notice with the law 2:2 content', resource: inskrivning() },
    {
      name: 'identifier-only subject, estimated discharge with time',
      resource: inskrivning({
        subject: { identifier: { system: SYSTEM.personnummer, value: '201701012393' }, display: 'Test Testsson' },
        extension: [admissionExtensions[0], { url: EXTENSION.estimatedDischarge, valueDateTime: '2025-03-05T12:00:00+01:00' }],
      }),
    },
  ],
  invalid: [
    {
      name: 'estimated discharge under a vendor extension instead of ours',
      resource: inskrivning({ extension: [admissionExtensions[0], { url: 'http://vendor.example.org/fhir/discharge-date', valueDateTime: '2025-03-05' }] }),
      expression: 'Communication.extension',
      message: "slice 'estimatedDischarge'",
    },
    {
      name: 'address only as a vendor extension, not as folkbokföringsadress',
      resource: inskrivning({
        extension: [{ url: 'http://vendor.example.org/fhir/address', valueAddress: { line: ['Storgatan 1'], postalCode: '70210', city: 'Örebro' } }, admissionExtensions[1]],
      }),
      expression: 'Communication.extension',
      message: "slice 'folkbokforingsadress'",
    },
    {
      name: "no patient's name",
      resource: inskrivning({ subject: { ...admissionSubject, display: undefined } }),
      expression: 'Communication.subject.display',
      message: 'Missing required property',
    },
    {
      name: 'patient not named by a Swedish person identifier',
      resource: inskrivning({ subject: { ...admissionSubject, identifier: { system: 'http://hospital.example.org/patient-id', value: 'P1' } } }),
      expression: 'Communication',
      message: 'sg-ins-1',
    },
    {
      name: 'another notice kind',
      resource: notice(PROFILE.inskrivningsmeddelande, 'utskrivningsklar', { subject: admissionSubject, extension: admissionExtensions }),
      expression: 'Communication.category',
      message: "slice 'noticeKind'",
    },
  ],
};

const utskrivningsklar = (o: Json = {}): Resource =>
  notice(PROFILE.utskrivningsklar, 'utskrivningsklar', { extension: [{ url: EXTENSION.readyForDischarge, valueDateTime: '2025-03-03T10:15:00+01:00' }], ...o });

const utskrivningsklarExamples: ProfileExamples = {
  profile: PROFILE.utskrivningsklar,
  valid: [{ name: 'ready for discharge at 10:15', resource: utskrivningsklar() }],
  invalid: [
    {
      name: 'a date without time of day',
      resource: utskrivningsklar({ extension: [{ url: EXTENSION.readyForDischarge, valueDateTime: '2025-03-03' }] }),
      expression: 'Communication',
      message: 'sg-uk-1',
    },
    { name: 'no ready-for-discharge time', resource: utskrivningsklar({ extension: undefined }), expression: 'Communication.extension', message: 'Missing required property' },
    { name: 'no recipient', resource: utskrivningsklar({ recipient: undefined }), expression: 'Communication.recipient', message: 'Missing required property' },
  ],
};

const utskrivning = (o: Json = {}): Resource =>
  notice(PROFILE.utskrivningsmeddelande, 'utskrivningsmeddelande', { extension: [{ url: EXTENSION.dischargeTime, valueDateTime: '2025-03-06T11:00:00+01:00' }], ...o });

const utskrivningsmeddelandeExamples: ProfileExamples = {
  profile: PROFILE.utskrivningsmeddelande,
  valid: [{ name: 'left at 11:00', resource: utskrivning() }],
  invalid: [
    {
      name: 'a date without time of day',
      resource: utskrivning({ extension: [{ url: EXTENSION.dischargeTime, valueDateTime: '2025-03-06' }] }),
      expression: 'Communication',
      message: 'sg-um-1',
    },
    { name: 'no discharge time', resource: utskrivning({ extension: undefined }), expression: 'Communication.extension', message: 'Missing required property' },
    {
      name: 'two notice kinds',
      resource: utskrivning({
        category: [
          { coding: [{ system: cs('notice-kind'), code: 'utskrivningsmeddelande' }] },
          { coding: [{ system: cs('notice-kind'), code: 'utskrivningsklar' }] },
        ],
      }),
      expression: 'Communication',
      message: 'sg-com-1',
    },
  ],
};

const sipExtensions = [
  { url: EXTENSION.sipMeetingTime, valueDateTime: '2025-03-05T13:00:00+01:00' },
  { url: EXTENSION.sipMeetingPlace, valueString: 'Vårdcentralen Tullhus, Örebro' },
  { url: EXTENSION.sipMeetingForm, valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'FACE' } },
];
const kallelse = (o: Json = {}): Resource =>
  notice(PROFILE.kallelseSip, 'kallelse-sip', {
    sender: { reference: 'PractitionerRole/fast-vardkontakt' },
    recipient: [{ reference: 'Patient/p1' }, { reference: 'Organization/orebro-kommun' }, { reference: 'Organization/avd71' }],
    payload: [{ contentString: 'Planera hemgång: hemtjänst, hjälpmedel och uppföljning av läkemedel.' }],
    extension: sipExtensions,
    ...o,
  });

const kallelseSipExamples: ProfileExamples = {
  profile: PROFILE.kallelseSip,
  valid: [{ name: 'invitation to a SIP meeting in person', resource: kallelse() }],
  invalid: [
    { name: 'no purpose', resource: kallelse({ payload: undefined }), expression: 'Communication.payload', message: 'Missing required property' },
    {
      name: 'purpose as a reference to a document, not text',
      resource: kallelse({ payload: [{ contentReference: { reference: 'DocumentReference/sip-underlag' } }] }),
      expression: 'Communication.payload[0].content',
      message: 'content is of type Reference, but profile KallelseSip allows only string',
    },
    {
      name: 'place as free text in a vendor extension, not as the meeting place',
      resource: kallelse({ extension: [sipExtensions[0], { url: 'http://vendor.example.org/fhir/place', valueString: 'Vårdcentralen' }, sipExtensions[2]] }),
      expression: 'Communication.extension',
      message: "slice 'meetingPlace'",
    },
    {
      name: 'meeting form not a ParticipationMode code',
      resource: kallelse({
        extension: [sipExtensions[0], sipExtensions[1], { url: EXTENSION.sipMeetingForm, valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode', code: 'IN-PERSON' } }],
      }),
      expression: 'Communication.extension[2].value',
      message: 'not in the required value set',
    },
  ],
};

const vardbegaran = (o: Json = {}): Resource =>
  notice(PROFILE.vardbegaran, 'vardbegaran', {
    sender: { reference: 'Organization/vc-tullhus' },
    recipient: [{ reference: 'Organization/avd71' }],
    payload: [{ contentString: 'Kontakt: distriktssköterska 019-000 00 00. Orsak: fall i hemmet. Hemtjänst 2 ggr/dag, dosdispenserade läkemedel.' }],
    ...o,
  });

const vardbegaranExamples: ProfileExamples = {
  profile: PROFILE.vardbegaran,
  valid: [{ name: 'care request from the vårdcentral', resource: vardbegaran() }],
  invalid: [
    { name: 'no content', resource: vardbegaran({ payload: undefined }), expression: 'Communication.payload', message: 'Missing required property' },
    {
      name: 'content as an attachment, not text',
      resource: vardbegaran({ payload: [{ contentAttachment: { contentType: 'text/plain', data: 'S29udGFrdA==' } }] }),
      expression: 'Communication.payload[0].content',
      message: 'content is of type Attachment, but profile Vardbegaran allows only string',
    },
    {
      name: 'another notice kind',
      resource: notice(PROFILE.vardbegaran, 'kommentar', { payload: [{ contentString: 'Orsak: fall i hemmet.' }] }),
      expression: 'Communication.category',
      message: "slice 'noticeKind'",
    },
  ],
};

const samtyckesmeddelande = (o: Json = {}): Resource =>
  notice(PROFILE.samtyckesmeddelande, 'samtycke', { payload: [{ contentReference: { reference: 'Consent/c1' } }], ...o });

const samtyckesmeddelandeExamples: ProfileExamples = {
  profile: PROFILE.samtyckesmeddelande,
  valid: [
    { name: 'consent notice naming the Consent', resource: samtyckesmeddelande() },
    { name: 'the Consent in the same transaction', resource: samtyckesmeddelande({ payload: [{ contentReference: { reference: 'urn:uuid:6a1f3c2e-0b7d-4c39-9a55-2f0e6d1b8c41' } }] }) },
  ],
  invalid: [
    { name: 'no decision referred to', resource: samtyckesmeddelande({ payload: undefined }), expression: 'Communication.payload', message: 'Missing required property' },
    {
      name: 'the decision as text instead of the Consent',
      resource: samtyckesmeddelande({ payload: [{ contentString: 'Samtycke lämnat' }] }),
      expression: 'Communication.payload[0].content',
      message: 'content is of type string, but profile Samtyckesmeddelande allows only Reference',
    },
    { name: 'no patient', resource: samtyckesmeddelande({ subject: undefined }), expression: 'Communication.subject', message: 'Missing required property' },
    {
      name: 'the decision as a questionnaire answer, not a Consent',
      resource: samtyckesmeddelande({ payload: [{ contentReference: { reference: 'QuestionnaireResponse/samtycke-1' } }] }),
      expression: 'Communication.payload[0].content',
      message: 'content refers to QuestionnaireResponse (QuestionnaireResponse/samtycke-1), but profile Samtyckesmeddelande allows only a reference to Consent',
    },
  ],
};

const beraknad = (o: Json = {}): Resource =>
  notice(PROFILE.beraknadUtskrivning, 'beraknad-utskrivning', { extension: [{ url: EXTENSION.estimatedDischarge, valueDateTime: '2025-03-05' }], ...o });

const beraknadUtskrivningExamples: ProfileExamples = {
  profile: PROFILE.beraknadUtskrivning,
  valid: [
    { name: 'estimated discharge date', resource: beraknad() },
    { name: 'estimated discharge date and time', resource: beraknad({ extension: [{ url: EXTENSION.estimatedDischarge, valueDateTime: '2025-03-05T14:00:00+01:00' }] }) },
  ],
  invalid: [
    { name: 'no estimated discharge', resource: beraknad({ extension: undefined }), expression: 'Communication.extension', message: 'Missing required property' },
    {
      name: 'estimated discharge as free text',
      resource: beraknad({ extension: [{ url: EXTENSION.estimatedDischarge, valueString: 'om två-tre dagar' }] }),
      expression: 'Communication.extension[0].value',
      message: "Slice 'estimatedDischarge': value is of type string, but profile BeraknadUtskrivning allows only dateTime",
    },
    {
      name: 'estimated discharge under a vendor extension instead of ours',
      resource: beraknad({ extension: [{ url: 'http://vendor.example.org/fhir/discharge-date', valueDateTime: '2025-03-05' }] }),
      expression: 'Communication.extension',
      message: "slice 'estimatedDischarge'",
    },
    {
      name: 'two estimated discharges',
      resource: beraknad({ extension: [{ url: EXTENSION.estimatedDischarge, valueDateTime: '2025-03-05' }, { url: EXTENSION.estimatedDischarge, valueDateTime: '2025-03-07' }] }),
      expression: 'Communication.extension',
      message: "slice 'estimatedDischarge'",
    },
  ],
};

const ackKind = (code: string) => ({ coding: [{ system: cs('acknowledgement-kind'), code }] });
const kvittens = (code: string, o: Json = {}): Resource =>
  notice(PROFILE.kvittens, 'kvittens', {
    category: [{ coding: [{ system: cs('notice-kind'), code: 'kvittens' }] }, ackKind(code)],
    sender: { reference: 'Organization/orebro-kommun' },
    recipient: [{ reference: 'Organization/avd71' }],
    ...o,
  });

const kvittensExamples: ProfileExamples = {
  profile: PROFILE.kvittens,
  valid: [
    { name: 'acknowledged', resource: kvittens('kvittens') },
    { name: 'not known, with a text', resource: kvittens('ej-kand', { payload: [{ contentString: 'Inga pågående insatser.' }] }) },
    { name: 'rejected: not registered in the kommun', resource: kvittens('avvisning') },
  ],
  invalid: [
    {
      name: 'no kind of reply',
      resource: kvittens('kvittens', { category: [{ coding: [{ system: cs('notice-kind'), code: 'kvittens' }] }] }),
      expression: 'Communication',
      message: 'sg-kv-1',
    },
    {
      name: 'a kind of reply that does not exist',
      resource: kvittens('accepterad'),
      expression: 'Communication',
      message: 'sg-kv-1',
    },
    {
      name: 'two kinds of reply',
      resource: kvittens('kvittens', { category: [{ coding: [{ system: cs('notice-kind'), code: 'kvittens' }] }, ackKind('kvittens'), ackKind('ej-kand')] }),
      expression: 'Communication',
      message: 'sg-kv-1',
    },
  ],
};

const utsedd = (o: Json = {}): Resource =>
  notice(PROFILE.fastVardkontaktUtsedd, 'fast-vardkontakt', {
    sender: { reference: 'Organization/vc-tullhus' },
    recipient: [{ reference: 'Organization/avd71' }, { reference: 'Organization/orebro-kommun' }],
    payload: [{ contentReference: { reference: 'CareTeam/fvk1' } }],
    ...o,
  });

const fastVardkontaktUtseddExamples: ProfileExamples = {
  profile: PROFILE.fastVardkontaktUtsedd,
  valid: [{ name: 'named care contact appointed, the CareTeam referred to', resource: utsedd() }],
  invalid: [
    { name: 'no care contact referred to', resource: utsedd({ payload: undefined }), expression: 'Communication.payload', message: 'Missing required property' },
    {
      name: 'the contact only as text',
      resource: utsedd({ payload: [{ contentString: 'Anna Andersson, distriktssköterska' }] }),
      expression: 'Communication.payload[0].content',
      message: 'content is of type string, but profile FastVardkontaktUtsedd allows only Reference',
    },
    { name: 'no recipient', resource: utsedd({ recipient: undefined }), expression: 'Communication.recipient', message: 'Missing required property' },
  ],
};

const svpl = (o: Json = {}): Resource =>
  notice(PROFILE.kallelseSvpl, 'kallelse-svpl', {
    recipient: [{ reference: 'Organization/orebro-kommun' }, { reference: 'Organization/vc-tullhus' }],
    payload: [{ contentString: 'Kallas: arbetsterapeut, biståndshandläggare. ADL: behöver hjälp vid förflyttning. Närstående: dotter.' }],
    ...o,
  });

const kallelseSvplExamples: ProfileExamples = {
  profile: PROFILE.kallelseSvpl,
  valid: [{ name: 'invitation to discharge planning with its material', resource: svpl() }],
  invalid: [
    { name: 'no planning material', resource: svpl({ payload: undefined }), expression: 'Communication.payload', message: 'Missing required property' },
    {
      name: 'material as a reference, not text',
      resource: svpl({ payload: [{ contentReference: { reference: 'DocumentReference/adl' } }] }),
      expression: 'Communication.payload[0].content',
      message: 'content is of type Reference, but profile KallelseSvpl allows only string',
    },
    { name: 'no vårdtillfälle', resource: svpl({ encounter: undefined }), expression: 'Communication.encounter', message: 'Missing required property' },
  ],
};

const aterkallad = (o: Json = {}): Resource =>
  notice(PROFILE.aterkalladUtskrivningsklar, 'aterkallad-utskrivningsklar', {
    sent: '2025-03-04T07:40:00+01:00',
    payload: [{ contentString: 'Patientens tillstånd har försämrats.' }],
    ...o,
  });

const aterkalladUtskrivningsklarExamples: ProfileExamples = {
  profile: PROFILE.aterkalladUtskrivningsklar,
  valid: [
    { name: 'readiness withdrawn with a reason', resource: aterkallad() },
    { name: 'readiness withdrawn, no reason given', resource: aterkallad({ payload: undefined }) },
  ],
  invalid: [
    { name: 'sent on a date without time of day', resource: aterkallad({ sent: '2025-03-04' }), expression: 'Communication', message: 'sg-auk-1' },
    { name: 'not timestamped', resource: aterkallad({ sent: undefined }), expression: 'Communication.sent', message: 'Missing required property' },
    {
      name: 'the reason as a reference, not text',
      resource: aterkallad({ payload: [{ contentReference: { reference: 'Observation/o1' } }] }),
      expression: 'Communication.payload[0].content',
      message: 'content is of type Reference, but profile AterkalladUtskrivningsklar allows only string',
    },
  ],
};

const sipState = (code: string) => ({ coding: [{ system: cs('sip-status'), code }] });
const sipStatus = (code: string, o: Json = {}): Resource =>
  notice(PROFILE.sipStatusmeddelande, 'sip-status', {
    category: [{ coding: [{ system: cs('notice-kind'), code: 'sip-status' }] }, sipState(code)],
    sender: { reference: 'Organization/vc-tullhus' },
    payload: [{ contentReference: { reference: 'CarePlan/sip1' } }],
    ...o,
  });

const sipStatusmeddelandeExamples: ProfileExamples = {
  profile: PROFILE.sipStatusmeddelande,
  valid: [
    { name: 'SIP drawn up', resource: sipStatus('upprattad') },
    { name: 'SIP closed', resource: sipStatus('avslutad') },
  ],
  invalid: [
    {
      name: 'no state of the plan',
      resource: sipStatus('upprattad', { category: [{ coding: [{ system: cs('notice-kind'), code: 'sip-status' }] }] }),
      expression: 'Communication',
      message: 'sg-sip-1',
    },
    { name: 'a state that does not exist', resource: sipStatus('pausad'), expression: 'Communication', message: 'sg-sip-1' },
    { name: 'no plan referred to', resource: sipStatus('uppfoljd', { payload: undefined }), expression: 'Communication.payload', message: 'Missing required property' },
  ],
};

const kommentar = (o: Json = {}): Resource => notice(PROFILE.kommentar, 'kommentar', { payload: [{ contentString: 'Nytt datum för utskrivning: 2025-03-07.' }], ...o });

const kommentarExamples: ProfileExamples = {
  profile: PROFILE.kommentar,
  valid: [{ name: 'a comment', resource: kommentar() }],
  invalid: [
    { name: 'no text', resource: kommentar({ payload: undefined }), expression: 'Communication.payload', message: 'Missing required property' },
    { name: 'no sender', resource: kommentar({ sender: undefined }), expression: 'Communication.sender', message: 'Missing required property' },
    {
      name: 'another notice kind',
      resource: notice(PROFILE.kommentar, 'vardbegaran', { payload: [{ contentString: 'Nytt datum.' }] }),
      expression: 'Communication.category',
      message: "slice 'noticeKind'",
    },
  ],
};

// --------------------------------------------------------------------- Ready-for-discharge information
const VGR_DOCUMENTS = [
  'epikris',
  'remiss',
  'lakemedelslista',
  'lakemedelsberattelse',
  'status-vid-inskrivning',
  'status-vid-utskrivning',
  'patientens-bedomning',
  'riskbedomningar',
  'vardsammanfattning',
  'komplikationer-avvikelser',
] as const;
let documents = 0;
const documentEntry = (code: string, o: Json = {}): Json => ({
  fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(++documents).padStart(12, '0')}`,
  resource: {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: cs('discharge-information'), code }] },
    subject: { reference: 'Patient/p1' },
    date: '2025-03-03T09:30:00+01:00',
    author: [{ reference: 'Organization/avd71' }],
    content: [{ attachment: { contentType: 'application/pdf', url: `https://journal.example.org/dokument/${code}.pdf` } }],
    context: { encounter: [{ reference: 'Encounter/e1' }] },
    ...o,
  },
});
const information = (profile: string, entry: Json[], o: Json = {}): Resource =>
  res({ resourceType: 'Bundle', meta: { profile: [profile] }, type: 'collection', timestamp: '2025-03-03T10:00:00+01:00', entry, ...o });
const replace = (entries: Json[], i: number, e: Json): Json[] => entries.map((x, j) => (j === i ? e : x));
const someDocuments = [documentEntry('epikris'), documentEntry('lakemedelslista'), documentEntry('remiss')];
const allVgr = VGR_DOCUMENTS.map((c) => documentEntry(c));

const utskrivningsinformationExamples: ProfileExamples = {
  profile: PROFILE.utskrivningsinformation,
  valid: [
    { name: 'epikris, läkemedelslista and remiss', resource: information(PROFILE.utskrivningsinformation, someDocuments) },
    {
      name: 'Örebro: the seven-day treatment plan (yellow ViSam track)',
      resource: information(PROFILE.utskrivningsinformation, [documentEntry('medicinsk-behandlingsplan')]),
    },
  ],
  invalid: [
    {
      name: 'a Patient among the documents',
      resource: information(PROFILE.utskrivningsinformation, [...someDocuments, { fullUrl: 'urn:uuid:00000000-0000-4000-8000-100000000000', resource: { resourceType: 'Patient' } }]),
      expression: 'Bundle',
      message: 'sg-ufi-1',
    },
    {
      name: 'a document of a kind the agreements do not list',
      resource: information(PROFILE.utskrivningsinformation, replace(someDocuments, 2, documentEntry('remiss', { type: { coding: [{ system: 'http://loinc.org', code: '57133-1' }] } }))),
      expression: 'Bundle',
      message: 'sg-ufi-2',
    },
    {
      name: 'a condition (hemgångsklar item) sent as a document',
      resource: information(PROFILE.utskrivningsinformation, [...someDocuments, documentEntry('hjalpmedel-i-hemmet')]),
      expression: 'Bundle',
      message: 'sg-ufi-2',
    },
    {
      name: 'a document without the vårdtillfälle',
      resource: information(PROFILE.utskrivningsinformation, replace(someDocuments, 1, documentEntry('lakemedelslista', { context: undefined }))),
      expression: 'Bundle',
      message: 'sg-ufi-3',
    },
    {
      name: 'a document about another patient',
      resource: information(PROFILE.utskrivningsinformation, replace(someDocuments, 1, documentEntry('lakemedelslista', { subject: { reference: 'Patient/p2' } }))),
      expression: 'Bundle',
      message: 'sg-ufi-4',
    },
    {
      name: 'a superseded document',
      resource: information(PROFILE.utskrivningsinformation, replace(someDocuments, 0, documentEntry('epikris', { status: 'superseded' }))),
      expression: 'Bundle',
      message: 'sg-ufi-5',
    },
    {
      name: 'no timestamp',
      resource: information(PROFILE.utskrivningsinformation, someDocuments, { timestamp: undefined }),
      expression: 'Bundle.timestamp',
      message: 'Missing required property',
    },
    {
      name: 'a searchset, not a collection',
      resource: information(PROFILE.utskrivningsinformation, someDocuments, { type: 'searchset' }),
      expression: 'Bundle.type',
      message: 'pattern',
    },
    { name: 'no documents', resource: information(PROFILE.utskrivningsinformation, [], { entry: undefined }), expression: 'Bundle.entry', message: 'Missing required property' },
  ],
};

const utskrivningsinformationVgrExamples: ProfileExamples = {
  profile: PROFILE.utskrivningsinformationVgr,
  valid: [
    { name: 'the ten documents VGR requires', resource: information(PROFILE.utskrivningsinformationVgr, allVgr) },
    {
      name: 'with the insurance-medicine assessment and two risk assessments',
      resource: information(PROFILE.utskrivningsinformationVgr, [...allVgr, documentEntry('riskbedomningar'), documentEntry('forsakringsmedicinsk-bedomning')]),
    },
  ],
  invalid: [
    {
      name: 'no läkemedelsberättelse',
      resource: information(PROFILE.utskrivningsinformationVgr, allVgr.filter((_e, i) => VGR_DOCUMENTS[i] !== 'lakemedelsberattelse')),
      expression: 'Bundle',
      message: 'sg-ufi-6',
    },
    {
      name: 'only the epikris',
      resource: information(PROFILE.utskrivningsinformationVgr, [documentEntry('epikris')]),
      expression: 'Bundle',
      message: 'sg-ufi-6',
    },
    {
      name: 'complete, but one document entered in error',
      resource: information(PROFILE.utskrivningsinformationVgr, replace(allVgr, 3, documentEntry('lakemedelsberattelse', { status: 'entered-in-error' }))),
      expression: 'Bundle',
      message: 'sg-ufi-5',
    },
  ],
};

// ------------------------------------------------------------------------------ CareTeam, CarePlan, Consent
const participant = { role: [{ text: 'Distriktssköterska' }], member: { reference: 'Practitioner/ds1', display: 'Anna Andersson' }, onBehalfOf: { reference: 'Organization/vc-tullhus' } };
const careTeam = (o: Json = {}): Resource =>
  res({
    resourceType: 'CareTeam',
    meta: { profile: [PROFILE.fastVardkontakt] },
    status: 'active',
    subject: { reference: 'Patient/p1' },
    participant: [participant],
    telecom: [{ system: 'phone', value: '019-000 00 00' }],
    ...o,
  });

const fastVardkontaktExamples: ProfileExamples = {
  profile: PROFILE.fastVardkontakt,
  valid: [{ name: 'named care contact at the vårdcentral', resource: careTeam() }],
  invalid: [
    { name: 'no unit', resource: careTeam({ participant: [{ ...participant, onBehalfOf: undefined }] }), expression: 'CareTeam.participant[0].onBehalfOf', message: 'Missing required property' },
    { name: 'no name', resource: careTeam({ participant: [{ ...participant, member: { reference: 'Practitioner/ds1' } }] }), expression: 'CareTeam.participant[0].member.display', message: 'Missing required property' },
    { name: 'no contact details', resource: careTeam({ telecom: undefined }), expression: 'CareTeam.telecom', message: 'Missing required property' },
    { name: 'no patient', resource: careTeam({ subject: undefined }), expression: 'CareTeam.subject', message: 'Missing required property' },
  ],
};

const activity = { detail: { status: 'scheduled', description: 'Hemtjänst två gånger dagligen', performer: [{ reference: 'Organization/orebro-kommun' }] } };
const carePlan = (o: Json = {}): Resource =>
  res({
    resourceType: 'CarePlan',
    meta: { profile: [PROFILE.samordnadPlan] },
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: cs('plan-type'), code: 'SIP' }] }],
    subject: { reference: 'Patient/p1' },
    period: { start: '2025-03-05' },
    author: { reference: 'PractitionerRole/fast-vardkontakt' },
    activity: [activity],
    ...o,
  });

const samordnadPlanExamples: ProfileExamples = {
  profile: PROFILE.samordnadPlan,
  valid: [
    { name: 'SIP with a kommun action', resource: carePlan() },
    { name: 'LPT/LRV plan', resource: carePlan({ category: [{ coding: [{ system: cs('plan-type'), code: 'SPLPTLRV' }] }] }) },
  ],
  invalid: [
    { name: 'a plan type that is not a coordinated plan', resource: carePlan({ category: [{ coding: [{ system: cs('plan-type'), code: 'VP' }] }] }), expression: 'CarePlan', message: 'sg-plan-1' },
    {
      name: 'an action without a responsible party',
      resource: carePlan({ activity: [{ detail: { ...activity.detail, performer: undefined } }] }),
      expression: 'CarePlan',
      message: 'sg-plan-2',
    },
    { name: 'no author', resource: carePlan({ author: undefined }), expression: 'CarePlan.author', message: 'Missing required property' },
    { name: 'no start', resource: carePlan({ period: { end: '2025-06-01' } }), expression: 'CarePlan.period.start', message: 'Missing required property' },
  ],
};

const decision = (code: string, system: string = cs('consent-status')): Json => ({ url: EXTENSION.consentDecision, valueCoding: { system, code } });
const consent = (o: Json = {}): Resource =>
  res({
    resourceType: 'Consent',
    meta: { profile: [PROFILE.samtycke] },
    extension: [decision('given')],
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: 'Patient/p1' },
    dateTime: '2025-02-27T15:00:00+01:00',
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
    ...o,
  });

const samtyckeExamples: ProfileExamples = {
  profile: PROFILE.samtycke,
  valid: [
    { name: 'consent given', resource: consent() },
    { name: 'consent cannot be obtained', resource: consent({ extension: [decision('cannot-be-obtained')], status: 'inactive' }) },
  ],
  invalid: [
    { name: 'no decision', resource: consent({ extension: undefined }), expression: 'Consent.extension', message: 'Missing required property' },
    {
      name: 'a decision that is not given, refused or cannot be obtained',
      resource: consent({ extension: [decision('maybe')] }),
      expression: 'Consent.extension[0].value',
      message: 'not in the required value set',
    },
    { name: 'no time recorded', resource: consent({ dateTime: undefined }), expression: 'Consent.dateTime', message: 'Missing required property' },
    {
      name: 'not a privacy consent',
      resource: consent({ scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }] } }),
      expression: 'Consent.scope',
      message: 'pattern',
    },
  ],
};

// ---------------------------------------------------------------------------------------- MeasureReport
const UCUM = 'http://unitsofmeasure.org';
const dayQ = (url: string, value: number): Json => ({ url, valueQuantity: { value, unit: 'd', system: UCUM, code: 'd' } });
const sekM = (url: string, value: number, currency = 'SEK'): Json => ({ url, valueMoney: { value, currency } });
const pop = (id: string, code: string, count: number): Json => ({ id, code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code }] }, count });
/** Örebro 1880, March 2022, somatic: mean 22/6 > 3, 7 billable days × 9 300 kr. */
const settlementGroup = (o: { extension?: Json[] } & Json = {}): Json => ({
  id: 'somatic',
  extension: [
    { url: EXTENSION.settlementModel, valueString: 'mean-days' },
    dayQ(EXTENSION.settlementThreshold, 3),
    { url: EXTENSION.settlementLiable, valueBoolean: true },
    dayQ(EXTENSION.settlementBillableDaysAverage, 7),
    dayQ(EXTENSION.settlementBillableDaysIndividual, 0),
    dayQ(EXTENSION.settlementBillableDays, 7),
    sekM(EXTENSION.settlementDailyAmount, 9300),
    { url: EXTENSION.settlementDailyAmountSource, valueString: 'table: 2022' },
    sekM(EXTENSION.settlementAmount, 65100),
    { url: EXTENSION.settlementExplanation, valueString: 'Mean 3.67 > 3: liable; every stay with k > 3 billed k − 3.' },
  ],
  code: { coding: [{ system: cs('settlement-care-type'), code: 'somatic' }], text: 'somatic' },
  population: [pop('initial-population', 'initial-population', 7), pop('numerator', 'numerator', 22), pop('denominator', 'denominator', 6)],
  measureScore: { value: 3.67, unit: 'd', system: UCUM, code: 'd' },
  ...o,
});
const measureReport = (o: Json = {}): Resource =>
  res({
    resourceType: 'MeasureReport',
    meta: { profile: [PROFILE.measureReport] },
    status: 'complete',
    type: 'summary',
    measure: canonical.measure('orebro'),
    subject: { type: 'Organization', identifier: { system: SYSTEM.kommunkod, value: '1880' }, display: 'Örebro' },
    period: { start: '2022-03-01', end: '2022-03-31' },
    group: [settlementGroup()],
    ...o,
  });
const withGroupExtensions = (f: (e: Json[]) => Json[]) => measureReport({ group: [settlementGroup({ extension: f(settlementGroup().extension as Json[]) })] });

const measureReportExamples: ProfileExamples = {
  profile: PROFILE.measureReport,
  valid: [
    { name: 'a kommun liable in the month', resource: measureReport() },
    {
      name: 'a difference report: a credit against a stored version',
      resource: measureReport({
        extension: [{ url: EXTENSION.settlementCorrects, valueReference: { reference: 'MeasureReport/orebro-1880-2022-03/_history/1' } }],
        group: [
          settlementGroup({
            extension: [
              { url: EXTENSION.settlementModel, valueString: 'mean-days' },
              { url: EXTENSION.settlementLiable, valueBoolean: true },
              dayQ(EXTENSION.settlementBillableDaysAverage, -2),
              dayQ(EXTENSION.settlementBillableDaysIndividual, 0),
              dayQ(EXTENSION.settlementBillableDays, -2),
              sekM(EXTENSION.settlementDailyAmount, 9300),
              sekM(EXTENSION.settlementAmount, -18600),
            ],
          }),
        ],
      }),
    },
  ],
  invalid: [
    {
      name: 'not a settlement Measure',
      resource: measureReport({ measure: 'http://example.org/Measure/readmissions' }),
      expression: 'MeasureReport',
      message: 'sg-mr-1',
    },
    {
      name: 'billable days that are not the average part plus the individual part',
      resource: withGroupExtensions((e) => e.map((x) => (x.url === EXTENSION.settlementBillableDays ? dayQ(EXTENSION.settlementBillableDays, 8) : x))),
      expression: 'MeasureReport',
      message: 'sg-mr-4',
    },
    {
      name: 'an amount without the daily amount it was computed with',
      resource: withGroupExtensions((e) => e.filter((x) => x.url !== EXTENSION.settlementDailyAmount)),
      expression: 'MeasureReport',
      message: 'sg-mr-5',
    },
    {
      name: 'a population without a count',
      resource: measureReport({ group: [settlementGroup({ population: [{ code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-population', code: 'denominator' }] } }] })] }),
      expression: 'MeasureReport',
      message: 'sg-mr-3',
    },
    {
      name: 'an amount in euro',
      resource: withGroupExtensions((e) => e.map((x) => (x.url === EXTENSION.settlementAmount ? sekM(EXTENSION.settlementAmount, 65100, 'EUR') : x))),
      expression: 'MeasureReport.group[0].extension[8].value.currency',
      message: "Slice 'amount': the value must be exactly",
    },
    {
      name: 'the subject is not identified by a kommunkod',
      resource: measureReport({ subject: { type: 'Organization', identifier: { system: SYSTEM.lanskod, value: '18' } } }),
      expression: 'MeasureReport.subject.identifier.system',
      message: 'did not match',
    },
  ],
};

// ------------------------------------------- Kvittens: the notice answered; Återkallad: when withdrawn
/** The admission notice a kvittens answers, by its business identifier (a logical reference). */
const answered = (value = 'SE2321000164-E000000007501:SAMSA-7f3a1c02') => ({
  type: 'Communication',
  identifier: { system: IDENTIFIER_SYSTEM.meddelande('samsa'), value },
});
const kvittensInResponseToExamples: ProfileExamples = {
  profile: PROFILE.kvittens,
  valid: [
    { name: 'names the notice it answers by its business identifier', resource: kvittens('kvittens', { inResponseTo: [answered()] }) },
    {
      name: 'by identifier and, once known, a literal reference too',
      resource: kvittens('ej-kand', { inResponseTo: [{ ...answered(), reference: 'Communication/ins1' }] }),
    },
  ],
  invalid: [
    {
      name: 'answers two notices',
      resource: kvittens('kvittens', { inResponseTo: [answered(), answered('SE2321000164-E000000007501:SAMSA-7f3a1c03')] }),
      expression: 'Communication.inResponseTo',
      message: 'expected 0..1, but found 2',
    },
    {
      name: 'the notice answered only by a literal reference',
      resource: kvittens('kvittens', { inResponseTo: [{ reference: 'Communication/ins1' }] }),
      expression: 'Communication',
      message: 'sg-kv-2',
    },
    {
      name: 'the notice answered by an identifier without a value',
      resource: kvittens('kvittens', { inResponseTo: [{ type: 'Communication', identifier: { system: IDENTIFIER_SYSTEM.meddelande('samsa') } }] }),
      expression: 'Communication',
      message: 'sg-kv-2',
    },
  ],
};

const withdrawnAt = (o: Json) => ({ url: EXTENSION.readinessWithdrawn, ...o });
const aterkalladTidpunktExamples: ProfileExamples = {
  profile: PROFILE.aterkalladUtskrivningsklar,
  valid: [
    {
      name: 'withdrawn at 07:15, the notice sent at 07:40',
      resource: aterkallad({ extension: [withdrawnAt({ valueDateTime: '2025-03-04T07:15:00+01:00' })] }),
    },
  ],
  invalid: [
    {
      name: 'withdrawn on a date without time of day',
      resource: aterkallad({ extension: [withdrawnAt({ valueDateTime: '2025-03-04' })] }),
      expression: 'Communication',
      message: 'sg-auk-2',
    },
    {
      name: 'the time withdrawn as free text',
      resource: aterkallad({ extension: [withdrawnAt({ valueString: 'i morse vid ronden, cirka kvart över sju' })] }),
      expression: 'Communication.extension[0].value',
      message: "Slice 'readinessWithdrawn': value is of type string, but profile AterkalladUtskrivningsklar allows only dateTime",
    },
    {
      name: 'withdrawn at two times',
      resource: aterkallad({
        extension: [withdrawnAt({ valueDateTime: '2025-03-04T07:15:00+01:00' }), withdrawnAt({ valueDateTime: '2025-03-04T07:20:00+01:00' })],
      }),
      expression: 'Communication.extension',
      message: "slice 'readinessWithdrawn'",
    },
  ],
};

export const EXAMPLES: readonly ProfileExamples[] = [
  patientExamples,
  organizationExamples,
  encounterExamples,
  samverkansmeddelandeExamples,
  inskrivningsmeddelandeExamples,
  utskrivningsklarExamples,
  utskrivningsmeddelandeExamples,
  kallelseSipExamples,
  vardbegaranExamples,
  samtyckesmeddelandeExamples,
  beraknadUtskrivningExamples,
  kvittensExamples,
  fastVardkontaktUtseddExamples,
  kallelseSvplExamples,
  aterkalladUtskrivningsklarExamples,
  sipStatusmeddelandeExamples,
  kommentarExamples,
  utskrivningsinformationExamples,
  utskrivningsinformationVgrExamples,
  fastVardkontaktExamples,
  samordnadPlanExamples,
  samtyckeExamples,
  measureReportExamples,
  kvittensInResponseToExamples,
  aterkalladTidpunktExamples,
];
