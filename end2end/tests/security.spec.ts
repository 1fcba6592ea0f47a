import { DOROTHY, hydrated, login, OFFICE } from "./helpers";
import { expect, test } from "./fixtures";

test("every page comes with a strict Content-Security-Policy and still hydrates", async ({ page }) => {
  const res = await page.goto("/login");
  const headers = res!.headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}' 'wasm-unsafe-eval'/);
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"]) {
    expect(policy).toContain(directive);
  }
  expect(policy).not.toContain("unsafe-inline");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cache-control"]).toBe("no-store");
  // The wasm loaded and took over under the policy (the fixture fails on any refusal).
  await hydrated(page);
});

test("hostile text in access notes and priorities stays text in the office's forms", async ({ page }, info) => {
  test.setTimeout(120_000);
  const tag = `${info.project.name} ${Date.now()}`;
  const hostile = `Gate 12</textarea><img src=x onerror="window.__pwned='${tag}'"> & "quotes" (${tag})`;
  await page.addInitScript(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (window as any).__pwned = undefined;
  });
  await login(page, OFFICE, /\/customers$/);
  await page.getByLabel("Search customers").fill("gift");
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: DOROTHY }).click();
  await hydrated(page);

  // A priority with the text, then its edit form, rendered by the server on a fresh load.
  await page.getByLabel("What matters to this customer, in their words").fill(hostile);
  await page.getByRole("button", { name: "Add priority" }).click();
  const card = page.getByRole("region", { name: "Priorities" });
  await expect(card.getByRole("listitem").filter({ hasText: tag })).toBeVisible();
  await page.reload();
  await hydrated(page);
  const item = card.getByRole("listitem").filter({ hasText: tag });
  await expect(item).toContainText(hostile);
  await item.getByText("Edit").click();
  await expect(item.getByLabel("Priority text")).toHaveValue(hostile);

  // The access notes, saved through the customer form and shown in it again (each form
  // opened as a fresh page load, so the server renders it).
  const editUrl = await page.getByRole("link", { name: "Edit customer" }).getAttribute("href");
  await page.goto(editUrl!);
  await hydrated(page);
  const notes = page.getByLabel("Access notes (gate codes, parking, pets)");
  const before = await notes.inputValue();
  await notes.fill(hostile);
  await page.getByRole("button", { name: "Save customer" }).click();
  await expect(page.getByRole("heading", { level: 1, name: DOROTHY })).toBeVisible();
  await page.goto(editUrl!);
  await hydrated(page);
  await expect(notes).toHaveValue(hostile);

  // Nothing ran and no element came from the text.
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  // Put the notes back, so the other tests see Dorothy as they expect.
  await notes.fill(before);
  await page.getByRole("button", { name: "Save customer" }).click();
  await expect(page.getByRole("heading", { level: 1, name: DOROTHY })).toBeVisible();
  await hydrated(page);
  await card.getByRole("button", { name: `Retire: ${hostile}` }).click();
  await expect(card.getByText(tag)).toHaveCount(0);
});
