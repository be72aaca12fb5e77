// clarity's background service worker: the only part of the extension that talks to
// the clarity service. It makes the calls under the extension's host permission for the
// server's address, so the service needs no CORS header and a web page can never read
// its answers; the token stays here and never reaches a page or a content script.
//
// Messages from the content script and the options page:
//   {type: "config", url}           -> the site's settings (no token) and the presets
//   {type: "check", key, body}      -> POST /v1/presend (the previous call of the same
//                                      editor is aborted: stale answers are never waited for)
//   {type: "send-anyway", codes}    -> counted and logged in chrome.storage.local only
//   {type: "settings"} / {type: "save", settings} / {type: "test", settings}
"use strict";

const DEFAULTS_URL = chrome.runtime.getURL("defaults.json");
const HELPDESKS_URL = chrome.runtime.getURL("helpdesks.json");
const USER_SCRIPTS_ID = "clarity-user-sites";
const LOG_MAX = 100;

let defaultsPromise = null;
let helpdesksPromise = null;
const inflight = new Map(); // editor key -> AbortController

// Only the extension's own pages and this worker read the storage (the token is there).
chrome.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch(() => {});

function loadJSON(url) {
  return fetch(url).then((r) => r.json());
}

function defaults() {
  if (!defaultsPromise) defaultsPromise = loadJSON(DEFAULTS_URL);
  return defaultsPromise;
}

function helpdesks() {
  if (!helpdesksPromise) helpdesksPromise = loadJSON(HELPDESKS_URL);
  return helpdesksPromise;
}

function siteEntry(site) {
  const entry = typeof site === "string" ? { pattern: site } : Object.assign({}, site);
  return {
    pattern: String(entry.pattern || "").trim(),
    helpdesk: entry.helpdesk || "auto",
    editor: entry.editor || "",
    send: entry.send || "",
    incoming: entry.incoming || "",
  };
}

async function settings() {
  const base = await defaults();
  const stored = (await chrome.storage.local.get("settings")).settings || {};
  const merged = Object.assign(
    { server: "http://127.0.0.1:8765", token: "", audience: "", sites: [] },
    base,
    stored,
  );
  merged.sites = (merged.sites || []).map(siteEntry).filter((s) => s.pattern);
  return merged;
}

// A Chrome match pattern ("https://*.zendesk.com/*", "http://127.0.0.1/*") as a RegExp.
// A pattern without a port matches every port, as Chrome's own matching does.
function patternRegExp(pattern) {
  if (pattern === "<all_urls>") return /^(https?|file):/;
  const m = /^(\*|https?|file):\/\/(\*|\*\.[^/*:]+|[^/*:]+)?(?::(\d+|\*))?(\/.*)$/.exec(pattern);
  if (!m) return null;
  const esc = (s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  const scheme = m[1] === "*" ? "https?" : m[1];
  let host = m[2] || "";
  if (host === "*") host = "[^/:]+";
  else if (host.startsWith("*.")) host = "([^/:]+\\.)?" + esc(host.slice(2));
  else host = esc(host);
  const port = m[3] && m[3] !== "*" ? ":" + m[3] : "(:\\d+)?";
  const path = m[4].split("*").map(esc).join(".*");
  return new RegExp("^" + scheme + "://" + host + port + path + "$", "i");
}

function siteFor(sites, url) {
  for (const site of sites) {
    const re = patternRegExp(site.pattern);
    if (re && re.test(url)) return site;
  }
  return null;
}

function originPattern(server) {
  const u = new URL(server);
  return u.protocol + "//" + u.hostname + "/*";
}

async function call(path, init, current) {
  const s = current || (await settings());
  const headers = Object.assign({}, init.headers || {});
  if (s.token) headers.Authorization = "Bearer " + s.token;
  const url = s.server.replace(/\/+$/, "") + path;
  let response;
  try {
    response = await fetch(url, Object.assign({}, init, { headers, credentials: "omit" }));
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    return { ok: false, status: 0, error: "cannot reach the clarity service at " + s.server };
  }
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || "the clarity service answered " + response.status;
    return { ok: false, status: response.status, error };
  }
  return { ok: true, status: response.status, data };
}

async function check(key, body) {
  const previous = inflight.get(key);
  if (previous) previous.abort(); // a newer draft of the same editor: drop the stale call
  const controller = new AbortController();
  inflight.set(key, controller);
  try {
    const s = await settings();
    const payload = Object.assign({}, body);
    if (s.audience && !payload.audience) payload.audience = s.audience;
    return await call(
      "/v1/presend",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
        signal: controller.signal,
      },
      s,
    );
  } catch (err) {
    if (err && err.name === "AbortError") return { ok: false, aborted: true };
    return { ok: false, status: 0, error: String((err && err.message) || err) };
  } finally {
    if (inflight.get(key) === controller) inflight.delete(key);
  }
}

async function sendAnyway(message, sender) {
  const stats = (await chrome.storage.local.get("stats")).stats || { sendAnyway: 0, log: [] };
  stats.sendAnyway = (stats.sendAnyway || 0) + 1;
  let host = "";
  try {
    host = new URL((sender.tab && sender.tab.url) || sender.url || "").host;
  } catch (e) {
    host = "";
  }
  // Never the text: when, where, and which rules held it.
  const codes = (message.codes || []).filter((c) => /^[A-Z]+\d+$/.test(c)).slice(0, 20);
  stats.log = (stats.log || []).concat([{ time: new Date().toISOString(), host, codes }]);
  stats.log = stats.log.slice(-LOG_MAX);
  await chrome.storage.local.set({ stats });
  return { ok: true, count: stats.sendAnyway };
}

// Content scripts for the sites added on the options page (the sites baked in by
// `clarity extension --site` are in the manifest). Only sites the user granted.
async function registerUserSites() {
  const s = await settings();
  const manifest = chrome.runtime.getManifest();
  const baked = new Set((manifest.content_scripts || []).flatMap((c) => c.matches || []));
  const wanted = [];
  for (const site of s.sites) {
    if (baked.has(site.pattern) || !patternRegExp(site.pattern)) continue;
    if (await chrome.permissions.contains({ origins: [site.pattern] })) wanted.push(site.pattern);
  }
  try {
    await chrome.scripting.unregisterContentScripts({ ids: [USER_SCRIPTS_ID] });
  } catch (e) {
    // none registered yet
  }
  if (!wanted.length) return;
  await chrome.scripting.registerContentScripts([
    {
      id: USER_SCRIPTS_ID,
      matches: wanted,
      js: ["content.js"],
      css: ["content.css"],
      runAt: "document_idle",
      persistAcrossSessions: true,
    },
  ]);
}

async function saveSettings(next) {
  const clean = {
    server: String(next.server || "").trim() || "http://127.0.0.1:8765",
    token: String(next.token || "").trim(),
    audience: String(next.audience || ""),
    sites: (next.sites || []).map(siteEntry).filter((s) => s.pattern),
  };
  try {
    const u = new URL(clean.server);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("scheme");
  } catch (e) {
    return { ok: false, error: "the server address must start with http:// or https://" };
  }
  const bad = clean.sites.filter((s) => !patternRegExp(s.pattern)).map((s) => s.pattern);
  if (bad.length) return { ok: false, error: "not a site pattern: " + bad.join(", ") };
  await chrome.storage.local.set({ settings: clean });
  await registerUserSites();
  return { ok: true };
}

async function testConnection(next) {
  const s = Object.assign(await settings(), next || {});
  const health = await call("/healthz", { method: "GET" }, s);
  if (!health.ok) return health;
  const conf = await call("/v1/settings", { method: "GET" }, s);
  if (!conf.ok) return conf;
  return {
    ok: true,
    version: health.data.version,
    auth: health.data.auth,
    audiences: Object.keys(conf.data.audiences || {}),
    audience: conf.data.audience,
  };
}

async function handle(message, sender) {
  switch (message && message.type) {
    case "config": {
      const s = await settings();
      const site = siteFor(s.sites, message.url || (sender.tab && sender.tab.url) || "");
      return { site, audience: s.audience, desks: await helpdesks() };
    }
    case "check": {
      const tab = sender.tab ? sender.tab.id + ":" + sender.frameId : "page";
      return check(tab + ":" + String(message.key), message.body || {});
    }
    case "send-anyway":
      return sendAnyway(message, sender);
    case "settings": {
      const s = await settings();
      const stats = (await chrome.storage.local.get("stats")).stats || { sendAnyway: 0, log: [] };
      return {
        settings: s,
        stats,
        desks: await helpdesks(),
        serverPattern: originPattern(s.server),
      };
    }
    case "save":
      return saveSettings(message.settings || {});
    case "test":
      return testConnection(message.settings);
    default:
      return { ok: false, error: "unknown message" };
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse, (err) =>
    sendResponse({ ok: false, error: String((err && err.message) || err) }),
  );
  return true; // the answer comes later
});

chrome.runtime.onInstalled.addListener(() => {
  registerUserSites().catch(() => {});
});
chrome.runtime.onStartup.addListener(() => {
  registerUserSites().catch(() => {});
});
