// Renders the app icons (PNG) from public/favicon.svg's design with Debian's Chromium.
// Run: cd end2end && node render-icons.js
// The PNGs are committed; run this again only when the design changes.
const { chromium } = require("@playwright/test");
const path = require("path");

const mark = (scale) => `
  <g transform="translate(${32 - 32 * scale} ${32 - 32 * scale}) scale(${scale})">
    <path d="M20 48V16h14a10 10 0 0 1 0 20H26m8 0 10 12" fill="none" stroke="#fff"
      stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>
  </g>`;
const icons = [
  // "any": rounded tile, the mark at full size.
  { file: "icon-192.png", size: 192, svg: `<rect width="64" height="64" rx="14" fill="#1d4e6b"/>${mark(1)}` },
  { file: "icon-512.png", size: 512, svg: `<rect width="64" height="64" rx="14" fill="#1d4e6b"/>${mark(1)}` },
  // "maskable": full-bleed background, the mark inside the central safe zone.
  { file: "icon-maskable-512.png", size: 512, svg: `<rect width="64" height="64" fill="#1d4e6b"/>${mark(0.7)}` },
];

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="${icon.size}" height="${icon.size}">${icon.svg}</svg>`;
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.screenshot({ path: path.join(__dirname, "..", "public", "icons", icon.file), omitBackground: true });
    await page.close();
  }
  await browser.close();
})();
