// clarity's page: sends the draft to POST /v1/presend and marks what comes back.
//
// Offsets from the service are Unicode code points; JavaScript strings index UTF-16
// code units. Everything here works on Array.from(text), an array of code points, so
// an emoji or another character outside the BMP never shifts a highlight or an edit.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const incoming = $("incoming");
  const audience = $("audience");
  const marked = $("marked");
  const list = $("findings");
  const status = $("status");
  const fixAll = $("fix-all");
  const tokenBox = $("token-box");
  const tokenInput = $("token");

  // Message-level findings (the whole text's grade) go to the meters, not the marks.
  const MESSAGE_LEVEL = new Set(["R004", "R006"]);
  // Audiences, tone bands and limits come from the service (GET /v1/settings).
  let settings = null;
  const CATEGORY_CLASS = {
    jargon: "hl-jargon",
    readability: "hl-readability",
    wordiness: "hl-wordiness",
    tone: "hl-tone",
    structure: "hl-readability",
  };

  let current = null; // the last response, for the text it was made from
  let timer = null;
  let seq = 0;

  tokenInput.value = sessionStorage.getItem("clarity-token") || "";

  function setStatus(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  async function call(path, body, quiet) {
    const headers = {};
    const init = { method: "GET", headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.method = "POST";
      init.body = JSON.stringify(body);
    }
    const token = tokenInput.value.trim();
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch(path, init);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = { error: "the service answered " + response.status };
    }
    if (response.status === 401 && !quiet) {
      tokenBox.hidden = false;
      tokenInput.focus();
    }
    if (!response.ok) throw new Error(data.error || "the service answered " + response.status);
    return data;
  }

  async function loadSettings(quiet) {
    if (settings) return settings;
    const data = await call("/v1/settings", undefined, quiet);
    const chosen = audience.value || data.audience;
    audience.replaceChildren();
    for (const [name, info] of Object.entries(data.audiences)) {
      const option = el("option", "", name + ": " + info.description);
      option.value = name;
      audience.append(option);
    }
    audience.value = chosen;
    const tone = $("tone-meter");
    tone.low = data.thresholds.impolite_below;
    tone.high = data.thresholds.polite_from;
    settings = data;
    return data;
  }

  async function check() {
    clearTimeout(timer);
    const text = draft.value;
    if (!text.trim()) {
      render(null);
      return;
    }
    const mine = ++seq;
    setStatus("Checking…");
    try {
      await loadSettings(false);
      if (Array.from(text).length > settings.limits.max_chars) {
        throw new Error("The reply is over " + settings.limits.max_chars + " characters.");
      }
      const body = { text, audience: audience.value };
      if (incoming.value.trim()) body.incoming = incoming.value;
      const data = await call("/v1/presend", body);
      if (mine !== seq) return; // a newer check is on its way
      if (draft.value !== data.result.text) {
        setStatus("The reply changed; checking again…");
        schedule(50);
        return;
      }
      render(data);
      setStatus("");
    } catch (err) {
      if (mine === seq) setStatus(err.message, true);
    }
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(check, ms);
  }

  function markStale() {
    marked.classList.add("stale");
    for (const b of list.querySelectorAll("button")) b.disabled = true;
    fixAll.disabled = true;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(data) {
    current = data;
    marked.replaceChildren();
    list.replaceChildren();
    marked.classList.remove("stale");
    const verdict = $("verdict");
    if (!data) {
      marked.classList.add("empty");
      verdict.className = "verdict idle";
      verdict.textContent = "Type or paste a reply to check it.";
      fixAll.disabled = true;
      setMeters(null);
      $("counts").textContent = "";
      return;
    }
    marked.classList.remove("empty");
    const result = data.result;
    const findings = result.findings.map((f, i) => Object.assign({ id: "f" + i }, f));
    renderVerdict(data);
    setMeters(data);
    renderMarks(result, findings, data.tone || result.tone);
    renderList(findings, data);
    fixAll.disabled = data.rewritten === result.text;
  }

  function renderVerdict(data) {
    const verdict = $("verdict");
    verdict.replaceChildren();
    if (data.allowed) {
      verdict.className = "verdict allowed";
      verdict.textContent = "Ready to send.";
      return;
    }
    verdict.className = "verdict blocked";
    verdict.append("Hold on before sending:");
    const ul = el("ul");
    for (const reason of data.reasons) ul.append(el("li", "", reason.message));
    verdict.append(ul);
  }

  function setMeters(data) {
    const grade = $("grade-meter");
    const score = $("score-meter");
    const tone = $("tone-meter");
    if (!data) {
      grade.value = 0;
      score.value = 0;
      tone.value = 0;
      $("grade-value").textContent = "–";
      $("grade-target").textContent = "";
      $("score-value").textContent = "–";
      $("tone-value").textContent = "–";
      $("tone-label").textContent = "";
      return;
    }
    const r = data.result.readability;
    const target = data.target_grade;
    grade.low = target;
    grade.high = target + 4;
    grade.value = Math.min(20, Math.max(0, r.grade));
    $("grade-value").textContent = r.words ? r.grade.toFixed(1) : "–";
    $("grade-target").textContent = "target " + target + " or lower";
    score.value = data.result.score;
    $("score-value").textContent = String(data.result.score);
    const t = data.tone || data.result.tone;
    if (t && typeof t.politeness === "number") {
      tone.value = t.politeness;
      $("tone-value").textContent = t.politeness.toFixed(2);
      $("tone-label").textContent = t.label || "";
    } else {
      tone.value = 0;
      $("tone-value").textContent = "n/a";
      $("tone-label").textContent = "no tone estimate";
    }
  }

  function renderMarks(result, findings, tone) {
    const cps = Array.from(result.text);
    const spans = findings.filter((f) => f.end > f.start && !MESSAGE_LEVEL.has(f.code));
    // Sentences the tone model reads as impolite (its "impolite" band, from the service).
    const below = settings.thresholds.impolite_below;
    const curt = ((tone && tone.sentences) || []).filter((s) => s.politeness < below);
    const cuts = new Set([0, cps.length]);
    for (const f of spans.concat(curt)) {
      cuts.add(f.start);
      cuts.add(f.end);
    }
    for (const r of result.regions) {
      cuts.add(r.start);
      cuts.add(r.end);
    }
    const points = Array.from(cuts).filter((n) => n >= 0 && n <= cps.length);
    points.sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = cps.slice(a, b).join("");
      const covering = spans.filter((f) => f.start <= a && f.end >= b);
      const region = result.regions.find(
        (r) => r.start <= a && r.end >= b && r.kind !== "greeting" && r.kind !== "signoff",
      );
      const low = curt.find((t) => t.start <= a && t.end >= b);
      if (!covering.length && !region && !low) {
        marked.append(document.createTextNode(piece));
        continue;
      }
      const span = el("span", "", piece);
      if (low) {
        span.classList.add("tone-low");
        span.title = "may read as impolite (politeness " + low.politeness.toFixed(2) + ")";
      }
      if (region) {
        span.classList.add("region");
        span.title = "ignored: " + region.kind;
      }
      if (covering.length) {
        span.classList.add("hl");
        for (const f of covering) span.classList.add(CATEGORY_CLASS[f.category] || "hl-readability");
        span.dataset.ids = covering.map((f) => f.id).join(" ");
        const notes = covering.map((f) => f.code + ": " + f.message);
        span.title = (span.title ? [span.title].concat(notes) : notes).join("\n");
        span.addEventListener("click", () => focusFinding(covering[covering.length - 1].id));
      }
      marked.append(span);
    }
  }

  function focusFinding(id) {
    const item = document.querySelector('.finding[data-id="' + id + '"]');
    if (!item) return;
    item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    activate(id, true);
  }

  function activate(id, on) {
    for (const node of document.querySelectorAll(".active")) node.classList.remove("active");
    if (!on) return;
    const item = document.querySelector('.finding[data-id="' + id + '"]');
    if (item) item.classList.add("active");
    for (const span of marked.querySelectorAll("span[data-ids]")) {
      if (span.dataset.ids.split(" ").includes(id)) span.classList.add("active");
    }
  }

  function renderList(findings, data) {
    const counts = data.result.counts;
    $("counts").textContent =
      "(" + counts.error + " error, " + counts.warning + " warning, " + counts.info + " info)";
    const blocking = new Set(data.blocking.map((b) => b.code + ":" + b.start + ":" + b.end));
    if (!findings.length) {
      list.append(el("li", "finding", "Nothing to report: plain and clear."));
      return;
    }
    for (const f of findings) {
      const item = el("li", "finding sev-" + f.severity);
      item.dataset.id = f.id;
      item.dataset.code = f.code;
      const head = el("div", "head");
      head.append(el("span", "code", f.code));
      const blocks = blocking.has(f.code + ":" + f.start + ":" + f.end);
      head.append(el("span", "sev", f.severity + " · " + f.category + (blocks ? " · blocks" : "")));
      if (f.end > f.start && !MESSAGE_LEVEL.has(f.code)) {
        const quoted = f.text.length > 60 ? f.text.slice(0, 57) + "…" : f.text;
        head.append(el("span", "quote", "“" + quoted + "”"));
      }
      item.append(head);
      item.append(el("div", "msg", f.message));
      const row = el("div", "fix-row");
      if (f.fix && f.fix.edits.length && f.fix.applicability !== "display") {
        const unsafe = f.fix.applicability === "unsafe";
        const button = el(
          "button",
          unsafe ? "apply unsafe" : "apply safe",
          unsafe ? "Apply: " + f.fix.message + " (check the meaning)" : "Apply: " + f.fix.message,
        );
        button.type = "button";
        button.addEventListener("click", () => applyFix(f));
        row.append(button);
      } else if (f.fix && f.fix.message) {
        row.append(el("span", "advice", "Suggestion: " + f.fix.message));
      } else if (f.suggestions && f.suggestions.length) {
        row.append(el("span", "advice", "Try: " + f.suggestions.join(", ")));
      }
      if (row.childNodes.length) item.append(row);
      item.addEventListener("mouseenter", () => activate(f.id, true));
      item.addEventListener("mouseleave", () => activate(f.id, false));
      list.append(item);
    }
  }

  // Apply one finding's edits to the text it was found in (code-point offsets).
  function applyFix(finding) {
    if (!current || draft.value !== current.result.text) {
      schedule(0);
      return;
    }
    const cps = Array.from(current.result.text);
    const edits = finding.fix.edits.slice().sort((a, b) => b.start - a.start);
    for (const e of edits) cps.splice(e.start, e.end - e.start, ...Array.from(e.replacement));
    draft.value = cps.join("");
    markStale();
    check();
  }

  loadSettings(true).catch(() => {}); // with a token, the first check asks for it

  fixAll.addEventListener("click", () => {
    if (!current || draft.value !== current.result.text) return;
    draft.value = current.rewritten;
    markStale();
    check();
  });
  $("check").addEventListener("click", check);
  draft.addEventListener("input", () => {
    markStale();
    schedule(700);
  });
  incoming.addEventListener("input", () => schedule(700));
  audience.addEventListener("change", check);
  tokenBox.addEventListener("submit", (event) => event.preventDefault());
  tokenInput.addEventListener("change", () => {
    sessionStorage.setItem("clarity-token", tokenInput.value.trim());
    check();
  });
})();
