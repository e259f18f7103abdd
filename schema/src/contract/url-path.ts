// The events of one beacon mostly share their page's URL: the last answer is kept.
let lastUrl: string | undefined;
let lastPath = '';

/** The path of an http(s) URL without query or fragment; '' when it does not parse. */
export function pathOf(url: string): string {
  if (url === lastUrl) return lastPath;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = '';
  }
  lastUrl = url;
  lastPath = path;
  return path;
}
