import { expect, test } from "./fixtures";
import { hydrated, PASSWORD, SAM } from "./helpers";

test("a page without a session sends the person to log in, then back", async ({ page }) => {
  await page.goto("/customers?q=bakery");
  await expect(page).toHaveURL(/\/login\?next=/);
  await hydrated(page);
  await page.getByLabel("Email").fill(SAM);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/customers\?q=bakery$/);
});

test("a wrong password gets a clear message that does not say which part was wrong", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(SAM);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
});

test("a technician logs in and reaches their route by keyboard alone", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").focus();
  await page.keyboard.type(SAM);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/today$/);
  await expect(page.getByRole("heading", { level: 1, name: /Today/ })).toBeVisible();
  await expect(page.getByRole("list", { name: "Stops" }).getByRole("listitem").first()).toBeVisible();

  // Opened afresh, the first Tab reaches the skip link, and it moves focus to the content.
  await page.reload();
  await hydrated(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
