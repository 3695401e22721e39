// Synthetic patients. No real person's personnummer may ever be generated or stored, so a patient is
// either one of the published test persons (identifiers.md: Inera's test environment and Skatteverket's
// open test set) or holds a nationellt reservnummer, which is issued by a care provider when the
// identity is unknown and identifies no person in the population register. Names are obviously made up.
import { luhnCheckDigit } from '../../profiles/identifiers/luhn.ts';
import type { PatientUppgifter } from '../common/handelse.ts';
import type { Rng } from './prng.ts';

export type TestPerson = {
  personnummer: string;
  family: string;
  given: string[];
  /** A fixed home, so that the person's stays agree on where they live. */
  kommunkod: string;
  skyddadIdentitet: NonNullable<PatientUppgifter['skyddadIdentitet']>;
};

/**
 * The published test persons the generator uses. 199002222397 is left out: the test set marks that
 * person as emigrated, and an emigrated person has no folkbokföringskommun to be liable.
 */
export const TEST_PERSONS: readonly TestPerson[] = [
  { personnummer: '195009072553', family: 'Tolvansson', given: ['Tolvan'], kommunkod: '1480', skyddadIdentitet: 'none' },
  { personnummer: '196101182803', family: 'Elvansson', given: ['Elva'], kommunkod: '1880', skyddadIdentitet: 'none' },
  { personnummer: '189002029800', family: 'Testsson', given: ['Testina'], kommunkod: '0680', skyddadIdentitet: 'none' },
  { personnummer: '200302022389', family: 'Provsson', given: ['Provina'], kommunkod: '1080', skyddadIdentitet: 'none' },
  { personnummer: '200001252386', family: 'Exempelsson', given: ['Exempla'], kommunkod: '2380', skyddadIdentitet: 'sekretessmarkering' },
  { personnummer: '189602029812', family: 'Fiktivsson', given: ['Fiktiv'], kommunkod: '1490', skyddadIdentitet: 'skyddadFolkbokforing' },
  { personnummer: '201701012393', family: 'Demosson', given: ['Demo'], kommunkod: '1481', skyddadIdentitet: 'none' },
];

export const STAFF_FAMILY = ['Handläggarsson', 'Kontaktsson', 'Samordnarsson', 'Planerarsson'];
export const STAFF_GIVEN = ['Vårda', 'Stödja', 'Planera', 'Samordna'];

const FAMILY = ['Tolvansson', 'Elvansson', 'Testsson', 'Provsson', 'Exempelsson', 'Fiktivsson', 'Låtsasson', 'Påhittsson', 'Demosson', 'Övningsson', 'Modellsson', 'Syntetsson'];
const GIVEN_F = ['Tolva', 'Elva', 'Testina', 'Provina', 'Exempla', 'Fiktiva', 'Demona', 'Övna', 'Modella', 'Syntia'];
const GIVEN_M = ['Tolvan', 'Elvan', 'Testar', 'Provar', 'Exempel', 'Fiktiv', 'Demo', 'Övar', 'Modell', 'Syntes'];
const STREETS = ['Testgatan', 'Provvägen', 'Exempelgatan', 'Övningsvägen', 'Låtsasgränd', 'Påhittsgatan'];

const LETTER_VALUE: Readonly<Record<string, number>> = { K: 5, M: 7, X: 8 };

/**
 * A nationellt reservnummer `YYYYMMDD` + K/M/X + two-digit serial + Luhn check digit (the format
 * src/profiles/identifiers/reservnummer.ts accepts): K an even serial 06–78, M an odd 07–79, X 80–89.
 */
export function reservnummer(birthDate: string, letter: 'K' | 'M' | 'X', serial: number): string {
  const body = `${birthDate.replaceAll('-', '')}${letter}${String(serial).padStart(2, '0')}`;
  const digits = [...body.slice(2)].map((ch) => LETTER_VALUE[ch] ?? ch.charCodeAt(0) - 48);
  return `${body}${luhnCheckDigit(digits)}`;
}

/** The serials a sex letter may take, in order. */
export function serialsFor(letter: 'K' | 'M' | 'X'): number[] {
  const out: number[] = [];
  if (letter === 'X') for (let s = 80; s <= 89; s++) out.push(s);
  else for (let s = letter === 'K' ? 6 : 7; s <= 79; s += 2) out.push(s);
  return out;
}

export type GeneratedPerson = { letter: 'K' | 'M' | 'X'; birthDate: string; family: string; given: string[]; street: string };

/** Name, sex and birth date of a made-up person; `birthDate` is chosen by the caller (age distribution). */
export function fictitiousPerson(rng: Rng, birthDate: string): GeneratedPerson {
  // X (sex unknown) is rare: reservnummer are mostly issued to unidentified but seen patients.
  const letter = rng.chance(0.01) ? 'X' : rng.chance(0.52) ? 'K' : 'M';
  const given = letter === 'K' ? GIVEN_F : letter === 'M' ? GIVEN_M : [...GIVEN_F, ...GIVEN_M];
  return {
    letter,
    birthDate,
    family: rng.pick(FAMILY),
    given: rng.chance(0.3) ? [rng.pick(given), rng.pick(given)] : [rng.pick(given)],
    street: `${rng.pick(STREETS)} ${rng.int(1, 99)}`,
  };
}
