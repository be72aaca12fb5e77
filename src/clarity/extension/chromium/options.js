// clarity's options page: the service's address and token, the reader, the sites it
// runs on and their selectors. Saved by the background worker in chrome.storage.local;
// a new site's host permission is asked for here, on the click that saves it.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const rows = $("sites").querySelector("tbody");
  let desks = [];

  function send(message) {
    return chrome.runtime.sendMessage(message);
  }

  function say(node, text, ok) {
    node.textContent = text;
    node.className = ok ? "ok" : "error";
  }

  function cell(child) {
    const td = document.createElement("td");
    td.append(child);
    return td;
  }

  function input(name, value, placeholder) {
    const box = document.createElement("input");
    box.name = name;
    box.value = value || "";
    box.placeholder = placeholder || "";
    return box;
  }

  function addRow(site) {
    const tr = document.createElement("tr");
    tr.className = "site";
    const pattern = input("pattern", site.pattern, "https://example.zendesk.com/*");
    const desk = document.createElement("select");
    desk.name = "helpdesk";
    for (const [id, name] of [["auto", "detect"]].concat(desks.map((d) => [d.id, d.name]))) {
      const option = document.createElement("option");
      option.value = id;
      option.textContent = name;
      desk.append(option);
    }
    desk.value = site.helpdesk || "auto";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.addEventListener("click", () => tr.remove());
    tr.append(
      cell(pattern),
      cell(desk),
      cell(input("editor", site.editor, "default")),
      cell(input("send", site.send, "default")),
      cell(input("incoming", site.incoming, "default")),
      cell(remove),
    );
    rows.append(tr);
  }

  function current() {
    const sites = Array.from(rows.querySelectorAll("tr.site")).map((tr) => {
      const value = (name) => tr.querySelector("[name=" + name + "]").value.trim();
      return {
        pattern: value("pattern"),
        helpdesk: value("helpdesk"),
        editor: value("editor"),
        send: value("send"),
        incoming: value("incoming"),
      };
    });
    return {
      server: $("server").value.trim(),
      token: $("token").value.trim(),
      audience: $("audience").value,
      sites: sites.filter((s) => s.pattern),
    };
  }

  function originPattern(server) {
    const u = new URL(server);
    return u.protocol + "//" + u.hostname + "/*";
  }

  function setAudiences(names, chosen) {
    const select = $("audience");
    const keep = chosen !== undefined ? chosen : select.value;
    for (const option of Array.from(select.options).slice(1)) option.remove();
    for (const name of names) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      select.append(option);
    }
    if (keep && !names.includes(keep)) {
      const option = document.createElement("option");
      option.value = keep;
      option.textContent = keep;
      select.append(option);
    }
    select.value = keep || "";
  }

  async function load() {
    const answer = await send({ type: "settings" });
    desks = answer.desks.helpdesks;
    const s = answer.settings;
    $("server").value = s.server;
    $("token").value = s.token;
    setAudiences([], s.audience); // the service's audiences come with the connection test
    rows.replaceChildren();
    for (const site of s.sites) addRow(site);
    $("anyway-count").textContent = String(answer.stats.sendAnyway || 0);
    const test = await send({ type: "test" });
    if (test.ok) setAudiences(test.audiences);
  }

  $("add-site").addEventListener("click", () => addRow({ pattern: "", helpdesk: "auto" }));

  $("test").addEventListener("click", async () => {
    const out = $("test-result");
    say(out, "…", true);
    const answer = await send({ type: "test", settings: current() });
    if (answer.ok) {
      setAudiences(answer.audiences);
      say(
        out,
        "connected: clarity " + answer.version + (answer.auth ? ", token accepted" : ""),
        true,
      );
    } else say(out, answer.error, false);
  });

  $("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const next = current();
    let origins;
    try {
      origins = [originPattern(next.server)].concat(next.sites.map((s) => s.pattern));
    } catch (e) {
      say($("status"), "the server address must start with http:// or https://", false);
      return;
    }
    // Ask for the sites (on this click: Chrome needs a user gesture). Sites already
    // granted, as those baked in by `clarity extension --site`, are not asked again.
    let granted = false;
    try {
      granted = await chrome.permissions.request({ origins });
    } catch (e) {
      say($("status"), String(e.message || e), false);
      return;
    }
    if (!granted) {
      say($("status"), "Chrome did not grant access to " + origins.join(", "), false);
      return;
    }
    const answer = await send({ type: "save", settings: next });
    if (answer.ok) say($("status"), "Saved.", true);
    else say($("status"), answer.error, false);
  });

  load();
})();
