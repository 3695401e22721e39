// Bad input of every shape gets a 4xx FHIR OperationOutcome that names the problem: never a 5xx, never a
// stack trace; and the server keeps answering normal requests afterwards. Then a seeded fuzz.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/db.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectNoInternals, expectOutcome, FHIR_JSON, rawExchange, send, type Answer, type Expectation } from './helpers.ts';
import { fuzzCase, validBundle, validEncounter, validPatient } from './fuzz.ts';

const TAG = 'urn:test:robustness';
const MB = 1024 * 1024;

interface Case extends Expectation {
  name: string;
  method?: string;
  /** Path under the FHIR base (may include a query). */
  path: string;
  body?: string;
  /** Content-Type; undefined means FHIR JSON when there is a body, null means none at all. */
  type?: string | null;
  headers?: Record<string, string>;
}

const json = (v: unknown) => JSON.stringify(v);
const patient = (extra: Record<string, unknown>) => json({ resourceType: 'Patient', ...extra });
const encounter = (extra: Record<string, unknown>) =>
  json({ resourceType: 'Encounter', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' }, ...extra });
const deepArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObjects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** Cases that need no existing resource. `{id}` in a path is replaced by an existing Patient's id. */
const CASES: Case[] = [
  // ---- not JSON, or not a resource -----------------------------------------------------------
  { name: 'malformed JSON', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient",', status: 400, says: /not valid JSON/ },
  { name: 'malformed JSON: single quotes', method: 'POST', path: 'Patient', body: "{'resourceType':'Patient'}", status: 400, says: /not valid JSON/ },
  { name: 'malformed JSON: trailing garbage', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient"} x', status: 400, says: /not valid JSON/ },
  { name: 'empty body', method: 'POST', path: 'Patient', body: '', status: 400, says: /empty/ },
  { name: 'whitespace body', method: 'POST', path: 'Patient', body: ' \n\t ', status: 400, says: /empty/ },
  { name: 'JSON array', method: 'POST', path: 'Patient', body: '[]', status: 400, says: /JSON object/ },
  { name: 'JSON string', method: 'POST', path: 'Patient', body: '"Patient"', status: 400, says: /JSON object/ },
  { name: 'JSON null', method: 'POST', path: 'Patient', body: 'null', status: 400, says: /JSON object/ },
  { name: 'JSON number', method: 'POST', path: 'Patient', body: '42', status: 400, says: /JSON object/ },
  { name: 'JSON array on update', method: 'PUT', path: 'Patient/{id}', body: '[{"resourceType":"Patient"}]', status: 400, says: /JSON object/ },
  { name: 'binary garbage', method: 'POST', path: 'Patient', body: '\u0000\u0001\u00ff\ufffd{', status: 400, says: /not valid JSON/ },
  { name: 'invalid UTF-16 (lone surrogate) in a string', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient","name":[{"family":"\\ud800"}]}', status: 400, says: /Unicode|surrogate/i, expression: /name/ },
  { name: 'lone surrogate in a key', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient","\\udc00":1}', status: 400, says: /Unicode|surrogate/i },
  { name: 'NUL character in a uri (identifier.system, an indexed value)', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient","identifier":[{"system":"\\u0000","value":"x"}]}', status: 400, says: /NUL/, expression: 'Patient.identifier[0].system' },
  { name: 'NUL character in an extension url', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient","extension":[{"url":"urn:\\u0000","valueString":"x"}]}', status: 400, says: /NUL/, expression: 'Patient.extension[0].url' },
  { name: 'NUL character in a key', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient","a\\u0000":1}', status: 400, says: /NUL/ },
  { name: 'NUL character in a string', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient","name":[{"family":"a\\u0000b"}]}', says: /NUL|string/i, expression: /name/ },

  // ---- nesting --------------------------------------------------------------------------------
  { name: '10 000-deep arrays', method: 'POST', path: 'Patient', body: deepArrays(10_000), status: 400, says: /nesting/ },
  { name: '10 000-deep objects', method: 'POST', path: 'Patient', body: deepObjects(10_000), status: 400, says: /nesting/ },
  { name: '10 000-deep nesting inside a valid resource', method: 'POST', path: 'Patient', body: `{"resourceType":"Patient","extension":${deepArrays(10_000)}}`, status: 400, says: /nesting/ },
  { name: '1 000 000-deep unbalanced brackets', method: 'POST', path: 'Patient', body: '['.repeat(1_000_000), status: 400, says: /nesting/ },
  { name: '10 000-deep nesting in a Bundle', method: 'POST', path: '', body: `{"resourceType":"Bundle","type":"transaction","entry":${deepArrays(10_000)}}`, status: 400, says: /nesting/ },
  { name: '10 000-deep nesting in a JSON Patch', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: deepArrays(10_000), status: 400, says: /nesting/ },
  { name: '10 000-deep nesting in $validate', method: 'POST', path: 'Patient/$validate', body: deepObjects(10_000), status: 400, says: /nesting/ },

  // ---- resourceType ---------------------------------------------------------------------------
  { name: 'resourceType of another type than the URL', method: 'POST', path: 'Patient', body: encounter({}), status: 400, says: /resourceType is Encounter/, expression: 'resourceType' },
  { name: 'unknown resourceType in the body', method: 'POST', path: 'Patient', body: json({ resourceType: 'Spaceship' }), status: 400, says: /Spaceship/, expression: 'resourceType' },
  { name: 'resourceType missing', method: 'POST', path: 'Patient', body: json({ name: [{ family: 'X' }] }), status: 400, says: /resourceType is missing/, expression: 'resourceType' },
  { name: 'resourceType not a string', method: 'POST', path: 'Patient', body: json({ resourceType: ['Patient'] }), status: 400, says: /resourceType/, expression: 'resourceType' },
  { name: 'resourceType of another type on update', method: 'PUT', path: 'Patient/{id}', body: encounter({ id: 'x' }), status: 400, says: /resourceType is Encounter/, expression: 'resourceType' },
  { name: 'unknown type in the URL', method: 'POST', path: 'Spaceship', body: json({ resourceType: 'Spaceship' }), status: 404, says: /Unknown resource type 'Spaceship'/ },
  { name: 'unknown type in the URL (read)', path: 'Spaceship/1', status: 404, says: /Unknown resource type/ },
  { name: 'known but unserved type', method: 'POST', path: 'Observation', body: json({ resourceType: 'Observation' }), status: 404, says: /not served/ },
  { name: 'lower-case type in the URL', path: 'patient?name=x', status: 404, says: /Unknown resource type 'patient'/ },

  // ---- elements and types (422, with the element in expression) --------------------------------
  { name: 'unknown element', method: 'POST', path: 'Patient', body: patient({ favouriteColour: 'blue' }), status: 422, says: /favouriteColour/, expression: 'Patient.favouriteColour' },
  { name: 'unknown nested element', method: 'POST', path: 'Patient', body: patient({ name: [{ family: 'X', nickname: 'Y' }] }), status: 422, says: /nickname/, expression: /Patient\.name(\[0\])?\.nickname/ },
  { name: 'unknown element named like an Object property (constructor)', method: 'POST', path: 'Patient', body: patient({ constructor: { x: 1 } }), status: 422, says: /constructor/, expression: 'Patient.constructor' },
  { name: 'unknown element __proto__', method: 'POST', path: 'Patient', body: '{"resourceType":"Patient","__proto__":{"active":true}}', status: 422, says: /__proto__/, expression: 'Patient.__proto__' },
  { name: 'string for boolean', method: 'POST', path: 'Patient', body: patient({ active: 'yes' }), status: 422, says: /boolean/, expression: 'Patient.active' },
  { name: 'number for string', method: 'POST', path: 'Patient', body: patient({ name: [{ family: 42 }] }), status: 422, says: /string/, expression: /Patient\.name(\[0\])?\.family/ },
  { name: 'object for string', method: 'POST', path: 'Patient', body: patient({ name: [{ family: { text: 'X' } }] }), status: 422, says: /string|text/, expression: /Patient\.name(\[0\])?\.family/ },
  { name: 'empty object for a code', method: 'POST', path: 'Patient', body: patient({ gender: {} }), status: 422, says: /string|object|primitive/i, expression: 'Patient.gender' },
  { name: 'object for a code', method: 'POST', path: 'Patient', body: patient({ gender: { code: 'male' } }), status: 422, says: /string|object|code/i, expression: /Patient\.gender/ },
  { name: 'number for date', method: 'POST', path: 'Patient', body: patient({ birthDate: 19500907 }), status: 422, says: /string/, expression: 'Patient.birthDate' },
  { name: 'single value for an array', method: 'POST', path: 'Patient', body: patient({ name: { family: 'X' } }), status: 422, says: /array/, expression: 'Patient.name' },
  { name: 'array for a single value', method: 'POST', path: 'Patient', body: patient({ gender: ['male'] }), status: 422, says: /single value|array/i, expression: 'Patient.gender' },
  { name: 'null value', method: 'POST', path: 'Patient', body: patient({ gender: null }), status: 422, says: /null/, expression: 'Patient.gender' },
  { name: 'empty array', method: 'POST', path: 'Patient', body: patient({ name: [] }), status: 422, says: /empty/i, expression: 'Patient.name' },
  { name: 'code not in the required value set', method: 'POST', path: 'Patient', body: patient({ gender: 'robot' }), status: 422, says: /robot/, expression: 'Patient.gender' },
  { name: 'required element missing', method: 'POST', path: 'Encounter', body: json({ resourceType: 'Encounter', class: { code: 'IMP' } }), status: 422, says: /required/i, expression: 'Encounter.status' },
  { name: 'invalid date (month 13)', method: 'POST', path: 'Patient', body: patient({ birthDate: '1950-13-07' }), status: 422, says: /date/i, expression: 'Patient.birthDate' },
  { name: 'invalid date (30 February)', method: 'POST', path: 'Patient', body: patient({ birthDate: '2024-02-30' }), status: 422, says: /date/i, expression: 'Patient.birthDate' },
  { name: 'invalid date (words)', method: 'POST', path: 'Patient', body: patient({ birthDate: 'yesterday' }), status: 422, says: /date/i, expression: 'Patient.birthDate' },
  { name: 'invalid dateTime (hour 25)', method: 'POST', path: 'Encounter', body: encounter({ period: { start: '2024-02-10T25:00:00Z' } }), status: 422, says: /dateTime/, expression: 'Encounter.period.start' },
  { name: 'invalid dateTime (zone +99:00)', method: 'POST', path: 'Encounter', body: encounter({ period: { start: '2024-02-10T10:00:00+99:00' } }), status: 422, says: /dateTime/, expression: 'Encounter.period.start' },
  { name: 'invalid instant in meta', method: 'POST', path: 'Patient', body: patient({ meta: { profile: ['not a url at all'], tag: [{ code: 5 }] } }), status: 422, says: /string/, expression: /Patient\.meta\.tag/ },
  { name: 'unknown contained resource type', method: 'POST', path: 'Patient', body: patient({ contained: [{ resourceType: 'Spaceship' }] }), status: 422, says: /Spaceship/, expression: /Patient\.contained/ },
  { name: 'invalid primitive extension', method: 'POST', path: 'Patient', body: patient({ _birthDate: 5 }), status: 422, says: /_birthDate/, expression: 'Patient.birthDate' },

  // ---- ids ------------------------------------------------------------------------------------
  { name: 'invalid id in the URL (read)', path: 'Patient/bad_id!', status: 400, says: /not a valid FHIR id/, expression: 'id' },
  { name: 'id of 65 characters', path: `Patient/${'a'.repeat(65)}`, status: 400, says: /not a valid FHIR id/, expression: 'id' },
  { name: 'id with a space in the URL (update)', method: 'PUT', path: 'Patient/bad%20id', body: patient({ id: 'bad id' }), status: 400, says: /not a valid FHIR id/, expression: 'id' },
  { name: 'invalid id in the URL (vread)', path: 'Patient/b@d/_history/1', status: 400, says: /not a valid FHIR id/ },
  { name: 'invalid id in the URL (delete)', method: 'DELETE', path: 'Patient/a%2Fb', status: 400, says: /not a valid FHIR id/ },
  { name: 'id that looks like an operation', method: 'DELETE', path: 'Patient/%24%24', status: 404, says: /\$\$ is not supported/ },
  { name: 'invalid id in the body of an update', method: 'PUT', path: 'Patient/abc', body: patient({ id: 'bad id!' }), status: 400, says: /does not match/, expression: 'Patient.id' },
  { name: 'number as id in the body', method: 'PUT', path: 'Patient/abc', body: patient({ id: 7 }), status: 400, says: /does not match|id/, expression: 'Patient.id' },
  { name: 'update without an id in the body', method: 'PUT', path: 'Patient/abc', body: patient({}), status: 400, says: /must carry the id/, expression: 'Patient.id' },
  { name: 'invalid version id', path: 'Patient/{id}/_history/abc', says: /version|not found|does not exist/i },

  // ---- search ---------------------------------------------------------------------------------
  { name: 'unknown search parameter', path: 'Patient?favourite-colour=blue', status: 400, says: /Unknown search parameter 'favourite-colour'/, expression: 'favourite-colour' },
  { name: 'invalid date value', path: 'Patient?birthdate=yesterday', status: 400, says: /Invalid date value 'yesterday'/, expression: 'birthdate' },
  { name: 'invalid date prefix', path: 'Patient?birthdate=xx2020', status: 400, says: /Invalid date value/, expression: 'birthdate' },
  { name: 'invalid date (30 February) in search', path: 'Encounter?date=ge2024-02-30', status: 400, says: /Invalid date value/, expression: 'date' },
  { name: '_count not a number', path: 'Patient?_count=lots', status: 400, says: /_count/, expression: '_count' },
  { name: '_count negative', path: 'Patient?_count=-5', status: 400, says: /_count/, expression: '_count' },
  { name: '_count huge', path: 'Patient?_count=99999999999999999999', status: 400, says: /_count/, expression: '_count' },
  { name: '_offset not a number', path: 'Patient?_offset=x', status: 400, says: /_offset/, expression: '_offset' },
  { name: 'unknown modifier', path: 'Patient?name:sounds-like=x', status: 400, says: /Modifier ':sounds-like'/, expression: 'name:sounds-like' },
  { name: 'modifier on a date', path: 'Patient?birthdate:exact=2020', status: 400, says: /Modifier ':exact'/, expression: 'birthdate:exact' },
  { name: ':missing with a non-boolean', path: 'Patient?name:missing=perhaps', status: 400, says: /:missing/, expression: 'name:missing' },
  { name: 'unknown _sort', path: 'Patient?_sort=shoe-size', status: 400, says: /shoe-size/, expression: '_sort' },
  { name: 'unknown _include', path: 'Patient?_include=Patient:friend', status: 400, says: /friend/, expression: '_include' },
  { name: 'malformed _include', path: 'Patient?_include=garbage', status: 400, says: /_include/, expression: '_include' },
  { name: 'invalid _total', path: 'Patient?_total=all', status: 400, says: /_total/, expression: '_total' },
  { name: 'invalid _summary', path: 'Patient?_summary=maybe', status: 400, says: /_summary/, expression: '_summary' },
  { name: 'chain on a non-reference', path: 'Patient?name.family=x', status: 400, says: /Chaining/, expression: 'name.family' },
  { name: 'chain two levels deep', path: 'Encounter?subject.organization.name=x', status: 400, says: /one level/, expression: 'subject.organization.name' },
  { name: 'chain to an unknown target type', path: 'Encounter?subject:Spaceship.name=x', status: 400, says: /Spaceship/ },
  { name: 'NUL in a string search value', path: 'Patient?name=a%00b', status: 400, says: /NUL|control/i, expression: 'name' },
  { name: 'NUL in a token search value', path: 'Patient?identifier=%00|x', status: 400, says: /NUL|control/i, expression: 'identifier' },
  { name: 'NUL in _id', path: 'Patient?_id=%00', status: 400, says: /NUL|control/i, expression: '_id' },
  { name: 'NUL in a reference search value', path: 'Encounter?subject=%00', status: 400, says: /NUL|control/i, expression: 'subject' },
  { name: '_history with a bad _count', path: 'Patient/_history?_count=x', status: 400, says: /_count/, expression: '_count' },
  { name: '_history with a bad _since', path: '_history?_since=soon', status: 400, says: /_since/, expression: '_since' },
  { name: 'POST _search with a JSON body', method: 'POST', path: 'Patient/_search', body: '{"name":"x"}', status: 415, says: /x-www-form-urlencoded/ },
  { name: 'POST _search with an unknown parameter in the form', method: 'POST', path: 'Patient/_search', type: 'application/x-www-form-urlencoded', body: 'shoe-size=44', status: 400, says: /shoe-size/ },
  { name: 'too many search parameters', path: `Patient?${Array.from({ length: 800 }, (_, i) => `name=n${i}`).join('&')}`, status: 400, says: /too many search parameters/i, expression: 'name' },
  { name: 'too many OR values (POST _search)', method: 'POST', path: 'Patient/_search', type: 'application/x-www-form-urlencoded', body: `name=${Array.from({ length: 3000 }, (_, i) => `n${i}`).join(',')}`, status: 400, says: /too many search values/i, expression: 'name' },
  { name: 'too many search parameters (POST _search)', method: 'POST', path: 'Patient/_search', type: 'application/x-www-form-urlencoded', body: Array.from({ length: 5000 }, (_, i) => `name=n${i}`).join('&'), status: 400, says: /too many search parameters/i, expression: 'name' },
  { name: 'too many filters in a conditional create', method: 'POST', path: 'Patient', body: patient({}), headers: { 'if-none-exist': Array.from({ length: 100 }, (_, i) => `name=n${i}`).join('&') }, status: 400, says: /too many search parameters/i },
  { name: 'URL longer than the header limit', path: `Patient?name=${Array.from({ length: 3000 }, (_, i) => `n${i}`).join(',')}`, status: 431, says: /larger than this server accepts/ },

  // ---- paths ----------------------------------------------------------------------------------
  { name: 'broken percent-encoding in the id', path: 'Patient/%E0%A4%A', status: 400, says: /percent-encoded/ },
  { name: 'broken percent-encoding in the type', path: 'Pat%ient', status: 400, says: /percent-encoded/ },
  { name: 'percent-encoded NUL in the path', path: 'Patient/%00', status: 400, says: /not a valid FHIR id/ },
  { name: 'nothing at a deep path', path: 'Patient/{id}/_history/1/extra', status: 404, says: /No FHIR interaction/ },
  { name: 'unsupported operation', method: 'POST', path: 'Patient/$everything', status: 404, says: /\$everything/ },
  { name: 'method not allowed', method: 'DELETE', path: 'metadata', status: 405, says: /DELETE is not allowed/ },
  { name: 'PUT on a type without criteria', method: 'PUT', path: 'Patient', body: patient({}), status: 405, says: /search criteria/ },

  // ---- content types --------------------------------------------------------------------------
  { name: 'text/plain', method: 'POST', path: 'Patient', type: 'text/plain', body: patient({}), status: 415, says: /text\/plain/ },
  { name: 'XML', method: 'POST', path: 'Patient', type: 'application/fhir+xml', body: '<Patient xmlns="http://hl7.org/fhir"/>', status: 415, says: /application\/fhir\+xml/ },
  { name: 'no Content-Type', method: 'POST', path: 'Patient', type: null, body: patient({}), status: 415, says: /Content-Type/ },
  { name: 'garbage Content-Type', method: 'POST', path: 'Patient', type: ';;;=', body: patient({}), status: 415, says: /Content-Type/ },
  { name: 'form Content-Type on create', method: 'POST', path: 'Patient', type: 'application/x-www-form-urlencoded', body: 'resourceType=Patient', status: 415, says: /x-www-form-urlencoded/ },
  { name: 'JSON Patch with a FHIR JSON Content-Type', method: 'PATCH', path: 'Patient/{id}', body: '[]', status: 415, says: /json-patch/ },
  { name: 'Accept XML only', path: 'Patient/{id}', headers: { accept: 'application/fhir+xml' }, status: 406, says: /application\/fhir\+xml/ },
  { name: '_format=xml', path: 'Patient?_format=xml', status: 406, says: /_format=xml/ },

  // ---- bundles --------------------------------------------------------------------------------
  { name: 'not a Bundle to the base', method: 'POST', path: '', body: patient({}), status: 400, says: /Bundle/, expression: 'resourceType' },
  { name: 'Bundle of type collection', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'collection' }), status: 400, says: /batch or transaction/, expression: 'Bundle.type' },
  { name: 'Bundle.entry not an array', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: { request: {} } }), status: 400, says: /array/, expression: 'Bundle.entry' },
  { name: 'transaction with garbage entries', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [1, 'x', null, []] }), status: 400, says: /Bundle\.entry\[0\]/, expression: 'Bundle.entry[0]' },
  { name: 'batch with garbage entries', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'batch', entry: [null] }), status: 400, says: /Bundle\.entry\[0\]/ },
  { name: 'entry without request', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient' } }] }), status: 400, says: /request\.method/, expression: 'Bundle.entry[0].request.method' },
  { name: 'entry with an unknown method', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'EXPLODE', url: 'Patient' } }] }), status: 400, says: /request\.method/ },
  { name: 'entry with a non-string url', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'GET', url: 42 } }] }), status: 400, says: /request\.url/ },
  { name: 'POST entry with a string resource', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: 'Patient', request: { method: 'POST', url: 'Patient' } }] }), status: 400, says: /resource is required/, expression: 'Bundle.entry[0].resource' },
  { name: 'entry for an unknown type', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Spaceship' }, request: { method: 'POST', url: 'Spaceship' } }] }), says: /Spaceship|Unknown/ },
  { name: 'entry whose resource does not match its url', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Encounter', status: 'planned', class: { code: 'IMP' } }, request: { method: 'POST', url: 'Patient' } }] }), status: 400, says: /resourceType is Encounter/ },
  { name: 'entry with an invalid search', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'GET', url: 'Patient?shoe-size=44' } }] }), status: 400, says: /shoe-size/ },
  { name: 'entry with NUL in its search', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'GET', url: 'Patient?name=\u0000' } }] }), says: /NUL|control|string/i },
  { name: 'entry with an invalid ifNoneExist', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:8d6f1d7e-4a0e-4c43-9d8b-1f0c9c3b2a11', resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient', ifNoneExist: 'shoe-size=44' } }] }), status: 400, says: /shoe-size/ },
  { name: 'PATCH entry without a Binary', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'PATCH', url: 'Patient/{id}' } }] }), status: 400, says: /Binary/ },
  { name: 'PATCH entry with a Binary that is not JSON', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from('not json').toString('base64') }, request: { method: 'PATCH', url: 'Patient/{id}' } }] }), status: 400, says: /JSON Patch/ },
  { name: 'PATCH entry with garbage operations', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from('[{"op":"explode"}]').toString('base64') }, request: { method: 'PATCH', url: 'Patient/{id}' } }] }), status: 400, says: /JSON Patch/ },
  { name: 'PATCH entry whose Binary nests 10 000 deep', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from(`[{"op":"add","path":"/extension","value":${deepArrays(10_000)}}]`).toString('base64') }, request: { method: 'PATCH', url: 'Patient/{id}' } }] }), status: 400, says: /nesting/ },
  { name: 'PATCH entry whose Binary adds a NUL', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from('[{"op":"add","path":"/identifier","value":[{"system":"\\u0000","value":"x"}]}]').toString('base64') }, request: { method: 'PATCH', url: 'Patient/{id}' } }] }), status: 400, says: /NUL/ },
  { name: 'more than 1000 entries', method: 'POST', path: '', body: json({ resourceType: 'Bundle', type: 'batch', entry: Array.from({ length: 1001 }, () => ({ request: { method: 'GET', url: 'Patient/x' } })) }), status: 413, says: /1000/ },

  // ---- JSON Patch -----------------------------------------------------------------------------
  { name: 'JSON Patch that is an object', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '{"op":"add","path":"/active","value":true}', status: 400, says: /array of operations/ },
  { name: 'JSON Patch with an unknown op', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"explode","path":"/active"}]', status: 400, says: /JSON Patch operation 0/, expression: 'Patch[0]' },
  { name: 'JSON Patch with numbers for operations', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[1,2,3]', status: 400, says: /JSON Patch/ },
  { name: 'JSON Patch with null operations', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[null]', status: 400, says: /JSON Patch/ },
  { name: 'JSON Patch to a path that does not exist', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"replace","path":"/name/7/family","value":"X"}]', status: 400, says: /JSON Patch/, expression: 'Patch[0]' },
  { name: 'JSON Patch with a malformed pointer', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"add","path":"no-slash","value":1}]', status: 400, says: /JSON Patch/ },
  { name: 'JSON Patch that changes resourceType', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"replace","path":"/resourceType","value":"Encounter"}]', status: 400, says: /resourceType or id/, expression: 'resourceType' },
  { name: 'JSON Patch that changes the id', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"replace","path":"/id","value":"other"}]', status: 400, says: /resourceType or id/ },
  { name: 'JSON Patch that makes the resource invalid', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"add","path":"/active","value":"yes"}]', status: 422, says: /boolean/, expression: 'Patient.active' },
  { name: 'JSON Patch into __proto__', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"add","path":"/__proto__/polluted","value":true}]', says: /JSON Patch|__proto__/ },
  { name: 'JSON Patch test that fails', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[{"op":"test","path":"/active","value":false}]', says: /JSON Patch|test/i },
  { name: 'JSON Patch with a bad If-Match', method: 'PATCH', path: 'Patient/{id}', type: 'application/json-patch+json', body: '[]', headers: { 'if-match': '"' }, status: 400, says: /If-Match/ },

  // ---- $validate ------------------------------------------------------------------------------
  { name: '$validate with malformed JSON', method: 'POST', path: 'Patient/$validate', body: '{', status: 400, says: /not valid JSON/ },
  { name: '$validate with Parameters lacking a resource', method: 'POST', path: 'Patient/$validate', body: json({ resourceType: 'Parameters', parameter: [] }), status: 400, says: /resource/, expression: 'Parameters.parameter' },
  { name: '$validate of another type', method: 'POST', path: 'Patient/$validate', body: encounter({}), status: 400, says: /resourceType is Encounter/ },

  // ---- headers --------------------------------------------------------------------------------
  { name: 'bad If-Match on update', method: 'PUT', path: 'Patient/{id}', body: patient({ id: '{id}' }), headers: { 'if-match': 'W/"' }, says: /If-Match|Precondition/ },
  { name: 'If-None-Exist with an unknown parameter', method: 'POST', path: 'Patient', body: patient({}), headers: { 'if-none-exist': 'shoe-size=44' }, status: 400, says: /shoe-size/ },
  { name: 'conditional update with an unknown parameter', method: 'PUT', path: 'Patient?shoe-size=44', body: patient({}), status: 400, says: /shoe-size/ },
];

describe.each(backends())('bad input on %s', (backend) => {
  let gw: TestGateway;
  let port: number;
  let patientId: string;

  beforeAll(async () => {
    gw = await startTestGateway(backend);
    port = Number(new URL(gw.root).port);
    const created = await send(`${gw.base}/Patient`, { method: 'POST', body: validPatient('seed') });
    expect(created.status).toBe(201);
    patientId = (created.json as { id: string }).id;
  });
  afterAll(async () => gw?.stop());

  const url = (path: string) => `${gw.base}${path ? '/' + path : ''}`;

  it.each(CASES)('$name', async (c) => {
    const fill = (s: string) => s.replaceAll('{id}', patientId);
    const a = await send(url(fill(c.path)), {
      method: c.method ?? 'GET',
      ...(c.body !== undefined ? { body: fill(c.body) } : {}),
      type: c.type,
      headers: c.headers,
    });
    expectOutcome(a, c);
  });

  it('a transaction with one bad entry writes none of its entries', async () => {
    const tag = `tx-bad-${backend}`;
    const body = json({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0b8f8c52-5a7e-4c9a-9d0b-0c9a3f1e2d01', resource: { resourceType: 'Patient', identifier: [{ system: TAG, value: tag }] }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient', identifier: [{ system: TAG, value: tag }], active: 'no' }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Encounter', identifier: [{ system: TAG, value: tag }], status: 'planned', class: { code: 'IMP' }, subject: { reference: 'urn:uuid:0b8f8c52-5a7e-4c9a-9d0b-0c9a3f1e2d01' } }, request: { method: 'POST', url: 'Encounter' } },
      ],
    });
    const a = await send(url(''), { method: 'POST', body });
    expectOutcome(a, { status: 422, says: /Bundle\.entry\[1\].*boolean/, expression: 'Bundle.entry[1].resource.active' });
    for (const type of ['Patient', 'Encounter']) {
      const found = await send(url(`${type}?identifier=${encodeURIComponent(`${TAG}|${tag}`)}&_total=accurate`));
      expect(found.status).toBe(200);
      expect((found.json as { total?: number; entry?: unknown[] }).entry ?? []).toHaveLength(0);
    }
  });

  it('a batch answers each garbage entry with its own 4xx and runs the good ones', async () => {
    const body = json({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: { resourceType: 'Patient', active: 'no' }, request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: 'Patient?shoe-size=44' } },
        { request: { method: 'GET', url: 'Spaceship/1' } },
        { request: { method: 'GET', url: `Patient/${patientId}` } },
        { request: { method: 'DELETE', url: 'Patient' } },
        { request: { method: 'GET', url: 'Patient?birthdate=yesterday' } },
      ],
    });
    const a = await send(url(''), { method: 'POST', body });
    expect(a.status).toBe(200);
    expectNoInternals(a.text);
    const entries = (a.json as { entry: { response: { status: string; outcome?: { resourceType: string } } }[] }).entry;
    expect(entries).toHaveLength(6);
    const statuses = entries.map((e) => Number.parseInt(e.response.status, 10));
    expect(statuses[3]).toBe(200);
    for (const i of [0, 1, 2, 4, 5]) {
      expect(statuses[i], `entry ${i}: ${JSON.stringify(entries[i])}`).toBeGreaterThanOrEqual(400);
      expect(statuses[i], `entry ${i}: ${JSON.stringify(entries[i])}`).toBeLessThan(500);
      expect(entries[i]!.response.outcome?.resourceType).toBe('OperationOutcome');
    }
  });

  it('a declared 20 MB body is refused with 413 before it is sent', async () => {
    const size = 20 * MB;
    const head = `POST /fhir/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${FHIR_JSON}\r\nContent-Length: ${size}\r\n\r\n`;
    let left = size;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    // Send only the first 256 kB, then wait: the answer must come without the rest.
    let budget = 4;
    const r = await rawExchange(port, head, () => {
      if (budget-- <= 0 || left <= 0) return undefined;
      left -= chunk.length;
      return chunk;
    }, 20_000);
    expect(r.status).toBe(413);
    expect(r.headers['content-type']).toContain(FHIR_JSON);
    expect(r.sentBeforeResponse).toBeLessThan(size);
    expectOutcome({ status: r.status, contentType: r.headers['content-type'] ?? '', text: r.body, headers: new Headers(), json: JSON.parse(r.body) }, { status: 413, says: /larger than the limit/ });
  });

  it('a chunked 20 MB body is cut off at the limit with 413, before the client finishes', async () => {
    const size = 20 * MB;
    const head = `POST /fhir/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${FHIR_JSON}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const payload = Buffer.alloc(256 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n')]);
    let sent = 0;
    const r = await rawExchange(port, head, () => {
      if (sent >= size) return undefined;
      sent += payload.length;
      return chunk;
    }, 60_000);
    expect(r.status).toBe(413);
    expect(r.headers['content-type']).toContain(FHIR_JSON);
    expect(r.sentBeforeResponse).toBeGreaterThan(0);
    expect(r.sentBeforeResponse).toBeLessThan(size);
    expect(JSON.parse(r.body).resourceType).toBe('OperationOutcome');
  });

  it('a 20 MB body through fetch gets 413 with an OperationOutcome', async () => {
    const big = patient({ name: [{ family: 'x'.repeat(20 * MB) }] });
    const a = await send(url('Patient'), { method: 'POST', body: big });
    expectOutcome(a, { status: 413, says: /larger than the limit/ });
  });

  it('a 20 MB Bundle gets 413', async () => {
    const entry = { resource: { resourceType: 'Patient', name: [{ family: 'y'.repeat(1000) }] }, request: { method: 'POST', url: 'Patient' } };
    const big = json({ resourceType: 'Bundle', type: 'transaction', entry: Array.from({ length: 20 * 1024 }, () => entry) });
    expect(big.length).toBeGreaterThan(20 * MB);
    expectOutcome(await send(url(''), { method: 'POST', body: big }), { status: 413, says: /larger than the limit/ });
  });

  it('a huge query string (request line over the header limit) gets a 4xx OperationOutcome', async () => {
    const q = 'name=' + 'a'.repeat(100_000);
    const r = await rawExchange(port, `GET /fhir/Patient?${q} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, () => undefined, 20_000);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.headers['content-type'] ?? '').toContain(FHIR_JSON);
    expect(JSON.parse(r.body).resourceType).toBe('OperationOutcome');
    expectNoInternals(r.body);
  });

  it('a query string just under the header limit is answered (200 or 4xx), never 5xx', async () => {
    const a = await send(url(`Patient?name=${'b'.repeat(14_000)}`));
    expect(a.status).toBeLessThan(500);
    expect(a.contentType).toContain(FHIR_JSON);
    expectNoInternals(a.text);
  });

  it('a malformed HTTP request gets a 400 OperationOutcome', async () => {
    const r = await rawExchange(port, 'GET /fhir/Patient HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Without Colon\r\n\r\n', () => undefined, 20_000);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).resourceType).toBe('OperationOutcome');
  });

  it('dates at the edges of the calendar are stored and searched, not a 5xx', async () => {
    for (const birthDate of ['9999-12-31', '0001-01-01']) {
      const created = await send(url('Patient'), { method: 'POST', body: patient({ birthDate }) });
      expect(created.status, created.text).toBe(201);
      const found = await send(url(`Patient?birthdate=${birthDate}&_id=${(created.json as { id: string }).id}`));
      expect(found.status, found.text).toBe(200);
      expect((found.json as { entry?: unknown[] }).entry).toHaveLength(1);
    }
    for (const q of ['birthdate=9999', 'birthdate=ap9999-12-31', 'birthdate=gt9999-12-31T23:59:59Z', '_lastUpdated=le9999-12-31T23:59:59.999Z', 'birthdate=ap0001']) {
      const a = await send(url(`Patient?${q}`));
      expect(a.status, `${q}: ${a.text}`).toBe(200);
    }
  });

  it('after the barrage it still creates and reads correctly', async () => {
    expect((await fetch(`${gw.root}/readyz`)).status).toBe(200);
    const created = await send(url('Encounter'), { method: 'POST', body: validEncounter('after', patientId) });
    expect(created.status, created.text).toBe(201);
    const enc = created.json as { id: string; subject: { reference: string } };
    const read = await send(url(`Encounter/${enc.id}`));
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
    const tx = await send(url(''), { method: 'POST', body: validBundle('after') });
    expect(tx.status, tx.text).toBe(200);
    const p = await send(url(`Patient/${patientId}`));
    expect(p.status).toBe(200);
  });

  it('seeded fuzz: mutated Patients, Encounters and Bundles never get a 5xx; a 2xx reads back', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20260901) + (backend === 'postgres' ? 1 : 0);
    const total = Number(process.env.FUZZ_CASES ?? 2500);
    const concurrency = 6;
    const counts: Record<string, number> = {};
    let nextCase = 0;
    const worker = async () => {
      while (nextCase < total) {
        const n = nextCase++;
        const c = fuzzCase(seed, n, patientId);
        const where = `seed ${seed} case ${n} (${c.description}): ${c.method} ${c.path} ${c.body.slice(0, 300)}`;
        const a = await send(url(c.path), { method: c.method, body: c.body, type: c.type });
        counts[String(a.status)] = (counts[String(a.status)] ?? 0) + 1;
        expect(a.status, `${where} -> ${a.text.slice(0, 300)}`).toBeLessThan(500);
        expect(a.contentType, where).toContain(FHIR_JSON);
        expectNoInternals(a.text);
        if (a.status >= 400) {
          expect((a.json as { resourceType?: string }).resourceType, where).toBe('OperationOutcome');
          continue;
        }
        await expectReadsBack(a, where);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    // The fuzz must exercise both sides: some mutations are accepted, most refused.
    const ok = Object.entries(counts).filter(([s]) => s.startsWith('2')).reduce((n, [, v]) => n + v, 0);
    expect(ok, JSON.stringify(counts)).toBeGreaterThan(total / 50);
    expect(total - ok, JSON.stringify(counts)).toBeGreaterThan(total / 4);
    // And afterwards the server still answers.
    const after = await send(url('Patient'), { method: 'POST', body: validPatient('after-fuzz') });
    expect(after.status).toBe(201);
  }, 300_000);

  async function expectReadsBack(a: Answer, where: string) {
    const body = a.json as { resourceType: string; id?: string; type?: string; entry?: { resource?: { resourceType: string; id: string }; response?: { status: string; location?: string } }[] };
    if (body.resourceType !== 'Bundle' || body.type === 'searchset') {
      expect(body.id, where).toBeTruthy();
      const read = await send(url(`${body.resourceType}/${body.id}`));
      expect(read.status, where).toBe(200);
      expect(read.json, where).toEqual(body);
      return;
    }
    expect(['transaction-response', 'batch-response'], where).toContain(body.type);
    for (const e of body.entry ?? []) {
      const status = Number.parseInt(e.response?.status ?? '', 10);
      expect(status, `${where}: ${JSON.stringify(e).slice(0, 300)}`).toBeLessThan(500);
      if ((status === 200 || status === 201) && e.resource?.id && e.response?.location) {
        const read = await send(url(`${e.resource.resourceType}/${e.resource.id}`));
        expect(read.status, where).toBe(200);
        const current = read.json as { meta?: { versionId?: string } };
        // A later entry of the same bundle may have written a newer version; the version read must exist.
        if (current.meta?.versionId === (e.resource as { meta?: { versionId?: string } }).meta?.versionId) {
          expect(read.json, where).toEqual(e.resource);
        } else {
          const v = await send(url(e.response.location));
          expect(v.status, where).toBe(200);
          expect(v.json, where).toEqual(e.resource);
        }
      }
    }
  }
});
