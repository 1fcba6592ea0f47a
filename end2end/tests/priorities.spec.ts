import { expect, test } from "./fixtures";
import { DOROTHY, hydrated, login, logout, OFFICE, SAM } from "./helpers";

test("the office adds a priority and the technician sees it on today's stop", async ({ page }, info) => {
  const text = `Leave the invoice with the cashier (${info.project.name} ${Date.now()})`;

  await login(page, OFFICE, /\/customers$/);
  await page.getByLabel("Search customers").fill("gift");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: DOROTHY }).click();
  await expect(page.getByRole("heading", { level: 1, name: DOROTHY })).toBeVisible();

  // The priorities card is the first thing on the page, pinned ones first.
  const card = page.getByRole("region", { name: "Priorities" });
  await expect(card.getByRole("listitem").first()).toContainText("Same technician every time");

  await page.getByLabel("What matters to this customer, in their words").fill(text);
  await page.getByRole("button", { name: "Add priority" }).click();
  const added = card.getByRole("listitem").filter({ hasText: text });
  await expect(added).toBeVisible();
  await expect(added).toContainText(/Heard by Olivia Grant \(office\)/);
  await expect(page.getByLabel("What matters to this customer, in their words")).toHaveValue("");

  await logout(page);
  await login(page, SAM, /\/today$/);
  const stop = page.getByRole("article", { name: new RegExp(DOROTHY) });
  await expect(stop.getByRole("region", { name: `What matters to ${DOROTHY}` })).toContainText(text);
  await expect(stop.getByRole("link", { name: `Directions to ${DOROTHY}` })).toHaveAttribute("href", /maps.*14%20Main%20St/);
  await expect(stop.getByRole("link", { name: `Call ${DOROTHY}` })).toHaveAttribute("href", /^tel:\d+$/);
});

test("a priority can be edited and retired", async ({ page }, info) => {
  const text = `Knock on the side window (${info.project.name} ${Date.now()})`;
  await login(page, OFFICE, /\/customers$/);
  await page.getByRole("link", { name: "Hillside Bakery" }).click();
  await hydrated(page);
  await page.getByLabel("What matters to this customer, in their words").fill(text);
  await page.getByRole("button", { name: "Add priority" }).click();

  const card = page.getByRole("region", { name: "Priorities" });
  const item = card.getByRole("listitem").filter({ hasText: text });
  await item.getByText("Edit").click();
  await item.getByLabel("Priority text").fill(`${text} — edited`);
  await item.getByLabel("Pinned to the top").check();
  await item.getByRole("button", { name: "Save priority" }).click();
  const edited = card.getByRole("listitem").filter({ hasText: `${text} — edited` });
  await expect(edited).toContainText("Pinned");

  await edited.getByRole("button", { name: `Retire: ${text} — edited` }).click();
  await expect(card.getByText(text)).toHaveCount(0);
});
