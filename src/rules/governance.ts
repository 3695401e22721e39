// Which agreement governs a stay (architecture: "the one between the hospital's region and the liable
// kommun; where none exists, the law's default"). The liable kommun's län picks the agreement; a hospital
// in another region, a kommun outside the five regions, or a month before the agreement's economic model
// applies leaves the stay under the law.
import { AGREEMENTS, agreementForLan } from './agreements/catalog.ts';
import type { AgreementId } from './agreements/catalog.ts';
import { kommunInfo } from './kommuner.ts';

export type Governance = { agreement: AgreementId; reason: string };

/** The governing agreement's id only: the hot path of indexing, with no text built. */
export function governingAgreementId(
  liableKommunkod: string,
  hospitalLanskod: string | null | undefined,
  month: string,
): AgreementId {
  const kommun = kommunInfo(liableKommunkod);
  if (!kommun) return 'law';
  const meta = agreementForLan(kommun.lanskod);
  if (!meta || (hospitalLanskod && hospitalLanskod !== kommun.lanskod) || month < meta.settlesFrom) return 'law';
  return meta.id;
}

export function governingAgreement(
  liableKommunkod: string,
  hospitalLanskod: string | null | undefined,
  month: string,
): Governance {
  const kommun = kommunInfo(liableKommunkod);
  if (!kommun) return { agreement: 'law', reason: `kommun ${liableKommunkod} is not one of the 290 kommuner` };
  const meta = agreementForLan(kommun.lanskod);
  if (!meta) {
    return { agreement: 'law', reason: `no agreement between ${kommun.name} (län ${kommun.lanskod}) and its region` };
  }
  if (hospitalLanskod && hospitalLanskod !== kommun.lanskod) {
    return {
      agreement: 'law',
      reason: `the hospital's region (län ${hospitalLanskod}) is not a party to ${meta.id} (län ${kommun.lanskod})`,
    };
  }
  if (month < meta.settlesFrom) {
    return {
      agreement: 'law',
      reason: `${meta.id}'s economic model applies from ${meta.settlesFrom}; ${month} falls under the law`,
    };
  }
  return { agreement: meta.id, reason: `${kommun.name} is in län ${kommun.lanskod}, party to ${AGREEMENTS[meta.id].title}` };
}
