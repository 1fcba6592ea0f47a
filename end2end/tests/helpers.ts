import { expect, Page } from "@playwright/test";

// Debian's Chromium, never a browser downloaded by Playwright. The flags keep it from trying
// to reach Google's services on a machine with no such network.
export const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export const PASSWORD = "rapport-demo";
export const OFFICE = "office@rapport.example";
export const SAM = "sam@rapport.example";
export const DOROTHY = "Dorothy's Gift Shop";

/** Waits until the wasm has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
}

/** Logs in through the form, as a person would, and waits for the landing page. */
export async function login(page: Page, email: string, landing: RegExp) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(landing);
}

export async function logout(page: Page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
}
