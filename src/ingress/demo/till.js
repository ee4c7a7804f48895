// The demo till: starts a payment through the public POS API, shows its QR large, follows it live
// with the long poll (GET /v1/payments/{id}?wait_for_version=N) and offers the cashier's commands
// (cancel, capture, retry, refund) as the payment allows them. Only the public API and the page's
// own config.json (which providers, where their customer pages are, a development key) are used.
import { callJson, decimal, errorText, h, money, show, sleep, toMinor, webUrl } from './kit.js';

/** States after which the payment's workflow has ended: nothing will change any more. */
const FINAL = ['cancelled', 'rejected', 'expired', 'failed'];
const PAID = ['authorized', 'captured', 'partially_refunded', 'refunded'];
const CANCELLABLE = ['pending', 'awaiting_customer', 'authorized'];
const REFUNDABLE = ['captured', 'partially_refunded'];
const KEY_STORAGE = 'pos-demo-api-key';
/** How long one long poll may wait (the contract's maximum is 30 s). */
const WAIT_SECONDS = 25;

const config = await (await fetch(new URL('config.json', import.meta.url))).json();

const field = (id, props = {}) => h('input', { id, name: id, autocomplete: 'off', ...props });
const choice = (id) => h('select', { id, name: id });
const labelled = (text, control) => h('div', {}, h('label', { for: control.id }, text), control);
const button = (id, text, onclick, kind) => h('button', { id, type: 'button', class: kind, onclick }, text);

const message = h('p', { id: 'message', role: 'alert', class: 'error' });
const say = (text) => { message.textContent = text; };

// --- The API key: asked for unless the development stack made one up for this page. ---
const keyInput = field('api-key', { type: 'password', value: sessionStorage.getItem(KEY_STORAGE) ?? config.api_key ?? '', placeholder: 'POS API key (Bearer)' });
keyInput.addEventListener('change', () => {
  sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim());
  if (!tableRow.hidden) void loadTables();
});

/** A POS API call with the till's key. */
function pos(method, path, body, signal) {
  return callJson(method, path, { body, signal, headers: { Authorization: `Bearer ${keyInput.value.trim()}` } });
}

// --- Starting a payment. ---
const provider = choice('provider');
const amount = field('amount', { value: '20.00', inputmode: 'decimal' });
const currency = choice('currency');
const mode = choice('mode');
const posId = field('pos-id', { value: 'till-1' });
const posTid = field('pos-tid');
const description = field('description', { value: 'Flat white' });
const sticker = field('sticker', { value: 'SQ1001' });
const table = choice('table');
const stickerRow = labelled('Sticker on this till (registered before the payment)', sticker);
const tableRow = labelled('Table', table);

const newOrderId = () => `order-${new Date().toISOString().replace(/\D/g, '').slice(2, 14)}`;
const providerInfo = () => config.providers.find((candidate) => candidate.name === provider.value);

for (const info of config.providers) provider.append(h('option', { value: info.name }, info.name));
mode.append(h('option', { value: 'auto' }, 'auto: capture at once'), h('option', { value: 'manual' }, 'manual: authorize, capture later'));
provider.addEventListener('change', () => void chooseProvider());

/** Shows the chosen provider's currencies (keeping the chosen one, at first EUR, where it has it) and its own fields. */
async function chooseProvider() {
  const info = providerInfo();
  const chosen = currency.value || 'EUR';
  show(currency, info.currencies.map((code) => h('option', { value: code, selected: code === chosen }, code)));
  stickerRow.hidden = !info.sticker_field;
  tableRow.hidden = info.name !== 'paysera';
  if (!tableRow.hidden) await loadTables();
}

/** Paysera's tables from the POS API, free or with a customer already sitting, in table order. */
async function loadTables() {
  const options = [];
  for (const [status, note] of [['closed', 'free'], ['waiting', 'customer waiting']]) {
    const answer = await pos('GET', `/v1/paysera/spots?status=${status}`);
    if (!answer.ok) return say(`Tables: ${errorText(answer)}`);
    for (const spot of answer.body.data.filter((candidate) => candidate.known && candidate.code)) {
      options.push(h('option', { value: spot.code }, `${spot.identifier.toUpperCase()} (${note})`));
    }
  }
  options.sort((a, b) => a.textContent.localeCompare(b.textContent, 'en', { numeric: true }));
  show(table, options);
}

async function start(event) {
  event.preventDefault();
  say('');
  const info = providerInfo();
  const minor = toMinor(amount.value, currency.value);
  if (minor === null || minor <= 0) return say(`Amount: a positive amount in ${currency.value}, e.g. 20.00`);
  const body = { provider: info.name, pos_id: posId.value.trim(), pos_tid: posTid.value.trim(), amount: minor, currency: currency.value, capture_mode: mode.value };
  if (description.value.trim()) body.description = description.value.trim();
  if (info.sticker_field) {
    // Registering is idempotent: the till keeps its registration, the sticker is (re)assigned.
    const registered = await pos('PUT', `/v1/terminals/${encodeURIComponent(body.pos_id)}/${info.name}`, { [info.sticker_field]: sticker.value.trim(), name: body.pos_id });
    if (!registered.ok) return say(`Registering the till: ${errorText(registered)}`);
    body.provider_options = { [info.sticker_field]: sticker.value.trim() };
  }
  if (info.name === 'paysera') body.provider_options = { spot_code: table.value };
  startButton.disabled = true;
  const answer = await pos('POST', '/v1/payments', body).finally(() => { startButton.disabled = false; });
  if (!answer.ok) return say(errorText(answer));
  posTid.value = newOrderId();
  follow(answer.body);
}

const startButton = h('button', { id: 'start', type: 'submit' }, 'Start payment');
const startForm = h('form', { class: 'card', onsubmit: (event) => void start(event) },
  h('h2', {}, 'New payment'),
  labelled('Provider', provider),
  h('div', { class: 'row' }, labelled('Amount', amount), labelled('Currency', currency)),
  labelled('Mode', mode),
  h('div', { class: 'row' }, labelled('Till (pos_id)', posId), labelled('Order (pos_tid)', posTid)),
  labelled('Description', description),
  stickerRow,
  tableRow,
  startButton);

// --- The payment on screen. ---
let shown = null;
let following = new AbortController();
let refundId = null;

const qrImage = h('img', { id: 'qr', class: 'qr', alt: 'QR code to scan' });
const qrText = h('p', { id: 'qr-content', class: 'mono' });
const customerLink = h('a', { id: 'customer-link', target: '_blank', rel: 'noopener' }, 'Open the customer’s app');
const qrBox = h('div', { hidden: true }, qrImage, qrText, h('p', {}, customerLink));
const stateBox = h('div');
const facts = h('dl', { class: 'facts' });
const timeline = h('tbody', { id: 'timeline' });
const refunds = h('tbody', { id: 'refunds' });
const captureAmount = field('capture-amount', { placeholder: 'all' });
const refundAmount = field('refund-amount');
// Another amount is another refund: it gets its own refund_id (the same id with another amount is a 409).
refundAmount.addEventListener('input', () => { refundId = null; });
const cancelButton = button('cancel', 'Cancel payment', () => void command('cancel', { reason: 'cancelled at the till' }), 'danger');
const retryButton = button('retry', 'Retry (another window)', () => void command('retry', {}), 'secondary');
const captureButton = button('capture', 'Capture', () => void capture());
const refundButton = button('refund', 'Refund', () => void refund(), 'secondary');
const webUiLink = h('a', { id: 'web-ui-link', target: '_blank', rel: 'noopener', hidden: true }, 'Open in the Temporal Web UI');

const captureRow = h('div', { class: 'row' }, labelled('Capture amount', captureAmount), captureButton);
const refundRow = h('div', { class: 'row' }, labelled('Refund amount', refundAmount), refundButton);
const paymentCard = h('section', { id: 'payment', class: 'card', hidden: true },
  qrBox,
  stateBox,
  h('div', { class: 'row' }, cancelButton, retryButton),
  captureRow,
  refundRow,
  facts,
  h('h2', {}, 'Timeline'),
  h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'at'), h('th', {}, 'state'), h('th', {}, 'what happened'))), timeline),
  h('h2', {}, 'Refunds'),
  h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'refund'), h('th', {}, 'amount'), h('th', {}, 'state'))), refunds),
  h('p', {}, webUiLink));

const customerPageFor = (payment) => {
  const page = config.providers.find((candidate) => candidate.name === payment.provider)?.customer_page;
  // Without a sandbox page, a QR that is a web address (Tabby's checkout) is the customer's page.
  return page ? `${page}?qr=${encodeURIComponent(payment.qr.content)}` : webUrl(payment.qr.content);
};

/** Shows `payment` unless a newer version is on screen already (a command's answer and a poll can cross). */
function render(payment) {
  if (shown && shown.id === payment.id && shown.version > payment.version) return;
  shown = payment;
  const waiting = payment.state === 'awaiting_customer' && payment.qr;
  qrBox.hidden = !waiting;
  if (waiting) {
    if (qrImage.getAttribute('src') !== payment.qr.image_url) qrImage.src = payment.qr.image_url;
    qrText.textContent = payment.qr.content;
    const link = customerPageFor(payment);
    customerLink.hidden = !link;
    if (link) customerLink.href = link;
  }
  const tone = PAID.includes(payment.state) ? 'good' : FINAL.includes(payment.state) ? 'bad' : '';
  show(stateBox,
    h('p', {}, h('span', { id: 'state', class: `state ${tone}` }, payment.state), ' ', h('span', { class: 'muted' }, `version ${payment.version}`)),
    payment.action_required === 'retry_or_cancel' && h('p', { class: 'notice', id: 'action-required' }, 'The customer has not paid in this window: retry or cancel.'),
    payment.failure && h('p', { class: 'error' }, `${payment.failure.code}: ${payment.failure.message}`));
  const of = (minor) => money(minor, payment.currency);
  show(facts, [
    ['Payment', payment.id], ['Provider', `${payment.provider} · ${payment.capture_mode}`], ['Amount', of(payment.amount)],
    ['Authorized', of(payment.authorized_amount)], ['Captured', of(payment.captured_amount)], ['Refunded', of(payment.refunded_amount)],
    ['Expires', payment.expires_at ? new Date(payment.expires_at).toLocaleString() : '—'],
  ].flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
  show(timeline, payment.timeline.map((entry) => h('tr', {}, h('td', {}, new Date(entry.at).toLocaleTimeString()), h('td', {}, entry.state), h('td', {}, entry.detail ?? ''))));
  show(refunds, payment.refunds.map((entry) => h('tr', {}, h('td', { class: 'mono' }, entry.refund_id), h('td', {}, of(entry.amount)), h('td', {}, entry.state))));
  // Commands that cannot apply to this payment are not shown; those that cannot apply yet are disabled.
  cancelButton.disabled = !CANCELLABLE.includes(payment.state);
  retryButton.hidden = payment.action_required !== 'retry_or_cancel';
  captureRow.hidden = payment.capture_mode !== 'manual';
  captureButton.disabled = payment.state !== 'authorized';
  refundRow.hidden = !REFUNDABLE.includes(payment.state) && payment.state !== 'refunded';
  refundButton.disabled = !REFUNDABLE.includes(payment.state);
  if (!refundButton.disabled && refundAmount.value === '') refundAmount.value = decimal(refundable(payment), payment.currency);
  webUiLink.hidden = !config.temporal_ui;
  if (config.temporal_ui) webUiLink.href = `${config.temporal_ui}/workflows/${encodeURIComponent(payment.id)}`;
  paymentCard.hidden = false;
}

/** Captured money not yet refunded or promised to a refund in flight. */
const refundable = (payment) => payment.captured_amount - payment.refunds.filter((entry) => entry.state !== 'failed').reduce((sum, entry) => sum + entry.amount, 0);

/** Shows a new payment and long-polls it until it can no longer change (or another one is started). */
async function follow(payment) {
  following.abort();
  following = new AbortController();
  const { signal } = following;
  refundAmount.value = '';
  captureAmount.value = '';
  refundId = null;
  render(payment);
  while (!signal.aborted && !FINAL.includes(shown.state)) {
    const path = `/v1/payments/${encodeURIComponent(payment.id)}?wait_for_version=${shown.version}&timeout=${WAIT_SECONDS}`;
    const answer = await pos('GET', path, undefined, signal).catch(() => null);
    if (signal.aborted) return;
    if (answer?.ok) {
      // An answer without a change (the wait timed out) comes after WAIT_SECONDS; never spin faster than 1/s.
      if (answer.body.version === shown.version) await sleep(1000, signal);
      render(answer.body);
    } else {
      if (answer) say(errorText(answer));
      await sleep((answer?.retryAfterSeconds ?? 2) * 1000, signal);
    }
  }
}

/** A cashier's command; a refused one shows why, and the payment it carries. */
async function command(name, body) {
  say('');
  const answer = await pos('POST', `/v1/payments/${encodeURIComponent(shown.id)}/${name}`, body);
  const payment = answer.body?.payment ?? (answer.ok ? answer.body : null);
  if (payment) render(payment);
  if (!answer.ok) say(errorText(answer));
  return answer;
}

function capture() {
  const text = captureAmount.value.trim();
  const minor = text === '' ? null : toMinor(text, shown.currency);
  if (text !== '' && (minor === null || minor <= 0)) return say(`Capture amount: empty for all, or an amount in ${shown.currency}`);
  return command('capture', minor === null ? {} : { amount: minor });
}

async function refund() {
  const minor = toMinor(refundAmount.value, shown.currency);
  if (minor === null || minor <= 0) return say(`Refund amount: an amount in ${shown.currency}`);
  // One id per intended refund: pressing again after a lost answer repeats it instead of refunding twice.
  refundId ??= `refund-${Date.now().toString(36)}`;
  const answer = await command('refunds', { amount: minor, refund_id: refundId, reason: 'refunded at the till' });
  if (answer.ok) {
    refundId = null;
    const left = refundable(shown);
    refundAmount.value = left > 0 ? decimal(left, shown.currency) : '';
  }
}

// --- The page. ---
posTid.value = newOrderId();
show(document.getElementById('page'),
  h('h1', {}, 'Till ', h('span', { class: 'muted' }, '(demo of the POS API)')),
  h('p', { class: 'muted' }, 'Starts payments with the public POS API, as a till would. ', h('a', { href: '/docs' }, 'API reference')),
  h('div', { class: 'card' }, labelled('API key', keyInput)),
  message,
  h('div', { class: 'columns' }, startForm, paymentCard));
await chooseProvider();
