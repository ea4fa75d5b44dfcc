// Trunk post-build hook: writes the build's file list and a version made from their contents into
// the service worker (see boot/sw.js), so each deployment gets its own cache and an unchanged
// build keeps its version.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('run by trunk (TRUNK_STAGING_DIR is not set)');

async function walk(d) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

const version = createHash('sha256');
const files = [];
for (const path of (await walk(dir)).sort()) {
  const name = relative(dir, path).split(sep).join('/');
  if (name === 'sw.js') continue;
  files.push(`./${name}`);
  version.update(name).update('\0').update(createHash('sha256').update(await readFile(path)).digest());
}
const sw = join(dir, 'sw.js');
const source = await readFile(sw, 'utf8');
const id = version.digest('hex').slice(0, 16);
await writeFile(sw, source.replace("'__MARGIN_LAB_VERSION__'", JSON.stringify(id)).replace('__MARGIN_LAB_FILES__', JSON.stringify(files)));
console.log(`service worker: ${files.length} files, version ${id}`);
