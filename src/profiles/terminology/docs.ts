// Renders docs/terminology.md from the terminology itself, so the document cannot drift from the codes
// (test/profiles/terminology/docs.test.ts compares them and rewrites the file when UPDATE_DOCS=1).
import type { ValueSet } from '@medplum/fhirtypes';
import { CODE_SYSTEM_SPECS, EXTERNAL_CODE_SYSTEM_SPECS, VS, allValueSets } from './catalog.ts';
import { canonical } from '../canonical.ts';

const INTRO = `# Terminology

The CodeSystems and ValueSets samverkan-gateway owns, under the one canonical base
(\`src/profiles/canonical.ts\`). Source: \`src/profiles/terminology/\`; this file is generated from it
(\`renderTerminologyDoc()\`, checked by \`test/profiles/terminology/docs.test.ts\`).

* Every CodeSystem the project owns is \`status: active\`, \`content: complete\`, case-sensitive, version ${'`'}VERSION${'`'}. Each concept has
  a Swedish \`display\`, an English \`definition\`, an English designation (\`language: en\`) and a \`source\`
  property naming where it comes from (agreements.md section, law, RIVTA).
* Every CodeSystem of the project has a ValueSet of all its codes **at the same name**
  (\`…/CodeSystem/notice-kind\` ↔ \`…/ValueSet/notice-kind\`), plus the subsets listed below.
* URLs and codes are stable once published: profiles bind to them. A change of meaning is a new code.
* Codes are ASCII: Swedish words without diacritics for Swedish process terms (notice kinds, party kinds,
  discharge information, compulsory care), the settlement engine's English codes where \`src/rules\`
  already had them (care type, exclusion reasons, episode status, billing part), and the RIVTA codes
  unchanged for plan types.
* **External code systems held in full** (their sections follow the project's): ISO 4217 currency codes at ISO's URL
  \`urn:iso:std:iso:4217\`, so that Money.currency, bound (required) to R4's
  \`http://hl7.org/fhir/ValueSet/currencies\`, is verified (the settlement amounts are SEK) and a code not in the
  list is refused, by the validator and by \`$validate-code\`. Not the project's codes: ISO's codes and English
  names, no version or ValueSet of ours, served, registered and packaged with the project's own.
* **Kommunkod and länskod have no CodeSystem or ValueSet here.** They are identifier systems
  (\`urn:oid:1.2.752.129.2.2.1.17\`, \`urn:oid:1.2.752.129.2.2.1.18\`, SCB) checked against all 290
  kommuner and 21 län by \`src/profiles/identifiers\` on every write.

## Operations

Pure functions in \`src/profiles/terminology/operations.ts\`; HTTP handlers in
\`src/gateway/http/terminology-ops.ts\` (GET with query parameters, POST with a \`Parameters\` body), routed by
\`src/gateway/http/conformance-ops.ts\` at \`/fhir\`. The CodeSystems and ValueSets themselves are read there too,
read-only: \`CodeSystem/{id}\`, \`ValueSet?url={canonical}\`, \`ValueSet\` lists them (\`docs/profiles.md\`, "Reading
them over REST").

| Operation | Input | Output |
|---|---|---|
| \`CodeSystem/$lookup\` | \`system\` + \`code\` (or \`coding\`), \`property\`* | \`Parameters\`: \`name\`, \`version\`, \`display\`, \`definition\`, \`designation\`*, \`property\`* (\`parent\`, \`child\`, the concept's properties) |
| \`CodeSystem/$validate-code\`, \`CodeSystem/[id]/$validate-code\` | \`url\` (or \`system\`), \`code\` (or \`coding\`), \`display\`? | \`Parameters\`: \`result\`, \`message\` when false, \`display\` |
| \`ValueSet/$validate-code\`, \`ValueSet/[id]/$validate-code\` | \`url\`, \`code\` + \`system\`? (or \`coding\`, or \`codeableConcept\` in POST), \`display\`? | as above; a CodeableConcept is valid when one of its codings is |
| \`ValueSet/$expand\`, \`ValueSet/[id]/$expand\` | \`url\`, \`filter\`? (case-insensitive text in code, display or designation), \`count\`?, \`offset\`? | the \`ValueSet\` (without \`compose\`) with \`expansion.total\`, \`offset\`, \`parameter\`, \`contains\` in the order the ValueSet lists its codes, else the CodeSystem's |

A display is accepted when it is the Swedish display or any designation (so the English names, and the
settlement engine's English displays, validate). Errors are an \`OperationOutcome\`: 400 for a missing or
malformed parameter, 404 for an unknown CodeSystem, ValueSet or (for \`$lookup\`) code, 422 when the answer
cannot be given locally (a CodeSystem not held in full, a ValueSet whose codes cannot be enumerated, an
expansion over ${'`'}MAX${'`'} codes without \`count\`). The R4 CodeSystems and ValueSets the validator indexes are
served too when the gateway passes them in; membership is decided by the validator's own expansion code, so
\`$validate-code\` and a required binding always agree.

Wiring: \`validator.registerTerminology(allTerminology())\` makes required bindings to these ValueSets
checkable (without it a binding to them is only a warning); \`terminologyRequest(method, type, op, queryPairs,
body, { id })\` from \`src/gateway/http/terminology-ops.ts\` answers the operations, and
\`isTerminologyOperation(type, op, instance)\` says which paths are operations.
`;

function table(rows: string[][]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return rows.map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}

function subsetLine(vs: ValueSet): string {
  const codes = (vs.compose?.include ?? []).flatMap((i) => (i.concept ?? []).map((c) => `\`${c.code}\``));
  return `* \`${vs.url}\`: ${vs.title}. ${vs.description} Codes: ${codes.join(', ')}.`;
}

export function renderTerminologyDoc(version: string, maxUnpaged: number): string {
  const out: string[] = [INTRO.replace('`VERSION`', `\`${version}\``).replace('`MAX`', String(maxUnpaged))];
  out.push('## URLs\n');
  out.push(
    table([
      ['CodeSystem', 'ValueSet (all codes)'],
      ['---', '---'],
      ...CODE_SYSTEM_SPECS.map((s) => [canonical.codeSystem(s.name), canonical.valueSet(s.name)]),
      ...EXTERNAL_CODE_SYSTEM_SPECS.map((s) => [`${s.url} (external)`, `${s.valueSet} (R4's)`]),
    ]),
  );
  out.push('\nSubsets:\n');
  const all = new Set(CODE_SYSTEM_SPECS.map((s) => canonical.valueSet(s.name)));
  const subsets = allValueSets().filter((v) => !all.has(v.url as string));
  out.push(subsets.map(subsetLine).join('\n'));
  for (const spec of CODE_SYSTEM_SPECS) {
    out.push(`\n## ${spec.title}\n`);
    out.push(`\`${canonical.codeSystem(spec.name)}\` — ${spec.description}\n`);
    const extra = (spec.properties ?? []).map((p) => p.code);
    const head = ['Code', 'Display (sv)', 'English', 'Definition', ...extra, 'Source'];
    const rows = spec.concepts.map((c) => {
      const props = extra.map((k) => {
        const v = c.properties?.[k];
        return v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v);
      });
      return [`\`${c.code}\``, c.display, c.en, c.definition, ...props, c.source];
    });
    out.push(table([head, head.map(() => '---'), ...rows]));
  }
  for (const spec of EXTERNAL_CODE_SYSTEM_SPECS) {
    out.push(`\n## ${spec.title} (external)\n`);
    out.push(`\`${spec.url}\` — ${spec.description} All its codes: \`${spec.valueSet}\`. Source: ${spec.source}. ${spec.copyright}\n`);
    const extra = (spec.properties ?? []).map((p) => p.code);
    const head = ['Code', 'Display (the owner\'s)', ...extra];
    const rows = spec.concepts.map((c) => [`\`${c.code}\``, c.display, ...extra.map((k) => String(c.properties?.[k] ?? ''))]);
    out.push(table([head, head.map(() => '---'), ...rows]));
  }
  out.push(`\n## ValueSet URLs by purpose\n`);
  out.push(table([['Key (VS.…)', 'URL'], ['---', '---'], ...Object.entries(VS).map(([k, u]) => [`\`${k}\``, u])]));
  return out.join('\n') + '\n';
}
