import { describe, expect, it } from 'vitest';
import {
  allows,
  checkBundleEntries,
  entryInteraction,
  missingScope,
  parseScope,
  parseScopes,
} from '../../src/gateway/auth/scopes.ts';
import type { Interaction } from '../../src/gateway/auth/scopes.ts';

describe('parseScope', () => {
  it('parses SMART v2 scopes with context, type and permissions', () => {
    expect(parseScope('system/Encounter.cruds')).toMatchObject({
      context: 'system',
      resourceType: 'Encounter',
      permissions: 'cruds',
      restrictions: [],
      version: 2,
    });
    expect(parseScope('user/*.rs')).toMatchObject({ context: 'user', resourceType: '*', permissions: 'rs' });
    expect(parseScope('patient/Observation.r')).toMatchObject({ context: 'patient', permissions: 'r' });
  });

  it('maps SMART v1 read/write/* onto v2 permissions', () => {
    expect(parseScope('system/Patient.read')).toMatchObject({ permissions: 'rs', version: 1 });
    expect(parseScope('system/Patient.write')).toMatchObject({ permissions: 'cud', version: 1 });
    expect(parseScope('user/*.*')).toMatchObject({ resourceType: '*', permissions: 'cruds', version: 1 });
  });

  it('keeps ?param=value restrictions', () => {
    expect(parseScope('system/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory'))
      .toMatchObject({
        permissions: 'rs',
        restrictions: [['category', 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory']],
      });
  });

  it('rejects malformed scopes: letters out of order or repeated, unknown context, lowercase type', () => {
    for (const bad of ['system/Encounter.sr', 'system/Encounter.rr', 'system/Encounter.x', 'system/Encounter.',
      'admin/Encounter.r', 'system/encounter.r', 'system/Patient.read?x=1', 'system/Patient.r?']) {
      expect(parseScope(bad), bad).toBeUndefined();
    }
  });

  it('drops non-resource scopes from a scope string', () => {
    const scopes = parseScopes('openid fhirUser launch launch/patient offline_access  system/Task.c');
    expect(scopes.map((s) => s.raw)).toEqual(['system/Task.c']);
    expect(parseScopes(undefined)).toEqual([]);
  });
});

describe('allows', () => {
  const interactions: Interaction[] = ['create', 'read', 'vread', 'update', 'patch', 'delete', 'history-instance',
    'history-type', 'search-type', 'validate'];
  const matrix = (scope: string) =>
    Object.fromEntries(interactions.map((i) => [i, allows(parseScopes(scope), i, 'Encounter')]));

  it('maps each v2 letter to its interactions', () => {
    const f = false;
    const t = true;
    expect(matrix('system/Encounter.c')).toEqual({ create: t, read: f, vread: f, update: f, patch: f, delete: f,
      'history-instance': f, 'history-type': f, 'search-type': f, validate: t });
    expect(matrix('system/Encounter.r')).toEqual({ create: f, read: t, vread: t, update: f, patch: f, delete: f,
      'history-instance': t, 'history-type': f, 'search-type': f, validate: t });
    expect(matrix('system/Encounter.u')).toEqual({ create: f, read: f, vread: f, update: t, patch: t, delete: f,
      'history-instance': f, 'history-type': f, 'search-type': f, validate: f });
    expect(matrix('system/Encounter.d')).toEqual({ create: f, read: f, vread: f, update: f, patch: f, delete: t,
      'history-instance': f, 'history-type': f, 'search-type': f, validate: f });
    expect(matrix('system/Encounter.s')).toEqual({ create: f, read: f, vread: f, update: f, patch: f, delete: f,
      'history-instance': f, 'history-type': t, 'search-type': t, validate: f });
  });

  it('v1 read allows reading and searching but not writing; v1 write the reverse', () => {
    expect(matrix('system/Encounter.read')).toMatchObject({ read: true, 'search-type': true, create: false, update: false });
    expect(matrix('system/Encounter.write')).toMatchObject({ read: false, create: true, update: true, delete: true });
  });

  it('wildcard types cover every type; a named type covers only itself', () => {
    expect(allows(parseScopes('user/*.rs'), 'read', 'Task')).toBe(true);
    expect(allows(parseScopes('system/Encounter.cruds'), 'read', 'Task')).toBe(false);
    expect(allows(parseScopes('system/Encounter.rs'), 'search-system')).toBe(false);
    expect(allows(parseScopes('system/*.s'), 'search-system')).toBe(true);
    expect(allows(parseScopes('system/Encounter.s'), 'search-system', 'Encounter')).toBe(true);
  });

  it('denies with no scopes, but /metadata needs none', () => {
    expect(allows([], 'read', 'Patient')).toBe(false);
    expect(allows([], 'capabilities')).toBe(true);
  });

  it('grants nothing for restricted or patient/ scopes until they can be enforced', () => {
    expect(allows(parseScopes('system/Observation.rs?category=laboratory'), 'read', 'Observation')).toBe(false);
    expect(allows(parseScopes('patient/Observation.rs'), 'read', 'Observation')).toBe(false);
    expect(allows(parseScopes('patient/*.cruds'), 'transaction')).toBe(false);
  });

  it('generic operations need full access to the type', () => {
    expect(allows(parseScopes('system/Encounter.rs'), 'operation', 'Encounter')).toBe(false);
    expect(allows(parseScopes('system/Encounter.cruds'), 'operation', 'Encounter')).toBe(true);
  });

  it('names the missing scope', () => {
    expect(missingScope('create', 'Encounter')).toBe('system/Encounter.c');
    expect(missingScope('validate', 'Task')).toBe('system/Task.r or system/Task.c');
  });
});

describe('transaction and batch entries', () => {
  it('derives the interaction from method and url', () => {
    expect(entryInteraction('POST', 'Encounter')).toEqual({ interaction: 'create', resourceType: 'Encounter' });
    expect(entryInteraction('GET', 'Encounter/1')).toEqual({ interaction: 'read', resourceType: 'Encounter' });
    expect(entryInteraction('GET', 'Encounter/1/_history/2')).toEqual({ interaction: 'vread', resourceType: 'Encounter' });
    expect(entryInteraction('GET', 'Encounter/1/_history')).toEqual({ interaction: 'history-instance', resourceType: 'Encounter' });
    expect(entryInteraction('GET', 'Encounter?status=planned')).toEqual({ interaction: 'search-type', resourceType: 'Encounter' });
    expect(entryInteraction('PUT', 'Task/9')).toEqual({ interaction: 'update', resourceType: 'Task' });
    expect(entryInteraction('PUT', 'Task?identifier=x|1')).toEqual({ interaction: 'update', resourceType: 'Task' });
    expect(entryInteraction('PATCH', 'Task/9')).toEqual({ interaction: 'patch', resourceType: 'Task' });
    expect(entryInteraction('DELETE', 'Task/9')).toEqual({ interaction: 'delete', resourceType: 'Task' });
    expect(entryInteraction('POST', 'Task/$validate')).toEqual({ interaction: 'validate', resourceType: 'Task' });
    expect(entryInteraction('GET', 'metadata')).toEqual({ interaction: 'capabilities' });
    expect(entryInteraction('POST', '')).toBeUndefined(); // a nested transaction
    expect(entryInteraction('PUT', 'Task')).toBeUndefined();
    expect(entryInteraction('TRACE', 'Task/1')).toBeUndefined();
    expect(entryInteraction(undefined, 'Task/1')).toBeUndefined();
  });

  it('reports the first entry the scopes do not allow', () => {
    const scopes = parseScopes('system/Encounter.cr system/Task.r');
    const entries = [
      { request: { method: 'POST', url: 'Encounter' } },
      { request: { method: 'GET', url: 'Task/1' } },
      { request: { method: 'PUT', url: 'Task/1' } },
      { request: { method: 'DELETE', url: 'Encounter/1' } },
    ];
    expect(checkBundleEntries(scopes, entries.slice(0, 2))).toBeUndefined();
    expect(checkBundleEntries(scopes, entries)).toEqual({
      index: 2,
      interaction: 'update',
      resourceType: 'Task',
      reason: 'needs scope system/Task.u',
    });
    expect(checkBundleEntries(scopes, [{}])).toMatchObject({ index: 0, reason: expect.stringContaining('not supported') });
  });
});
