import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ASYLUM_SEEKERS_KOMMUNKOD,
  allKommuner,
  allLan,
  isKommunkod,
  isKommunkodCode,
  isLanskod,
  kommunByKod,
  lanByKod,
  regionForKommun,
  regionForLan,
} from '../../../src/profiles/identifiers/index.ts';
import { DEFAULT_CSV, OUTPUT, parseKommunerCsv, renderKommunerModule } from '../../../scripts/gen-kommuner.ts';

describe('kommuner and län', () => {
  it('has all 290 kommuner and 21 län, each kommun in a known län', () => {
    expect(allKommuner()).toHaveLength(290);
    expect(allLan()).toHaveLength(21);
    expect(new Set(allKommuner().map((k) => k.kod)).size).toBe(290);
    for (const k of allKommuner()) {
      expect(k.kod).toMatch(/^\d{4}$/);
      expect(k.kod.startsWith(k.lanskod)).toBe(true);
      expect(lanByKod(k.lanskod), k.kod).toBeDefined();
    }
  });

  it.each([
    ['0180', 'Stockholm', '01', 'Stockholms län', 'Region Stockholm'],
    ['1480', 'Göteborg', '14', 'Västra Götalands län', 'Västra Götalandsregionen'],
    ['1880', 'Örebro', '18', 'Örebro län', 'Region Örebro län'],
    ['2380', 'Östersund', '23', 'Jämtlands län', 'Region Jämtland Härjedalen'],
    ['0680', 'Jönköping', '06', 'Jönköpings län', 'Region Jönköpings län'],
  ])('%s is %s in %s (%s), region %s', (kod, name, lanskod, lanName, region) => {
    expect(isKommunkod(kod)).toBe(true);
    expect(kommunByKod(kod)).toEqual({ kod, name, lanskod });
    expect(lanByKod(lanskod)?.name).toBe(lanName);
    expect(regionForLan(lanskod)).toEqual({ name: region, lanskod });
    expect(regionForKommun(kod)?.name).toBe(region);
  });

  it('has the kommun counts of the five agreements', () => {
    const count = (lanskod: string) => allKommuner().filter((k) => k.lanskod === lanskod).length;
    expect([count('18'), count('23'), count('10'), count('06'), count('14')]).toEqual([12, 8, 5, 13, 49]);
  });

  it('gives every län a region, and Region Gotland is the kommun 0980', () => {
    for (const lan of allLan()) expect(regionForLan(lan.kod)?.name, lan.kod).toMatch(/Region|regionen/);
    expect(regionForLan('09')).toEqual({ name: 'Region Gotland', lanskod: '09', kommunkod: '0980' });
    expect(kommunByKod('0980')?.name).toBe('Gotland');
  });

  it.each(['0000', '9999', '0100', '180', '01800', '', 'abcd', 'constructor', '__proto__'])('%j is not a kommunkod', (kod) => {
    expect(isKommunkod(kod)).toBe(false);
    expect(isKommunkodCode(kod)).toBe(false);
    expect(kommunByKod(kod)).toBeUndefined();
    expect(regionForKommun(kod)).toBeUndefined();
  });

  it('treats 9901 (asylum seekers) as a code of the system but not as a kommun', () => {
    expect(ASYLUM_SEEKERS_KOMMUNKOD).toBe('9901');
    expect(isKommunkod('9901')).toBe(false);
    expect(isKommunkodCode('9901')).toBe(true);
    expect(kommunByKod('9901')).toBeUndefined();
  });

  it('knows the län codes and only those', () => {
    expect(isLanskod('18')).toBe(true);
    for (const kod of ['00', '02', '11', '15', '16', '26', '1', '180']) expect(isLanskod(kod), kod).toBe(false);
    expect(regionForLan('02')).toBeUndefined();
  });
});

describe('scripts/gen-kommuner.ts', () => {
  it.skipIf(!existsSync(DEFAULT_CSV))('the committed module matches the shared CSV', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(renderKommunerModule(readFileSync(DEFAULT_CSV, 'utf8')));
  });

  it('refuses a broken CSV', () => {
    const header = 'kommunkod,kommun,lanskod,lan\n';
    expect(() => parseKommunerCsv('kod,namn\n')).toThrow(/header/);
    expect(() => parseKommunerCsv(`${header}0180,Stockholm,03,Uppsala län\n`)).toThrow(/not in län/);
    expect(() => parseKommunerCsv(`${header}0180,Stockholm,01,Stockholms län\n0180,Stockholm,01,Stockholms län\n`)).toThrow(
      /duplicate/,
    );
    expect(() => renderKommunerModule(`${header}0180,Stockholm,01,Stockholms län\n`)).toThrow(/290/);
  });
});
