import { expect, test } from "./fixtures";
import { DOROTHY, hydrated, login, OFFICE } from "./helpers";

/** Moves the server's clock (started with --test-clock) by some hours. */
async function moveClock(page: import("@playwright/test").Page, hours: number) {
  const res = await page.request.post("/api/test/clock", { data: { hours } });
  expect(res.ok()).toBeTruthy();
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

test("the continuity guard stops a reassignment until the dispatcher reads and gives a reason", async ({ page }, info) => {
  // It moves the server's clock, so it runs once (desktop), never beside other tests.
  test.skip(info.project.name !== "desktop", "moves the shared server clock");
  await login(page, OFFICE, /\/customers$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Day board" }).click();
  await hydrated(page);

  // Dorothy's visit two weeks from today is still with Sam, her technician.
  const today = await page.getByLabel("Board date").inputValue();
  const visitDay = addDays(today, 14);
  await page.getByLabel("Board date").fill(visitDay);
  await page.getByRole("button", { name: "Show day" }).click();
  await expect(page).toHaveURL(new RegExp(`date=${visitDay}`));
  await hydrated(page);

  const samLane = page.getByRole("region", { name: /^Sam Ortiz/ });
  const stop = samLane.getByRole("listitem").filter({ hasText: DOROTHY });
  await stop.getByText("Move or reassign").click();
  await stop.getByLabel("Technician").selectOption({ label: "Priya Nair" });
  await stop.getByRole("button", { name: "Move visit" }).click();

  // Stopped: her priorities, the "same technician" wish first, and a reason to give.
  const guard = stop.getByRole("group", { name: "Continuity guard" });
  await expect(guard.getByRole("heading", { name: `Continuity break: ${DOROTHY} is Sam Ortiz's customer` })).toBeFocused();
  await expect(guard.getByRole("listitem").first()).toContainText("Same technician every time");
  await expect(samLane.getByRole("link", { name: DOROTHY })).toBeVisible(); // nothing moved yet
  await guard.getByLabel("Why is someone else going?").selectOption({ label: "Technician is sick" });
  await guard.getByRole("button", { name: "Confirm the move" }).click();

  const priyaLane = page.getByRole("region", { name: /^Priya Nair/ });
  await expect(priyaLane.getByRole("listitem").filter({ hasText: DOROTHY })).toContainText("Substitute");
  await expect(samLane.getByRole("link", { name: DOROTHY })).toHaveCount(0);

  // The promise to tell Dorothy is the dispatcher's, due the day before the visit.
  const promiseText = `Tell ${DOROTHY} who is coming: Priya Nair instead of Sam Ortiz`;
  await page.goto("/promises");
  await hydrated(page);
  const overdue = page.getByRole("region", { name: "Overdue" });
  const upcoming = page.getByRole("region", { name: "Coming due" });
  await expect(upcoming.getByText(promiseText)).toBeVisible();
  await expect(overdue.getByText(promiseText)).toHaveCount(0);

  // Two weeks and a day later nobody has told her: it is overdue, and the count says so.
  await moveClock(page, 15 * 24);
  try {
    await page.reload();
    await hydrated(page);
    const late = overdue.getByRole("listitem").filter({ hasText: promiseText });
    await expect(late).toContainText("Overdue");
    await expect(late).toContainText("owner Olivia Grant");
    await expect(page.getByRole("navigation", { name: "Main" }).getByText(/\d+ overdue/)).toBeVisible();
    await late.getByRole("button", { name: `Kept: ${promiseText}`, exact: false }).click();
    await expect(overdue.getByText(promiseText)).toHaveCount(0);
  } finally {
    await moveClock(page, -15 * 24);
  }
});

test("a callback is logged as a promise with a deadline, and kept", async ({ page }, info) => {
  const asked = `Asked about the side door (${info.project.name} ${Date.now()})`;
  await login(page, OFFICE, /\/customers$/);
  await page.getByRole("link", { name: "Hillside Bakery" }).click();
  await hydrated(page);

  await page.getByLabel("What the customer called about").fill(asked);
  await page.getByLabel("They asked for a call back").check();
  await page.getByRole("button", { name: "Log call" }).click();
  await expect(page.getByLabel("What the customer called about")).toHaveValue("");

  const promises = page.getByRole("region", { name: "Promises" });
  const callback = promises.getByRole("listitem").filter({ hasText: asked });
  await expect(callback).toContainText("Call Hillside Bakery back");
  await expect(callback).toContainText(/by \d\d:\d\d/);
  await expect(callback).toContainText("made on a call");

  await callback.getByRole("button", { name: /^Kept: / }).click();
  await expect(promises.getByRole("listitem").filter({ hasText: asked }).getByRole("button")).toHaveCount(0);
  await promises.getByText(/Closed promises/).click();
  await expect(promises.getByRole("listitem").filter({ hasText: asked })).toContainText("Kept");

  // The call and the promise are on the customer's timeline.
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByText(`call logged: ${asked}`)).toBeVisible();
});

test("the at-risk list puts Dorothy near the top", async ({ page }) => {
  await login(page, OFFICE, /\/customers$/);
  await page.getByRole("link", { name: "At risk" }).click();
  await hydrated(page);
  const first = page.getByRole("main").getByRole("listitem").first();
  await expect(first).toContainText(DOROTHY);
  await expect(first).toContainText("4 technicians in the last 10 visits");
  await first.getByRole("link", { name: DOROTHY }).click();
  await expect(page.getByRole("region", { name: "Continuity" })).toContainText("4 technicians in the last 10 visits");
});
