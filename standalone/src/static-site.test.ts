import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { fileForPath, registerStaticSite } from './static-site';

describe('static site', () => {
  const root = mkdtempSync(join(tmpdir(), 'gosight-site-'));
  writeFileSync(join(root, 'index.html'), '<h1>home</h1>');
  mkdirSync(join(root, 'css'));
  writeFileSync(join(root, 'css', 'a.css'), 'body{}');
  writeFileSync(join(root, '.env'), 'SECRET=1');

  it('never resolves outside the root or to hidden files', () => {
    expect(fileForPath(root, '/../etc/passwd')).toBeUndefined();
    expect(fileForPath(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
    expect(fileForPath(root, '/.env')).toBeUndefined();
    expect(fileForPath(root, '/%zz')).toBeUndefined();
    expect(fileForPath(root, '/')).toBe(join(root, 'index.html'));
  });

  it('answers files with their type, an ETag and 304, and 404 otherwise', async () => {
    const app = Fastify();
    registerStaticSite(app, root);
    const home = await app.inject({ url: '/?x=1' });
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(home.body).toBe('<h1>home</h1>');
    const css = await app.inject({ url: '/css/a.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const again = await app.inject({
      url: '/css/a.css',
      headers: { 'if-none-match': String(css.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ url: '/.env' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/missing.html' })).statusCode).toBe(404);
    await app.close();
  });

  it('tells browsers not to sniff: every answer keeps its declared type', async () => {
    const app = Fastify();
    registerStaticSite(app, root);
    for (const url of ['/', '/css/a.css', '/missing.html']) {
      expect((await app.inject({ url })).headers['x-content-type-options']).toBe('nosniff');
    }
    await app.close();
  });
});
