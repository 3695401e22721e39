// Named, documented parameters of a rule pack. Every **Reading** of agreements.md is one, and so is
// each choice the engine makes where the texts are silent; the settlement result lists them all with
// the value used, so an explanation always says which reading produced a figure.
import { parseDaysHundredths, parseSek } from '../quantity.ts';
import type { Hundredths, Ore } from '../quantity.ts';

export type ParamOrigin =
  /** A **Reading** marked in agreements.md. */
  | 'reading'
  /** A fact of the agreement text, parameterised so that a revision needs no code. */
  | 'agreement'
  /** The engine's own choice where the texts are silent. */
  | 'engine';

type Doc = { name: string; summary: string; origin: ParamOrigin; source: string };

export type ParamSpec =
  | (Doc & { kind: 'enum'; values: readonly string[]; default: string })
  | (Doc & { kind: 'days'; default: Hundredths })
  | (Doc & { kind: 'integer'; default: number })
  | (Doc & { kind: 'boolean'; default: boolean })
  | (Doc & { kind: 'days-by-year'; default: Readonly<Record<number, Hundredths>> })
  | (Doc & { kind: 'sek-by-year'; default: Readonly<Record<number, Ore>> });

export type ParamValue = string | number | boolean | Readonly<Record<number, number>>;
export type ParamValues = Readonly<Record<string, ParamValue>>;

export class SettlementConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettlementConfigError';
  }
}

function byYear(spec: ParamSpec, raw: unknown, parse: (v: number | string) => number | null): Record<number, number> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SettlementConfigError(`parameter ${spec.name}: expected an object of year → value`);
  }
  const out: Record<number, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    const year = Number(k);
    const parsed = typeof v === 'number' || typeof v === 'string' ? parse(v) : null;
    if (!/^\d{4}$/.test(k) || parsed === null) {
      throw new SettlementConfigError(`parameter ${spec.name}: '${k}': ${String(v)} is not a year with a valid value`);
    }
    out[year] = parsed;
  }
  return out;
}

function parseValue(spec: ParamSpec, raw: unknown): ParamValue {
  const bad = (what: string) => new SettlementConfigError(`parameter ${spec.name}: ${what}, got ${JSON.stringify(raw)}`);
  switch (spec.kind) {
    case 'enum':
      if (typeof raw !== 'string' || !spec.values.includes(raw)) throw bad(`expected one of ${spec.values.join(', ')}`);
      return raw;
    case 'days': {
      const h = typeof raw === 'number' || typeof raw === 'string' ? parseDaysHundredths(raw) : null;
      if (h === null) throw bad('expected days with at most two decimals');
      return h;
    }
    case 'integer':
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) throw bad('expected a whole number ≥ 0');
      return raw;
    case 'boolean':
      if (typeof raw !== 'boolean') throw bad('expected true or false');
      return raw;
    case 'days-by-year':
      return byYear(spec, raw, parseDaysHundredths);
    case 'sek-by-year':
      return byYear(spec, raw, parseSek);
  }
}

/** Defaults overlaid with the given values; unknown names and bad values are errors, never ignored. */
export function resolveParameters(specs: readonly ParamSpec[], raw: Readonly<Record<string, unknown>> = {}): ParamValues {
  const out: Record<string, ParamValue> = {};
  for (const s of specs) out[s.name] = s.default;
  for (const [name, value] of Object.entries(raw)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      throw new SettlementConfigError(`unknown parameter ${name}; known: ${specs.map((s) => s.name).join(', ')}`);
    }
    out[name] = parseValue(spec, value);
  }
  return out;
}

/** A parameter's value for display ('3.0 days' is shown as 3, tables as year=value lists). */
export function displayValue(spec: ParamSpec, value: ParamValue): string {
  if (spec.kind === 'days') return `${(value as number) / 100}`;
  if (spec.kind === 'days-by-year' || spec.kind === 'sek-by-year') {
    const entries = Object.entries(value as Record<number, number>);
    if (entries.length === 0) return '(none)';
    return entries.map(([y, v]) => `${y}=${v / 100}`).join(', ');
  }
  return String(value);
}

export type AppliedParameter = {
  name: string;
  value: string;
  isDefault: boolean;
  origin: ParamOrigin;
  summary: string;
};

export function appliedParameters(specs: readonly ParamSpec[], values: ParamValues): AppliedParameter[] {
  return specs.map((s) => {
    const value = values[s.name] ?? s.default;
    return {
      name: s.name,
      value: displayValue(s, value),
      isDefault: displayValue(s, value) === displayValue(s, s.default),
      origin: s.origin,
      summary: s.summary,
    };
  });
}
