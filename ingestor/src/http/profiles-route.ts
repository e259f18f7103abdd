/**
 * `POST /v1/profiles`: server-side user profiles (issue 17, section 1) — a
 * CRM's plan or cohort, data the browser does not have. Server to server:
 * authenticated with the project's secret (`Authorization: Bearer <secret>`,
 * GOSIGHT_PROJECTS `secret`), and refused outright when a browser sends it
 * (an `Origin` or `Sec-Fetch-*` header), so a secret pasted into a page is
 * useless there. The body is one profile or an array of them
 * (`{user_id, segment?, traits?, updated_at?}`, schema profiles.ts); a request
 * is taken whole or refused whole (400 naming every bad profile). Accepted
 * profiles go on the raw topic as profiles messages — the processor reads
 * them in the stream with the events — and the answer (202) waits for the bus.
 */
import {
  describeProblem,
  firstProblem,
  HEADERS,
  MAX_PROFILES_BODY_BYTES,
  MAX_PROFILES_PER_REQUEST,
  profileInput,
  profilesMessageValues,
  serverProfileRecord,
  type ProfileRecord,
} from '@gosight/schema';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BusError, type EventProducer } from '../bus/event-producer';
import { IngestError } from '../errors';
import type { Project, ProjectRegistry } from '../projects';
import { parseBody } from './parse-body';

export const PROFILES_PATH = '/v1/profiles';
/** Bad profiles named in one 400 answer; the count says how many there were. */
const MAX_REPORTED = 20;

export interface ProfilesRouteDeps {
  producer: EventProducer;
  projects: ProjectRegistry;
  rawTopic: string;
  clock: () => number;
  retryAfterSeconds: number;
  isShuttingDown: () => boolean;
}

/** Answer body of `202 Accepted` from `POST /v1/profiles`. */
export interface ProfilesAccepted {
  accepted: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    gosightProfilesProject: Project | null;
  }
}

/** Registers `POST /v1/profiles` with its own body parser (an encapsulated plugin). */
export function profilesRoute(app: FastifyInstance, deps: ProfilesRouteDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_PROFILES_BODY_BYTES },
    (_request, body: Buffer, done) => {
      try {
        done(null, parseBody(body));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  // Any other type is answered in the catalogue's words, naming the one this route takes.
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(
      new IngestError('CONTENT_TYPE_UNSUPPORTED', 'POST /v1/profiles takes application/json'),
      undefined,
    );
  });
  app.decorateRequest('gosightProfilesProject', null);

  /** Refuses browsers and checks the secret before the body is read. */
  function authenticate(request: FastifyRequest): void {
    const headers = request.headers;
    if (headers.origin !== undefined || headers['sec-fetch-site'] !== undefined) {
      throw new IngestError('PROFILES_FROM_BROWSER');
    }
    const authorization = headers.authorization;
    if (authorization === undefined) throw new IngestError('SECRET_MISSING');
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match?.[1]) {
      throw new IngestError('SECRET_MISSING', 'the Authorization header is not "Bearer <secret>"');
    }
    const project = deps.projects.bySecret(match[1]);
    if (!project) throw new IngestError('SECRET_INVALID');
    const encoding = headers['content-encoding']?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      throw new IngestError('BODY_BAD_ENCODING', 'POST /v1/profiles takes an uncompressed body');
    }
    request.gosightProfilesProject = project;
  }

  app.post(
    PROFILES_PATH,
    {
      bodyLimit: MAX_PROFILES_BODY_BYTES,
      onRequest: (request, _reply, done) => {
        try {
          authenticate(request);
          done();
        } catch (error) {
          done(error as Error);
        }
      },
    },
    async (request, reply) => {
      const project = request.gosightProfilesProject;
      if (!project) throw new IngestError('INTERNAL');
      if (deps.isShuttingDown()) {
        throw new IngestError('SHUTTING_DOWN', undefined, undefined, deps.retryAfterSeconds);
      }
      const records = checkProfiles(request.body, project.key, deps.clock());
      const messages = profilesMessageValues(records).map(({ value, count }) => ({
        // One project's profile updates keep their order on one partition.
        key: `profiles:${project.key}`,
        value,
        headers: { [HEADERS.project]: project.key, [HEADERS.events]: String(count) },
        events: count,
      }));
      try {
        await deps.producer.send([{ topic: deps.rawTopic, messages }]);
      } catch (error) {
        if (error instanceof BusError) {
          throw new IngestError(error.code, error.message, undefined, deps.retryAfterSeconds);
        }
        throw error;
      }
      const body: ProfilesAccepted = { accepted: records.length };
      return reply.code(202).send(body);
    },
  );
  return Promise.resolve();
}

/** The records of a body of one profile or an array of them; throws PROFILES_INVALID naming the bad ones. */
function checkProfiles(body: unknown, projectKey: string, receivedAt: number): ProfileRecord[] {
  const list = Array.isArray(body) ? (body as unknown[]) : [body];
  if (list.length === 0) throw new IngestError('PROFILES_INVALID', 'the array holds no profile');
  if (list.length > MAX_PROFILES_PER_REQUEST) {
    throw new IngestError(
      'PROFILES_INVALID',
      `at most ${MAX_PROFILES_PER_REQUEST} profiles a request (got ${list.length})`,
    );
  }
  const records: ProfileRecord[] = [];
  const problems: string[] = [];
  let bad = 0;
  list.forEach((item, index) => {
    const checked = profileInput.safeParse(item);
    if (checked.success) {
      records.push(serverProfileRecord(projectKey, checked.data, receivedAt));
      return;
    }
    bad += 1;
    const prefix = Array.isArray(body) ? [index] : [];
    if (problems.length < MAX_REPORTED) {
      problems.push(describeProblem(firstProblem(checked.error, prefix)));
    }
  });
  if (bad > 0) {
    const more = bad > problems.length ? `; and ${bad - problems.length} more` : '';
    throw new IngestError(
      'PROFILES_INVALID',
      `${bad} of ${list.length} profiles are invalid, none was stored: ${problems.join('; ')}${more}`,
    );
  }
  return records;
}
