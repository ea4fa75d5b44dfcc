// A minimal static server for the release build in ../dist (or $DIST), on loopback only. Like a
// static host it compresses text and wasm with gzip when the browser accepts it, so measured runs
// download what a real visitor downloads.
// Usage: node serve.mjs [port]   (used by the Playwright config and ./dev bench-wasm, which passes
// port 0 for a free one; `./dev serve` uses `trunk serve`).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(process.env.DIST ?? fileURLToPath(new URL('../dist', import.meta.url)));
const port = Number(process.argv[2] ?? process.env.PORT ?? 8787);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};
const compressible = new Set(['.html', '.js', '.wasm', '.css', '.svg', '.json', '.webmanifest', '.csv', '.md']);
// Compressed once per file version (gzip -9 of the wasm takes a while).
const gzipped = new Map();

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let path = normalize(join(root, decodeURIComponent(url.pathname)));
  if (!path.startsWith(root)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    const { mtimeMs, size } = await stat(path);
    let body = await readFile(path);
    const headers = { 'content-type': types[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
    if (compressible.has(extname(path)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      const key = `${path}:${mtimeMs}:${size}`;
      if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
      body = gzipped.get(key);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', function () {
  // Port 0 picks a free port: the line below says which (./dev reads it).
  console.log(`serving ${root} on http://127.0.0.1:${this.address().port}/`);
});
