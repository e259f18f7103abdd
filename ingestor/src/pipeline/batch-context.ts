/** What every event of one request shares: who sent it, from where, when. */
import type { GeoInfo } from '../enrich/geo-lookup';
import type { Project } from '../projects';
import type { UserAgentInfo } from '../enrich/user-agent';

export interface BatchContext {
  readonly project: Project;
  /** The batch's `sent_at` (client clock). */
  readonly sentAt: number;
  /** Server time the request was read. */
  readonly receivedAt: number;
  /** The IP as stored (anonymised by default). */
  readonly ip: string;
  readonly geo: GeoInfo;
  readonly userAgent: UserAgentInfo;
  /** The day's visitor id of a cookieless batch (`meta.cookieless`), replacing each event's anon_id. */
  readonly visitorId?: string | undefined;
}
