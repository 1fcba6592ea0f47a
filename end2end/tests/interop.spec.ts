import { expect, test } from "./fixtures";
import { DOROTHY, hydrated, login, OFFICE, SAM } from "./helpers";

test("the office previews a customer file, says what an unknown column holds, and imports it", async ({ page }, info) => {
  // Each project imports its own customer: the server's data lives for the whole run.
  const bakery = `Harbour Bakery (${info.project.name} ${Date.now()})`;
  await login(page, OFFICE, /\/customers$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import/export" }).click();
  await expect(page.getByRole("heading", { name: "Import and export", level: 1 })).toBeVisible();
  await hydrated(page);

  // The customer export is a file the import reads as it is.
  const href = await page.getByRole("link", { name: "customers.csv" }).getAttribute("href");
  const exported = await page.request.get(href!);
  expect(exported.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const lines = (await exported.text()).split("\n");
  expect(lines[0]).toBe("id,name,contact_name,address,phone,email,access_notes,technician,backup_technician,priorities");
  expect(lines.some((l) => l.includes(DOROTHY))).toBeTruthy();

  const file =
    "Business,Tel,Technician,Door code,Priorities\n" +
    `"${bakery}",0161 555 0199,${SAM},4711,"Deliveries before 7\nNo van in the yard"\n` +
    "Nobody's Shop,1,Olive Unknown,,\n";
  await page.getByLabel("Customer file (CSV)").setInputFiles({
    name: "new-customers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(file),
  });

  // Nothing is written yet: the preview says what each line would do, and why not.
  const doorCode = page.getByLabel("Column “Door code” holds");
  await expect(doorCode).toHaveValue("ignore");
  await expect(page.getByText("1 to create · 0 to update · 0 already as in the file · 1 rejected")).toBeVisible();
  const rows = page.getByRole("table", { name: "What each line will do" });
  await expect(rows.getByRole("row").filter({ hasText: bakery })).toContainText(
    "new customer; technician Sam Ortiz; 2 new priorities",
  );
  await expect(rows.getByRole("row").filter({ hasText: "Nobody's Shop" })).toContainText(
    'No active technician is called "Olive Unknown"',
  );

  await doorCode.selectOption({ label: "Access notes" });
  await expect(page.getByText(/^Columns: .*Tel → Phone/)).toBeVisible();
  await page.getByRole("button", { name: "Import 1 customer" }).click();
  await expect(page.getByRole("status")).toContainText(
    "Imported: 1 new, 0 updated, 2 priorities added. 1 rejected line was left out.",
  );
  // The same file again would change nothing more.
  await expect(page.getByText("0 to create · 0 to update · 1 already as in the file · 1 rejected")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Import \d/ })).toHaveCount(0);

  // The new customer is there, with Sam, the door code and what matters to them.
  await page.goto(`/customers?q=${encodeURIComponent(bakery)}`);
  await page.getByRole("link", { name: bakery }).click();
  await expect(page.getByRole("heading", { name: bakery, level: 1 })).toBeVisible();
  const priorities = page.getByRole("region", { name: "Priorities" });
  await expect(priorities.getByRole("listitem").first()).toContainText("Deliveries before 7");
  await expect(priorities.getByRole("listitem").nth(1)).toContainText("No van in the yard");
  const details = page.getByRole("region", { name: "Details" });
  await expect(details.getByRole("definition").filter({ hasText: "4711" })).toBeVisible();
  await expect(details.getByRole("definition").filter({ hasText: "Sam Ortiz" })).toBeVisible();
});
