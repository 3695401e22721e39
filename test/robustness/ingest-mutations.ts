// Seeded mutations of source messages (text, JSON members, lines), for the ingest fuzz.
import type { RawMessage } from '../ingest/fixtures.ts';
import type { Rng } from './helpers.ts';

const NASTY = ['', '\u0000', '\r', '\n', '|', '^', '~', '\\', '&', '<', '>', '"', "'", '{', '}', '[', ']', ':', ',', '\uD800', '\uFFFF', 'é', '__proto__', 'constructor', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', 'MSH|^~\\&|', '9'.repeat(40), '-1', '1e309', 'null', 'true', 'x'.repeat(5000)];

function randomText(r: Rng): string {
  if (r.chance(0.5)) return r.pick(NASTY);
  let s = '';
  const n = 1 + r.int(12);
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.chance(0.8) ? 32 + r.int(95) : r.int(0x2fff));
  return s;
}

function randomJson(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 5 : 7)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5) ? r.int(1e6) - 5e5 : r.next() * 1e12;
    case 2:
      return r.chance(0.5);
    case 3:
    case 4:
      return randomText(r);
    case 5:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.chance(0.2) ? '__proto__' : randomText(r), randomJson(r, depth + 1)]));
  }
}

/** Replaces, deletes or adds one member somewhere in a JSON value (in place). */
function mutateJson(value: unknown, r: Rng): void {
  let node = value as Record<string, unknown>;
  for (let d = 0; d < 6; d++) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const k = r.pick(keys);
    const child = node[k];
    if (child && typeof child === 'object' && r.chance(0.7)) {
      node = child as Record<string, unknown>;
      continue;
    }
    const op = r.int(3);
    if (op === 0) delete node[k];
    else if (op === 1) node[k] = randomJson(r);
    else node[randomText(r)] = randomJson(r);
    return;
  }
  node[randomText(r)] = randomJson(r);
}

/** A text-level mutation: delete, insert, replace, duplicate, truncate or swap lines. */
function mutateText(text: string, r: Rng): string {
  const at = r.int(text.length + 1);
  const len = 1 + r.int(Math.min(40, Math.max(1, text.length - at)));
  switch (r.int(6)) {
    case 0:
      return text.slice(0, at) + text.slice(at + len);
    case 1:
      return text.slice(0, at) + randomText(r) + text.slice(at);
    case 2:
      return text.slice(0, at) + randomText(r) + text.slice(at + len);
    case 3:
      return text.slice(0, at) + text.slice(at, at + len).repeat(2 + r.int(3)) + text.slice(at + len);
    case 4:
      return text.slice(0, at);
    default: {
      const lines = text.split(/(?<=\r|\n)/);
      if (lines.length > 1) {
        const i = r.int(lines.length);
        const j = r.int(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return lines.join('');
    }
  }
}

export function mutate(base: RawMessage, r: Rng): RawMessage {
  let body = base.body;
  const rounds = 1 + r.int(3);
  for (let i = 0; i < rounds; i++) {
    if (base.contentType === 'application/json' && r.chance(0.6)) {
      try {
        const value = JSON.parse(body) as unknown;
        mutateJson(value, r);
        body = JSON.stringify(value);
        continue;
      } catch {
        // Already broken by an earlier round: text mutations from here.
      }
    }
    body = mutateText(body, r);
  }
  const contentType = r.chance(0.03) ? r.pick(['text/csv', 'application/json', 'application/xml', '']) : base.contentType;
  return { ...base, body, contentType };
}
