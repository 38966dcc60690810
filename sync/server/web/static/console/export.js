// The personal export, made in this browser: the private key file and its passphrase
// never leave the page, and neither does any opened name. The server gives only the
// sealed boxes it holds; libsodium (WebAssembly, vendored) opens them here.
import sodium from "../vendor/libsodium/libsodium-wrappers.mjs";

const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"];
const B64 = () => sodium.base64_variants.ORIGINAL;

// The same escaping as sync/server/export.py's safe_cell, so the rows equal the CLI's.
function safeCell(value) {
  if (value === null || value === undefined) return "";
  if (value === true) return "yes";
  if (value === false) return "no";
  const text = String(value);
  return FORMULA_STARTS.some((start) => text.startsWith(start)) ? "'" + text : text;
}

// Python's csv module with its defaults: minimal quoting, CRLF line ends.
function csvLine(cells) {
  return cells
    .map((cell) => (/[",\r\n]/.test(cell) ? '"' + cell.replaceAll('"', '""') + '"' : cell))
    .join(",") + "\r\n";
}

function openPrivateKey(documentText, passphrase) {
  let doc;
  try {
    doc = JSON.parse(documentText);
  } catch {
    throw new Error("bad-file");
  }
  if (!doc || doc.format !== "klimatavtal-campaign-private-key/1") throw new Error("bad-file");
  const secret = sodium.crypto_pwhash(
    sodium.crypto_secretbox_KEYBYTES,
    sodium.from_string(passphrase),
    sodium.from_base64(doc.salt, B64()),
    doc.opslimit,
    doc.memlimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  const box = sodium.from_base64(doc.encrypted_private_key, B64());
  let privateKey;
  try {
    privateKey = sodium.crypto_secretbox_open_easy(
      box.subarray(sodium.crypto_secretbox_NONCEBYTES),
      box.subarray(0, sodium.crypto_secretbox_NONCEBYTES),
      secret,
    );
  } catch {
    throw new Error("wrong");
  }
  const publicKey = sodium.crypto_scalarmult_base(privateKey);
  if (sodium.to_base64(publicKey, B64()) !== doc.public_key) throw new Error("bad-file");
  return { publicKey, privateKey };
}

function opened(row, keys) {
  if (row.sealed === null) return {};
  try {
    const plain = sodium.crypto_box_seal_open(
      sodium.from_base64(row.sealed, B64()), keys.publicKey, keys.privateKey,
    );
    return JSON.parse(sodium.to_string(plain));
  } catch {
    throw new Error("other-key");
  }
}

function signaturesCsv(data, people) {
  const at = Object.fromEntries(data.columns.map((name, index) => [name, index]));
  let text = csvLine(data.columns);
  data.rows.forEach((row, index) => {
    const cells = row.cells.slice();
    for (const field of data.personal) cells[at[field]] = safeCell(people[index][field]);
    text += csvLine(cells);
  });
  return text;
}

// The community list: opted-in signers with an email, each address once (withdrawn
// signers are no longer in the store at all).
function communityRows(data, people) {
  const seen = new Set();
  const out = [];
  data.rows.forEach((row, index) => {
    const person = people[index];
    const email = (person.email || "").normalize("NFC").trim().toLowerCase();
    if (!row.community_opt_in || !email || seen.has(email)) return;
    seen.add(email);
    out.push({ email, name: person.name || "", version: row.consent_version,
      time: row.consent_given_at_utc });
  });
  return out;
}

function listmonkCsv(rows) {
  // listmonk's subscriber import: email, name, attributes (JSON).
  return csvLine(["email", "name", "attributes"]) + rows.map((r) => csvLine([
    r.email, safeCell(r.name),
    JSON.stringify({ consent_version: r.version, consent_given_at_utc: r.time,
      source: "klimatavtal" }),
  ])).join("");
}

function mailchimpCsv(rows) {
  // Mailchimp's contact import: columns matched by name on import.
  return csvLine(["Email Address", "First Name", "Last Name", "Consent Version", "Consent Time"]) +
    rows.map((r) => {
      const [first, ...rest] = r.name.trim().split(/\s+/);
      return csvLine([r.email, safeCell(first || ""), safeCell(rest.join(" ")), r.version, r.time]);
    }).join("");
}

function save(text, filename) {
  const blob = new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

const form = document.getElementById("open-form");
const status = document.getElementById("export-status");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = document.getElementById("private-key").files[0];
  const passphraseField = document.getElementById("passphrase");
  const kind = form.querySelector('input[name="kind"]:checked').value;
  status.className = "";
  status.textContent = status.dataset.working;
  document.getElementById("open-button").disabled = true;
  try {
    await sodium.ready;
    const keys = openPrivateKey(await file.text(), passphraseField.value);
    const answer = await fetch("/console/export/sealed.json", { credentials: "same-origin" });
    if (!answer.ok) throw new Error("failed");
    const data = await answer.json();
    const people = data.rows.map((row) => opened(row, keys));
    sodium.memzero(keys.privateKey);
    let text;
    let count;
    if (kind === "signatures") {
      text = signaturesCsv(data, people);
      count = data.rows.length;
    } else {
      const rows = communityRows(data, people);
      text = kind === "listmonk" ? listmonkCsv(rows) : mailchimpCsv(rows);
      count = rows.length;
    }
    const day = new Date().toISOString().slice(0, 10);
    save(text, `${kind === "signatures" ? "signatures" : "community-" + kind}-${day}.csv`);
    passphraseField.value = "";
    // Only the number of rows and the kind of file go to the audit log.
    await fetch("/console/export/opened", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf_token: form.dataset.csrf, rows: String(count), kind }),
    });
    status.textContent = status.dataset.done.replace("{count}", count.toLocaleString());
  } catch (error) {
    const key = { wrong: "wrong", "bad-file": "badFile", "other-key": "otherKey" }[error.message];
    status.className = "error";
    status.textContent = status.dataset[key || "failed"];
  } finally {
    document.getElementById("open-button").disabled = false;
  }
});
