/** The org owner the e2e server is started with (TAILOR_ADMIN_EMAIL / TAILOR_ADMIN_PASSWORD). */
export const E2E_ADMIN = { email: 'owner@e2e.test', password: 'e2e-password-1' };

/** Where specs save screenshots for a person to look at (ignored by git). */
export const ARTIFACTS_DIR = new URL('../artifacts/', import.meta.url).pathname;

/**
 * The installation behind a TLS-terminating proxy: Tailor on plain http, the proxy (started by
 * tls-proxy.spec.ts) on https at the public URL.
 */
export const BEHIND_PROXY = {
  port: Number(process.env.E2E_BEHIND_PROXY_PORT ?? 4101),
  tlsPort: Number(process.env.E2E_TLS_PORT ?? 4443),
  host: 'tailor-secure.test',
  get publicUrl() {
    return `https://${this.host}:${String(this.tlsPort)}`;
  },
  dataDir: `${process.env.TMPDIR ?? '/tmp'}/tailor-e2e-behind-proxy-${String(process.pid)}`,
};

/** How the suite starts Debian's Chromium, never a downloaded browser (see the README's Test it). */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
