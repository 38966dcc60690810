// Erase by email: the HMAC of the normalised address is computed here with the
// campaign's HMAC key (from campaign.kiosk.json); only the HMAC is sent.
"use strict";
(function () {
  const form = document.getElementById("email-form");
  const email = document.getElementById("email");
  const keys = document.getElementById("kiosk-keys");
  const problem = document.getElementById("email-error");
  let ready = false;
  function base64Bytes(text) {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }
  form.addEventListener("submit", async (event) => {
    if (ready) return;
    event.preventDefault();
    try {
      const doc = JSON.parse(await keys.files[0].text());
      const key = await crypto.subtle.importKey(
        "raw", base64Bytes(doc.email_hmac_key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"],
      );
      const normalised = email.value.normalize("NFC").trim().toLowerCase();
      const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(normalised));
      document.getElementById("email-hmac").value = Array.from(new Uint8Array(mac))
        .map((b) => b.toString(16).padStart(2, "0")).join("");
      ready = true;
      form.requestSubmit();
    } catch (error) {
      problem.classList.remove("hidden");
    }
  });
})();
