import { expect, test } from "./fixtures";
import { hydrated, login, OFFICE, PASSWORD, SAM } from "./helpers";

test("a technician works two stops offline and the office sees every note exactly once", async ({ page, context, browser }, info) => {
  test.skip(info.project.name !== "phone", "the offline day is a phone story");
  const tag = Date.now();
  const notes = [`Replaced two bait stations (${tag})`, `Sealed the gap by the back door (${tag})`];
  const heard = `Prefers a text the evening before (${tag})`;
  const promise = `Bring a spare key tag (${tag})`;
  const access = `Gate code 4821 (${tag})`;

  // Online once: log in, let the phone sync, and keep the page for offline use.
  await login(page, SAM, /\/today$/);
  const status = page.getByRole("status");
  await expect(status).toContainText("All synced");
  // The worker must be active, not still installing: it precaches every wasm chunk first.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await expect
    .poll(() => page.evaluate(async () => !!(await caches.match("/today"))), { timeout: 15_000 })
    .toBe(true);

  // The network goes; the app is closed and opened again from the home screen.
  await context.setOffline(true);
  await page.close();
  const phone = await context.newPage();
  await phone.goto("/today");
  await hydrated(phone);
  await expect(phone.getByRole("status")).toContainText("All synced");

  // Any day of the window is on the phone too.
  await phone.getByRole("button", { name: "Next day" }).click();
  await expect(phone.getByRole("heading", { level: 1 })).not.toContainText("Today");
  await phone.getByRole("button", { name: "Back to today" }).click();
  await expect(phone.getByRole("heading", { level: 1 })).toContainText("Today");
  await expect(phone.getByText(/Ready for the day: 5 stops/)).toBeVisible();

  const stops = phone.getByRole("article");
  const names: string[] = [];
  for (const [i, note] of notes.entries()) {
    const stop = stops.nth(i);
    names.push((await stop.getByRole("heading", { level: 2 }).innerText()).replace(/^\d+\.\s*/, ""));
    // The priorities are on screen before the visit starts.
    await expect(stop.getByRole("region", { name: /What matters to/ })).toBeVisible();
    await stop.getByText("Work this stop").click();
    await stop.getByRole("button", { name: "I've read the priorities" }).click();
    await expect(stop.getByText("Priorities read before the visit")).toBeVisible();
    await stop.getByRole("button", { name: "Arrived" }).click();
    await expect(stop.getByText("Status: On site")).toBeVisible();
    await stop.getByLabel("Visit note", { exact: true }).fill(note);
    await stop.getByRole("button", { name: "Save note" }).click();
    await expect(stop.getByRole("region", { name: "Visit notes" })).toContainText(note);
  }
  const first = stops.nth(0);
  await first.getByLabel("A priority the customer mentioned").fill(heard);
  await first.getByRole("button", { name: "Add priority" }).click();
  await expect(first.getByRole("region", { name: /What matters to/ })).toContainText(heard);
  await first.getByLabel("Promise to the customer").fill(promise);
  await first.getByRole("button", { name: "Add promise" }).click();
  await expect(first.getByRole("region", { name: "Open promises" })).toContainText(promise);
  await first.getByRole("button", { name: `Mark kept: ${promise}` }).click();
  // Kept: it leaves the open promises (the office's own promises to Dorothy stay).
  await expect(first.getByRole("region", { name: "Open promises" })).not.toContainText(promise);
  await first.getByLabel("New access notes (gate code, parking, pets)").fill(access);
  await first.getByRole("button", { name: "Update access notes" }).click();
  await expect(first.getByText(access)).toBeVisible();
  await first.getByRole("button", { name: "Done" }).click();
  await expect(phone.getByRole("status")).toContainText("11 changes waiting");

  // Reloaded while still offline: everything is still there, still waiting.
  await phone.reload();
  await hydrated(phone);
  await expect(phone.getByRole("status")).toContainText("11 changes waiting");
  await expect(stops.nth(0).getByRole("region", { name: /What matters to/ })).toContainText(heard);

  // The signal returns: the phone syncs by itself.
  await context.setOffline(false);
  await expect(phone.getByRole("status")).toContainText("All synced", { timeout: 20_000 });

  // The office sees each note once, on the customer's page.
  const officeContext = await browser.newContext({ baseURL: info.project.use.baseURL });
  const office = await officeContext.newPage();
  await login(office, OFFICE, /\/customers$/);
  for (const [i, note] of notes.entries()) {
    await office.goto("/customers");
    await hydrated(office);
    await office.getByLabel("Search customers").fill(names[i]);
    await office.getByRole("button", { name: "Search" }).click();
    await office.getByRole("link", { name: names[i], exact: true }).click();
    await expect(office.getByRole("heading", { level: 1, name: names[i] })).toBeVisible();
    await expect(office.getByText(note, { exact: true })).toHaveCount(1);
    if (i === 0) await expect(office.getByText(access, { exact: true })).toBeVisible();
  }
  await expect(office.getByRole("region", { name: "Priorities" })).toHaveCount(1);
  await officeContext.close();
  void PASSWORD;
});
