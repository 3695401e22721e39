// Synthetic discharge episodes: generator, parties, patients and per-source rendering.
export { daysReadyToDischarge, episodeStream, generateEpisodes, SYSTEMS } from './generator.ts';
export type { GenerateRequest, GeneratorOptions, SyntheticEpisode, SyntheticFacts, SyntheticMessage } from './generator.ts';
export { forSource, inSendingOrder, toOwnSources, toSourceMessages } from './kallor.ts';
export type { Renderer } from './kallor.ts';
export type { SourceMessage } from './kallor.ts';
export { AGREEMENT_REGIONS, isAgreementLanskod, kommunerInLan, kommunWeight, NATIONAL } from './kommuner.ts';
export type { AgreementLanskod } from './kommuner.ts';
export { homeParties, lanskodOfIssuer, REGION_PARTIES, regionIssuer } from './parter.ts';
export { reservnummer, TEST_PERSONS } from './patienter.ts';
export { createRng } from './prng.ts';
export type { Rng } from './prng.ts';
