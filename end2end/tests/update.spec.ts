import { expect, test } from "./fixtures";
import { hydrated, login, SAM } from "./helpers";

test("a new version waits behind the open page until the person chooses to reload", async ({ page, context }, info) => {
  test.skip(info.project.name !== "desktop", "one browser size is enough for the worker's life cycle");
  // Each fetch of the worker after the first looks like a new build.
  let build = 0;
  await context.route("**/sw.js", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${await response.text()}\n// build ${build}\n` });
  });
  await login(page, SAM, /\/today$/);
  await page.reload();
  await hydrated(page);
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  const banner = page.getByRole("complementary", { name: "New version" });
  await expect(banner).toHaveCount(0);

  build = 1;
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await expect(banner).toContainText("A new version of Rapport is ready.");
  // The open page keeps working with the old version meanwhile.
  await expect(page.getByRole("status")).toContainText("All synced");

  await Promise.all([
    page.waitForEvent("load"),
    banner.getByRole("button", { name: "Reload to update" }).click(),
  ]);
  await hydrated(page);
  await expect(banner).toHaveCount(0);
});
