// SMART on FHIR scopes (v2 and v1) and the question "may this principal do this interaction on this type?".
//
// Two deliberate limits, both failing closed until the gateway can enforce them:
// * `?param=value` restrictions (SMART v2 finer-grained scopes) are parsed and kept, but a restricted
//   scope grants nothing yet: honouring it without filtering would grant more than the token says.
// * `patient/` scopes need a patient launch context, which backend-services tokens do not carry;
//   they are parsed but grant nothing. `system/` and `user/` scopes are honoured (the store still
//   limits every organisation to its own episodes).

export type ScopeContext = 'patient' | 'user' | 'system';
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface SmartScope {
  /** The scope as it appeared in the token. */
  raw: string;
  context: ScopeContext;
  /** A resource type, or '*' for all. */
  resourceType: string;
  /** Granted permissions, in SMART v2 order ("cruds" order), e.g. "rs". */
  permissions: string;
  /** `?name=value` restrictions, in order; empty when unrestricted. Not enforced yet (see above). */
  restrictions: Array<[string, string]>;
  version: 1 | 2;
}

export type Interaction =
  | 'create'
  | 'read'
  | 'vread'
  | 'update'
  | 'patch'
  | 'delete'
  | 'history-instance'
  | 'history-type'
  | 'search-type'
  | 'search-system'
  | 'history-system'
  | 'operation'
  | 'validate'
  | 'transaction'
  | 'batch'
  | 'capabilities';

const ORDER = 'cruds';
const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };
const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{0,63})\.([a-z*]+)(?:\?(.*))?$/;

/** One scope, or undefined for non-resource scopes (openid, fhirUser, launch, offline_access …) and malformed ones. */
export function parseScope(raw: string): SmartScope | undefined {
  const m = SCOPE.exec(raw);
  if (!m) return undefined;
  const context = m[1] as ScopeContext;
  const resourceType = m[2]!;
  const action = m[3]!;
  const query = m[4];
  const v1 = V1_PERMISSIONS[action];
  let permissions: string;
  let version: 1 | 2;
  if (v1 !== undefined) {
    // v1 scopes carry no restrictions; a query on one is malformed rather than something to guess at.
    if (query !== undefined) return undefined;
    permissions = v1;
    version = 1;
  } else if (isV2Permissions(action)) {
    permissions = action;
    version = 2;
  } else {
    return undefined;
  }
  const restrictions: Array<[string, string]> = query === undefined ? [] : [...new URLSearchParams(query)];
  if (query !== undefined && restrictions.length === 0) return undefined;
  return { raw, context, resourceType, permissions, restrictions, version };
}

// SMART v2: a non-empty subset of c, r, u, d, s, each at most once and in that order.
function isV2Permissions(action: string): boolean {
  let last = -1;
  for (const ch of action) {
    const i = ORDER.indexOf(ch);
    if (i <= last) return false;
    last = i;
  }
  return action.length > 0;
}

/** Parses a space-separated scope string (or a list), dropping non-resource and malformed scopes. */
export function parseScopes(scope: string | readonly string[] | undefined): SmartScope[] {
  if (scope === undefined) return [];
  const parts = typeof scope === 'string' ? scope.split(/\s+/) : scope.flatMap((s) => s.split(/\s+/));
  const out: SmartScope[] = [];
  for (const part of parts) {
    const parsed = part ? parseScope(part) : undefined;
    if (parsed) out.push(parsed);
  }
  return out;
}

/** Whether a scope currently grants anything at all (see the limits at the top of this file). */
export function isHonoured(scope: SmartScope): boolean {
  return scope.context !== 'patient' && scope.restrictions.length === 0;
}

/** Low-level check: does some honoured scope grant `permission` on `resourceType` ('*' asks for a wildcard grant)? */
export function allowsPermission(scopes: readonly SmartScope[], resourceType: string, permission: Permission): boolean {
  return scopes.some(
    (s) =>
      isHonoured(s) &&
      s.permissions.includes(permission) &&
      (s.resourceType === '*' || (resourceType !== '*' && s.resourceType === resourceType)),
  );
}

/**
 * The permission alternatives an interaction needs: any one of the listed letters suffices.
 * Empty means no scope is needed. `operation` is conservative (full access to the type): callers
 * that know an operation's effect should check it as the interaction it amounts to instead.
 */
export function requiredPermissions(interaction: Interaction): { anyOf: Permission[] } | { allOf: Permission[] } {
  switch (interaction) {
    case 'create':
      return { anyOf: ['c'] };
    case 'read':
    case 'vread':
    case 'history-instance':
      return { anyOf: ['r'] };
    case 'update':
    case 'patch':
      return { anyOf: ['u'] };
    case 'delete':
      return { anyOf: ['d'] };
    case 'search-type':
    case 'history-type':
    case 'search-system':
    case 'history-system':
      return { anyOf: ['s'] };
    case 'validate':
      return { anyOf: ['r', 'c'] };
    case 'operation':
      return { allOf: ['c', 'r', 'u', 'd', 's'] };
    case 'capabilities':
    case 'transaction':
    case 'batch':
      return { anyOf: [] };
  }
}

/**
 * May these scopes perform `interaction` on `resourceType`?
 * System-level interactions (search-system, history-system, operation without a type) need a
 * wildcard ('*') grant unless the caller narrows them to one type (e.g. from `_type`).
 * Transactions and batches pass here when any scope is usable; every entry must then be checked
 * with {@link checkBundleEntries}.
 */
export function allows(scopes: readonly SmartScope[], interaction: Interaction, resourceType?: string): boolean {
  if (interaction === 'capabilities') return true;
  if (interaction === 'transaction' || interaction === 'batch') return scopes.some(isHonoured);
  const type = resourceType ?? '*';
  const need = requiredPermissions(interaction);
  if ('allOf' in need) return need.allOf.every((p) => allowsPermission(scopes, type, p));
  return need.anyOf.some((p) => allowsPermission(scopes, type, p));
}

/** The scope a client should ask for to be allowed `interaction` on `resourceType`, for error messages. */
export function missingScope(interaction: Interaction, resourceType?: string): string {
  const need = requiredPermissions(interaction);
  const type = resourceType ?? '*';
  if ('allOf' in need) return `system/${type}.${need.allOf.join('')}`;
  return need.anyOf.map((p) => `system/${type}.${p}`).join(' or ');
}

export interface EntryAction {
  interaction: Interaction;
  resourceType?: string;
}

/**
 * What a transaction/batch entry's request amounts to, from its method and (relative) url;
 * undefined when it is not a request this gateway would carry out (which callers must deny).
 */
export function entryInteraction(method: string | undefined, url: string | undefined): EntryAction | undefined {
  if (!method || url === undefined) return undefined;
  const [path = '', query] = splitOnce(url, '?');
  const segments = path.split('/').filter((s) => s !== '');
  const [first, second, third, fourth] = segments;
  const type = first && /^[A-Z][A-Za-z]{0,63}$/.test(first) ? first : undefined;
  const op = (s: string | undefined) => s !== undefined && s.startsWith('$');
  const opAction = (name: string, resourceType: string | undefined): EntryAction =>
    name === '$validate' && resourceType
      ? { interaction: 'validate', resourceType }
      : { interaction: 'operation', ...(resourceType ? { resourceType } : {}) };

  if (segments.length > 4) return undefined;
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD': {
      if (segments.length === 0) return { interaction: 'search-system' };
      if (first === 'metadata' && segments.length === 1) return { interaction: 'capabilities' };
      if (first === '_history' && segments.length === 1) return { interaction: 'history-system' };
      if (op(first) && segments.length === 1) return opAction(first!, undefined);
      if (!type) return undefined;
      if (segments.length === 1) return { interaction: 'search-type', resourceType: type };
      if (second === '_history' && segments.length === 2) return { interaction: 'history-type', resourceType: type };
      if (op(second) && segments.length === 2) return opAction(second!, type);
      if (segments.length === 2) return { interaction: 'read', resourceType: type };
      if (op(third) && segments.length === 3) return opAction(third!, type);
      if (third === '_history' && segments.length === 3) return { interaction: 'history-instance', resourceType: type };
      if (third === '_history' && fourth && segments.length === 4) return { interaction: 'vread', resourceType: type };
      return undefined;
    }
    case 'POST': {
      if (segments.length === 1 && first === '_search') return { interaction: 'search-system' };
      if (op(first) && segments.length === 1) return opAction(first!, undefined);
      if (!type) return undefined; // includes a nested transaction/batch (POST to the base)
      if (segments.length === 1) return { interaction: 'create', resourceType: type };
      if (segments.length === 2 && second === '_search') return { interaction: 'search-type', resourceType: type };
      if (segments.length === 2 && op(second)) return opAction(second!, type);
      if (segments.length === 3 && op(third)) return opAction(third!, type);
      return undefined;
    }
    case 'PUT':
    case 'PATCH':
    case 'DELETE': {
      const interaction = method.toUpperCase() === 'PUT' ? 'update' : method.toUpperCase() === 'PATCH' ? 'patch' : 'delete';
      // Instance (Type/id) or conditional (Type?criteria).
      if (type && (segments.length === 2 || (segments.length === 1 && query !== undefined))) {
        if (op(second) || second === '_history' || second === '_search') return undefined;
        return { interaction, resourceType: type };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

export interface EntryDenial extends Partial<EntryAction> {
  index: number;
  /** Why: the missing scope, or that the request was not understood. */
  reason: string;
}

/** Checks every entry of a transaction/batch; returns the first entry the scopes do not allow, or undefined. */
export function checkBundleEntries(
  scopes: readonly SmartScope[],
  entries: ReadonlyArray<{ request?: { method?: string; url?: string } } | undefined> | undefined,
): EntryDenial | undefined {
  for (const [index, entry] of (entries ?? []).entries()) {
    const action = entryInteraction(entry?.request?.method, entry?.request?.url);
    // Includes nested transactions/batches, which entryInteraction does not recognise.
    if (!action) return { index, reason: 'entry request method/url is missing or not supported in a bundle' };
    if (!allows(scopes, action.interaction, action.resourceType)) {
      return { index, ...action, reason: `needs scope ${missingScope(action.interaction, action.resourceType)}` };
    }
  }
  return undefined;
}
