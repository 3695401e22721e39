// Who is calling: the client, the organisation it acts for, its role and what its token lets it do.
import { parseHsaId } from '../../profiles/identifiers/hsa-id.ts';
import type { SmartScope } from './scopes.ts';

export const ROLES = ['inpatient-unit', 'outpatient-care', 'kommun', 'region-admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that act for one organisation: the store filters by it, so a token without one is useless and suspicious. */
export const ORGANIZATION_ROLES: readonly Role[] = ['inpatient-unit', 'outpatient-care', 'kommun'];

export interface Principal {
  clientId: string;
  /** HSA-id of the organisation (unit, kommun) the client acts for. */
  organizationHsaId?: string;
  role: Role;
  scopes: SmartScope[];
  /** True when the principal comes from development mode (no token, or a token signed by the dev key). */
  development: boolean;
  /** The token's `jti`, for audit trails; never the token itself. */
  tokenId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A well-formed HSA-id exactly as given (no surrounding whitespace: the store compares it verbatim). */
export function isHsaId(value: unknown): value is string {
  const parsed = parseHsaId(value);
  return parsed.ok && parsed.value === value;
}
