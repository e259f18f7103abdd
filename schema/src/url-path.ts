/** The path of an http(s) URL without query or fragment; '' when it does not parse. */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
