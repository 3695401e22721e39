// JSON Patch (RFC 6902) on a stored resource, with errors that name the operation that failed.
import fastJsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { Repository, WriteResult } from '../../store/repository.ts';
import type { WritePipeline } from '../pipeline.ts';
import { stripServerFields } from './conditional.ts';
import { httpError } from './outcome.ts';

/**
 * PATCH as REST and transaction entries do it: the current version (404 absent, 410 deleted, 412 when
 * If-Match names another), the patch applied, the result validated like any write, stored on that version.
 */
export async function patchStored(
  repo: Repository,
  pipeline: WritePipeline,
  type: string,
  id: string,
  ops: unknown,
  ifMatch: string | undefined,
): Promise<WriteResult & { warnings: OperationOutcomeIssue[] }> {
  return repo.transaction(async (tx) => {
    const current = await tx.currentVersion(type, id, true);
    if (!current) throw httpError(404, 'not-found', `${type}/${id} does not exist`);
    if (current.deleted || !current.content) throw httpError(410, 'deleted', `${type}/${id} has been deleted`);
    if (ifMatch !== undefined && ifMatch !== current.versionId) {
      throw httpError(412, 'conflict', `${type}/${id} is at version ${current.versionId}, not ${ifMatch}`);
    }
    const patched = applyJsonPatch(JSON.parse(current.content), ops, type, id);
    const { resource, warnings } = pipeline.check(stripServerFields(patched, true), type, id);
    const written = await tx.update(resource, current.versionId);
    return { ...written, warnings };
  });
}

export function applyJsonPatch(current: Record<string, unknown>, ops: unknown, type: string, id: string): unknown {
  if (!Array.isArray(ops)) throw httpError(400, 'structure', 'A JSON Patch body is an array of operations');
  let error: ReturnType<typeof fastJsonPatch.validate>;
  try {
    error = fastJsonPatch.validate(ops as Operation[], current);
  } catch (err) {
    // validate() rethrows what is not a JsonPatchError, e.g. the TypeError for a path into __proto__ (was a 500).
    throw httpError(400, 'invalid', `JSON Patch is invalid: ${(err as Error).message.split('\n')[0]!.split(', if this was on purpose')[0]}`, 'Patch');
  }
  if (error) {
    const index = error.index ?? 0;
    // validate() runs the patch on a copy, so a failing `test` shows up here: that is a conflict with the
    // resource's current state (RFC 5789 §2.2), not a malformed patch.
    if (error.name === 'TEST_OPERATION_FAILED') {
      throw httpError(409, 'conflict', `JSON Patch operation ${index} (test) failed: the resource does not have the tested value`, `Patch[${index}]`);
    }
    throw httpError(400, 'invalid', `JSON Patch operation ${index} is invalid: ${error.message.split('\n')[0]}`, `Patch[${index}]`);
  }
  let patched: unknown;
  try {
    patched = fastJsonPatch.applyPatch(structuredClone(current), ops as Operation[], true, false).newDocument;
  } catch (err) {
    const e = err as { name?: string; index?: number; message: string };
    const status = e.name === 'TEST_OPERATION_FAILED' ? 409 : 400;
    throw httpError(status, status === 409 ? 'conflict' : 'invalid', `JSON Patch failed: ${e.message.split('\n')[0]}`, `Patch[${e.index ?? 0}]`);
  }
  const p = patched as { resourceType?: unknown; id?: unknown };
  if (p?.resourceType !== type || p.id !== id) {
    throw httpError(400, 'invalid', 'A patch may not change resourceType or id', p?.resourceType !== type ? 'resourceType' : `${type}.id`);
  }
  return patched;
}
