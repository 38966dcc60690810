// Overview: fetch the page again every few seconds while it is visible and swap in
// the figures. Without JavaScript the page still works; it just does not refresh.
"use strict";
(function () {
  const seconds = Number(document.querySelector('meta[name="refresh-seconds"]')?.content || 30);
  async function refresh() {
    if (document.hidden) return;
    // Do not pull the page from under someone typing a goal.
    if (document.activeElement && document.activeElement.closest("#live form")) return;
    try {
      const answer = await fetch(location.pathname, { credentials: "same-origin" });
      if (!answer.ok || answer.redirected) return;
      const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
      const live = fresh.getElementById("live");
      if (live) document.getElementById("live").replaceWith(live);
    } catch (error) {
      // Offline for a moment: keep what is shown, try again at the next tick.
    }
  }
  setInterval(refresh, seconds * 1000);
})();
