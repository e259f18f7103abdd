/**
 * The visitor id of cookieless events (issue 16): the SDK stores nothing beyond
 * the tab, so the ingestor derives one per day from what every request carries.
 */
import { createHmac } from 'node:crypto';

/**
 * `cl_` + 22 characters: a keyed hash (HMAC-SHA-256 with the day's secret salt)
 * of project, IP and user agent. Stable for a visitor within one UTC day and one
 * project; unlinkable across days once the salt rotated.
 */
export function cookielessVisitorId(
  salt: Buffer,
  project: string,
  ip: string,
  userAgent: string,
): string {
  const mac = createHmac('sha256', salt).update(`${project}\n${ip}\n${userAgent}`);
  return 'cl_' + mac.digest('base64url').slice(0, 22);
}
