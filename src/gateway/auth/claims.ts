// The project's own claims in access tokens, under the one canonical base.
import { CANONICAL_BASE } from '../../profiles/canonical.ts';

/** HSA-id of the organisation the client acts for. */
export const CLAIM_ORGANIZATION = `${CANONICAL_BASE}/claims/organization`;
/** One of the roles in principal.ts. */
export const CLAIM_ROLE = `${CANONICAL_BASE}/claims/role`;
