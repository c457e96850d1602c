#!/usr/bin/env node
// Regenerates src/api/schema.d.ts from the server's OpenAPI document.
// Usage: npm run gen:api  (needs ../target/debug/pulse, or PULSE_BIN).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const bin = process.env.PULSE_BIN ?? path.resolve(root, '../target/debug/pulse');

const out = path.join(root, 'openapi.json');
writeFileSync(out, execFileSync(bin, ['openapi'], { encoding: 'utf8' }));
execFileSync(path.join(root, 'node_modules/.bin/openapi-typescript'), [out, '-o', path.join(root, 'src/api/schema.d.ts')], {
  stdio: 'inherit',
});
