import { Filter, FilterAttributes, matchesFilter, parseFilter } from './scim-filter';
import { invalidPath, invalidSyntax, invalidValue, ScimError } from './scim.error';
import { canonicalResource, canonicalValue, isObject, Json } from './scim-resource';
import { AttrDef, ResourceSchema, SCHEMAS } from './scim-schema';

const MAX_OPERATIONS = 1000;

interface Target {
  /** where the attribute lives: the resource itself, or an extension object under its URN */
  container: string | null;
  def: AttrDef;
  filter: Filter | null;
  filterAttrs: FilterAttributes;
  sub: string | null;
}

/** `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each optionally prefixed with a schema URN. */
function parsePath(raw: string, schema: ResourceSchema): Target {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 500) throw invalidPath('a PATCH path must be a non-empty string');
  let path = raw.trim();
  let attrs = schema.attrs;
  let container: string | null = null;
  const lower = path.toLowerCase();
  if (lower.startsWith(schema.core.toLowerCase() + ':')) path = path.slice(schema.core.length + 1);
  else {
    const ext = Object.values(schema.extensions).find((e) => lower.startsWith(e.urn.toLowerCase() + ':'));
    if (ext) {
      path = path.slice(ext.urn.length + 1);
      attrs = ext.attrs;
      container = ext.urn;
    }
  }
  const m = /^([A-Za-z$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/s.exec(path);
  if (!m) throw invalidPath(`"${raw.slice(0, 100)}" is not a valid attribute path`);
  const def = attrs[m[1].toLowerCase()];
  if (!def) throw invalidPath(`no attribute "${m[1].slice(0, 60)}" in path "${raw.slice(0, 100)}"`);
  if (def.readOnly) throw new ScimError(400, 'mutability', `${def.name} is read-only`);
  let sub: string | null = null;
  if (m[3] !== undefined) {
    sub = def.sub?.[m[3].toLowerCase()] ?? null;
    if (!sub) throw invalidPath(`no sub-attribute "${m[3].slice(0, 60)}" of ${def.name}`);
  }
  const filterAttrs: FilterAttributes = Object.fromEntries(Object.values(def.sub ?? {}).map((s) => [s.toLowerCase(), { path: s, caseExact: s === 'value' && def.name === 'members' }]));
  let filter: Filter | null = null;
  if (m[2] !== undefined) {
    if (!def.multi) throw invalidPath(`${def.name} is not multi-valued; it takes no [filter]`);
    try {
      filter = parseFilter(m[2], filterAttrs);
    } catch (err) {
      if (err instanceof ScimError) throw invalidPath(`in path "${raw.slice(0, 100)}": ${err.message}`);
      throw err;
    }
  }
  return { container, def, filter, filterAttrs, sub };
}

function holder(resource: Json, t: Target): Json {
  if (t.container === null) return resource;
  if (!isObject(resource[t.container])) resource[t.container] = {};
  return resource[t.container] as Json;
}

const sameValue = (a: unknown, b: unknown) => isObject(a) && isObject(b) && a.value !== undefined && a.value === b.value;

function appendUnique(list: unknown[], items: unknown[]): unknown[] {
  const out = [...list];
  for (const item of items) {
    const i = out.findIndex((x) => sameValue(x, item));
    if (i >= 0) out[i] = { ...(out[i] as Json), ...(item as Json) };
    else out.push(item);
  }
  return out;
}

/** The simple `attr eq "v"` of a filter, to create the element a replace/add targets when none matches (Entra ID). */
function simpleEq(f: Filter | null): [string, unknown] | null {
  return f && f.kind === 'cmp' && f.op === 'eq' ? [f.attr, f.value] : null;
}

function setAt(resource: Json, t: Target, value: unknown, op: 'add' | 'replace'): void {
  const h = holder(resource, t);
  const name = t.def.name;
  if (t.filter) {
    const list = Array.isArray(h[name]) ? [...(h[name] as unknown[])] : [];
    let matched = false;
    const next = list.map((el) => {
      if (!matchesFilter(el, t.filter!, t.filterAttrs)) return el;
      matched = true;
      if (t.sub) return { ...(el as Json), [t.sub]: value };
      const v = canonicalValue(value, { ...t.def, multi: false }, name);
      return isObject(v) ? { ...(el as Json), ...v } : el;
    });
    if (!matched) {
      const eq = simpleEq(t.filter);
      if (!eq) throw new ScimError(400, 'noTarget', `no ${name} value matches the path filter`);
      const base: Json = { [eq[0]]: eq[1] };
      next.push(t.sub ? { ...base, [t.sub]: value } : { ...base, ...((canonicalValue(value, { ...t.def, multi: false }, name) as Json) ?? {}) });
    }
    h[name] = next;
    return;
  }
  if (t.sub) {
    if (t.def.multi) {
      // emails.value on a multi-valued attribute: set the sub-attribute of the primary (or only) value
      const list = Array.isArray(h[name]) ? [...(h[name] as Json[])] : [];
      const i = Math.max(0, list.findIndex((e) => e.primary === true));
      list[i] = { ...(list[i] ?? {}), [t.sub]: value };
      h[name] = list;
    } else {
      h[name] = { ...(isObject(h[name]) ? (h[name] as Json) : {}), [t.sub]: value };
    }
    return;
  }
  const v = canonicalValue(value, t.def, name);
  if (t.def.multi) h[name] = op === 'add' ? appendUnique(Array.isArray(h[name]) ? (h[name] as unknown[]) : [], v as unknown[]) : v;
  else if (t.def.sub && op === 'add' && isObject(h[name]) && isObject(v)) h[name] = { ...(h[name] as Json), ...v };
  else h[name] = v;
}

function removeAt(resource: Json, t: Target, value: unknown): void {
  const h = holder(resource, t);
  const name = t.def.name;
  if (t.filter) {
    if (!Array.isArray(h[name])) return;
    const list = h[name] as unknown[];
    h[name] = t.sub
      ? list.map((el) => (matchesFilter(el, t.filter!, t.filterAttrs) ? Object.fromEntries(Object.entries(el as Json).filter(([k]) => k !== t.sub)) : el))
      : list.filter((el) => !matchesFilter(el, t.filter!, t.filterAttrs));
    return;
  }
  if (t.sub) {
    if (isObject(h[name])) delete (h[name] as Json)[t.sub];
    return;
  }
  if (t.def.multi && value !== undefined && value !== null) {
    // Entra ID: {"op":"Remove","path":"members","value":[{"value":"id"}]} removes just those
    const drop = canonicalValue(value, t.def, name) as unknown[];
    h[name] = (Array.isArray(h[name]) ? (h[name] as unknown[]) : []).filter((el) => !drop.some((d) => sameValue(el, d)));
    return;
  }
  delete h[name];
}

/**
 * Applies a SCIM PatchOp body (RFC 7644 §3.5.2) to a resource in canonical SCIM JSON and returns the new
 * resource; the caller then parses it like a PUT body. Ops are case-insensitive ("Replace" from Entra ID).
 */
export function applyPatch(resource: Json, body: unknown, schema: ResourceSchema): Json {
  if (!isObject(body)) throw invalidSyntax('the PATCH body must be a JSON object');
  const schemas = Object.entries(body).find(([k]) => k.toLowerCase() === 'schemas')?.[1];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCHEMAS.patchOp.toLowerCase())) {
    throw invalidSyntax(`a PATCH body must list the schema ${SCHEMAS.patchOp}`);
  }
  const unknown = Object.keys(body).filter((k) => !['schemas', 'operations'].includes(k.toLowerCase()));
  if (unknown.length > 0) throw invalidSyntax(`unknown attribute "${unknown[0].slice(0, 60)}" in the PATCH body`);
  const ops = Object.entries(body).find(([k]) => k.toLowerCase() === 'operations')?.[1];
  if (!Array.isArray(ops) || ops.length === 0) throw invalidSyntax('a PATCH body needs a non-empty "Operations" array');
  if (ops.length > MAX_OPERATIONS) throw new ScimError(400, 'tooMany', `at most ${MAX_OPERATIONS} operations per PATCH`);
  const out: Json = structuredClone(resource);
  ops.forEach((raw: unknown, i: number) => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object`);
    const entries = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
    const extra = Object.keys(entries).filter((k) => !['op', 'path', 'value'].includes(k));
    if (extra.length > 0) throw invalidSyntax(`Operations[${i}]: unknown member "${extra[0]}"`);
    const op = typeof entries.op === 'string' ? entries.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') throw invalidSyntax(`Operations[${i}].op must be add, remove or replace`);
    const path = entries.path;
    if (path === undefined || path === null || path === '') {
      if (op === 'remove') throw new ScimError(400, 'noTarget', `Operations[${i}]: remove needs a path`);
      // no path: the value is a partial resource whose attributes are added or replaced
      const partial = canonicalResource({ schemas: [schema.core], ...(isObject(entries.value) ? entries.value : invalidValueOf(i)) }, schema);
      for (const [name, value] of Object.entries(partial)) {
        const ext = Object.values(schema.extensions).find((e) => e.urn === name);
        if (ext) {
          out[name] = { ...(isObject(out[name]) ? (out[name] as Json) : {}), ...(value as Json) };
          continue;
        }
        setAt(out, { container: null, def: schema.attrs[name.toLowerCase()], filter: null, filterAttrs: {}, sub: null }, value, op);
      }
      return;
    }
    if (typeof path !== 'string') throw invalidPath(`Operations[${i}].path must be a string`);
    const target = parsePath(path, schema);
    if (op === 'remove') removeAt(out, target, entries.value);
    else {
      if (entries.value === undefined) throw invalidValue(`Operations[${i}]: ${op} needs a value`);
      setAt(out, target, entries.value, op);
    }
  });
  return out;
}

function invalidValueOf(i: number): never {
  throw invalidValue(`Operations[${i}]: without a path, the value must be an object of attributes`);
}
