#!/usr/bin/env node
// Regenerates src/api/schema.d.ts from the server's OpenAPI document.
// Usage: npm run gen:api  (needs ../target/debug/pulse, or PULSE_BIN).
//
// A `$ref` to a schema the document does not define would stop openapi-typescript;
// such refs are reported and replaced by an open schema so generation still works.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const bin = process.env.PULSE_BIN ?? path.resolve(root, '../target/debug/pulse');

const doc = JSON.parse(execFileSync(bin, ['openapi'], { encoding: 'utf8' }));
const defined = new Set(Object.keys(doc.components?.schemas ?? {}));
const missing = new Set();
const fix = (node) => {
  if (Array.isArray(node)) return node.map(fix);
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/components/schemas/')) {
    const name = node.$ref.slice('#/components/schemas/'.length);
    if (!defined.has(name)) {
      missing.add(name);
      return { description: `(undefined schema ${name} in the server's document)` };
    }
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fix(v)]));
};
const fixed = fix(doc);
if (missing.size) console.warn(`warning: the OpenAPI document refers to undefined schemas: ${[...missing].join(', ')}`);

const out = path.join(root, 'openapi.json');
writeFileSync(out, JSON.stringify(fixed, null, 2));
execFileSync(path.join(root, 'node_modules/.bin/openapi-typescript'), [out, '-o', path.join(root, 'src/api/schema.d.ts')], {
  stdio: 'inherit',
});
