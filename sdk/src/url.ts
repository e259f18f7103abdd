/** Query parameters always stripped from URLs (more can be added with data-mask-params), comma-separated. */
export const DEFAULT_MASK = 'token,password,email,key,secret';

/** Strips deny-listed query parameters (case-insensitive) and cuts to the wire limit of 2048. */
export const cleanUrl = (href: string, deny: string[]): string => {
  try {
    const u = new URL(href);
    const q = u.searchParams;
    // re-serialized only when a parameter goes, so other URLs stay as they were
    [...q.keys()].forEach((k) => {
      if (deny.includes(k.toLowerCase())) {
        q.delete(k);
        href = u.href;
      }
    });
  } catch {
    // not a URL (an empty referrer): keep as is
  }
  return href.slice(0, 2048);
};

/** Reads the utm_* parameters of a URL (the first non-empty value of each). */
export const utm = (href: string): Record<string, string> => {
  const out: Record<string, string> = {};
  new URL(href).searchParams.forEach((v, k) => {
    if (v && /^utm_(source|medium|campaign|term|content)$/.test(k)) out[k] ??= v.slice(0, 256);
  });
  return out;
};
