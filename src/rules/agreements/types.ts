// The shape every rule pack has: its agreement, its documented parameters and how it settles one
// kommun's month. The engine (../settle.ts) does the grouping, the money and the output.
import type { AgreementMeta } from './catalog.ts';
import type { ParamSpec, ParamValues } from './parameters.ts';
import type { GroupCareType } from '../episode.ts';
import type { GroupDraft } from '../evaluation.ts';
import type { PreparedEpisode } from '../prepare.ts';

export type KommunInput = {
  month: string;
  kommunkod: string;
  /** Stays governed by this agreement, liable to this kommun, discharged in `month`; sorted by id. */
  episodes: readonly PreparedEpisode[];
  /** The same for any earlier month of the input (Blekinge's history); sorted by id. */
  history: (month: string) => readonly PreparedEpisode[];
  /** Earliest discharge month in the input among stays governed by this agreement, or null. */
  historyStart: string | null;
  params: ParamValues;
};

export type RulePack = {
  meta: AgreementMeta;
  parameters: readonly ParamSpec[];
  /** The groups a month is settled in: ['all'] or ['somatic', 'psychiatric']. */
  groups: (month: string, params: ParamValues) => GroupCareType[];
  settleKommun: (input: KommunInput) => GroupDraft[];
};
