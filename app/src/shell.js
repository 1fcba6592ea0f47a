// Inlined into every page's <head> (see `shell` in lib.rs), so it runs before the wasm loads.
(function () {
  if ("serviceWorker" in navigator) {
    // A new version installs beside the open page and waits; the page offers to switch.
    var announce = function (worker) {
      window.rapportWaitingWorker = worker;
      window.dispatchEvent(new Event("rapport-update"));
    };
    navigator.serviceWorker
      .register("/sw.js")
      .then(function (reg) {
        if (reg.waiting && navigator.serviceWorker.controller) announce(reg.waiting);
        reg.addEventListener("updatefound", function () {
          var worker = reg.installing;
          if (!worker) return;
          worker.addEventListener("statechange", function () {
            if (worker.state === "installed" && navigator.serviceWorker.controller) announce(worker);
          });
        });
      })
      .catch(function (e) {
        console.warn("service worker", e);
      });
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (window.rapportUpdating) location.reload();
    });
    if (navigator.storage) navigator.storage.persist();
  }
  // Called by the app when the person chooses to switch to the new version.
  window.rapportApplyUpdate = function () {
    var worker = window.rapportWaitingWorker;
    if (!worker) return;
    window.rapportUpdating = true;
    worker.postMessage("skip-waiting");
  };
  // Keeps a copy of a page for opening offline.
  window.rapportKeepPage = function (path) {
    if (!window.caches) return;
    caches
      .open("rapport-pages")
      .then(function (c) {
        return c.add(path);
      })
      .catch(function () {});
  };
})();
