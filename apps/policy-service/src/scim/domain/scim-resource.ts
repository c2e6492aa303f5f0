import { invalidSyntax, invalidValue } from './scim.error';
import { AttrDef, ResourceSchema } from './scim-schema';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function canonicalComplex(value: unknown, def: AttrDef, where: string): unknown {
  if (!def.sub) return value;
  const one = (v: unknown): unknown => {
    if (!isObject(v)) {
      // a bare value for a multi-valued attribute (["a@b.c"]) means {value}
      if (def.multi && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return { value: v };
      throw invalidValue(`${where}: expected an object`);
    }
    const out: Json = {};
    for (const [k, sv] of Object.entries(v)) {
      const name = def.sub![k.toLowerCase()];
      if (!name) throw invalidSyntax(`${where}: unknown sub-attribute "${k.slice(0, 60)}"`);
      out[name] = sv;
    }
    return out;
  };
  if (def.multi) {
    if (value === null) return [];
    return (Array.isArray(value) ? value : [value]).map(one);
  }
  return value === null ? null : one(value);
}

/** A value for one attribute with canonical sub-attribute names (for PATCH values). */
export function canonicalValue(value: unknown, def: AttrDef, where: string): unknown {
  return canonicalComplex(value, def, where);
}

/**
 * A request body with canonical attribute names. `schemas`, `id` and `meta` are dropped (the server's);
 * extension attributes stay under their URN. Unknown attributes or schemas are invalidSyntax.
 */
export function canonicalResource(body: unknown, schema: ResourceSchema, allowReadOnly = false): Json {
  if (!isObject(body)) throw invalidSyntax('the request body must be a JSON object');
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas') {
      if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw invalidSyntax('"schemas" must be an array of URNs');
      for (const s of value as string[]) {
        if (s.toLowerCase() !== schema.core.toLowerCase() && !schema.extensions[s.toLowerCase()]) throw invalidValue(`unsupported schema "${s.slice(0, 100)}"`);
      }
      continue;
    }
    const ext = schema.extensions[lower];
    if (ext) {
      if (!isObject(value)) throw invalidSyntax(`"${key}" must be an object`);
      const extOut: Json = {};
      for (const [k, v] of Object.entries(value)) {
        const def = ext.attrs[k.toLowerCase()];
        if (!def) throw invalidSyntax(`unknown attribute "${k.slice(0, 60)}" of ${ext.urn}`);
        extOut[def.name] = canonicalComplex(v, def, `${ext.urn}:${def.name}`);
      }
      out[ext.urn] = extOut;
      continue;
    }
    const def = schema.attrs[lower];
    if (!def) throw invalidSyntax(`unknown attribute "${key.slice(0, 60)}"`);
    if (def.readOnly && !allowReadOnly) continue;
    out[def.name] = canonicalComplex(value, def, def.name);
  }
  return out;
}

/** SCIM booleans as IdPs send them: true/false, and (Entra ID) "True"/"False" strings. */
export function scimBoolean(value: unknown, attr: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw invalidValue(`${attr} must be true or false`);
}

export function optionalString(value: unknown, attr: string, max = 256): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalidValue(`${attr} must be a string`);
  if (value.length > max) throw invalidValue(`${attr} is longer than ${max} characters`);
  return value;
}

export function requiredString(value: unknown, attr: string, max = 256): string {
  const s = optionalString(value, attr, max);
  if (s === null || s.trim() === '') throw invalidValue(`${attr} is required`);
  return s.trim();
}
