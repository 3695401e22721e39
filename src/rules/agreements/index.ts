// The rule packs by agreement id.
import type { AgreementId } from './catalog.ts';
import type { RulePack } from './types.ts';
import { law } from './law.ts';
import { orebro } from './orebro.ts';
import { jamtlandHarjedalen } from './jamtland-harjedalen.ts';
import { blekinge } from './blekinge.ts';
import { vastraGotaland } from './vastra-gotaland.ts';
import { jonkoping } from './jonkoping.ts';

export const RULE_PACKS: Readonly<Record<AgreementId, RulePack>> = {
  law,
  orebro,
  'jamtland-harjedalen': jamtlandHarjedalen,
  blekinge,
  'vastra-gotaland': vastraGotaland,
  jonkoping,
};

export { AGREEMENTS, AGREEMENT_IDS, isAgreementId } from './catalog.ts';
export type { AgreementId, AgreementMeta } from './catalog.ts';
export type { RulePack } from './types.ts';
