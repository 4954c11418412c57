// The staff console: sign-in against the staff pool, then every section through the JSON API.
// Tokens live in this tab's session storage only (never local storage, never in an address),
// are refreshed before they expire, and are revoked on sign-out. Each section is offered to the
// groups the token names; the API decides all the same.
(() => {
  "use strict";

  const T = JSON.parse(document.getElementById("console-texts").textContent);
  const SETUP = JSON.parse(document.getElementById("console-setup").textContent);
  const LANG = SETUP.lang;
  const STORE = "irc.console.session";
  const REFRESH_EARLY_MS = 60_000;
  const QUEUES = ["received", "in_review", "information_requested", "reposting_requested", "appeals"];
  const DECIDABLE = ["received", "in_review", "information_requested"];
  const main = document.getElementById("main");
  const live = document.getElementById("console-live");
  const plurals = new Intl.PluralRules(LANG === "ko" ? "ko" : "en");
  const when = new Intl.DateTimeFormat(LANG === "ko" ? "ko-KR" : "en-GB", {
    timeZone: "Asia/Seoul", year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  // ---- words -------------------------------------------------------------------------------

  function text(path, values = {}) {
    let node = path.split(".").reduce((at, part) => (at == null ? at : at[part]), T);
    if (node && typeof node === "object" && "plural" in node) {
      node = node[plurals.select(Number(values[node.plural]))] || node.other;
    }
    if (typeof node !== "string") return path;
    return node.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }
  const name = (kind, key) => (T.names[kind] && T.names[kind][key]) || key;
  // An action of the trail in words where the console has them, always with its code.
  const actionName = (action) => (T.measure_types[action] ? `${T.measure_types[action]} (${action})` : action);
  const moment = (iso) => (iso ? `${when.format(new Date(iso))} ${T.time_zone}` : "");
  function age(seconds) {
    const minutes = Math.max(0, Math.floor(seconds / 60));
    if (minutes < 60) return text("age_minutes", { n: minutes });
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return text("age_hours", { n: hours });
    return text("age_days", { n: Math.floor(hours / 24) });
  }

  // ---- DOM ---------------------------------------------------------------------------------

  function h(tag, attrs = {}, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value == null || value === false) continue;
      if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else if (key === "text") element.textContent = value;
      else if (key === "dataset") Object.assign(element.dataset, value);
      else element.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }
  function announce(message) {
    live.textContent = "";
    window.setTimeout(() => { live.textContent = message; }, 50);
  }
  // Put children into an element, leaving out the ones not there (null, false).
  function put(element, ...children) {
    element.replaceChildren(...children.flat(Infinity).filter((child) => child != null && child !== false));
    return element;
  }
  function show(...children) {
    put(main, ...children);
    const heading = main.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
      document.title = `${heading.textContent} · ${T.title}`;
    }
  }
  function notice(kind, ...children) {
    return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
  }
  function field(label, control, hint) {
    const id = control.id || `f-${Math.random().toString(36).slice(2, 10)}`;
    control.id = id;
    const hintId = hint ? `${id}-hint` : null;
    // The field's error, once there is one, is read with it.
    control.setAttribute("aria-describedby", [hintId, `${id}-error`].filter(Boolean).join(" "));
    return h("div", { class: "field" },
      h("label", { for: id }, label),
      hint ? h("p", { class: "hint", id: hintId }, hint) : null,
      control,
      h("p", { class: "field-error", id: `${id}-error`, hidden: true }));
  }
  function select(id, options, chosen) {
    return h("select", { id, name: id },
      options.map(([value, label]) => h("option", { value, selected: value === chosen }, label)));
  }
  function row(cells, attrs = {}) {
    return h("tr", attrs, cells.map((cell) => h("td", {}, cell)));
  }
  function table(caption, headings, rows) {
    // A wide table scrolls in its own region, which the keyboard can reach too.
    return h("div", { class: "table-wrap", role: "region", tabindex: "0", "aria-label": caption },
      h("table", {},
        h("caption", { class: "visually-hidden" }, caption),
        h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
        h("tbody", {}, rows)));
  }
  const definition = (pairs) => h("dl", { class: "facts" },
    pairs.filter(([, value]) => value != null && value !== "").map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));

  // ---- session -----------------------------------------------------------------------------

  let session = readSession();
  let refreshTimer = null;

  function readSession() {
    try {
      const kept = JSON.parse(window.sessionStorage.getItem(STORE) || "null");
      if (kept && kept.expiresAt > Date.now()) return kept;
      window.sessionStorage.removeItem(STORE);  // an ended sign-in keeps no token behind
      return null;
    } catch (error) {
      return null;
    }
  }
  function claimsOf(token) {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }
  function adopt(result, refreshToken) {
    const claims = claimsOf(result.AccessToken);
    session = {
      access: result.AccessToken,
      refresh: refreshToken || result.RefreshToken,
      expiresAt: Date.now() + result.ExpiresIn * 1000,
      username: claims.username || claims["cognito:username"] || "",
      subject: claims.sub,
      groups: claims["cognito:groups"] || [],
    };
    window.sessionStorage.setItem(STORE, JSON.stringify(session));
    scheduleRefresh();
  }
  function forget(message) {
    leave();
    window.clearTimeout(refreshTimer);
    session = null;
    window.sessionStorage.removeItem(STORE);
    staffNames = null;
    renderSignIn(message);
  }
  function scheduleRefresh() {
    window.clearTimeout(refreshTimer);
    if (!session) return;
    const wait = Math.max(5_000, session.expiresAt - Date.now() - REFRESH_EARLY_MS);
    refreshTimer = window.setTimeout(() => { refresh().catch(() => forget(text("session_ended"))); }, wait);
  }
  async function refresh() {
    const answer = await cognito("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: SETUP.clientId,
      AuthParameters: { REFRESH_TOKEN: session.refresh },
    });
    adopt(answer.AuthenticationResult, session.refresh);
  }
  async function cognito(target, body) {
    let answer;
    try {
      answer = await fetch(SETUP.signInUrl, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}`,
        },
        body: JSON.stringify(body),
        credentials: "omit",
      });
    } catch (error) {
      throw Object.assign(new Error("unreachable"), { code: "unreachable" });
    }
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) throw Object.assign(new Error(data.message || "refused"), { code: String(data.__type || answer.status) });
    return data;
  }
  function renderSignIn(message, challenge) {
    document.getElementById("console-nav").hidden = true;
    document.getElementById("console-user").hidden = true;
    const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
    const password = h("input", { id: "password", name: "password", type: "password", autocomplete: challenge ? "new-password" : "current-password", required: true });
    const failure = h("div", { id: "sign-in-failure" });
    const form = h("form", { class: "card", novalidate: true },
      challenge ? h("p", {}, text("new_password_intro")) : field(text("username"), username),
      field(text(challenge ? "new_password" : "password"), password),
      failure,
      h("button", { type: "submit", class: "button" }, text(challenge ? "set_password" : "sign_in")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      put(failure, notice("info", text("signing_in")));
      try {
        let answer;
        if (challenge) {
          answer = await cognito("RespondToAuthChallenge", {
            ChallengeName: "NEW_PASSWORD_REQUIRED", ClientId: SETUP.clientId, Session: challenge.session,
            ChallengeResponses: { USERNAME: challenge.username, NEW_PASSWORD: password.value },
          });
        } else {
          answer = await cognito("InitiateAuth", {
            AuthFlow: "USER_PASSWORD_AUTH", ClientId: SETUP.clientId,
            AuthParameters: { USERNAME: username.value.trim(), PASSWORD: password.value },
          });
        }
        if (answer.ChallengeName === "NEW_PASSWORD_REQUIRED") {
          renderSignIn(null, { session: answer.Session, username: username.value.trim() });
          return;
        }
        adopt(answer.AuthenticationResult);
        password.value = "";
        route();
      } catch (error) {
        const refused = /NotAuthorized|UserNotFound|InvalidPassword|InvalidParameter/.test(error.code);
        put(failure, notice("error", text(refused ? "sign_in_failed" : "sign_in_unavailable")));
        password.focus();
      }
    });
    show(h("h1", {}, text("sign_in_title")), h("p", {}, text("sign_in_intro")),
      message ? notice("info", message) : null, form);
  }
  async function signOut() {
    const token = session && session.access;
    forget();
    if (token) await cognito("GlobalSignOut", { AccessToken: token }).catch(() => null);
    announce(text("sign_out"));
  }

  // ---- the API -----------------------------------------------------------------------------

  class Refused extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title || String(status));
      this.status = status;
      this.problem = problem;
    }
  }
  function newKey() {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
  }
  async function api(method, path, { body, key, query, raw } = {}) {
    if (!session) throw new Refused(401, {});
    if (session.expiresAt - Date.now() < REFRESH_EARLY_MS) {
      await refresh().catch(() => forget(text("session_ended")));
      if (!session) throw new Refused(401, {});
    }
    const params = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v != null && v !== "")) : null;
    const headers = { Authorization: `Bearer ${session.access}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    let answer;
    try {
      answer = await fetch(`${SETUP.base}${path}${params && [...params].length ? `?${params}` : ""}`, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit",
      });
    } catch (error) {
      throw new Refused(0, { detail: text("error_unavailable") });
    }
    if (answer.status === 401) {
      forget(text("session_ended"));
      throw new Refused(401, {});
    }
    if (raw && answer.ok) return answer;
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Refused(answer.status, data);
    return data;
  }
  function failed(error) {
    if (error.status === 401) return null;
    if (error.status === 403) return notice("error", text("forbidden"));
    if (error.status === 404) return notice("error", text("not_found"));
    if (error.status === 0 || error.status === 503 || error.status === 429) return notice("error", text("error_unavailable"));
    return notice("error", text("error_generic", { detail: error.message }));
  }

  let staffNames = null;
  async function names() {
    if (!staffNames) {
      staffNames = api("GET", "/v1/staff").then(
        (answer) => new Map(answer.staff.map((member) => [member.subject, member.username])),
        () => new Map());
    }
    return staffNames;
  }
  function actorName(known, actorId) {
    const [role, subject] = String(actorId).split(":");
    return subject && known.has(subject) ? `${known.get(subject)} (${role})` : actorId;
  }

  // ---- routing -----------------------------------------------------------------------------

  const SECTIONS = [
    { group: "reviewers", path: "#/queue/received" },
    { group: "auditors", path: "#/audit" },
    { group: "admins", path: "#/admin" },
  ];
  const may = (group) => Boolean(session && session.groups.includes(group));
  let leaving = null;
  // Each view is drawn for one visit: an answer that comes back after the reader moved on
  // (another view, a sign-out) draws nothing and arms no shortcut.
  let generation = 0;
  const visit = () => generation;
  const moved = (since) => since !== generation;
  function leave() {
    if (leaving) leaving();
    leaving = null;
    generation += 1;
  }

  function route() {
    leave();
    if (!session) return renderSignIn();
    const nav = document.getElementById("console-nav");
    nav.hidden = false;
    for (const item of nav.querySelectorAll("li")) item.hidden = !may(item.dataset.group);
    document.getElementById("console-user").hidden = false;
    document.getElementById("console-user-name").textContent = text("signed_in_as", { name: session.username });
    const hash = window.location.hash || "";
    const [path, search] = hash.replace(/^#/, "").split("?");
    const parts = path.split("/").filter(Boolean);
    for (const link of nav.querySelectorAll("a")) {
      if (link.dataset.section === (parts[0] === "cases" ? "queue" : parts[0])) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    const query = new URLSearchParams(search || "");
    if (parts[0] === "queue" && may("reviewers")) return queueView(QUEUES.includes(parts[1]) ? parts[1] : "received", query);
    if (parts[0] === "cases" && parts[1] && may("reviewers")) return caseView(parts[1]);
    if (parts[0] === "audit" && may("auditors")) return auditView(query);
    if (parts[0] === "admin" && may("admins")) return adminView();
    const first = SECTIONS.find((section) => may(section.group));
    if (!first) return show(h("h1", {}, text("title")), notice("error", text("no_groups")));
    if (hash !== first.path) window.location.replace(first.path);
    else route();
    return null;
  }
  function onKeys(handler) {
    const listener = (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
      handler(event);
    };
    document.addEventListener("keydown", listener);
    leaving = () => document.removeEventListener("keydown", listener);
  }
  // Single-key shortcuts can be turned off (WCAG 2.1.4), for this tab.
  const KEYS = "irc.console.single-keys";
  const singleKeys = () => window.sessionStorage.getItem(KEYS) !== "off";
  const typing = (event) => /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;

  // ---- the queue ---------------------------------------------------------------------------

  async function queueView(queue, query) {
    const since = visit();
    const filters = { surface: query.get("surface") || "", ground: query.get("ground") || "" };
    const tabs = h("div", { role: "tablist", "aria-label": text("queue_tabs"), class: "tabs" });
    const panel = h("div", { role: "tabpanel", id: "queue-panel", "aria-labelledby": `tab-${queue}`, tabindex: "0" }, text("loading"));
    QUEUES.forEach((name, index) => {
      const selected = name === queue;
      tabs.append(h("a", {
        role: "tab", id: `tab-${name}`, href: `#/queue/${name}${filterQuery(filters)}`,
        "aria-selected": String(selected), "aria-controls": "queue-panel", tabindex: selected ? "0" : "-1",
        dataset: { index: String(index + 1), queue: name },
      }, h("span", {}, text(`queues.${name}`)), " ", h("span", { class: "count", id: `count-${name}` })));
    });
    tabs.addEventListener("keydown", (event) => {
      const all = [...tabs.querySelectorAll("[role=tab]")];
      const at = all.indexOf(document.activeElement);
      if (at < 0 || !["ArrowRight", "ArrowLeft", "Home", "End"].includes(event.key)) return;
      event.preventDefault();
      const next = event.key === "Home" ? 0 : event.key === "End" ? all.length - 1
        : (at + (event.key === "ArrowRight" ? 1 : all.length - 1)) % all.length;
      pendingTab = all[next].dataset.queue;
      all[next].click();
    });
    const surface = select("surface", [["", text("filter_any")], ...Object.keys(T.names.surfaces).map((key) => [key, name("surfaces", key)])], filters.surface);
    const ground = select("ground", [["", text("filter_any")], ...Object.keys(T.names.grounds).map((key) => [key, name("grounds", key)])], filters.ground);
    const filterForm = h("form", { class: "filters", "aria-label": text("filter_apply") },
      field(text("filter_surface"), surface), field(text("filter_ground"), ground),
      h("button", { type: "submit", class: "button secondary" }, text("filter_apply")));
    filterForm.addEventListener("submit", (event) => {
      event.preventDefault();
      window.location.hash = `#/queue/${queue}${filterQuery({ surface: surface.value, ground: ground.value })}`;
    });
    const takeResult = h("div");
    const take = h("button", { type: "button", class: "button", id: "take-oldest", "aria-keyshortcuts": "t" }, text("take_oldest"));
    show(h("h1", {}, text("queue_title")), tabs, filterForm, h("div", { class: "actions" }, take), takeResult, panel);

    api("GET", "/v1/cases/counts", { query: filters }).then((answer) => {
      if (moved(since)) return;
      for (const counted of answer.queues) {
        const badge = document.getElementById(`count-${counted.queue}`);
        if (!badge) continue;
        const count = `${counted.count}${counted.at_least ? "+" : ""}`;
        badge.textContent = `(${count})`;
        badge.setAttribute("aria-label", text("count_label", { n: count }) + (counted.overdue ? `, ${text("overdue_count", { n: counted.overdue })}` : ""));
        if (counted.overdue) badge.append(" ", h("span", { class: "badge badge-overdue", "aria-hidden": "true" }, text("overdue_count", { n: counted.overdue })));
      }
    }).catch(() => null);

    const loaded = [];
    const body = h("tbody");
    const more = h("button", { type: "button", class: "button secondary", hidden: true }, text("more"));
    let cursor = null;
    async function load() {
      try {
        const page = await api("GET", "/v1/cases", { query: { queue, ...filters, cursor, limit: 25 } });
        const known = await names();
        if (moved(since)) return;
        for (const item of page.cases) {
          loaded.push(item);
          body.append(queueRow(item, known));
        }
        cursor = page.next_cursor;
        more.hidden = !cursor;
        if (!loaded.length) put(panel, h("p", {}, text("queue_empty")));
      } catch (error) {
        if (!moved(since)) put(panel, failed(error) || "");
      }
    }
    put(panel, h("div", { class: "table-wrap", role: "region", tabindex: "0", "aria-label": text(`queues.${queue}`) }, h("table", { class: "queue" },
      h("caption", { class: "visually-hidden" }, text(`queues.${queue}`)),
      h("thead", {}, h("tr", {}, [text("col_case"), text("col_surface"), text("col_grounds"), text("col_waiting"), text("col_age"), text("col_deadline"), text("col_claim")].map((heading) => h("th", { scope: "col" }, heading)))),
      body)), more);
    more.addEventListener("click", load);

    take.addEventListener("click", async () => {
      if (!session || moved(since)) return;
      put(takeResult);
      const now = Date.now();
      for (const item of loaded.slice(0, 25)) {
        const claim = item.claim;
        if (claim && Date.parse(claim.until) > now && claim.by !== session.subject) continue;
        try {
          await api("POST", `/v1/cases/${encodeURIComponent(item.case_id)}/claim`);
          window.location.hash = `#/cases/${item.case_id}`;
          return;
        } catch (error) {
          if (error.status !== 409) { put(takeResult, failed(error) || ""); return; }
        }
      }
      put(takeResult, notice("info", text("take_none")));
    });
    onKeys((event) => {
      if (typing(event) || event.altKey || !singleKeys() || document.querySelector("dialog[open]")) return;
      const links = [...body.querySelectorAll("a.case-link")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "j" || event.key === "k") {
        event.preventDefault();
        const next = event.key === "j" ? Math.min(links.length - 1, at + 1) : Math.max(0, at - 1);
        if (links[next]) links[next].focus();
      } else if (event.key === "t") {
        event.preventDefault();
        take.click();
      } else if (/^[1-5]$/.test(event.key)) {
        event.preventDefault();
        window.location.hash = `#/queue/${QUEUES[Number(event.key) - 1]}${filterQuery(filters)}`;
      } else if (event.key === "?") {
        document.getElementById("shortcuts").showModal();
      }
    });
    await load();
    if (pendingTab === queue) {
      pendingTab = null;
      document.getElementById(`tab-${queue}`).focus();
    }
  }
  let pendingTab = null;
  function filterQuery(filters) {
    const params = new URLSearchParams(Object.entries(filters).filter(([, value]) => value));
    return [...params].length ? `?${params}` : "";
  }
  function queueRow(item, known) {
    const claimed = item.claim && Date.parse(item.claim.until) > Date.now();
    return h("tr", { class: item.overdue ? "overdue" : null },
      h("td", {}, h("a", { class: "case-link", href: `#/cases/${item.case_id}` }, item.case_id),
        item.trusted_flagger ? [" ", h("span", { class: "badge badge-trusted" }, text("dsa_trusted_flagger"))] : null),
      h("td", {}, name("surfaces", item.surface), h("span", { class: "target-by" }, text(`target_by.${item.target_by}`))),
      h("td", {}, item.grounds.map((ground) => name("grounds", ground)).join(", ")),
      h("td", {}, moment(item.waiting_since || item.received_at)),
      h("td", {}, age(item.age_seconds)),
      h("td", {}, moment(item.decide_by), item.overdue ? [" ", h("span", { class: "badge badge-overdue" }, text("overdue"))] : null),
      h("td", {}, claimed ? (item.claim.by_name || actorName(known, `:${item.claim.by}`)) : text("unclaimed")));
  }

  // ---- a case ------------------------------------------------------------------------------

  async function caseView(caseId) {
    const since = visit();
    show(h("h1", {}, text("case_title", { id: caseId })), h("p", {}, text("loading")));
    let file;
    let rules;
    let known;
    try {
      [file, rules, known] = await Promise.all([
        api("GET", `/v1/cases/${encodeURIComponent(caseId)}`),
        api("GET", "/v1/decision-rules").catch(() => null),
        names(),
      ]);
    } catch (error) {
      if (!moved(since)) show(h("h1", {}, text("case_title", { id: caseId })), failed(error) || "");
      return;
    }
    if (moved(since)) return;
    try {
      drawCase(caseId, file, rules, known);
    } catch (error) {
      show(h("h1", {}, text("case_title", { id: caseId })), notice("error", text("error_generic", { detail: error.message })));
    }
  }
  function drawCase(caseId, file, rules, known) {
    const record = file.case;
    const claimBox = h("div", { class: "claim", id: "claim" });
    renderClaim(claimBox, caseId, file.claim || record.claim || null);
    const sections = [
      h("p", {}, h("a", { href: "#/queue/received" }, text("back_to_queue"))),
      h("h1", {}, text("case_title", { id: caseId })),
      claimBox,
      h("div", { class: "case-layout" },
        h("div", { class: "case-facts" },
        section("summary", text("section_summary"), definition([
          [text("status"), name("statuses", record.status)],
          [text("version"), String(file.version)],
          [text("received_at"), moment(record.received_at)],
          [text("grounds"), record.grounds.map((ground) => name("grounds", ground)).join(", ")],
          [text("requested_action"), name("actions", record.requested_action)],
        ])),
        section("claimant", text("section_claimant"), definition([
          [text("name"), record.claimant.name],
          [text("email"), record.claimant.email],
          [text("phone"), record.claimant.phone],
          [text("relationship"), name("relationships", record.claimant.relationship)],
          [text("agent"), record.claimant.principal_name],
          [text("power_of_attorney"), record.power_of_attorney ? record.power_of_attorney.filename : null],
        ])),
        section("target", text("section_target"), definition([
          [text("surface"), name("surfaces", record.target.surface)],
          [text("target_url"), record.target.url],
          [text("target_content_ref"), record.target.content_ref ? h("code", { class: "content-ref" }, record.target.content_ref) : null],
          [text("target_description"), record.target.description],
          [text("misuse.account_ref"), record.target.account_ref ? h("code", { class: "content-ref" }, record.target.account_ref) : null],
        ])),
        section("statement", text("section_statement"), h("p", { class: "statement", lang: record.lang }, record.statement)),
        evidenceSection(file),
        remedySection(record),
        relatedSection(file.related),
        accountSection(file.account_history),
        claimantSection(caseId, file.claimant_standing),
        historySection(file.history, known),
        ),
        h("div", { class: "case-work" },
          decisionSection(caseId, file, rules),
          notesSection(caseId, file.notes || [], known))),
    ];
    show(...sections);
    onKeys((event) => {
      if (event.key === "?" && !typing(event)) document.getElementById("shortcuts").showModal();
      if (!event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === "p" || event.code === "KeyP") { event.preventDefault(); document.getElementById("preview-button")?.click(); }
      if (key === "s" || event.code === "KeyS") { event.preventDefault(); document.getElementById("send-button")?.click(); }
    });
  }
  function section(id, title, ...children) {
    return h("section", { class: "card", "aria-labelledby": `h-${id}` }, h("h2", { id: `h-${id}` }, title), ...children);
  }
  function renderClaim(box, caseId, claim) {
    const live = claim && Date.parse(claim.until) > Date.now();
    const mine = live && claim.by === session.subject;
    const message = !live ? text("not_claimed")
      : mine ? text("claimed_by_you", { time: moment(claim.until) })
      : text("claimed_by_other", { name: claim.by_name || claim.by, time: moment(claim.until) });
    const result = h("div");
    const act = async (method) => {
      try {
        const answer = await api(method, `/v1/cases/${encodeURIComponent(caseId)}/claim`);
        renderClaim(box, caseId, answer.claim);
        announce(box.querySelector("p").textContent);
      } catch (error) {
        if (error.status === 409 && error.problem.claimed_by) {
          renderClaim(box, caseId, { by: error.problem.claimed_by, by_name: error.problem.claimed_by_name, until: error.problem.claimed_until });
        } else put(result, failed(error) || "");
      }
    };
    put(box, h("p", {}, message),
      !live || mine ? h("button", { type: "button", class: "button secondary", id: "claim-button", onclick: () => act("POST") }, text(mine ? "claim_renew" : "claim")) : null,
      mine ? h("button", { type: "button", class: "button secondary", id: "release-button", onclick: () => act("DELETE") }, text("claim_release")) : null,
      result);
  }
  function evidenceSection(file) {
    if (!file.evidence.length) return section("evidence", text("section_evidence"), h("p", {}, text("evidence_none")));
    const expires = file.evidence[0].link_expires_at;
    return section("evidence", text("section_evidence"),
      h("p", { class: "hint" }, text("evidence_link_expires", { time: moment(expires) })),
      h("ul", { class: "evidence" }, file.evidence.map((item) => h("li", {},
        h("figure", {},
          viewer(item),
          h("figcaption", {},
            h("a", { href: item.download_url, rel: "noopener noreferrer" }, text("evidence_open", { name: item.filename })),
            definition([[text("size"), `${item.size.toLocaleString()} B`], [text("sha256"), h("code", { class: "hash" }, item.sha256)]])))))));
  }
  function viewer(item) {
    const type = item.content_type || "";
    const shown = item.view_url || item.download_url;
    if (type.startsWith("image/")) return h("img", { src: shown, alt: item.filename, class: "evidence-image", loading: "lazy" });
    if (type.startsWith("video/")) return h("video", { src: shown, controls: true, class: "evidence-image", "aria-label": item.filename });
    if (type === "application/pdf" && item.view_url) return h("iframe", { src: item.view_url, title: item.filename, class: "evidence-pdf" });
    // Plain text is shown by the browser itself, from the store, as a document apart.
    if (type.startsWith("text/") && item.view_url) return h("iframe", { src: item.view_url, title: item.filename, class: "evidence-text" });
    return h("p", { class: "hint" }, text("preview_unavailable"));
  }
  function remedySection(record) {
    const parts = [];
    if (record.reposting_request && !record.reposting_request.outcome) {
      parts.push(h("p", {}, text("remedy_reposting")), h("p", { class: "statement" }, record.reposting_request.statement));
      const reply = record.reposting_request.answer;
      parts.push(reply
        ? h("div", { id: "reposting-answer" }, h("h3", {}, text("reposting_answer_title"), " · ", moment(reply.answered_at)), h("p", { class: "statement" }, reply.statement))
        : h("p", { class: "hint", id: "reposting-answer" }, text("reposting_answer_none")));
    }
    for (const measure of record.measures || []) {
      if (measure.appeal && !measure.appeal.outcome) {
        parts.push(h("p", {}, text("remedy_appeal"), " ", h("strong", {}, text(`measure_types.${measure.type}`))), h("p", { class: "statement" }, measure.appeal.statement));
      }
    }
    for (const answer of record.information_provided || []) {
      parts.push(h("h3", {}, text("section_answer"), " · ", moment(answer.provided_at)), h("p", { class: "statement" }, answer.statement));
    }
    return parts.length ? section("remedy", text("section_remedy"), ...parts) : null;
  }
  function relatedSection(related) {
    if (!related) return null;
    return section("related", text("section_related"), related.length
      ? h("ul", {}, related.map((other) => h("li", {},
        h("a", { href: `#/cases/${other.case_id}` }, other.case_id), " · ", name("statuses", other.status), " · ",
        moment(other.received_at), " · ", other.same.map((same) => text(`related_same.${same}`)).join(", "))))
      : h("p", {}, text("related_none")));
  }
  function accountSection(history) {
    if (history === undefined) return null;
    if (!history) return section("account", text("misuse.section_account"), h("p", { class: "hint" }, text("misuse.account_none")));
    return section("account", text("misuse.section_account"),
      h("p", {}, text("misuse.account_standing", { n: history.standing, days: history.window_days })),
      history.strikes.length ? h("ul", {}, history.strikes.map((strike) => h("li", {},
        h("a", { href: `#/cases/${strike.case_id}` }, strike.case_id), " · ", moment(strike.decided_at), " · ",
        strike.measures.map((kind) => text(`measure_types.${kind}`)).join(", ")))) : null,
      h("p", { class: "suggestion", id: "misuse-suggestion" }, h("strong", {}, text("misuse.suggestion_label")), " ",
        text(`misuse.suggestions.${history.suggestion}`, { days: history.suggested_days })));
  }
  function claimantSection(caseId, standing) {
    if (!standing) return null;
    const parts = [h("p", {}, text("misuse.claimant_unfounded", { n: standing.unfounded, days: standing.window_days }))];
    if (standing.warned) parts.push(h("p", {}, text("misuse.claimant_warned")));
    const suspension = standing.suspension;
    const live = suspension && !suspension.lifted_at && Date.parse(suspension.ends_at) > Date.now();
    const result = h("div");
    const send = async (path, body, done) => {
      try {
        await api("POST", path, { body, key: newKey() });
        put(result, notice("ok", text(done)));
      } catch (error) {
        put(result, failed(error) || "");
      }
    };
    if (live) {
      parts.push(h("p", {}, text("misuse.claimant_suspended", { time: moment(suspension.ends_at) })));
      if (suspension.contest) parts.push(h("p", {}, text("misuse.claimant_contest")), h("p", { class: "statement" }, suspension.contest));
      if (suspension.case_id === caseId) {
        const facts = h("textarea", { id: "lift-facts", rows: "3", minlength: "20", maxlength: "2000", required: true });
        const form = h("form", {}, field(text("misuse.lift_facts"), facts), h("button", { type: "submit", class: "button secondary" }, text("misuse.lift_send")), result);
        form.addEventListener("submit", (event) => {
          event.preventDefault();
          send(`/v1/claimants/suspensions/${encodeURIComponent(caseId)}/lift`, { facts: facts.value }, "misuse.lifted");
        });
        parts.push(form);
      }
    } else if (standing.may_suspend) {
      const days = h("input", { id: "suspend-days", type: "number", inputmode: "numeric", min: "1", max: "365", value: "30", required: true });
      const ground = h("input", { id: "suspend-ground", type: "text", minlength: "3", maxlength: "500", required: true });
      const facts = h("textarea", { id: "suspend-facts", rows: "3", minlength: "20", maxlength: "2000", required: true });
      const form = h("form", {}, h("h3", {}, text("misuse.suspend_title")), field(text("misuse.suspend_days"), days),
        field(text("misuse.suspend_ground"), ground), field(text("misuse.suspend_facts"), facts),
        h("button", { type: "submit", class: "button secondary" }, text("misuse.suspend_send")), result);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        send("/v1/claimants/suspensions", { case_id: caseId, days: Number(days.value), reasons: { ground: ground.value, facts: facts.value } }, "misuse.suspended");
      });
      parts.push(form);
    }
    return section("claimant-standing", text("misuse.section_claimant"), ...parts);
  }
  function historySection(history, known) {
    return section("history", text("section_history"), history.length
      ? table(text("section_history"), [text("col_when"), text("col_action"), text("col_actor"), text("status")],
        history.map((event) => row([moment(event.occurred_at), actionName(event.action), actorName(known, event.actor_id), name("statuses", event.to_status)])))
      : h("p", {}, text("history_none")));
  }
  function notesSection(caseId, notes, known) {
    const list = h("ul", { class: "notes" });
    const add = (note) => list.append(h("li", {}, h("p", { class: "statement" }, note.text),
      h("p", { class: "hint" }, `${note.author_name || actorName(known, `:${note.author}`)} · ${moment(note.at)}`)));
    notes.forEach(add);
    const input = h("textarea", { id: "note-text", rows: "3", maxlength: "2000" });
    const result = h("div");
    const form = h("form", {}, field(text("note_label"), input), h("button", { type: "submit", class: "button secondary" }, text("note_add")), result);
    let key = newKey();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!input.value.trim()) return;
      try {
        const note = await api("POST", `/v1/cases/${encodeURIComponent(caseId)}/notes`, { body: { text: input.value }, key });
        add(note);
        input.value = "";
        key = newKey();
        put(result, notice("ok", text("note_added")));
      } catch (error) {
        put(result, failed(error) || "");
      }
    });
    return section("notes", text("section_notes"), notes.length ? null : h("p", { class: "hint" }, text("notes_none")), list, form);
  }

  // ---- deciding ----------------------------------------------------------------------------

  function decisionSection(caseId, file, rules) {
    const record = file.case;
    if (record.reposting_request && !record.reposting_request.outcome && record.status === "reposting_requested") {
      return remedyForm(caseId, file, "reposting", rules);
    }
    const appealed = (record.measures || []).filter((measure) => measure.appeal && !measure.appeal.outcome);
    if (appealed.length) return remedyForm(caseId, file, "appeal", rules, appealed);
    if (!DECIDABLE.includes(record.status) || !rules) {
      return section("decision", text("section_decision"), h("p", {}, text("no_decision_possible")));
    }
    return decisionForm(caseId, file, rules);
  }
  function measureFields(rule) {
    const inputs = {};
    const fields = [];
    for (const spec of rule.parameters || []) {
      const param = spec.name;
      const id = `m-${rule.type}-${param}`;
      let control;
      if (spec.enum) {
        const labels = param === "reason" ? "reject_reasons" : param === "service" ? "services" : null;
        control = select(id, spec.enum.map((value) => [value, labels ? text(`${labels}.${value}`) : value]), spec.enum[0]);
      } else if (spec.type === "integer") {
        // A block starts at the longest the law allows (the usual temporary measure); any other
        // length is the reviewer's to choose.
        control = h("input", { id, type: "number", inputmode: "numeric", min: spec.minimum, max: spec.maximum, required: true, value: rule.type === "block_content" ? spec.maximum : null });
      } else {
        control = h("textarea", { id, rows: "3", minlength: spec.min_length, maxlength: spec.max_length });
      }
      control.dataset.param = param;
      inputs[param] = control;
      const label = spec.type === "integer"
        ? text(param === "due_days" ? "due_days" : "days", { min: spec.minimum, max: spec.maximum })
        : text(param === "message" ? "message" : param === "reason" ? "reject_reason" : param === "service" ? "service" : param);
      fields.push(field(label, control));
    }
    return { inputs, fields };
  }
  function reasonsFields(rules, lang, caseGrounds = []) {
    // Templates for the case's own grounds first.
    const fits = (item) => (item.report_grounds || []).some((ground) => caseGrounds.includes(ground));
    const templates = [...(rules.reason_templates || [])].sort((a, b) => Number(fits(b)) - Number(fits(a)));
    const template = select("template", [["", text("template_none")], ...templates.map((item) => [item.id, (item.label && item.label[LANG]) || item.id])], "");
    const ground = select("ground", [["", text("none")], ...rules.decision_grounds.map((value) => [value, text(`grounds_decision.${value}`)])], "");
    const limits = Object.fromEntries((rules.reasons || []).map((spec) => [spec.name, spec]));
    const legal = h("input", { id: "legal_ground", maxlength: limits.legal_ground?.max_length });
    const policy = h("input", { id: "policy_ground", maxlength: limits.policy_ground?.max_length });
    const facts = h("textarea", { id: "facts", rows: "5", required: true, minlength: limits.facts?.min_length, maxlength: limits.facts?.max_length, lang });
    const publicFacts = h("textarea", { id: "public_facts", rows: "3", maxlength: limits.public_facts?.max_length, lang });
    const note = h("textarea", { id: "note", rows: "2", maxlength: limits.note?.max_length });
    template.addEventListener("change", () => {
      const chosen = templates.find((item) => item.id === template.value);
      if (!chosen) return;
      ground.value = chosen.ground || "";
      legal.value = (chosen.legal_ground && (chosen.legal_ground[lang] || chosen.legal_ground[LANG])) || "";
      policy.value = (chosen.policy_ground && (chosen.policy_ground[lang] || chosen.policy_ground[LANG])) || "";
      facts.value = (chosen.facts && (chosen.facts[lang] || chosen.facts[LANG])) || "";
      facts.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const read = () => {
      const reasons = { facts: facts.value };
      if (ground.value) reasons.ground = ground.value;
      if (legal.value.trim()) reasons.legal_ground = legal.value.trim();
      if (policy.value.trim()) reasons.policy_ground = policy.value.trim();
      if (publicFacts.value.trim()) reasons.public_facts = publicFacts.value.trim();
      if (note.value.trim()) reasons.note = note.value.trim();
      return reasons;
    };
    return {
      read,
      element: h("fieldset", {}, h("legend", {}, text("reasons_legend")),
        templates.length ? field(text("template"), template) : null,
        field(text("ground"), ground), field(text("legal_ground"), legal), field(text("policy_ground"), policy),
        field(text("facts"), facts),
        field(text("dsa_public_facts"), publicFacts, text("dsa_public_facts_hint")),
        field(text("note"), note)),
    };
  }
  function decisionForm(caseId, file, rules) {
    const chosen = new Map();
    const measureBox = h("fieldset", { class: "measures" }, h("legend", {}, text("measures_legend")));
    for (const rule of rules.measure_types) {
      // A measure the case's surface does not have (an Open Chat room) is not offered.
      if (rule.surfaces && !rule.surfaces.includes(file.case.target.surface)) continue;
      const box = h("input", { type: "checkbox", id: `measure-${rule.type}`, value: rule.type });
      const { inputs, fields } = measureFields(rule);
      const details = h("div", { class: "measure-fields", hidden: true }, fields);
      box.addEventListener("change", () => {
        details.hidden = !box.checked;
        if (box.checked) chosen.set(rule.type, inputs); else chosen.delete(rule.type);
      });
      measureBox.append(h("div", { class: "measure" }, h("div", { class: "check" }, box, h("label", { for: box.id }, text(`measure_types.${rule.type}`))), details));
    }
    const reasons = reasonsFields(rules, file.case.lang, file.case.grounds);
    const read = () => ({
      expected_version: file.version,
      measures: [...chosen.entries()].map(([type, inputs]) => {
        const measure = { type };
        for (const [param, control] of Object.entries(inputs)) {
          measure[param] = control.type === "number" ? Number(control.value) : control.value;
        }
        return measure;
      }),
      reasons: reasons.read(),
    });
    const form = sendingForm(caseId, "decision", read, [measureBox, reasons.element], {
      preview: `/v1/cases/${encodeURIComponent(caseId)}/decision-preview`, send: `/v1/cases/${encodeURIComponent(caseId)}/decisions`,
    });
    form.querySelector("form").measureOrder = () => [...chosen.keys()];
    return form;
  }
  function remedyForm(caseId, file, kind, rules, appealed = []) {
    const outcomes = kind === "reposting" ? ["reinstate", "uphold"] : ["lift", "uphold"];
    const outcome = select("outcome", outcomes.map((value) => [value, text(`outcomes.${value === "uphold" && kind === "appeal" ? "uphold_restriction" : value}`)]), outcomes[0]);
    const extra = [];
    let measure = null;
    let referral = null;
    if (kind === "reposting") {
      referral = select("referral", ["none", "kcsc", "court"].map((value) => [value, text(`referrals.${value}`)]), "none");
      extra.push(field(text("referral"), referral));
    } else {
      measure = select("measure_id", appealed.map((item) => [item.measure_id, text(`measure_types.${item.type}`)]), appealed[0].measure_id);
      extra.push(field(text("appealed_measure"), measure));
    }
    const reasons = reasonsFields(rules || { decision_grounds: [], reason_templates: [], reasons: [] }, file.case.lang, file.case.grounds);
    const read = () => {
      const body = { expected_version: file.version, outcome: outcome.value, reasons: reasons.read() };
      if (referral) body.referral = referral.value;
      if (measure) body.measure_id = measure.value;
      return body;
    };
    return sendingForm(caseId, kind, read, [field(text("outcome"), outcome), ...extra, reasons.element], {
      send: `/v1/cases/${encodeURIComponent(caseId)}/${kind === "reposting" ? "reposting-decision" : "appeal-decisions"}`,
    });
  }
  function sendingForm(caseId, kind, read, parts, paths) {
    const result = h("div", { id: "decision-result" });
    const previewBox = h("div", { id: "preview" });
    const sendButton = h("button", { type: "button", class: "button", id: "send-button", "aria-keyshortcuts": "Alt+S", "aria-describedby": paths.preview ? "send-hint" : null }, text(kind === "decision" ? "send" : "remedy_send"));
    const previewButton = paths.preview ? h("button", { type: "button", class: "button secondary", id: "preview-button", "aria-keyshortcuts": "Alt+P" }, text("preview")) : null;
    const form = h("form", { novalidate: true, id: `${kind}-form` }, ...parts,
      paths.preview ? h("p", { class: "hint", id: "send-hint" }, text("send_needs_preview")) : null,
      h("div", { class: "actions" }, previewButton, sendButton), previewBox, result);
    let previewed = null;
    let key = null;
    let keyFor = null;
    const state = () => JSON.stringify(read());
    const stale = () => paths.preview && previewed !== state();
    // Not disabled: a click before a preview says why it waits, and where to go.
    const refreshSend = () => sendButton.classList.toggle("needs-preview", Boolean(stale()));
    form.addEventListener("input", refreshSend);
    form.addEventListener("change", refreshSend);
    form.addEventListener("submit", (event) => event.preventDefault());
    refreshSend();
    if (previewButton) {
      previewButton.addEventListener("click", async () => {
        clearErrors(form);
        put(result);
        const body = read();
        try {
          const shown = await api("POST", paths.preview, { body });
          previewed = JSON.stringify(body);
          put(previewBox, previewOf(shown));
          refreshSend();
          previewBox.querySelector("h3")?.focus();
        } catch (error) {
          put(previewBox);
          refusal(error, form, result, read().expected_version);
        }
      });
    }
    sendButton.addEventListener("click", async () => {
      if (stale()) {
        put(result, notice("info", text("send_needs_preview")));
        previewButton.focus();
        return;
      }
      clearErrors(form);
      const bodyText = state();
      if (keyFor !== bodyText) { key = newKey(); keyFor = bodyText; }
      put(result, notice("info", text("sending")));
      sendButton.disabled = true;
      try {
        const done = await api("POST", paths.send, { body: JSON.parse(bodyText), key });
        put(result, notice("ok", h("p", {}, text("sent", { status: name("statuses", done.status) })),
          h("p", {}, h("a", { href: `#/audit?case_id=${caseId}`, id: "sent-audit" }, text("sent_audit")))));
        result.querySelector("a").focus();
      } catch (error) {
        sendButton.disabled = false;
        refusal(error, form, result, read().expected_version);
      }
    });
    return section("decision", text("section_decision"), kind === "decision" ? h("p", {}, text("decision_intro")) : null, form);
  }
  function clearErrors(form) {
    for (const message of form.querySelectorAll(".field-error")) { message.hidden = true; message.textContent = ""; }
    for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  }
  async function refusal(error, form, result, expected) {
    const problem = error.problem || {};
    if (error.status === 409 && problem.current_version != null) {
      put(result, staleNotice(problem, expected, await names()));
      result.querySelector("h3").focus();
      return;
    }
    if (error.status === 422 && Array.isArray(problem.errors)) {
      const items = problem.errors.map((item) => {
        const control = controlFor(form, item.field);
        if (control) {
          control.setAttribute("aria-invalid", "true");
          const message = document.getElementById(`${control.id}-error`);
          if (message) { message.hidden = false; message.textContent = item.message; }
        }
        return h("li", {}, control ? h("a", { href: `#${control.id}`, onclick: (event) => { event.preventDefault(); control.focus(); } }, `${item.field}: ${item.message}`) : `${item.field}: ${item.message}`);
      });
      put(result, h("div", { class: "notice notice-error", role: "alert", tabindex: "-1", id: "error-summary" }, h("p", {}, text("form_errors")), h("ul", {}, items)));
      document.getElementById("error-summary").focus();
      return;
    }
    put(result, failed(error) || "");
  }
  function controlFor(form, path) {
    // A field is named as the API names it: `measures[0].days`, `reasons.facts`.
    const parts = String(path).split(/[.[\]]+/).filter(Boolean);
    if (parts[0] === "reasons") return form.querySelector(`#${CSS.escape(parts[1] || "facts")}`);
    if (parts[0] === "measures") {
      // measures[i] is the i-th measure of the body sent: in the order they were ticked.
      const order = form.measureOrder ? form.measureOrder() : [];
      const type = order[Number(parts[1])] || order[0];
      if (!type) return form.querySelector(".measure input[type=checkbox]");
      const param = parts.find((part) => form.querySelector(`#m-${type}-${part}`));
      return form.querySelector(param ? `#m-${type}-${param}` : `#measure-${type}`);
    }
    return form.querySelector(`#${CSS.escape(parts[parts.length - 1])}`);
  }
  function staleNotice(problem, expected, known) {
    return h("div", { class: "notice notice-error", role: "alert" },
      h("h3", { tabindex: "-1" }, text("stale_title")),
      h("p", {}, text("stale_detail", { expected, current: problem.current_version, status: name("statuses", problem.case_status) })),
      Array.isArray(problem.changes) && problem.changes.length
        ? h("ul", { class: "changes" }, problem.changes.map((change) => h("li", {}, `${moment(change.occurred_at)} · ${actionName(change.action)} · ${actorName(known, change.actor_id)}`)))
        : null,
      h("button", { type: "button", class: "button secondary", onclick: () => route() }, text("stale_reload")));
  }
  function previewOf(shown) {
    const side = (title, views, render) => h("section", { class: "preview-side" }, h("h4", {}, title),
      ...["ko", "en"].map((lang) => h("div", { class: "preview-lang", lang }, h("h5", { lang: LANG }, text(`preview_lang.${lang}`)), render(views[lang]))));
    const claimant = (view) => [
      view.html ? h("div", { class: "preview-page" }, safeHtml(view.html)) : null,
      h("p", { class: "preview-subject" }, view.subject),
      h("pre", { class: "preview-mail" }, view.body),
    ];
    const poster = (view) => [h("div", { class: "preview-page" }, safeHtml(view.html))];
    return h("div", { class: "card preview" },
      h("h3", { tabindex: "-1" }, text("preview_title")),
      side(text("preview_claimant"), shown.claimant, claimant),
      shown.poster ? side(text("preview_poster"), shown.poster, poster) : h("p", {}, text("preview_no_poster")));
  }
  // The preview is the pages' own escaped HTML. It is parsed inert and rebuilt from an allowlist
  // of the elements and attributes those pages use; anything else is dropped, its text kept.
  const ALLOWED = new Set(["DIV", "SECTION", "P", "UL", "OL", "LI", "DL", "DT", "DD", "STRONG", "EM", "SPAN", "TIME", "A", "BR", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "SMALL", "CODE"]);
  const ATTRIBUTES = new Set(["class", "datetime", "lang", "href"]);
  function safeHtml(html) {
    const parsed = new DOMParser().parseFromString(`<div>${html}</div>`, "text/html").body.firstChild;
    const copy = (node) => {
      if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
      if (node.nodeType !== Node.ELEMENT_NODE) return null;
      const children = [...node.childNodes].map(copy).filter(Boolean);
      if (!ALLOWED.has(node.tagName)) {
        const kept = document.createDocumentFragment();
        if (!["SCRIPT", "STYLE", "TEMPLATE", "TEXTAREA", "SELECT", "BUTTON"].includes(node.tagName)) kept.append(...children);
        return kept;
      }
      // The page's headings sit under the preview's own.
      const element = document.createElement(/^H[1-6]$/.test(node.tagName) ? "h6" : node.tagName.toLowerCase());
      for (const attribute of node.attributes) {
        if (!ATTRIBUTES.has(attribute.name)) continue;
        if (attribute.name === "href" && !/^(https:\/\/|\/(?!\/))/.test(attribute.value.trim())) continue;
        element.setAttribute(attribute.name, attribute.value);
      }
      element.append(...children);
      return element;
    };
    const shown = copy(parsed);
    // A list item of the page's list of decisions stays in a list of its own.
    for (const item of [...shown.children].filter((child) => child.tagName === "LI")) {
      const list = h("ul", { class: "decisions" });
      item.replaceWith(list);
      list.append(item);
    }
    return shown;
  }

  // ---- the audit trail ---------------------------------------------------------------------

  function kstToIso(local) {
    // `local` is a datetime-local value read as Korea's time (UTC+9, no daylight saving).
    if (!local) return "";
    const minutes = local.slice(0, 16);  // a value with seconds is read to the minute
    const parsed = new Date(`${minutes}:00+09:00`);
    return Number.isNaN(parsed.getTime()) ? "" : parsed.toISOString();
  }
  async function auditView(query) {
    const known = await names();
    const caseId = h("input", { id: "audit-case", value: query.get("case_id") || "" });
    const actor = select("audit-actor", [["", text("filter_any")], ...[...known.entries()].map(([subject, username]) => [subject, username])], "");
    const action = h("input", { id: "audit-action", value: query.get("action") || "" });
    const from = h("input", { id: "audit-from", type: "datetime-local" });
    const to = h("input", { id: "audit-to", type: "datetime-local" });
    const results = h("div", { id: "audit-results" });
    const form = h("form", { class: "filters" }, field(text("audit_case"), caseId), field(text("audit_actor"), actor),
      field(text("audit_action"), action), field(text("audit_from"), from), field(text("audit_to"), to),
      h("button", { type: "submit", class: "button" }, text("audit_search")));
    let cursor = null;
    const body = h("tbody");
    const more = h("button", { type: "button", class: "button secondary", hidden: true }, text("more"));
    const actorIds = (subject) => ["reviewer", "auditor", "admin"].map((role) => `${role}:${subject}`);
    async function search(again) {
      if (!again) { put(body); cursor = null; }
      const ask = { case_id: caseId.value.trim(), action: action.value.trim(), from: kstToIso(from.value), to: kstToIso(to.value), cursor, limit: 100 };
      if (!ask.case_id && !actor.value && !(ask.from && ask.to)) { put(results, notice("error", text("audit_need"))); return; }
      try {
        let events = [];
        let next = null;
        let cut = false;
        if (actor.value && !ask.case_id) {
          // The trail names an actor by role and subject: ask for each role the member may act in.
          for (const id of actorIds(actor.value)) {
            const page = await api("GET", "/v1/audit/events", { query: { ...ask, actor: id, cursor: null } });
            events = events.concat(page.events);
            cut = cut || Boolean(page.next_cursor);
          }
          events.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
        } else {
          const page = await api("GET", "/v1/audit/events", { query: { ...ask, actor: null } });
          events = page.events;
          next = page.next_cursor;
        }
        for (const event of events) body.append(auditRow(event, known));
        cursor = next;
        more.hidden = !cursor;
        put(results, events.length || body.children.length
          ? table(text("audit_title"), [text("col_when"), text("col_case"), text("col_seq"), text("col_action"), text("col_actor"), text("status"), text("proof")], [])
          : h("p", {}, text("audit_none")));
        const tableBody = results.querySelector("tbody");
        if (tableBody) tableBody.replaceWith(body);
        results.append(more);
        if (cut) results.append(notice("info", text("audit_cut")));
        announce(text("audit_found", { n: body.children.length }));
      } catch (error) {
        put(results, failed(error) || "");
      }
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); search(false); });
    more.addEventListener("click", () => search(true));
    show(h("h1", {}, text("audit_title")),
      section("audit-find", text("audit_filters"), form, results),
      verifySection(), exportSection(), checkpointsSection());
    if (caseId.value) search(false);
  }
  function auditRow(event, known) {
    const proofBox = h("div");
    const button = h("button", { type: "button", class: "link-button", "aria-label": `${text("proof")} ${event.event_id}` }, text("proof"));
    button.addEventListener("click", async () => {
      try {
        const found = await api("GET", `/v1/audit/events/${encodeURIComponent(event.event_id)}/proof`);
        put(proofBox, h("div", { class: "proof" },
          h("p", {}, text("proof_checkpoint", { seq: found.checkpoint.seq, size: found.tree_size, leaf: found.leaf_index })),
          definition([[text("proof_root"), h("code", { class: "hash" }, found.checkpoint.root)]]),
          h("p", {}, text("proof_path")),
          h("ol", {}, found.proof.map((step) => h("li", {}, h("code", { class: "hash" }, step))))));
      } catch (error) {
        put(proofBox, error.status === 404 || error.status === 409 ? notice("info", text("proof_unsealed")) : failed(error) || "");
      }
    });
    return h("tr", {},
      h("td", {}, moment(event.occurred_at)), h("td", {}, h("code", {}, event.case_id)), h("td", {}, String(event.seq)),
      h("td", {}, actionName(event.action)), h("td", {}, actorName(known, event.actor_id)), h("td", {}, name("statuses", event.to_status)),
      h("td", {}, button, proofBox));
  }
  function verifySection() {
    const caseId = h("input", { id: "verify-case" });
    const day = h("input", { id: "verify-day", type: "date" });
    const progress = h("progress", { id: "verify-progress", max: "1", value: "0", hidden: true, "aria-label": text("verify_progress") });
    const result = h("div", { id: "verify-result", "aria-live": "polite" });
    const say = (summary) => summary.verified
      ? notice("ok", text("verify_ok", { events: summary.events, cases: summary.cases, checkpoints: summary.checkpoints_verified }))
      : notice("error", h("p", {}, text("verify_bad", { problem: summary.first_problem })),
        summary.first_bad_case_id ? h("p", {}, text("verify_bad_event", { case: summary.first_bad_case_id, seq: summary.first_bad_seq })) : null);
    const caseForm = h("form", { class: "filters" }, field(text("verify_case_id"), caseId), h("button", { type: "submit", class: "button" }, text("verify_run")));
    caseForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      put(result, notice("info", text("verify_progress")));
      try { put(result, say(await api("GET", "/v1/audit/verify", { query: { case_id: caseId.value.trim() } }))); } catch (error) { put(result, failed(error) || ""); }
    });
    const dayForm = h("form", { class: "filters" }, field(text("verify_date"), day), h("button", { type: "submit", class: "button" }, text("verify_run")));
    dayForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!day.value) return;
      // A day is verified in four parts, so the auditor sees it move and the first fault early.
      const start = new Date(`${day.value}T00:00:00+09:00`).getTime();
      const parts = 4;
      const step = 86_400_000 / parts;
      const total = { events: 0, cases: 0, checkpoints_verified: 0, verified: true };
      progress.hidden = false;
      progress.max = parts;
      progress.value = 0;
      put(result, notice("info", text("verify_progress")));
      try {
        for (let part = 0; part < parts; part += 1) {
          const summary = await api("GET", "/v1/audit/verify", {
            query: { from: new Date(start + part * step).toISOString(), to: new Date(start + (part + 1) * step).toISOString() },
          });
          total.events += summary.events;
          total.cases += summary.cases;
          total.checkpoints_verified += summary.checkpoints_verified;
          progress.value = part + 1;
          if (!summary.verified) { put(result, say(summary)); return; }
        }
        // A case with events in two parts is counted in both: the day's figure names none.
        put(result, notice("ok", text("verify_day_ok", { events: total.events, checkpoints: total.checkpoints_verified })));
      } catch (error) {
        put(result, failed(error) || "");
      }
    });
    return section("verify", text("verify_title"), h("h3", {}, text("verify_case")), caseForm, h("h3", {}, text("verify_day")), dayForm, progress, result);
  }
  function exportSection() {
    const from = h("input", { id: "export-from", type: "datetime-local", required: true });
    const to = h("input", { id: "export-to", type: "datetime-local", required: true });
    const format = select("export-format", [["jsonl", "JSON Lines"], ["csv", "CSV"]], "jsonl");
    const result = h("div", { "aria-live": "polite" });
    const form = h("form", { class: "filters" }, field(text("export_from"), from), field(text("export_to"), to), field(text("export_format"), format),
      h("button", { type: "submit", class: "button" }, text("export_run")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const answer = await api("GET", "/v1/audit/export", { query: { from: kstToIso(from.value), to: kstToIso(to.value), format: format.value }, raw: true });
        const type = answer.headers.get("Content-Type") || "";
        let filename = `audit.${format.value}`;
        let more = false;
        if (type.includes("json") && !type.includes("jsonl") && !type.includes("x-ndjson")) {
          const data = await answer.json();
          if (data.url) { window.location.assign(data.url); filename = data.filename || filename; more = Boolean(data.next); }
        } else {
          const disposition = answer.headers.get("Content-Disposition") || "";
          filename = (disposition.match(/filename="([^"]+)"/) || [])[1] || filename;
          more = /rel="next"/.test(answer.headers.get("Link") || "");
          const blob = await answer.blob();
          const address = URL.createObjectURL(blob);
          const link = h("a", { href: address, download: filename });
          document.body.append(link);
          link.click();
          link.remove();
          window.setTimeout(() => URL.revokeObjectURL(address), 60_000);
        }
        put(result, notice("ok", text("export_done", { name: filename }), more ? h("p", {}, text("export_more")) : null));
      } catch (error) {
        put(result, failed(error) || "");
      }
    });
    return section("export", text("export_title"), form, result);
  }
  function checkpointsSection() {
    const result = h("div");
    const button = h("button", { type: "button", class: "button secondary" }, text("checkpoints_load"));
    button.addEventListener("click", async () => {
      try {
        const listed = await api("GET", "/v1/audit/checkpoints", { query: { limit: 20 } });
        put(result, table(text("checkpoints_title"), [text("col_checkpoint"), text("col_window"), text("col_size"), text("col_root")],
          listed.checkpoints.map((point) => row([String(point.seq), `${moment(point.after)} – ${moment(point.through)}`, String(point.tree_size), h("code", { class: "hash" }, point.root)]))));
      } catch (error) {
        put(result, failed(error) || "");
      }
    });
    return section("checkpoints", text("checkpoints_title"), button, result);
  }

  // ---- administration ----------------------------------------------------------------------

  async function adminView() {
    show(h("h1", {}, text("admin_title")), eraseSection(), staffSection(), effectsSection());
  }
  function eraseSection() {
    const caseId = h("input", { id: "erase-case", required: true, autocomplete: "off" });
    const again = h("input", { id: "erase-confirm", required: true, autocomplete: "off" });
    const result = h("div");
    const form = h("form", {}, h("p", {}, text("erase_intro")), field(text("erase_case"), caseId), field(text("erase_confirm_label"), again),
      h("button", { type: "submit", class: "button danger" }, text("erase_run")), result);
    const keys = new Map();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const id = caseId.value.trim();
      if (!id || id !== again.value.trim()) {
        put(result, notice("error", text("erase_mismatch")));
        again.focus();
        return;
      }
      if (!keys.has(id)) keys.set(id, newKey());
      try {
        await api("POST", `/v1/admin/cases/${encodeURIComponent(id)}/erasure`, { key: keys.get(id) });
        put(result, notice("ok", text("erase_done", { id })));
        caseId.value = "";
        again.value = "";
      } catch (error) {
        put(result, failed(error) || "");
      }
    });
    return section("erase", text("erase_title"), form);
  }
  function staffSection() {
    const result = h("div");
    const holder = h("div", {}, text("loading"));
    api("GET", "/v1/staff").then((answer) => {
      put(holder, table(text("staff_title"), [text("col_user"), text("col_groups"), text("col_enabled"), ""],
        answer.staff.map((member) => row([
          member.username, member.groups.join(", "), text(member.enabled ? "yes" : "no"),
          h("button", {
            type: "button", class: "button secondary", "aria-label": `${text("staff_sign_out")}: ${member.username}`,
            onclick: async () => {
              try {
                await api("POST", `/v1/admin/staff/${encodeURIComponent(member.username)}/sign-out`);
                put(result, notice("ok", text("staff_signed_out", { name: member.username })));
              } catch (error) {
                put(result, failed(error) || "");
              }
            },
          }, text("staff_sign_out")),
        ]))));
    }, (error) => put(holder, failed(error) || ""));
    return section("staff", text("staff_title"), holder, result);
  }
  function effectsSection() {
    const result = h("div");
    const button = h("button", { type: "button", class: "button secondary" }, text("effects_load"));
    button.addEventListener("click", async () => {
      try {
        const listed = await api("GET", "/v1/admin/effects");
        const effects = listed.effects || [];
        put(result, effects.length ? table(text("effects_title"), [text("col_case"), text("col_event"), text("col_action"), ""],
          effects.map((effect) => row([effect.case_id, effect.effect_id, effect.kind, h("button", {
            type: "button", class: "button secondary",
            onclick: async (event) => {
              try {
                await api("POST", `/v1/admin/effects/${encodeURIComponent(effect.case_id)}/${encodeURIComponent(effect.effect_id)}/replay`, { key: newKey() });
                event.target.replaceWith(text("effect_replayed"));
              } catch (error) {
                result.append(failed(error) || "");
              }
            },
          }, text("effect_replay"))]))) : h("p", {}, text("effects_none")));
      } catch (error) {
        put(result, failed(error) || "");
      }
    });
    return section("effects", text("effects_title"), button, result);
  }

  // ---- start -------------------------------------------------------------------------------

  document.getElementById("sign-out").addEventListener("click", signOut);
  document.getElementById("shortcuts-button").addEventListener("click", () => document.getElementById("shortcuts").showModal());
  const keysToggle = document.getElementById("single-keys");
  keysToggle.checked = singleKeys();
  keysToggle.addEventListener("change", () => window.sessionStorage.setItem(KEYS, keysToggle.checked ? "on" : "off"));
  for (const link of document.querySelectorAll(".lang-switch a")) {
    // The language switch keeps the place: the address after # is the console's, not the server's.
    link.addEventListener("click", () => { link.href = `${link.getAttribute("href").split("#")[0]}${window.location.hash}`; });
  }
  window.addEventListener("hashchange", route);
  scheduleRefresh();
  route();
})();
