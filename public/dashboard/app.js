/* global Charts */
'use strict';
// The analyst's dashboard: /stats feeds the charts, /tweets the table (cursor paging), with one set of filters.
// Plain browser JavaScript, no build step; every request goes to this API.
(() => {
  const $ = (id) => document.getElementById(id);
  const form = $('filters');
  const state = { cursors: [null], page: 0, stats: null, health: null };

  // With API_KEY set on the server, every data call needs the key: asked once, kept for this tab only.
  const KEY_ITEM = 'political-tweets-etl.api-key';
  const withKey = (init) => {
    const key = sessionStorage.getItem(KEY_ITEM);
    return key ? { ...init, headers: { ...(init && init.headers), authorization: `Bearer ${key}` } } : init;
  };
  let asking = null; // calls that get 401 together share one prompt
  /** True when there is a key to retry with: one typed now, or one another call got meanwhile. */
  function askForKey(sent) {
    if (sessionStorage.getItem(KEY_ITEM) !== sent) return Promise.resolve(true);
    asking ??= Promise.resolve()
      .then(() => {
        const key = (window.prompt('This API needs a key (the API_KEY it was started with):') || '').trim();
        if (key) sessionStorage.setItem(KEY_ITEM, key);
        return Boolean(key);
      })
      .finally(() => (asking = null));
    return asking;
  }

  /** fetch → {ok, status, body}; a network failure answers status 0 instead of throwing. */
  async function api(path, init, retried) {
    try {
      const sent = sessionStorage.getItem(KEY_ITEM);
      const res = await fetch(path, withKey(init));
      if (res.status === 401 && !retried && (await askForKey(sent))) return api(path, init, true);
      const body = await res.json().catch(() => null);
      return { ok: res.ok, status: res.status, body };
    } catch (error) {
      return { ok: false, status: 0, body: { error: { message: `The API did not answer (${error.message}).` } } };
    }
  }
  /** CSV/NDJSON links: with a key, downloaded through fetch (a plain link cannot send the header). */
  async function downloadWithKey(event) {
    if (!sessionStorage.getItem(KEY_ITEM)) return;
    event.preventDefault();
    const link = event.currentTarget;
    const res = await fetch(link.href, withKey());
    if (!res.ok) return banner(`Export failed: HTTP ${res.status}`, 'error');
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(await res.blob()) });
    a.download = /filename="?([^";]+)/.exec(res.headers.get('content-disposition') || '')?.[1] || 'tweets';
    a.click();
    URL.revokeObjectURL(a.href);
  }
  const post = (path, body) =>
    api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  function banner(text, kind) {
    const el = $('banner');
    el.hidden = !text;
    el.className = `banner ${kind || ''}`;
    el.textContent = text || '';
  }
  const errorText = (r) => {
    const e = (r.body && r.body.error) || {};
    const hint = e.details && e.details.hint ? ` ${e.details.hint}` : '';
    return `${e.message || `HTTP ${r.status}`}${hint}`;
  };

  /** The form's non-empty fields as query parameters. */
  function filters(extra) {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) params.set(k, String(v).trim());
    for (const [k, v] of Object.entries(extra || {})) params.set(k, v);
    return params;
  }
  const without = (params, ...names) => (names.forEach((n) => params.delete(n)), params);

  function fillSelect(name, labels) {
    const select = form.elements[name];
    if (select.options.length > 1) return;
    for (const l of labels) select.add(new Option(l, l));
  }

  async function checkHealth() {
    const r = await api('/health');
    state.health = r.body;
    const es = r.body && r.body.elasticsearch;
    if (!r.ok || !es || !es.reachable) {
      $('health').textContent = 'Elasticsearch down';
      banner(
        `Elasticsearch is not reachable${es ? ` at ${es.url}` : ''}. ${(es && es.hint && es.hint.hint) || 'Start it and reload.'}`,
      );
      return false;
    }
    $('health').textContent = `${r.body.status} · index ${es.index} · ${es.docs} docs`;
    const models = r.body.models;
    const missing = ['emotion', 'stance'].filter((t) => !models[t].present);
    missing.forEach((t) => ($(`btn-${t}`).disabled = true));
    if (missing.length)
      banner(
        `Model files missing for ${missing.join(' and ')}: run \`npm run models\` to tag. Stored data is still shown.`,
        'warn',
      );
    return true;
  }

  function showSummary(s) {
    const items = [
      ['tweets', s.total],
      ['emotion tagged', s.tagged.emotion],
      ['stance tagged', s.tagged.stance],
      ['both', s.tagged.both],
    ];
    $('summary').replaceChildren(
      ...items.map(([label, n]) => {
        const div = document.createElement('div');
        div.innerHTML = '<b></b><span class="muted"></span>';
        div.firstChild.textContent = String(n);
        div.lastChild.textContent = label;
        return div;
      }),
    );
  }

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text == null ? '' : String(text);
    return td;
  }
  const rowOf = (cells) => {
    const tr = document.createElement('tr');
    tr.append(...cells.map(cell));
    return tr;
  };

  function showProvenance(s) {
    const rows = [
      ...s.models.emotion.map((m) => ['emotion', m.model, m.revision, '', m.count]),
      ...s.models.stance.map((m) => ['stance', m.model, m.revision, m.prompt_version, m.count]),
    ];
    const body = $('provenance').tBodies[0];
    body.replaceChildren(...(rows.length ? rows.map(rowOf) : [rowOf(['—', 'nothing tagged yet', '', '', ''])]));
    const mean = (o) =>
      Object.entries(o)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(' · ');
    $('means').textContent = `${mean(s.mean_score.emotion) || '—'} | ${mean(s.mean_score.stance) || '—'}`;
  }

  /** The language split, and plainly: how many tweets have no emotion because of their language. */
  function showLanguages(s) {
    const item = ({ key, count }) => {
      const li = document.createElement('li');
      li.textContent = `${key} ${count}`;
      li.dataset.key = key;
      return li;
    };
    $('languages').replaceChildren(...s.languages.map(item));
    $('sources').replaceChildren(...s.sources.map(item));
    const e = s.emotion_languages;
    $('no-emotion-language').textContent =
      `${e.untagged_other_language} tweet${e.untagged_other_language === 1 ? ' has' : 's have'} no emotion because ` +
      `of their language: the emotion model is English-only and trusted for ${e.trusted.join(', ')} (EMOTION_LANGS).`;
  }

  function drawCharts(s) {
    const pick = (name) => (value) => {
      form.elements[name].value = value;
      refresh();
    };
    Charts.bars('chart-emotion', s.emotion, pick('emotion'));
    Charts.bars('chart-stance', s.stance, pick('stance'));
    Charts.heatmap('chart-matrix', s.matrix);
    Charts.timeline('chart-timeline', s.timeline, $('timeline-task').value);
    Charts.hashtags('chart-hashtags', s.hashtags.top, pick('hashtag'));
  }

  /** Empty index, nothing matching, or the charts. */
  function showStats(s) {
    state.stats = s;
    fillSelect('emotion', Object.keys(s.emotion));
    fillSelect('stance', Object.keys(s.stance));
    const anyFilter = [...filters().keys()].some((k) => !['sort', 'interval'].includes(k));
    const empty = s.total === 0;
    $('empty').hidden = !(empty && !anyFilter);
    $('no-match').hidden = !(empty && anyFilter);
    $('charts').hidden = empty;
    $('summary').hidden = empty;
    showSummary(s);
    if (empty) return;
    drawCharts(s);
    showLanguages(s);
    showProvenance(s);
  }

  async function loadStats() {
    const r = await api(`/stats?${without(filters(), 'sort')}`);
    if (!r.ok) return banner(`Statistics failed: ${errorText(r)}`);
    showStats(r.body);
  }

  function showTweets(page) {
    const label = (t) => (t ? `${t.label} ${t.score.toFixed(2)}` : '');
    const rows = page.items.map((t) =>
      rowOf([
        t.created_at.slice(0, 10),
        t.author.handle || t.author.username,
        t.content,
        t.hashtags.join(' '),
        label(t.emotion),
        label(t.stance),
        t.metrics.likes,
        t.metrics.retweets,
      ]),
    );
    $('tweets-table').tBodies[0].replaceChildren(...rows);
    $('tweets-total').textContent = `${page.total} matching`;
    $('page').textContent = `page ${state.page + 1}`;
    state.cursors[state.page + 1] = page.next_cursor;
    $('prev').disabled = state.page === 0;
    $('next').disabled = !page.next_cursor;
  }

  async function loadTweets() {
    const cursor = state.cursors[state.page];
    const params = without(filters(cursor ? { cursor, limit: '20' } : { limit: '20' }), 'interval');
    const r = await api(`/tweets?${params}`);
    if (!r.ok) return banner(`Tweets failed: ${errorText(r)}`);
    showTweets(r.body);
  }

  function updateExportLinks() {
    const params = without(filters(), 'interval');
    $('export-csv').href = `/tweets?${new URLSearchParams([...params, ['format', 'csv']])}`;
    $('export-ndjson').href = `/tweets?${new URLSearchParams([...params, ['format', 'ndjson']])}`;
  }

  async function refresh() {
    state.cursors = [null];
    state.page = 0;
    if (!$('banner').classList.contains('warn')) banner('');
    updateExportLinks();
    await Promise.all([loadStats(), loadTweets()]);
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1); // tests wait on it
  }

  /** Runs one synchronous action (ingest or tagging) with a spinner, then reloads everything. */
  async function runWork(label, path, body) {
    const buttons = ['btn-ingest', 'btn-emotion', 'btn-stance'].map($);
    const before = buttons.map((b) => b.disabled);
    buttons.forEach((b) => (b.disabled = true));
    const started = Date.now();
    $('work').className = 'busy';
    $('work').textContent = `${label}…`;
    const timer = setInterval(
      () => ($('work').textContent = `${label}… ${Math.round((Date.now() - started) / 1000)} s`),
      1000,
    );
    const r = await post(path, body);
    clearInterval(timer);
    $('work').className = '';
    $('work').textContent = r.ok ? `${label}: ${describe(r.body)}` : `${label} failed`;
    if (!r.ok) banner(`${label} failed: ${errorText(r)}`);
    buttons.forEach((b, i) => (b.disabled = before[i]));
    await Promise.all([checkHealth(), refresh(), loadJobs()]);
  }
  /** The chosen file as the body of POST /ingest; the content type says how to read it. */
  async function upload() {
    const file = $('upload-file').files[0];
    if (!file) return;
    const name = file.name.toLowerCase();
    // Binary as octet-stream: the gateway passes it as bytes (the server reads gzip from the content).
    const type = name.endsWith('.gz')
      ? 'application/octet-stream'
      : /\.(jsonl|ndjson)$/.test(name)
        ? 'application/x-ndjson'
        : 'application/json';
    $('btn-upload').disabled = true;
    $('upload-result').textContent = `Uploading ${file.name}…`;
    const r = await api('/ingest', { method: 'POST', headers: { 'content-type': type }, body: file });
    $('upload-result').textContent = r.ok
      ? `${file.name} → ${r.body.file}: ${describe(r.body)}, ${r.body.invalid.count} invalid`
      : `Upload failed: ${errorText(r)}`;
    $('upload-result').className = r.ok ? 'ok' : 'error';
    $('btn-upload').disabled = false;
    await Promise.all([checkHealth(), refresh()]);
  }

  const describe = (b) =>
    'indexed' in b
      ? `${b.indexed} indexed of ${b.records} records${b.unchanged ? ' (sources unchanged)' : ''}`
      : `${b.classified} classified, ${b.remaining} remaining` +
        (b.skipped && b.skipped.count ? `, ${b.skipped.count} skipped for their language` : '');

  /** Background jobs (GET /jobs), shown once the API has them: running ones first, then the last finished. */
  async function loadJobs() {
    if (!state.hasJobs) return;
    const r = await api('/jobs?limit=10');
    $('jobs').hidden = r.status !== 200;
    if (r.status !== 200) return;
    const jobs = r.body.items || [];
    const live = jobs.filter((j) => ['queued', 'running', 'stalled'].includes(j.status));
    const shown = live.length ? live : jobs.slice(0, 3);
    $('jobs-list').replaceChildren(...(shown.length ? shown.map(jobItem) : [jobItem(null)]));
  }
  function jobItem(j) {
    const li = document.createElement('li');
    if (!j) return ((li.textContent = 'No job yet: POST /jobs (or npm run tag) starts long runs.'), li);
    const p = j.progress;
    const eta = j.eta_s != null ? `, ~${Math.round(j.eta_s)} s left` : '';
    li.textContent = `${j.task} ${j.id}: ${j.status} — ${p.done}/${p.total} done, ${p.classified} written, ${p.failed} failed${eta}`;
    return li;
  }

  async function detectJobs() {
    const r = await api('/openapi.json');
    state.hasJobs = !!(r.ok && r.body.paths && r.body.paths['/jobs'] && r.body.paths['/jobs'].get);
    if (state.hasJobs) setInterval(loadJobs, 5000);
    return loadJobs();
  }

  function wire() {
    form.addEventListener('submit', (e) => (e.preventDefault(), refresh()));
    form.addEventListener('reset', () => setTimeout(refresh, 0));
    $('timeline-task').addEventListener(
      'change',
      () => state.stats && Charts.timeline('chart-timeline', state.stats.timeline, $('timeline-task').value),
    );
    $('export-csv').addEventListener('click', downloadWithKey);
    $('export-ndjson').addEventListener('click', downloadWithKey);
    $('next').addEventListener('click', () => (state.page++, loadTweets()));
    $('prev').addEventListener('click', () => (state.page--, loadTweets()));
    const limit = () => Number($('tag-limit').value) || 100;
    $('btn-ingest').addEventListener('click', () => runWork('Ingest', '/ingest', {}));
    $('btn-emotion').addEventListener('click', () => runWork('Emotion tagging', '/emotion', { limit: limit() }));
    $('btn-stance').addEventListener('click', () => runWork('Stance tagging', '/stance', { limit: limit() }));
    $('upload-file').addEventListener('change', () => ($('btn-upload').disabled = !$('upload-file').files.length));
    $('btn-upload').addEventListener('click', upload);
  }

  async function start() {
    wire();
    if (!(await checkHealth())) {
      ['charts', 'summary', 'tweets'].forEach((id) => ($(id).hidden = true));
      document.body.dataset.ready = 'true';
      return;
    }
    await Promise.all([refresh(), detectJobs()]);
    document.body.dataset.ready = 'true'; // for tests and scripts: the first render is complete
  }
  start();
})();
