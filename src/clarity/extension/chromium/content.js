// clarity's content script: finds the reply editors of a page it is enabled for, has the
// background worker check the draft as the agent types, marks the findings in an
// overlay, applies fixes through the editor's own input events, and holds the send
// when the verdict is "blocked".
//
// The overlay lives outside the editor (in one element appended to the top document):
// checking never changes the editor's content, its selection or its caret. Offsets from
// the service are Unicode code points; the editor's text is indexed in UTF-16 here and
// converted, so an emoji never shifts a mark or an edit.
//
// DOM contract (what tests and admins can rely on): each marked finding is an element
// with data-clarity-code="CODE"; the hold panel has data-clarity-verdict="blocked" and
// buttons data-clarity-action="fix" | "send-anyway" | "cancel"; each editor's badge has
// data-clarity-state = checking | ready | blocked | error.
"use strict";

(function () {
  if (window.__clarityContent) return;
  window.__clarityContent = true;

  const DEBOUNCE_MS = 600;
  const MAX_INCOMING = 20000;
  // The message's reading grade is shown on the badge, not marked over the whole text.
  const MESSAGE_LEVEL = new Set(["R004", "R006"]);
  const BLOCK =
    /^(ADDRESS|ARTICLE|ASIDE|BLOCKQUOTE|DD|DIV|DL|DT|FIELDSET|FIGCAPTION|FIGURE|FOOTER|FORM|H[1-6]|HEADER|HR|LI|MAIN|NAV|OL|P|PRE|SECTION|TABLE|TR|UL)$/;

  let site = null; // the options page's entry for this site
  let desks = null; // helpdesks.json
  let desk = null; // the help desk preset in use
  let sendLabel = /^\s*send\b/i;
  let root = null; // our overlay, in the top document
  let panel = null;
  let card = null;
  let cardHide = 0;
  let bypass = false; // true while a held send is let through
  let lastActive = null; // the editor last typed in or focused
  let nextId = 1;
  const editors = new Map(); // element -> state
  const docs = new Set();

  // --- talking to the background worker ---------------------------------------------

  function ask(message) {
    return new Promise((resolve) => {
      try {
        chrome.runtime.sendMessage(message, (answer) => {
          if (chrome.runtime.lastError || !answer) {
            resolve({
              ok: false,
              error: "the clarity extension is not available; reload the page",
            });
          } else resolve(answer);
        });
      } catch (err) {
        resolve({ ok: false, error: "the clarity extension was updated; reload the page" });
      }
    });
  }

  // --- the help desk: selectors -------------------------------------------------------

  function chooseDesk() {
    const byId = (id) => desks.helpdesks.find((d) => d.id === id);
    if (site.helpdesk && site.helpdesk !== "auto" && byId(site.helpdesk))
      return byId(site.helpdesk);
    const host = location.hostname;
    for (const d of desks.helpdesks) {
      if (d.hosts && new RegExp(d.hosts, "i").test(host)) return d;
    }
    for (const d of desks.helpdesks) {
      if (!d.detect) continue;
      for (const doc of docs) {
        try {
          if (doc.querySelector(d.detect)) return d;
        } catch (e) {
          // a bad selector in a preset: skip it
        }
      }
    }
    return byId("generic");
  }

  function selector(kind) {
    return (site[kind] || "").trim() || desk[kind] || "";
  }

  function queryAll(doc, sel) {
    if (!sel) return [];
    try {
      return Array.from(doc.querySelectorAll(sel));
    } catch (e) {
      return [];
    }
  }

  function matches(el, sel) {
    if (!sel) return null;
    try {
      return el.closest(sel);
    } catch (e) {
      return null;
    }
  }

  // --- finding editors ----------------------------------------------------------------

  function ours(node) {
    return root && (node === root || root.contains(node));
  }

  function eligible(el) {
    if (!el.isConnected || ours(el)) return false;
    if (el.tagName === "TEXTAREA") {
      if (el.disabled || el.readOnly) return false;
      return el.getClientRects().length > 0;
    }
    if (!el.isContentEditable) return false;
    const parent = el.parentElement;
    return !(parent && parent.isContentEditable); // the outermost editable element only
  }

  function frameOffset(doc) {
    let x = 0;
    let y = 0;
    let win = doc.defaultView;
    while (win && win !== window && win.frameElement) {
      const fe = win.frameElement;
      const r = fe.getBoundingClientRect();
      const cs = fe.ownerDocument.defaultView.getComputedStyle(fe);
      x += r.left + fe.clientLeft + parseFloat(cs.paddingLeft || "0");
      y += r.top + fe.clientTop + parseFloat(cs.paddingTop || "0");
      win = win.parent;
    }
    return { x, y };
  }

  function watch(doc) {
    if (!doc || docs.has(doc)) return;
    docs.add(doc);
    let pending = 0;
    const observer = new MutationObserver((records) => {
      if (records.every((r) => ours(r.target) || isMirror(r.target))) return;
      clearTimeout(pending);
      pending = setTimeout(scan, 80);
    });
    observer.observe(doc.documentElement || doc, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["contenteditable"],
    });
    doc.addEventListener("input", onInput, true);
    doc.addEventListener("focusin", onFocus, true);
    doc.addEventListener("click", onClick, true);
    doc.addEventListener("submit", onSubmit, true);
    doc.addEventListener("keydown", onKeydown, true);
    doc.addEventListener("scroll", scheduleLayout, true);
    doc.addEventListener("mousemove", onMouseMove, true);
    doc.addEventListener("selectionchange", () => onCaret(doc));
    doc.addEventListener("keyup", (e) => e.key.startsWith("Arrow") && onCaret(doc), true);
    if (doc.defaultView) doc.defaultView.addEventListener("resize", scheduleLayout);
  }

  function isMirror(node) {
    return node && node.nodeType === 1 && node.hasAttribute("data-clarity-mirror");
  }

  function scan() {
    if (site.helpdesk === "auto" && desk.id === "generic") desk = chooseDesk();
    const found = new Set();
    const visit = (doc) => {
      watch(doc);
      for (const el of queryAll(doc, selector("editor"))) {
        if (eligible(el)) found.add(el);
      }
      if (doc !== document && doc.body && (doc.designMode === "on" || doc.body.isContentEditable)) {
        found.add(doc.body);
      }
      for (const frame of doc.querySelectorAll("iframe, frame")) {
        if (!frame.__clarityLoad) {
          frame.__clarityLoad = true;
          frame.addEventListener("load", () => setTimeout(scan, 0));
        }
        let inner = null;
        try {
          inner = frame.contentDocument; // null or an exception across origins
        } catch (e) {
          inner = null;
        }
        if (inner && inner.documentElement) visit(inner);
      }
    };
    visit(document);
    for (const el of found) if (!editors.has(el)) attach(el);
    for (const [el, state] of editors) if (!found.has(el) && !el.isConnected) detach(state);
  }

  function attach(el) {
    const state = {
      id: "e" + nextId++,
      el,
      doc: el.ownerDocument,
      rich: el.tagName !== "TEXTAREA",
      timer: 0,
      seq: 0,
      result: null, // the last answer, for checkedText
      checkedText: null,
      error: null,
      errorText: null,
      marks: [],
      badge: null,
      running: null,
    };
    editors.set(el, state);
    state.badge = makeBadge(state);
    new ResizeObserver(scheduleLayout).observe(el);
    if (textOf(state).trim()) schedule(state, 0);
    else setBadge(state, "idle", "");
    return state;
  }

  function detach(state) {
    clearTimeout(state.timer);
    clearMarks(state);
    if (state.badge) state.badge.remove();
    editors.delete(state.el);
  }

  function stateFor(node) {
    let el = node && node.nodeType === 1 ? node : node && node.parentElement;
    while (el) {
      const state = editors.get(el);
      if (state) return state;
      el = el.parentElement;
    }
    // an iframe editor: its body
    const doc = node && (node.ownerDocument || node);
    if (doc && doc.body && editors.has(doc.body)) return editors.get(doc.body);
    return null;
  }

  // --- the editor's text, and offsets into it ----------------------------------------

  function richMap(rootEl) {
    let text = "";
    const segs = [];
    const newline = () => {
      if (text && !text.endsWith("\n")) text += "\n";
    };
    const walk = (node) => {
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          segs.push({ node: c, start: text.length });
          text += c.data;
        } else if (c.nodeType === 1) {
          const tag = c.tagName;
          if (tag === "BR") {
            text += "\n";
            continue;
          }
          if (tag === "SCRIPT" || tag === "STYLE" || tag === "TEMPLATE") continue;
          const block = BLOCK.test(tag);
          if (block) newline();
          walk(c);
          if (block) newline();
        }
      }
    };
    walk(rootEl);
    return { text, segs };
  }

  // The text checked: no-break spaces read as spaces (same length, same offsets), and
  // the trailing newlines of an editor's last block dropped.
  function clean(text) {
    return text.replace(/\u00a0/g, " ").replace(/\n+$/, "");
  }

  function textOf(state) {
    if (!state.rich) return clean(state.el.value);
    return clean(richMap(state.el).text);
  }

  function domPoint(map, i, isEnd) {
    const segs = map.segs;
    for (const s of segs) {
      const len = s.node.data.length;
      if (isEnd ? s.start < i && i <= s.start + len : s.start <= i && i < s.start + len) {
        return [s.node, i - s.start];
      }
    }
    if (isEnd) {
      for (let k = segs.length - 1; k >= 0; k--) {
        if (segs[k].start + segs[k].node.data.length <= i)
          return [segs[k].node, segs[k].node.data.length];
      }
    } else {
      for (const s of segs) if (s.start >= i) return [s.node, 0];
    }
    return null;
  }

  function richRange(state, s16, e16) {
    const map = richMap(state.el);
    const a = domPoint(map, s16, false);
    const b = domPoint(map, e16, true);
    if (!a || !b) return null;
    const range = state.doc.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    return range;
  }

  // Code point offset -> UTF-16 index, for one text.
  function cpIndex(text) {
    const out = [0];
    let u = 0;
    for (const ch of text) {
      u += ch.length;
      out.push(u);
    }
    return out;
  }

  function mirrorRects(state, s16, e16) {
    const ta = state.el;
    const doc = state.doc;
    let mirror = state.mirror;
    if (!mirror || !mirror.isConnected) {
      mirror = doc.createElement("div");
      mirror.setAttribute("data-clarity-mirror", "");
      mirror.setAttribute("aria-hidden", "true");
      (doc === document ? root : doc.documentElement).appendChild(mirror);
      state.mirror = mirror;
    }
    const cs = doc.defaultView.getComputedStyle(ta);
    const props = [
      "fontFamily",
      "fontSize",
      "fontWeight",
      "fontStyle",
      "fontVariant",
      "fontStretch",
      "letterSpacing",
      "wordSpacing",
      "lineHeight",
      "textTransform",
      "textIndent",
      "tabSize",
      "paddingTop",
      "paddingRight",
      "paddingBottom",
      "paddingLeft",
      "direction",
      "textAlign",
    ];
    const st = mirror.style;
    for (const p of props) st[p] = cs[p];
    st.position = "absolute";
    st.top = "0";
    st.left = "-100000px";
    st.visibility = "hidden";
    st.whiteSpace = "pre-wrap";
    st.overflowWrap = "break-word";
    st.wordBreak = cs.wordBreak;
    st.boxSizing = "content-box";
    st.border = "0";
    st.margin = "0";
    const padX = parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
    st.width = Math.max(0, ta.clientWidth - padX) + "px";
    const value = ta.value;
    const mark = doc.createElement("span");
    mark.textContent = value.slice(s16, e16);
    mirror.replaceChildren(
      doc.createTextNode(value.slice(0, s16)),
      mark,
      doc.createTextNode(value.slice(e16) + "\u200b"),
    );
    const m = mirror.getBoundingClientRect();
    const t = ta.getBoundingClientRect();
    const out = [];
    for (const r of mark.getClientRects()) {
      out.push({
        left: t.left + ta.clientLeft + (r.left - m.left) - ta.scrollLeft,
        top: t.top + ta.clientTop + (r.top - m.top) - ta.scrollTop,
        width: r.width,
        height: r.height,
      });
    }
    return out;
  }

  function rangeRects(state, s16, e16) {
    let rects;
    if (state.rich) {
      const range = richRange(state, s16, e16);
      rects = range ? Array.from(range.getClientRects()) : [];
    } else {
      rects = mirrorRects(state, s16, e16);
    }
    const off = frameOffset(state.doc);
    const box = visibleBox(state);
    const out = [];
    for (const r of rects) {
      if (r.width < 1) continue;
      const left = r.left + off.x;
      const top = r.top + off.y;
      if (
        top + r.height < box.top ||
        top > box.bottom ||
        left + r.width < box.left ||
        left > box.right
      )
        continue;
      out.push({ left, top, width: r.width, height: r.height });
    }
    return out;
  }

  function visibleBox(state) {
    const el = state.el;
    const off = frameOffset(state.doc);
    if (el === state.doc.body) {
      const win = state.doc.defaultView;
      return {
        left: off.x,
        top: off.y,
        right: off.x + win.innerWidth,
        bottom: off.y + win.innerHeight,
      };
    }
    const r = el.getBoundingClientRect();
    return {
      left: r.left + off.x,
      top: r.top + off.y,
      right: r.right + off.x,
      bottom: r.bottom + off.y,
    };
  }

  // --- checking -------------------------------------------------------------------------

  function incoming() {
    const sel = selector("incoming");
    let last = null;
    for (const doc of docs) {
      const found = queryAll(doc, sel).filter((el) => !stateFor(el));
      if (found.length) last = found[found.length - 1];
    }
    if (!last) return null;
    const text = (last.innerText || last.textContent || "").trim();
    return text ? text.slice(0, MAX_INCOMING) : null;
  }

  function schedule(state, ms) {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => runCheck(state), ms);
  }

  async function runCheck(state) {
    clearTimeout(state.timer);
    const text = textOf(state);
    if (!text.trim()) {
      state.result = null;
      state.checkedText = null;
      clearMarks(state);
      setBadge(state, "idle", "");
      return null;
    }
    const mine = ++state.seq;
    setBadge(state, "checking", "checking…");
    const body = { text };
    const inc = incoming();
    if (inc) body.incoming = inc;
    const run = ask({ type: "check", key: state.id, body });
    state.running = run;
    const answer = await run;
    if (mine !== state.seq || answer.aborted) return null; // a newer check is on its way
    state.running = null;
    if (!answer.ok) {
      state.result = null;
      state.checkedText = null;
      state.error = answer.error;
      state.errorText = text;
      clearMarks(state);
      const hint = answer.status === 401 ? " (set the token on the extension's options page)" : "";
      setBadge(state, "error", "clarity: " + answer.error + hint);
      return null;
    }
    const data = answer.data;
    if (textOf(state) !== data.result.text) {
      schedule(state, 50); // the reply changed meanwhile
      return null;
    }
    state.error = null;
    state.result = data;
    state.checkedText = data.result.text;
    render(state);
    return data;
  }

  // The verdict for the editor's text now, checking it first when it is not known.
  async function ensureChecked(state) {
    for (let i = 0; i < 5; i++) {
      const text = textOf(state);
      if (!text.trim()) return null;
      if (state.result && state.checkedText === text) return state.result;
      if (state.error && state.errorText === text) return null;
      await runCheck(state);
    }
    return null;
  }

  function onInput(event) {
    const state = stateFor(event.target);
    if (!state) return;
    lastActive = state;
    clearMarks(state);
    hideCard();
    if (state.result || state.error) setBadge(state, "checking", "checking…");
    state.result = null;
    state.error = null;
    schedule(state, DEBOUNCE_MS);
  }

  function onFocus(event) {
    const state = stateFor(event.target);
    if (state) lastActive = state;
  }

  // --- the overlay ----------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function ensureRoot() {
    if (root && root.isConnected) return root;
    root = el("div", "clarity-root");
    root.id = "clarity-ext-root";
    document.documentElement.appendChild(root);
    return root;
  }

  function isMessageLevel(f, length) {
    return MESSAGE_LEVEL.has(f.code);
  }

  function clearMarks(state) {
    for (const m of state.marks) m.remove();
    state.marks = [];
  }

  function render(state) {
    clearMarks(state);
    const data = state.result;
    const result = data.result;
    const length = Array.from(result.text).length;
    const blocking = new Set(data.blocking.map((b) => b.code + ":" + b.start + ":" + b.end));
    for (const f of result.findings) {
      if (!(f.end > f.start) || isMessageLevel(f, length)) continue;
      const mark = el(
        "div",
        "clarity-mark clarity-cat-" + f.category + " clarity-sev-" + f.severity,
      );
      mark.setAttribute("data-clarity-code", f.code);
      if (blocking.has(f.code + ":" + f.start + ":" + f.end)) mark.classList.add("clarity-blocks");
      mark.__finding = f;
      mark.__state = state;
      ensureRoot().appendChild(mark);
      state.marks.push(mark);
    }
    const verdict = data.allowed ? "ready" : "blocked";
    const score = result.score;
    setBadge(state, verdict, score + (data.allowed ? " · ready" : " · hold"), data.summary);
    layout();
  }

  let layoutPending = false;
  function scheduleLayout() {
    if (layoutPending) return;
    layoutPending = true;
    requestAnimationFrame(() => {
      layoutPending = false;
      layout();
    });
  }

  function layout() {
    for (const state of editors.values()) {
      placeBadge(state);
      if (!state.marks.length) continue;
      if (textOf(state) !== state.checkedText) {
        clearMarks(state);
        continue;
      }
      const index = cpIndex(state.checkedText);
      for (const mark of state.marks) {
        const f = mark.__finding;
        const rects = rangeRects(state, index[f.start], index[f.end]);
        mark.__rects = rects;
        if (!rects.length) {
          mark.style.display = "none";
          continue;
        }
        const left = Math.min(...rects.map((r) => r.left));
        const top = Math.min(...rects.map((r) => r.top));
        const right = Math.max(...rects.map((r) => r.left + r.width));
        const bottom = Math.max(...rects.map((r) => r.top + r.height));
        Object.assign(mark.style, {
          display: "block",
          left: left + "px",
          top: top + "px",
          width: right - left + "px",
          height: bottom - top + "px",
        });
        const parts = rects.map((r) => {
          const part = el("div", "clarity-part");
          Object.assign(part.style, {
            left: r.left - left + "px",
            top: r.top - top + "px",
            width: r.width + "px",
            height: r.height + "px",
          });
          return part;
        });
        mark.replaceChildren(...parts);
      }
    }
    if (card && card.__mark && !card.__mark.isConnected) hideCard();
  }

  // Editors shown or hidden by a style change are found by a slower, periodic scan.
  setInterval(() => {
    if (site) scan();
  }, 2000);

  setInterval(() => {
    for (const state of editors.values()) {
      if (state.marks.length || state.badge) {
        scheduleLayout();
        return;
      }
    }
  }, 500);

  // --- the badge ------------------------------------------------------------------------

  function makeBadge(state) {
    const badge = el("div", "clarity-badge");
    badge.setAttribute("data-clarity-state", "idle");
    badge.setAttribute("role", "status");
    badge.addEventListener("mousedown", (e) => e.preventDefault());
    badge.addEventListener("click", () => toggleDetails(state));
    ensureRoot().appendChild(badge);
    return badge;
  }

  function setBadge(state, kind, text, title) {
    const badge = state.badge;
    if (!badge) return;
    badge.setAttribute("data-clarity-state", kind);
    badge.textContent = text ? "clarity " + text : "clarity";
    badge.title = title || text || "clarity checks this reply as you type";
    if (state.details) toggleDetails(state, true);
    placeBadge(state);
  }

  function placeBadge(state) {
    const box = visibleBox(state);
    const badge = state.badge;
    if (!badge) return;
    if (box.right - box.left < 1 || !state.el.isConnected) {
      badge.style.display = "none";
      return;
    }
    badge.style.display = "block";
    badge.style.left = Math.max(0, box.right - badge.offsetWidth - 6) + "px";
    badge.style.top = Math.max(0, box.bottom - badge.offsetHeight - 6) + "px";
  }

  function toggleDetails(state, refresh) {
    if (state.details && !refresh) {
      state.details.remove();
      state.details = null;
      return;
    }
    if (state.details) state.details.remove();
    const box = el("div", "clarity-details");
    const data = state.result;
    if (!data) {
      box.append(el("p", "", state.error || "Type a reply to check it."));
    } else {
      box.append(el("p", "clarity-summary", data.summary));
      const length = Array.from(data.result.text).length;
      const ul = el("ul");
      for (const f of data.result.findings) {
        if (f.end > f.start && !isMessageLevel(f, length)) continue;
        const li = el("li", "", f.code + ": " + f.message);
        li.setAttribute("data-clarity-message-code", f.code);
        ul.append(li);
      }
      if (ul.childNodes.length) box.append(ul);
    }
    ensureRoot().appendChild(box);
    const b = state.badge.getBoundingClientRect();
    box.style.left = Math.max(4, b.right - 320) + "px";
    box.style.top = Math.max(4, b.top - box.offsetHeight - 6) + "px";
    state.details = box;
  }

  // --- the card: a finding's message, suggestions and fix --------------------------------

  // The mark under the pointer; of marks one inside another, the smallest.
  function markAt(x, y) {
    let best = null;
    let bestSize = Infinity;
    for (const state of editors.values()) {
      for (const mark of state.marks) {
        for (const r of mark.__rects || []) {
          if (x >= r.left && x <= r.left + r.width && y >= r.top - 2 && y <= r.top + r.height + 2) {
            const size = mark.__finding.end - mark.__finding.start;
            if (size < bestSize) {
              best = mark;
              bestSize = size;
            }
          }
        }
      }
    }
    return best;
  }

  function onMouseMove(event) {
    if (card && (event.target === card || card.contains(event.target))) {
      clearTimeout(cardHide);
      return;
    }
    const off = frameOffset(event.target.ownerDocument || document);
    const mark = markAt(event.clientX + off.x, event.clientY + off.y);
    if (mark) {
      clearTimeout(cardHide);
      if (!card || card.__mark !== mark) showCard(mark);
    } else if (card) {
      clearTimeout(cardHide);
      cardHide = setTimeout(hideCard, 400);
    }
  }

  function caretIndex(state) {
    if (!state.rich) {
      const ta = state.el;
      return ta.selectionStart === ta.selectionEnd ? ta.selectionStart : -1;
    }
    const sel = state.doc.getSelection();
    if (!sel || !sel.isCollapsed || !sel.anchorNode) return -1;
    const map = richMap(state.el);
    for (const s of map.segs) if (s.node === sel.anchorNode) return s.start + sel.anchorOffset;
    return -1;
  }

  // The caret in a marked finding shows its card too (keyboard users, screen readers).
  function onCaret(doc) {
    const active = doc.activeElement;
    const state = active && stateFor(doc.body && doc.body.isContentEditable ? doc.body : active);
    if (!state || !state.marks.length || textOf(state) !== state.checkedText) return;
    const caret = caretIndex(state);
    if (caret < 0) return;
    const index = cpIndex(state.checkedText);
    const under = state.marks.filter(
      (m) => index[m.__finding.start] < caret && caret < index[m.__finding.end],
    );
    under.sort(
      (a, b) => a.__finding.end - a.__finding.start - (b.__finding.end - b.__finding.start),
    );
    const mark = under[0];
    if (mark && (!card || card.__mark !== mark)) showCard(mark);
  }

  function showCard(mark) {
    hideCard();
    const f = mark.__finding;
    const state = mark.__state;
    card = el("div", "clarity-card");
    card.__mark = mark;
    card.setAttribute("role", "tooltip");
    card.setAttribute("data-clarity-card", f.code);
    card.addEventListener("mousedown", (e) => e.preventDefault()); // keep the editor's focus
    card.addEventListener("mouseleave", () => {
      clearTimeout(cardHide);
      cardHide = setTimeout(hideCard, 400);
    });
    const head = el("div", "clarity-card-head", f.code + " · " + f.severity + " · " + f.category);
    card.append(head, el("div", "clarity-card-msg", f.message));
    if (f.suggestions && f.suggestions.length) {
      card.append(el("div", "clarity-card-try", "Try: " + f.suggestions.join(", ")));
    }
    if (f.fix && f.fix.edits && f.fix.edits.length && f.fix.applicability !== "display") {
      const unsafe = f.fix.applicability !== "safe";
      const label = unsafe
        ? "Apply (check the meaning): " + f.fix.message
        : "Fix: " + f.fix.message;
      const button = el("button", "clarity-btn" + (unsafe ? "" : " clarity-primary"), label);
      button.type = "button";
      button.setAttribute("data-clarity-action", "apply-fix");
      button.addEventListener("click", () => {
        hideCard();
        applyEdits(state, f.fix.edits);
      });
      card.append(button);
    } else if (f.fix && f.fix.message) {
      card.append(el("div", "clarity-card-try", f.fix.message));
    }
    ensureRoot().appendChild(card);
    const r = (mark.__rects && mark.__rects[0]) || mark.getBoundingClientRect();
    const below = r.top + r.height + 4;
    card.style.left =
      Math.max(4, Math.min(r.left, window.innerWidth - card.offsetWidth - 8)) + "px";
    card.style.top =
      (below + card.offsetHeight > window.innerHeight
        ? Math.max(4, r.top - card.offsetHeight - 4)
        : below) + "px";
  }

  function hideCard() {
    clearTimeout(cardHide);
    if (card) card.remove();
    card = null;
  }

  // --- applying fixes through the editor's own input events ----------------------------

  function replaceText(state, s16, e16, replacement) {
    const doc = state.doc;
    const target = state.el;
    if (!state.rich) {
      target.focus();
      target.setSelectionRange(s16, e16);
      const ok = replacement
        ? doc.execCommand("insertText", false, replacement)
        : doc.execCommand("delete", false);
      if (!ok) {
        target.setRangeText(replacement, s16, e16, "end");
        target.dispatchEvent(
          new InputEvent("input", {
            bubbles: true,
            inputType: "insertReplacementText",
            data: replacement,
          }),
        );
      }
      return;
    }
    const range = richRange(state, s16, e16);
    if (!range) return;
    if (doc !== document && doc.defaultView.frameElement) doc.defaultView.frameElement.focus();
    target.focus();
    const sel = doc.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    const ok = replacement
      ? doc.execCommand("insertText", false, replacement)
      : doc.execCommand("delete", false);
    if (!ok) {
      // An editor that refuses execCommand: offer the change as a beforeinput event,
      // then make it ourselves if the editor did not take it.
      const before = new InputEvent("beforeinput", {
        bubbles: true,
        cancelable: true,
        inputType: "insertReplacementText",
        data: replacement,
      });
      if (target.dispatchEvent(before)) {
        range.deleteContents();
        if (replacement) range.insertNode(doc.createTextNode(replacement));
        target.dispatchEvent(
          new InputEvent("input", {
            bubbles: true,
            inputType: "insertReplacementText",
            data: replacement,
          }),
        );
      }
    }
  }

  // Edits are in code points of the checked text; applied last first, so each one's
  // offsets still hold. Each is one step of the editor's own undo.
  function applyEdits(state, edits) {
    if (textOf(state) !== state.checkedText) {
      runCheck(state);
      return false;
    }
    const index = cpIndex(state.checkedText);
    const sorted = edits.slice().sort((a, b) => b.start - a.start);
    for (const e of sorted) replaceText(state, index[e.start], index[e.end], e.replacement);
    return true;
  }

  function safeEdits(data) {
    const edits = [];
    for (const f of data.result.findings) {
      if (f.fix && f.fix.applicability === "safe") edits.push(...f.fix.edits);
    }
    edits.sort((a, b) => a.start - b.start);
    const chosen = [];
    let end = -1;
    for (const e of edits) {
      if (e.start >= end) {
        chosen.push(e);
        end = Math.max(e.end, e.start + 1);
      }
    }
    return chosen;
  }

  // --- holding the send ------------------------------------------------------------------

  function sendButton(target) {
    const node = target && target.nodeType === 1 ? target : target && target.parentElement;
    if (!node || ours(node)) return null;
    const bySelector = matches(node, selector("send"));
    if (bySelector) return bySelector;
    const button = node.closest("button, input[type=submit], input[type=button], [role=button]");
    if (!button) return null;
    const label =
      button.tagName === "INPUT"
        ? button.value
        : button.textContent || button.getAttribute("aria-label") || "";
    return sendLabel.test(label) ? button : null;
  }

  function editorsFor(node) {
    const form = node.form || (node.closest && node.closest("form"));
    if (form) {
      const inForm = Array.from(editors.values()).filter((s) => form.contains(s.el));
      if (inForm.length) return inForm;
      return [];
    }
    if (lastActive && editors.has(lastActive.el)) return [lastActive];
    const withText = Array.from(editors.values()).filter((s) => textOf(s).trim());
    return withText.length === 1 ? withText : [];
  }

  function verdictNow(state) {
    const text = textOf(state);
    if (!text.trim()) return "empty";
    if (state.result && state.checkedText === text)
      return state.result.allowed ? "allowed" : "blocked";
    if (state.error && state.errorText === text) return "allowed"; // the service is down: never stop the agent
    return "unknown";
  }

  function stop(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  function gate(event, states, resend) {
    if (bypass || !states.length) return;
    const verdicts = states.map(verdictNow);
    if (verdicts.every((v) => v === "allowed" || v === "empty")) return; // no delay
    stop(event);
    const blocked = states[verdicts.indexOf("blocked")];
    if (blocked) {
      showPanel(blocked, resend);
      return;
    }
    Promise.all(states.map(ensureChecked)).then(() => {
      const held = states.find((s) => verdictNow(s) === "blocked");
      if (held) showPanel(held, resend);
      else letThrough(resend);
    });
  }

  function letThrough(resend) {
    bypass = true;
    try {
      resend();
    } finally {
      bypass = false;
    }
  }

  function onClick(event) {
    if (bypass || event.button !== 0) return;
    const button = sendButton(event.target);
    if (!button) return;
    gate(event, editorsFor(button), () => button.click());
  }

  function onSubmit(event) {
    if (bypass) return;
    const form = event.target;
    const states = Array.from(editors.values()).filter((s) => form.contains(s.el));
    const submitter = event.submitter;
    gate(event, states, () =>
      form.requestSubmit ? form.requestSubmit(submitter || undefined) : form.submit(),
    );
  }

  function onKeydown(event) {
    if (panel && event.key === "Escape") {
      closePanel();
      return;
    }
    if (bypass || event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    const state = stateFor(event.target);
    if (!state) return;
    const target = event.target;
    const init = {
      key: "Enter",
      code: "Enter",
      keyCode: 13,
      which: 13,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      bubbles: true,
      cancelable: true,
    };
    gate(event, [state], () => target.dispatchEvent(new KeyboardEvent("keydown", init)));
  }

  function closePanel() {
    if (panel) panel.remove();
    panel = null;
  }

  function showPanel(state, resend) {
    closePanel();
    hideCard();
    const data = state.result;
    panel = el("div", "clarity-panel");
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-label", "clarity: hold on before sending");
    panel.setAttribute("data-clarity-verdict", "blocked");
    panel.append(el("div", "clarity-panel-title", "Hold on before sending"));
    const reasons = el("ul", "clarity-reasons");
    for (const r of data.reasons) reasons.append(el("li", "", r.message));
    panel.append(reasons);
    const findings = data.result.findings;
    const list = el("ul", "clarity-blocking");
    for (const b of data.blocking.slice(0, 8)) {
      const f =
        findings.find((x) => x.code === b.code && x.start === b.start && x.end === b.end) || b;
      const quote = f.text
        ? "“" + (f.text.length > 50 ? f.text.slice(0, 47) + "…" : f.text) + "” "
        : "";
      const li = el("li", "", b.code + " " + quote + "— " + (f.message || ""));
      li.setAttribute("data-clarity-blocking", b.code);
      list.append(li);
    }
    if (data.blocking.length > 8)
      list.append(el("li", "", "… and " + (data.blocking.length - 8) + " more"));
    panel.append(list);
    const row = el("div", "clarity-panel-buttons");
    const button = (action, label, primary) => {
      const b = el("button", "clarity-btn" + (primary ? " clarity-primary" : ""), label);
      b.type = "button";
      b.setAttribute("data-clarity-action", action);
      row.append(b);
      return b;
    };
    const codes = Array.from(new Set(data.blocking.map((b) => b.code)));
    button("fix", "Fix", true).addEventListener("click", () => {
      closePanel();
      const edits = safeEdits(data);
      if (edits.length) {
        applyEdits(state, edits);
        return;
      }
      // Nothing clarity can rewrite safely: take the agent to the first blocking finding.
      const first =
        state.marks.find((m) => m.classList.contains("clarity-blocks")) || state.marks[0];
      state.el.focus();
      if (first) {
        const index = cpIndex(state.checkedText);
        const f = first.__finding;
        if (state.rich) {
          const range = richRange(state, index[f.start], index[f.end]);
          if (range) {
            const sel = state.doc.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
          }
        } else state.el.setSelectionRange(index[f.start], index[f.end]);
        showCard(first);
      }
    });
    button("send-anyway", "Send anyway").addEventListener("click", () => {
      closePanel();
      ask({ type: "send-anyway", codes }); // counted on this machine; nothing is sent anywhere
      letThrough(resend);
    });
    button("cancel", "Cancel").addEventListener("click", () => {
      closePanel();
      state.el.focus();
    });
    panel.append(row);
    ensureRoot().appendChild(panel);
    panel.querySelector("[data-clarity-action=fix]").focus();
  }

  // --- start ----------------------------------------------------------------------------

  async function start() {
    const config = await ask({ type: "config", url: location.href });
    if (!config || !config.site) return; // not a site the user enabled
    site = config.site;
    desks = config.desks;
    if (desks.send_label) sendLabel = new RegExp(desks.send_label, "i");
    docs.add(document);
    desk = chooseDesk();
    docs.delete(document);
    ensureRoot();
    scan();
  }

  start();
})();
