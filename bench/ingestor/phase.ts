/**
 * What run.ts hands a load generator (as its JSON argument): load.ts runs a
 * closed loop over `connections`; open-loop.ts offers `rate` requests/s.
 */
export interface LoadPhase {
  url: string;
  body: string;
  headers: Record<string, string>;
  durationSeconds: number;
  /** Keep-alive connections of the closed loop (load.ts). */
  connections: number;
  /** Requests per second, evenly spaced (open-loop.ts; required there). */
  rate?: number;
}
