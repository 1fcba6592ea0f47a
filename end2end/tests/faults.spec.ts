import { expect, test } from "./fixtures";
import { hydrated, login, SAM } from "./helpers";

test("the phone keeps its changes through a server that errors or answers garbage, and says so", async ({ page }, info) => {
  test.skip(info.project.name !== "phone", "the sync status is a phone story");
  const note = `Checked the loft hatch (${Date.now()})`;
  await login(page, SAM, /\/today$/);
  const status = page.getByRole("status");
  await expect(status).toContainText("All synced");

  // The server falls over: every push is answered with a 500 and an HTML error page.
  await page.route("**/api/v1/sync/push", (route) =>
    route.fulfill({ status: 500, contentType: "text/html", body: "<html><body><h1>Internal Server Error</h1></body></html>" }),
  );
  const stop = page.getByRole("article").first();
  await stop.getByText("Work this stop").click();
  await stop.getByLabel("Visit note", { exact: true }).fill(note);
  await stop.getByRole("button", { name: "Save note" }).click();
  await expect(stop.getByRole("region", { name: "Visit notes" })).toContainText(note);
  await expect(status).toContainText("1 change waiting");
  await expect(page.getByText(/Will retry: the server answered 500/)).toBeVisible({ timeout: 15_000 });

  // Then it answers 200 with something that is not the sync's JSON.
  await page.unroute("**/api/v1/sync/push");
  await page.route("**/api/v1/sync/push", (route) =>
    route.fulfill({ status: 200, contentType: "application/json", body: '{"results": [' }),
  );
  await expect(page.getByText(/Will retry: .*answer could not be read/)).toBeVisible({ timeout: 20_000 });
  await expect(status).toContainText("1 change waiting");

  // Closed and opened again in the meantime: the change is still on the phone.
  await page.reload();
  await hydrated(page);
  await expect(status).toContainText("1 change waiting");

  // The server recovers: the note goes up, once.
  await page.unroute("**/api/v1/sync/push");
  await expect(status).toContainText("All synced", { timeout: 30_000 });
  const pulled = await page.request.get("/api/v1/sync/pull?cursor=0&limit=5000");
  expect(pulled.ok()).toBe(true);
  const { notes } = await pulled.json();
  expect(notes.filter((n: { body: string }) => n.body === note)).toHaveLength(1);
});
