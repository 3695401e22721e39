// The settlement input: one Episode per inpatient stay (vårdtillfälle), with exactly the facts the
// `samverkan settle` input carries. The FHIR timeline extraction (Encounter + Communications) produces
// the same shape. Times are ISO 8601 text (no offset = Europe/Stockholm wall-clock time); null means
// the notice was never sent.

export const CARE_TYPES = ['somatic', 'psychiatric'] as const;
export type CareType = (typeof CARE_TYPES)[number];

/** Care type of a settlement group: 'all' where the agreement does not separate them. */
export type GroupCareType = CareType | 'all';

/** Notice 8 (utskrivningsklar) or notice 9 (återkallad utskrivningsklar), when the history is known. */
export type ReadinessNotice = { kind: 'ready' | 'withdrawn'; at: string };

export type Episode = {
  episode_id: string;
  /** Folkbokföringskommun (SCB, 4 digits). */
  kommunkod: string;
  care_type: CareType;
  admitted_at: string | null;
  /** Notice 2, inskrivningsmeddelande. */
  admission_notice_at: string | null;
  /** Notice 4, beräknad utskrivning / vårdtidsbedömning. */
  estimated_discharge_notice_at: string | null;
  /** Notice 8, utskrivningsklar: the one that stands (a withdrawal voids earlier ones). */
  ready_at: string | null;
  /** Notice 11, utskrivningsmeddelande: the patient left. Null while still admitted. */
  discharged_at: string | null;
  /** A SIP (samordnad individuell plan) is needed. */
  sip_required: boolean;
  /** Notice 10, kallelse till SIP. */
  sip_invitation_at: string | null;
  /** Notice 6, fast vårdkontakt utsedd. */
  care_contact_at: string | null;
  /** Hemgångsklar (Örebro) / säker utskrivning (Blekinge) ensured. */
  home_ready: boolean;
  /** Only the kommun's social services are involved (Örebro waives the fast vårdkontakt). */
  social_services_only: boolean;
  /** The patient cannot leave because region-funded outpatient services are unavailable or unclear (law 5:5). */
  outpatient_unavailable: boolean;
  /** The kommun that placed the patient in housing elsewhere; it pays instead (law 5:2). */
  placing_kommunkod?: string | null;
  /** Länskod (2 digits) of the hospital's region, when known. Unknown = the liable kommun's own region. */
  hospital_lanskod?: string | null;
  /**
   * The history of notices 8 and 9, when known. When given it decides the readiness and `ready_at`
   * is only cross-checked against it.
   */
  readiness_notices?: readonly ReadinessNotice[];
};

/** The kommun that pays: the placing kommun when there is one, else the kommun of registration. */
export function liableKommun(e: Pick<Episode, 'kommunkod' | 'placing_kommunkod'>): string {
  return e.placing_kommunkod || e.kommunkod;
}
