// Debian's Chromium, as every browser run of the project launches it (Playwright cannot download
// browsers here). Without the background-networking flags Chromium keeps trying to reach Google's
// hosts, and this machine's closed network refuses them many at a time.
export const CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
