// custlens chat page. No framework, no build step, nothing loaded from elsewhere.
// Every value from the service or the data reaches the page as a text node (textContent,
// append(string)); no HTML is ever parsed from data (no inner/outer HTML setter anywhere).
"use strict";

(() => {
  const base = new URL(".", location.href);
  const FIRST_ROWS = 10;
  const NARRATIVE_TAGS = new Set(["p", "ul", "ol", "li", "strong", "em", "code", "pre", "br", "hr", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "s", "span"]);
  const START = ["total revenue by country", "segment my customers", "monthly cohort retention",
    "what is bought together", "write the full customer analysis"];
  let token = sessionStorage.getItem("custlens-token");
  let cid = null;
  let busy = false;
  let uploadLimit = 0;

  const $ = (id) => document.getElementById(id);
  const log = $("log");

  // ---------------------------------------------------------------- building elements
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value == null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) {
      if (child == null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function narrative(tree) {
    // [tag, child...] or a string; tags from a fixed list only
    const frag = document.createDocumentFragment();
    for (const node of tree || []) frag.append(narrativeNode(node));
    return frag;
  }

  function narrativeNode(node) {
    if (typeof node === "string") return document.createTextNode(node);
    const [tag, ...children] = node;
    const out = document.createElement(NARRATIVE_TAGS.has(tag) ? tag : "span");
    for (const child of children) out.append(narrativeNode(child));
    return out;
  }

  // a fraction as a percentage, as custlens.templates.pct shows it in the narrative: kept to 6 places,
  // then rounded half up in decimal (0.3755 is 37.6%; (100 * 0.3755).toFixed(1) is "37.5", from the binary)
  function percentText(value, digits) {
    const scaled = Math.round(Number(Math.abs(value).toFixed(6) + "e" + (2 + digits)));
    return (value < 0 && scaled !== 0 ? "-" : "") + (scaled / 10 ** digits).toFixed(digits) + "%";
  }

  function formatCell(value, column, percent) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number" && percent) return Number.isFinite(value) ? percentText(value, 1) : String(value);
    if (typeof value === "number") {
      if (/year|_id$|^id$/i.test(column || "")) return String(value);
      if (Number.isInteger(value)) return value.toLocaleString("en");
      const small = Math.abs(value) < 1;
      return value.toLocaleString("en", {minimumFractionDigits: small ? 0 : 2, maximumFractionDigits: small ? 3 : 2});
    }
    return String(value);
  }

  // ---------------------------------------------------------------- talking to the service
  class ServiceError extends Error {
    constructor(status, body) {
      super(body.error || `the service answered ${status}`);
      this.status = status;
      this.kind = body.kind || "";
      this.suggestions = body.suggestions || [];
    }
  }

  function url(path) {
    // the service's links are absolute paths; our own are relative to the page
    if (path.startsWith("/")) return path;
    const resolved = new URL(path, base);
    return resolved.pathname + resolved.search;
  }

  async function call(path, options = {}) {
    const headers = Object.assign({}, options.headers || {});
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch(url(path), Object.assign({}, options, {headers}));
    if (response.status === 401) {
      askForToken(token ? "That token was refused: check it and try again." : "");
      throw new ServiceError(401, {error: "the service needs its access token", kind: "unauthorized"});
    }
    if (!response.ok) {
      let body = {};
      try { body = await response.json(); } catch (e) { body = {error: `the service answered ${response.status}`}; }
      throw new ServiceError(response.status, body);
    }
    return response;
  }

  async function json(path, options = {}) {
    return (await call(path, options)).json();
  }

  async function postJSON(path, body) {
    return json(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
  }

  async function blobURL(path) {
    return URL.createObjectURL(await (await call(path)).blob());
  }

  async function download(path, name) {
    const link = el("a", {href: await blobURL(path), download: name});
    document.body.append(link);
    link.click();
    link.remove();
  }

  // ---------------------------------------------------------------- the token
  function askForToken(message) {
    $("token-panel").hidden = false;
    $("token-error").textContent = message || "";
    $("token-input").focus();
  }

  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    token = $("token-input").value.trim();
    sessionStorage.setItem("custlens-token", token);
    $("token-input").value = "";
    $("token-panel").hidden = true;
    start();
  });

  // ---------------------------------------------------------------- the data
  function describeSources(sources) {
    if (!sources.length) return "No data loaded yet: load the demo or upload your files.";
    return "Data: " + sources.map((s) => `${s.name} (${s.role || "unknown role"}, ${(s.rows || 0).toLocaleString("en")} rows)`).join("; ");
  }

  async function start() {
    try {
      const health = await json("health");
      uploadLimit = health.upload_limit;
      $("data-status").textContent = describeSources(health.sources);
      if (!log.children.length) welcome();
    } catch (error) {
      if (error.status !== 401) $("data-status").textContent = "The service did not answer: " + error.message;
    }
  }

  function welcome() {
    log.append(el("section", {class: "turn notice"},
      el("p", {}, "Ask a question about your customers in everyday words, or pick one:"),
      buttons(START, "suggestion")));
  }

  async function conversation() {
    if (!cid) cid = (await postJSON("conversations", {})).conversation_id;
    return cid;
  }

  async function load(label, work) {
    if (busy) return;
    setBusy(true);
    const note = el("section", {class: "turn notice", role: "status"}, el("p", {}, label + "…"));
    log.append(note);
    try {
      const loaded = await work(await conversation());
      $("data-status").textContent = describeSources(loaded.sources);
      note.replaceChildren(el("p", {}, `${label}: done. ` + describeSources(loaded.sources)));
      if (loaded.warnings.length) note.append(el("ul", {class: "warnings"}, ...loaded.warnings.map((w) => el("li", {}, w))));
      note.append(buttons(START.slice(0, 4), "suggestion"));
      renderScope({filters: {}, period: ""});
    } catch (error) {
      note.replaceChildren(errorBlock(error));
      if (error.kind === "unknown_conversation") cid = null;
    } finally {
      setBusy(false);
      note.scrollIntoView({block: "nearest"});
    }
  }

  $("demo").addEventListener("click", () =>
    load("Loading the demo store", (id) => json(`conversations/${id}/demo`, {method: "POST"})));

  $("upload-button").addEventListener("click", () => $("upload").click());
  $("upload").addEventListener("change", async (event) => {
    const files = Array.from(event.target.files);
    event.target.value = "";
    for (const file of files) {
      if (uploadLimit && file.size > uploadLimit) {
        log.append(el("section", {class: "turn notice"}, el("p", {class: "error"},
          `${file.name} is ${(file.size / 1048576).toFixed(1)} MB, over this service's upload limit of ` +
          `${(uploadLimit / 1048576).toFixed(1)} MB: load a smaller extract, or serve with a larger --max-upload.`)));
        continue;
      }
      await load(`Loading ${file.name}`, (id) => json(`conversations/${id}/data?name=${encodeURIComponent(file.name)}`,
        {method: "POST", headers: {"Content-Type": "application/octet-stream"}, body: file}));
    }
  });

  $("new-conversation").addEventListener("click", () => {
    cid = null;
    log.replaceChildren();
    renderScope({filters: {}, period: ""});
    start();
    $("question").focus();
  });

  // ---------------------------------------------------------------- asking
  function setBusy(state) {
    busy = state;
    $("ask-button").disabled = state;
    $("demo").disabled = state;
    $("upload-button").disabled = state;
    document.body.classList.toggle("busy", state);
  }

  async function ask(question) {
    question = question.trim();
    if (!question || busy) return;
    setBusy(true);
    const turn = el("section", {class: "turn"}, el("p", {class: "question"}, el("span", {class: "visually-hidden"}, "You asked: "), question));
    const waiting = el("p", {class: "waiting", role: "status"}, "Working on it…");
    turn.append(waiting);
    log.append(turn);
    turn.scrollIntoView({block: "nearest"});
    try {
      const body = {question};
      if (cid) body.conversation_id = cid;
      const reply = await postJSON("page/ask", body);
      cid = reply.conversation_id;
      waiting.replaceWith(renderAnswer(reply));
      renderScope(reply.page.scope);
    } catch (error) {
      waiting.replaceWith(errorBlock(error));
      if (error.kind === "unknown_conversation") cid = null;
    } finally {
      setBusy(false);
      $("question").focus();
    }
  }

  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = $("question").value;
    $("question").value = "";
    ask(question);
  });

  function buttons(questions, cls, label) {
    const row = el("div", {class: "buttons " + cls});
    for (const question of questions) {
      row.append(el("button", {type: "button", onclick: () => ask(question)}, label ? label(question) : question));
    }
    return row;
  }

  function errorBlock(error) {
    const block = el("div", {class: "error-block", role: "alert"}, el("p", {class: "error"}, error.message));
    if (error.kind === "unknown_conversation") block.append(el("p", {}, "Ask again: a new conversation starts."));
    if (error.suggestions && error.suggestions.length) {
      block.append(el("p", {}, "Try for example:"), buttons(error.suggestions, "suggestion"));
    }
    return block;
  }

  // ---------------------------------------------------------------- the scope in force
  function renderScope(scope) {
    const box = $("scope");
    box.replaceChildren();
    const chips = [];
    if (scope.period) {
      chips.push(chip(`period: ${scope.period}`, "Remove the period", "clear the period"));
    }
    for (const [column, values] of Object.entries(scope.filters || {})) {
      const words = column.replace(/_/g, " ");
      chips.push(chip(`${words}: ${values.join(", ")}`, `Remove the ${words} filter`, `remove the ${column} filter`));
    }
    if (!chips.length) return;
    box.append(el("span", {class: "scope-label"}, "In force:"), ...chips);
  }

  function chip(text, label, question) {
    return el("span", {class: "chip"}, text,
      el("button", {type: "button", class: "chip-remove", "aria-label": label, title: label,
        onclick: () => ask(question)}, "×"));
  }

  // ---------------------------------------------------------------- an answer
  function renderAnswer(reply) {
    const answer = reply.answer;
    const out = el("article", {class: "answer", "data-analysis": answer.analysis},
      el("h2", {}, answer.title));
    if (answer.understood) out.append(el("p", {class: "understood"}, answer.understood));
    out.append(el("div", {class: "narrative"}, narrative(reply.page.narrative)));
    if (answer.warnings.length) {
      out.append(el("ul", {class: "warnings", "aria-label": "Notes"}, ...answer.warnings.map((w) => el("li", {}, w))));
    }
    if (answer.analysis === "clarify") {
      out.append(readings(answer));
    } else {
      answer.tables.forEach((table, i) => out.append(renderTable(reply, table, i)));
      answer.charts.forEach((chart, i) => out.append(renderChart(reply, chart, i)));
    }
    if (reply.files.length) {
      out.append(el("div", {class: "buttons files"}, ...reply.files.map((link) => {
        const name = decodeURIComponent(link.split("/").pop());
        return el("button", {type: "button", onclick: () => download(link, name)}, `Download ${name}`);
      })));
    }
    const actions = el("div", {class: "buttons actions"});
    if (answer.analysis === "report") {
      const open = el("a", {class: "button document", target: "_blank", rel: "noopener", href: "#"},
        "Open the full customer analysis");
      open.hidden = true;
      actions.append(open);
      postJSON(`conversations/${reply.conversation_id}/answers/${reply.index}/document`, {})
        .then((link) => { open.href = link.url; open.hidden = false; })
        .catch((error) => actions.append(errorBlock(error)));
    }
    if (answer.provenance && (answer.provenance.method || answer.provenance.sql.length)) {
      actions.append(why(answer.provenance));
    }
    out.append(actions);
    const next = answer.analysis === "clarify" ? [] : answer.follow_ups.filter((q) => !/^custlens\s/.test(q));
    if (next.length) out.append(el("p", {class: "next-label"}, "You could ask next:"), buttons(next, "follow-ups"));
    return out;
  }

  function readings(answer) {
    const table = answer.tables.find((t) => t.name === "readings");
    const box = el("div", {class: "readings"}, el("p", {}, "Pick the one you meant:"));
    if (!table) return box;
    const col = (name) => table.columns.indexOf(name);
    const row = el("div", {class: "buttons readings-buttons"});
    for (const r of table.rows) {
      const n = String(r[col("n")]);
      const example = r[col("example")];
      row.append(el("button", {type: "button", "data-analysis": r[col("analysis")], onclick: () => ask(n)},
        el("strong", {}, `${n}. ${r[col("title")]}`), example ? el("span", {class: "example"}, `e.g. “${example}”`) : null));
    }
    box.append(row);
    return box;
  }

  function why(provenance) {
    const details = el("details", {class: "why"}, el("summary", {}, "Why? How this was computed"));
    if (provenance.method) details.append(el("p", {}, el("strong", {}, "Method: "), provenance.method));
    if (provenance.sources && provenance.sources.length) {
      details.append(el("p", {}, el("strong", {}, "Data: "), provenance.sources.join(", ")));
    }
    if (provenance.rows_used != null) {
      details.append(el("p", {}, el("strong", {}, "Rows used: "), provenance.rows_used.toLocaleString("en")));
    }
    for (const sql of provenance.sql) details.append(el("pre", {class: "sql"}, el("code", {}, sql)));
    return details;
  }

  // the answer's Table.percent: columns, and in a table of measures the measures, whose fractions
  // read as percentages (Table.shows_percent); the JSON keeps the numbers
  function showsPercent(table, row, c) {
    const percent = table.percent || [];
    if (percent.includes(table.columns[c])) return true;
    return c > 0 && ["measure", "metric"].includes(table.columns[0]) && typeof row[0] === "string" &&
      percent.includes(row[0]);
  }

  function renderTable(reply, table, i) {
    const figure = el("figure", {class: "table", "data-csv": reply.tables[i]});
    figure.append(el("figcaption", {}, table.title || table.name));
    const wrap = el("div", {class: "scroll", tabindex: "0", role: "region", "aria-label": table.title || table.name});
    const grid = el("table", {});
    const numeric = table.columns.map((_, c) => table.rows.some((r) => typeof r[c] === "number") &&
      table.rows.every((r) => r[c] === null || typeof r[c] === "number"));
    const headRow = el("tr", {});
    const body = el("tbody", {});
    let rows = table.rows.slice();
    let shown = Math.min(FIRST_ROWS, rows.length);
    let sortedBy = -1;
    let ascending = true;

    function fill() {
      body.replaceChildren(...rows.slice(0, shown).map((r) =>
        el("tr", {}, ...r.map((v, c) => el("td", {class: numeric[c] ? "num" : String(v ?? "").length > 40 ? "long" : null},
          formatCell(v, table.columns[c], showsPercent(table, r, c)))))));
    }

    table.columns.forEach((column, c) => {
      const th = el("th", {scope: "col", class: numeric[c] ? "num" : null, "aria-sort": "none"});
      th.append(el("button", {type: "button", class: "sort", title: `Sort by ${column}`, onclick: () => {
        ascending = sortedBy === c ? !ascending : !numeric[c];
        sortedBy = c;
        rows.sort((a, b) => {
          const x = a[c], y = b[c];
          if (x === y) return 0;
          if (x === null) return 1;
          if (y === null) return -1;
          const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "en", {numeric: true});
          return ascending ? order : -order;
        });
        headRow.querySelectorAll("th").forEach((h) => h.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        fill();
      }}, column));
      headRow.append(th);
    });
    grid.append(el("thead", {}, headRow), body);
    fill();
    wrap.append(grid);
    figure.append(wrap);

    const tools = el("div", {class: "buttons table-tools"});
    if (rows.length > shown) {
      const all = el("button", {type: "button", class: "show-all"}, `Show all ${rows.length} rows`);
      all.addEventListener("click", () => { shown = rows.length; fill(); all.remove(); });
      tools.append(all);
    }
    const name = `${reply.answer.analysis}_${table.name}`;
    tools.append(
      el("button", {type: "button", class: "csv", onclick: () => download(reply.tables[i], name + ".csv")}, "Download CSV"),
      el("button", {type: "button", class: "xlsx", onclick: () => download(reply.tables[i].replace(/\.csv$/, ".xlsx"), name + ".xlsx")}, "Download Excel"));
    figure.append(tools);
    if (table.total_rows > table.rows.length) {
      figure.append(el("p", {class: "caption"},
        `${table.rows.length} of ${table.total_rows.toLocaleString("en")} rows here; the downloads hold them all.`));
    }
    return figure;
  }

  function renderChart(reply, chart, i) {
    const drawing = el("p", {class: "caption drawing"}, "Drawing the chart…");
    const figure = el("figure", {class: "chart"}, drawing, el("figcaption", {}, chart.title));
    blobURL(reply.charts[i]).then((src) => { drawing.replaceWith(el("img", {alt: chart.title, class: "chart", src})); })
      .catch((error) => drawing.replaceWith(el("p", {class: "caption"}, `Not drawn: ${error.message}`)));
    return figure;
  }

  start();
})();
