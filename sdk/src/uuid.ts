/** Returns a random RFC 4122 version 4 UUID (works outside secure contexts, unlike crypto.randomUUID). */
export const uuid = (): string => {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  let s = '';
  b.forEach((x, i) => {
    s += (i == 4 || i == 6 || i == 8 || i == 10 ? '-' : '') + (x + 256).toString(16).slice(1);
  });
  return s;
};
