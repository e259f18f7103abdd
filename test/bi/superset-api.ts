/** A small client of Superset's REST API for the dashboard tests (JWT login, JSON calls). */

/** Superset answered with an error status; the message carries its body. */
export class SupersetApiError extends Error {
  override readonly name = 'SupersetApiError';
}

/** A logged-in API session. */
export interface SupersetApi {
  get: <T>(path: string) => Promise<T>;
}

/** Logs in as `username` with /api/v1/security/login and returns a client. */
export async function loginApi(
  baseUrl: string,
  username: string,
  password: string,
): Promise<SupersetApi> {
  const res = await fetch(new URL('/api/v1/security/login', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, provider: 'db', refresh: false }),
  });
  const body = (await res.json()) as { access_token?: string; message?: string };
  if (!res.ok || body.access_token === undefined) {
    throw new SupersetApiError(`login as ${username}: ${res.status} ${JSON.stringify(body)}`);
  }
  const token = body.access_token;
  return {
    async get<T>(path: string): Promise<T> {
      const r = await fetch(new URL(path, baseUrl), {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(60_000),
      });
      const text = await r.text();
      if (!r.ok) throw new SupersetApiError(`GET ${path}: ${r.status} ${text.slice(0, 1000)}`);
      return JSON.parse(text) as T;
    },
  };
}

/** One row of a chart's data: column label → value. */
export type Row = Record<string, string | number | boolean | null>;

interface ChartDataResponse {
  result: { data: Row[]; error?: string | null; status?: string }[];
}

/** The rows of chart `id`'s saved query (GET /api/v1/chart/{id}/data). */
export async function chartRows(api: SupersetApi, id: number): Promise<Row[]> {
  const body = await api.get<ChartDataResponse>(`/api/v1/chart/${id}/data/?format=json&type=full`);
  const first = body.result[0];
  if (first === undefined) throw new SupersetApiError(`chart ${id}: no result`);
  if (first.error) throw new SupersetApiError(`chart ${id}: ${first.error}`);
  return first.data;
}

/** Chart ids of a dashboard by title (GET /api/v1/dashboard/{slug}/charts). */
export async function dashboardCharts(
  api: SupersetApi,
  slug: string,
): Promise<Map<string, number>> {
  const body = await api.get<{ result: { id: number; slice_name: string }[] }>(
    `/api/v1/dashboard/${slug}/charts`,
  );
  return new Map(body.result.map((c) => [c.slice_name, c.id]));
}
