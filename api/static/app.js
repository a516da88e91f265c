// newsqa's page: ask with a streamed draft and a verified answer, check citations in their articles,
// browse, upload and delete articles. Article text, titles and answers are untrusted: they only ever
// reach the page as text nodes (textContent), never as HTML.

const $ = (id) => document.getElementById(id);
const PAGE = 20;
const REASONS = {
  no_evidence: "Nothing in the articles matches this question.",
  not_in_articles: "The articles that match do not contain the answer.",
  unsupported: "The model's answer was not backed by the sentences it cited, so it was withheld.",
  conflicting: "The reports disagree, and the disagreement cannot be settled by date. Both are cited below.",
  empty_index: "No articles have been added yet.",
};

let articleOffset = 0;
let lastCitations = [];

function apiKey() { return sessionStorage.getItem("newsqa-key") || ""; }
function authHeaders() { const k = apiKey(); return k ? { Authorization: `Bearer ${k}` } : {}; }

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

async function explain(response) {
  let detail = "";
  try { const body = await response.json(); detail = typeof body.detail === "string" ? body.detail : (body.detail?.[0]?.msg || ""); } catch { /* not JSON */ }
  return message(response.status, detail, response.headers.get("Retry-After"));
}

function message(status, detail, retryAfter) {
  if (status === 503) return `The server is busy answering other questions; try again${retryAfter ? ` in ${retryAfter} seconds` : " shortly"}. Your question is kept.`;
  if (status === 504) return "The language model did not answer in time; try again. Your question is kept.";
  if (status === 413) return "That is too large for the server to accept.";
  if (status === 401) return "The API key is missing or wrong.";
  if (status === 422) return `The server did not accept this: ${detail || "check the question and filters"}.`;
  return `The server could not answer (error ${status})${detail ? `: ${detail}` : ""}.`;
}

function filters() {
  const list = (v) => v.split(",").map((s) => s.trim()).filter(Boolean);
  const f = {};
  if ($("published-from").value) f.published_from = $("published-from").value;
  if ($("published-to").value) f.published_to = $("published-to").value;
  if (list($("sources").value).length) f.sources = list($("sources").value);
  if (list($("article-ids").value).length) f.article_ids = list($("article-ids").value);
  return Object.keys(f).length ? f : undefined;
}

// -- asking ---------------------------------------------------------------------------------------
function resetResult() {
  $("result").hidden = false;
  $("draft").hidden = true;
  $("draft-text").textContent = "";
  $("answer").replaceChildren();
  $("abstention").hidden = true;
  $("abstention").replaceChildren();
  $("citations").replaceChildren();
  $("timings").textContent = "";
}

async function ask(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  resetResult();
  $("ask-button").disabled = true;
  setStatus("Searching the articles…");
  let gotAnswer = false;
  try {
    const response = await fetch("/v1/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...authHeaders() },
      body: JSON.stringify({ question, stream: true, filters: filters(), asked_on: $("asked-on").value || undefined }),
    });
    if (!response.ok) { setStatus(await explain(response), true); $("result").hidden = true; return; }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
        if (name) gotAnswer = handle(name, JSON.parse(data)) || gotAnswer;
      }
    }
    if (!gotAnswer) throw new Error("stream ended early");
  } catch (err) {
    setStatus("The connection was lost before the answer was complete. Your question is kept; ask again.", true);
  } finally {
    $("ask-button").disabled = false;
  }
}

function handle(name, data) {
  if (name === "passages") {
    setStatus(data.length ? `Found ${data.length} passages; writing an answer…` : "No passages found.");
  } else if (name === "token") {
    $("draft").hidden = false;
    $("draft-text").textContent += data.text;  // unverified: shown as a provisional draft only
  } else if (name === "answer") {
    showAnswer(data);
    return true;
  } else if (name === "error") {
    setStatus(message(data.status, data.detail), true);
    $("draft").hidden = true;
    return true;
  }
  return false;
}

function answerNodes(text) {
  const nodes = [];
  let last = 0;
  for (const m of text.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    nodes.push(document.createTextNode(text.slice(last, m.index)));
    for (const n of m[1].split(",").map((s) => s.trim())) {
      nodes.push(el("a", { class: "cite", href: `#cite-${n}`, "data-n": n, onclick: (e) => { e.preventDefault(); openCitation(Number(n)); } }, `[${n}]`));
    }
    last = m.index + m[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function showAnswer(a) {
  $("draft").hidden = true;  // the draft gives way to what the articles support
  lastCitations = a.citations || [];
  if (a.answerable) {
    $("answer").replaceChildren(...answerNodes(a.answer));
  } else {
    $("abstention").hidden = false;
    $("abstention").replaceChildren(el("strong", {}, "The articles do not say."), REASONS[a.reason] || a.answer);
    if (a.reason === "conflicting") $("answer").replaceChildren(...answerNodes(a.answer));
  }
  for (const c of lastCitations) {
    const meta = [c.title, c.source, c.published].filter(Boolean).join(" · ");
    const item = el("li", { id: `cite-${c.n}`, value: c.n },
      el("a", { href: "#", class: "quote", onclick: (e) => { e.preventDefault(); openCitation(c.n); } }, `“${c.quote}”`),
      el("span", { class: "meta" }, meta || c.article_id));
    if (c.dates?.length) {
      item.append(el("div", { class: "dates" }, c.dates.map((d) => `${d.text} = ${d.value}`).join("; ")));
    }
    $("citations").append(item);
  }
  const t = a.timings || {};
  const s = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  $("timings").textContent = [t.retrieve_ms != null && `retrieved in ${s(t.retrieve_ms)}`,
    t.prompt_ms != null && `first word after ${s(t.prompt_ms)}`, t.total_ms != null && `total ${s(t.total_ms)}`]
    .filter(Boolean).join(" · ");
  setStatus(a.answerable ? "Answer checked against the articles." : "");
}

// -- articles ---------------------------------------------------------------------------------------
async function openArticle(id, span) {
  const response = await fetch(`/v1/articles/${encodeURIComponent(id)}`, { headers: authHeaders() });
  if (!response.ok) { setStatus(await explain(response), true); return; }
  const a = await response.json();
  $("article-title").textContent = a.title || a.id;
  $("article-meta").textContent = [a.source, a.published, a.url].filter(Boolean).join(" · ");
  const text = a.text;
  const body = $("article-text");
  if (span) {
    const mark = el("mark", { id: "highlight" }, text.slice(span.start, span.end));
    body.replaceChildren(text.slice(0, span.start), mark, text.slice(span.end));
  } else {
    body.replaceChildren(text);
  }
  $("article-view").hidden = false;
  $("ask-section").hidden = true;
  const target = span ? $("highlight") : $("article-title");
  target.scrollIntoView({ block: "center" });
  body.focus({ preventScroll: true });
}

function openCitation(n) {
  const c = lastCitations.find((x) => x.n === n);
  if (c) openArticle(c.article_id, { start: c.start, end: c.end });
}

function closeArticle() {
  $("article-view").hidden = true;
  $("ask-section").hidden = false;
  $("question").focus();
}

async function loadArticles() {
  const q = $("article-search").value.trim();
  const params = new URLSearchParams({ offset: articleOffset, limit: PAGE });
  if (q) params.set("q", q);
  const response = await fetch(`/v1/articles?${params}`, { headers: authHeaders() });
  if (!response.ok) { $("article-list").replaceChildren(el("li", {}, await explain(response))); return; }
  const page = await response.json();
  const items = page.items.map((a) => {
    const li = el("li", {},
      el("span", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); openArticle(a.id); } }, a.title || a.id),
        " ", el("span", { class: "meta" }, [a.source, a.published].filter(Boolean).join(" · "))));
    if (apiKey()) li.append(el("button", { type: "button", "aria-label": `Delete ${a.title || a.id}`, onclick: () => remove(a.id) }, "Delete"));
    return li;
  });
  $("article-list").replaceChildren(...(items.length ? items : [el("li", {}, "No articles match.")]));
  const last = Math.min(page.offset + page.limit, page.total);
  $("page-info").textContent = page.total ? `${page.offset + 1}–${last} of ${page.total}` : "";
  $("prev-page").disabled = page.offset === 0;
  $("next-page").disabled = last >= page.total;
}

async function upload() {
  const file = $("upload").files[0];
  if (!file) { $("manage-status").textContent = "Choose a .txt, .md or .jsonl file first."; return; }
  const form = new FormData();
  form.append("file", file);
  try {
    const response = await fetch("/v1/articles", { method: "POST", headers: authHeaders(), body: form });
    if (!response.ok) { $("manage-status").textContent = await explain(response); return; }
    const written = (await response.json()).articles;
    $("manage-status").textContent = written.map((a) => `${a.id}: ${a.status} (${a.chunks} chunks)`).join("; ");
    loadArticles();
  } catch {
    $("manage-status").textContent = "The connection was lost; nothing may have been uploaded. Try again.";
  }
}

async function remove(id) {
  if (!confirm(`Delete article ${id}?`)) return;
  const response = await fetch(`/v1/articles/${encodeURIComponent(id)}`, { method: "DELETE", headers: authHeaders() });
  $("manage-status").textContent = response.ok ? `Deleted ${id}.` : await explain(response);
  loadArticles();
}

let searchTimer;
$("ask-form").addEventListener("submit", ask);
$("close-article").addEventListener("click", closeArticle);
$("article-search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => { articleOffset = 0; loadArticles(); }, 250); });
$("prev-page").addEventListener("click", () => { articleOffset = Math.max(0, articleOffset - PAGE); loadArticles(); });
$("next-page").addEventListener("click", () => { articleOffset += PAGE; loadArticles(); });
$("api-key").value = apiKey();
$("api-key").addEventListener("change", () => { sessionStorage.setItem("newsqa-key", $("api-key").value.trim()); loadArticles(); });
$("upload-button").addEventListener("click", upload);
document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("article-view").hidden) closeArticle(); });
loadArticles();
