/**
 * GeoIP with the `maxmind` reader. Reads both record layouts found in the
 * wild: MaxMind GeoIP2/GeoLite2 City (nested `country.iso_code`,
 * `subdivisions[0].names.en`, `city.names.en`) and ip-location-db / DB-IP
 * Lite (flat `country_code`, `state1`, `city`). Several files may be given
 * (ip-location-db ships IPv4 and IPv6 apart); the first that knows the
 * address wins, and an IPv4-only file is never asked about an IPv6 address.
 */
import { isIPv4, isIPv6 } from 'node:net';
import maxmind, { type Reader, type Response } from 'maxmind';

/** Location fields of the enriched event ('' when unknown). */
export interface GeoInfo {
  readonly country: string;
  readonly region: string;
  readonly city: string;
}

/** Looks up where an IP address is. */
export interface GeoLookup {
  /** The location of `ip` (full, not anonymised); empty fields when unknown. */
  lookup(ip: string): GeoInfo;
}

export const EMPTY_GEO: GeoInfo = Object.freeze({ country: '', region: '', city: '' });

/** A lookup that knows nothing: used when GEOIP_DB is not set. */
export const noGeoLookup: GeoLookup = { lookup: () => EMPTY_GEO };

/** Opens the mmdb files at `paths` (read fully into memory by `maxmind`). */
export async function openGeoLookup(paths: readonly string[]): Promise<GeoLookup> {
  const readers = await Promise.all(
    paths.map((path) => maxmind.open<Response>(path, { cache: { max: 10_000 } })),
  );
  return createGeoLookup(readers);
}

/** A lookup over already-open readers, in order. */
export function createGeoLookup(readers: readonly Reader<Response>[]): GeoLookup {
  const v4 = readers;
  const v6 = readers.filter((reader) => reader.metadata.ipVersion === 6);
  return {
    lookup(ip) {
      const candidates = isIPv4(ip) ? v4 : isIPv6(ip) ? v6 : [];
      for (const reader of candidates) {
        const record: unknown = reader.get(ip);
        if (record !== null && record !== undefined) return geoFromRecord(record);
      }
      return EMPTY_GEO;
    },
  };
}

/** Reads country / region / city from a record in either supported layout. */
export function geoFromRecord(record: unknown): GeoInfo {
  if (!isObject(record)) return EMPTY_GEO;
  const country = str(record.country_code) || str(field(record.country, 'iso_code'));
  const subdivisions = record.subdivisions;
  const firstSubdivision = Array.isArray(subdivisions) ? (subdivisions[0] as unknown) : undefined;
  const region = str(record.state1) || englishName(firstSubdivision);
  const city = typeof record.city === 'string' ? record.city : englishName(record.city);
  return { country: country.slice(0, 8), region: region.slice(0, 128), city: city.slice(0, 128) };
}

function englishName(value: unknown): string {
  return str(field(field(value, 'names'), 'en'));
}

function field(value: unknown, name: string): unknown {
  return isObject(value) ? value[name] : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
