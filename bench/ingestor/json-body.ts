/**
 * The body handling of the bench's reference routes: `text/plain` and
 * `application/json` read as a string and `JSON.parse`d, nothing more.
 */
import type { FastifyInstance } from 'fastify';

export function parseJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['text/plain', 'application/json'],
    { parseAs: 'string' },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string) as unknown);
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}
