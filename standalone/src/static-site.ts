/**
 * Serves a directory of static files (the demo shop) on the ingestor's
 * Fastify app: GET/HEAD only, paths resolved inside the root (no `..`
 * escapes, no dotfiles), content type by extension (and `nosniff`), a
 * strong ETag with 304.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file under `root` a URL path names, or undefined when it would leave the root or is hidden. */
export function fileForPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) {
    return undefined;
  }
  const relative = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const base = resolve(root);
  const file = resolve(join(base, relative));
  return file.startsWith(base + sep) ? file : undefined;
}

/** Registers `GET /*` for the files under `root` (routes registered elsewhere win). */
export function registerStaticSite(app: FastifyInstance, root: string): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    handler: async (request, reply) => {
      const file = fileForPath(root, request.url);
      const info = file ? await stat(file).catch(() => undefined) : undefined;
      // Served with its declared type only, also when the app it is mounted on sets nothing.
      reply.header('x-content-type-options', 'nosniff');
      if (!file || !info?.isFile()) {
        return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
      }
      const body = await readFile(file);
      const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
      reply
        .header('etag', etag)
        .header('cache-control', 'no-cache')
        .type(TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.send(body);
    },
  });
}
