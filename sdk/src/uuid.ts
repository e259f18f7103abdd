/**
 * Returns a random RFC 4122 version 4 UUID (works outside secure contexts, unlike
 * crypto.randomUUID): each 0/1 of the template becomes a random hex digit, each 8
 * a random one of 8, 9, a, b (the variant bits); the 4 is the version.
 */
export const uuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  );
