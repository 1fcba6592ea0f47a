import { chromium as browserType, expect, test } from "@playwright/test";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium } from "./helpers";

test("Chromium finds Rapport installable and its worker precaches the app shell", async ({ baseURL }, info) => {
  // Installability is judged for a normal (persistent) profile, not an incognito-like one.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "rapport-pwa-"));
  const context = await browserType.launchPersistentContext(profile, {
    ...chromium,
    headless: true,
    baseURL,
    viewport: info.project.use.viewport,
  });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);

    const manifest = await (await page.request.get("/manifest.webmanifest")).json();
    expect(manifest.display).toBe("standalone");
    const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));

    // The worker's precache is the build's real output: the wasm the page loads is in it.
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const shell = names.find((n) => n.startsWith("rapport-shell-"));
      const cache = await caches.open(shell!);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    expect(cached).toEqual(expect.arrayContaining(["/pkg/rapport.wasm", "/pkg/rapport.js", "/pkg/rapport.css"]));

    // API calls are never answered from the cache.
    const api = await page.evaluate(async () => (await fetch("/api/v1/sync/pull?cursor=0")).status);
    expect(api).toBe(401);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
