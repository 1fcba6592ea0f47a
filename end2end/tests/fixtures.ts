import { expect, test as base } from "@playwright/test";

// Every browser test runs under the server's Content-Security-Policy and fails if the browser
// refused anything: a script, a style, a worker, a fetch. So a page, a chunk or the service
// worker that stops working under the policy is caught by the test that uses it, offline too.
export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ context }, use) => {
      const refused: string[] = [];
      await context.exposeBinding("__rapportCspViolation", (_source, what: string) => {
        refused.push(what);
      });
      await context.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          (window as any).__rapportCspViolation?.(`${e.violatedDirective} refused ${e.blockedURI || "inline"} on ${location.pathname}`);
        });
      });
      context.on("console", (msg) => {
        if (msg.type() === "error" && msg.text().includes("Content Security Policy")) refused.push(msg.text());
      });
      await use();
      expect(refused, "the browser refused something under the Content-Security-Policy").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
