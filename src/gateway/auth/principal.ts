// Who is calling: the client, the organisation it acts for, its role and what its token lets it do.
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

// HSA-id: "SE", the 10-digit organisationsnummer of the issuing organisation, "-", then an alphanumeric suffix.
const HSA_ID = /^SE\d{10}-[A-Za-z0-9]{1,31}$/;

export function isHsaId(value: unknown): value is string {
  return typeof value === 'string' && HSA_ID.test(value);
}
