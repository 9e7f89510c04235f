// `npm run build`, after tsc: the data files the compiled code reads beside itself (the intent
// classifier's model and combination weights: src/intents/classifier/model.bin, *.json), copied into dist/
// at the same relative paths. tsc emits only what is imported; these are read by URL.
// `--out <dir>` copies into another output directory (the build test's).
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const outAt = process.argv.indexOf('--out');
const dist = outAt > 0 ? join(root, process.argv[outAt + 1]) : join(root, 'dist');
let copied = 0;
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'generated') walk(path);
    } else if (name.endsWith('.json') || name.endsWith('.bin')) {
      cpSync(path, join(dist, relative(src, path)));
      copied++;
    }
  }
})(src);
console.log(`copied ${copied} data file(s) into dist/`);
