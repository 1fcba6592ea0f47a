import { expect, test } from "./fixtures";
import { hydrated, login, SAM } from "./helpers";

const ADMIN = "admin@rapport.example";

test("an admin signs out a technician's phone; it keeps its changes and syncs once allowed again and logged in", async ({ browser }, info) => {
  test.skip(info.project.name !== "phone", "one phone is enough");
  const note = `Left the invoice under the mat (${Date.now()})`;
  const phoneContext = await browser.newContext({ ...info.project.use, baseURL: info.project.use.baseURL });
  const phone = await phoneContext.newPage();
  await login(phone, SAM, /\/today$/);
  await expect(phone.getByRole("status")).toContainText("All synced");

  const adminContext = await browser.newContext({ baseURL: info.project.use.baseURL });
  const admin = await adminContext.newPage();
  await login(admin, ADMIN, /\/customers$/);
  await admin.getByRole("link", { name: "Devices" }).click();
  await expect(admin.getByRole("heading", { name: "Devices", level: 1 })).toBeVisible();
  // The phone that synced last is listed first.
  await admin.getByRole("button", { name: /^Sign out Sam Ortiz's / }).first().click();
  await expect(admin.getByText(/Signed out \d{4}-\d\d-\d\d/).first()).toBeVisible();

  // The phone writes on; its sync is refused, and it says so without losing the note.
  const stop = phone.getByRole("article").first();
  await stop.getByText("Work this stop").click();
  await stop.getByLabel("Visit note", { exact: true }).fill(note);
  await stop.getByRole("button", { name: "Save note" }).click();
  await expect(phone.getByRole("status")).toContainText("1 change waiting");
  await expect(phone.getByText(/you are signed out; log in again to sync/)).toBeVisible({ timeout: 15_000 });

  // Logging in again is not enough: the device itself stays refused, and the phone says why.
  await phone.goto("/today");
  await expect(phone).toHaveURL(/\/login/);
  await login(phone, SAM, /\/today$/);
  await hydrated(phone);
  await expect(phone.getByText(/Ask an admin to allow it again/)).toBeVisible({ timeout: 15_000 });
  await expect(phone.getByRole("status")).toContainText("1 change waiting");

  // The admin allows it again; Sam logs in once more on the same phone: the note goes up once.
  await admin.getByRole("button", { name: /^Allow Sam Ortiz's / }).first().click();
  await expect(admin.getByRole("button", { name: /^Allow Sam Ortiz's / })).toHaveCount(0);
  await phone.goto("/today");
  if (phone.url().includes("/login")) await login(phone, SAM, /\/today$/);
  await hydrated(phone);
  await expect(phone.getByRole("status")).toContainText("All synced", { timeout: 20_000 });
  const pulled = await phone.request.get("/api/v1/sync/pull?cursor=0&limit=5000");
  const { notes } = await pulled.json();
  expect(notes.filter((n: { body: string }) => n.body === note)).toHaveLength(1);
  await phoneContext.close();
  await adminContext.close();
});
