import { defineConfig } from "@playwright/test";
import { chromium } from "./tests/helpers";

// The server under test: the debug build cargo-leptos made, on its own port and a fresh
// SQLite file with the demo data, so tests never touch a developer's data/rapport.db.
const PORT = Number(process.env.E2E_PORT ?? 3107);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    headless: true,
    launchOptions: chromium,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "desktop",
      use: { viewport: { width: 1280, height: 800 } },
    },
    {
      name: "phone",
      use: { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    },
  ],
  webServer: {
    command: "rm -rf .data && ../target/debug/rapport-server --demo --test-clock",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: {
      DATABASE_URL: "sqlite://.data/e2e.db",
      RAPPORT_LISTEN: `127.0.0.1:${PORT}`,
      LEPTOS_SITE_ROOT: "../target/site",
      RUST_LOG: "warn",
    },
  },
});
