// A tiny static file server for the built site, on 127.0.0.1 and a free port.
//
// It behaves like a plain static host: `dir/` serves `dir/index.html`, `dir`
// (a folder without the slash) redirects to `dir/`, and anything missing gets
// `404.html` from the site root with status 404 (plain text if there is none).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.zip': 'application/zip',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * Starts serving `root`. Resolves to `{ origin, port, close() }`; `origin` is
 * like `http://127.0.0.1:41234`.
 */
export function startServer(root) {
  const rootAbs = path.resolve(root);
  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' }, 'method not allowed\n');
      return;
    }
    const notFound = () => {
      const page = path.join(rootAbs, '404.html');
      if (fs.existsSync(page)) {
        send(404, { 'Content-Type': CONTENT_TYPES['.html'] }, fs.readFileSync(page));
      } else {
        send(404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'not found\n');
      }
    };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      send(400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'bad request\n');
      return;
    }
    // URL parsing has already folded `..` segments; this guards encoded ones.
    let file = path.resolve(rootAbs, '.' + pathname);
    if (pathname.includes('\0') || (file !== rootAbs && !file.startsWith(rootAbs + path.sep))) {
      notFound();
      return;
    }
    let stat;
    try {
      stat = fs.statSync(file);
    } catch {
      notFound();
      return;
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const u = new URL(req.url, 'http://127.0.0.1');
        send(301, { Location: u.pathname + '/' + u.search }, '');
        return;
      }
      file = path.join(file, 'index.html');
      try {
        stat = fs.statSync(file);
      } catch {
        notFound();
        return;
      }
    }
    if (!stat.isFile()) {
      notFound();
      return;
    }
    send(200, { 'Content-Type': contentType(file), 'Content-Length': stat.size, 'Cache-Control': 'no-store' }, fs.readFileSync(file));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
