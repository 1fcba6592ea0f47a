// Offline cold open: how long from opening the app with no network to the route on screen,
// and how many bytes the technician's window takes in localStorage.
//   target/debug/rapport-server --demo --listen 127.0.0.1:3200 --database-url sqlite:///tmp/bench.db &
//   node bench/offline-open.js [http://127.0.0.1:3200]
// Uses end2end's Playwright and Debian's Chromium.
const { chromium } = require("../end2end/node_modules/@playwright/test");

const BASE = process.argv[2] ?? "http://127.0.0.1:3200";
const RUNS = 10;

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.waitForSelector("body[data-hydrated]");
  await page.getByLabel("Email").fill("sam@rapport.example");
  await page.getByLabel("Password").fill("rapport-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByText("All synced").waitFor();
  // The worker must be active (it precaches every wasm chunk first) and have kept /today.
  await page.evaluate(() => navigator.serviceWorker.ready);
  for (let i = 0; i < 100 && !(await page.evaluate(async () => !!(await caches.match("/today")))); i++) {
    await page.waitForTimeout(100);
  }
  const bytes = await page.evaluate(() => {
    let n = 0;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      n += (k.length + localStorage.getItem(k).length) * 2; // UTF-16, as browsers count it
    }
    return n;
  });
  await page.close();

  await context.setOffline(true);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const p = await context.newPage();
    const start = Date.now();
    await p.goto("/today");
    await p.getByText(/Ready for the day/).waitFor();
    times.push(Date.now() - start);
    await p.close();
  }
  times.sort((a, b) => a - b);
  const median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2;
  console.log(`localStorage: ${bytes} bytes for the technician's window`);
  console.log(`offline cold open to route visible: median ${median} ms over ${RUNS} (min ${times[0]}, max ${times[RUNS - 1]})`);
  await browser.close();
})();
