/**
 * Launch options for Debian's Chromium, shared by every Playwright config.
 * Never `npx playwright install`: the browser comes from apt (`chromium`).
 * The background-networking flags stop Chromium calling out to Google's
 * hosts, which this machine's closed network refuses by the dozen.
 */
export const debianChromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--headless=new',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
