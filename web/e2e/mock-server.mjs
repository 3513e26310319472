// A tiny in-memory stand-in for the civicdesk API, for UI development ONLY.
// The e2e suite must run against the real C++ server. Usage:
//   npm run build && node e2e/mock-server.mjs            (serves dist/ + /api on :8099)
//   CIVICDESK_URL=http://127.0.0.1:8099 npx playwright test
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const PORT = Number(process.env.MOCK_PORT ?? 8099);
const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

const ROLES = [
  { name: 'csr1', title: 'Customer Service Representative I', permissions: ['party.read', 'mail.log', 'citation.read'] },
  { name: 'csr2', title: 'Customer Service Representative II', permissions: ['party.read', 'party.write', 'cashier.operate', 'mail.log', 'citation.read', 'billing.read'] },
  { name: 'csr3', title: 'Customer Service Representative III', permissions: ['party.read', 'party.write', 'cashier.operate', 'mail.log', 'citation.read', 'billing.read', 'report.read'] },
  { name: 'supervisor', title: 'Customer Service Supervisor', permissions: ['party.read', 'party.write', 'cashier.operate', 'citation.read', 'billing.read', 'adjustment.approve', 'refund.approve', 'report.read', 'audit.read'] },
  { name: 'finance', title: 'Finance Officer', permissions: ['party.read', 'billing.read', 'refund.approve', 'report.read'] },
  { name: 'auditor', title: 'Auditor', permissions: ['party.read', 'audit.read', 'report.read'] },
  { name: 'admin', title: 'System Administrator', permissions: ['user.admin', 'audit.read'] },
  { name: 'field', title: 'Field Technician', permissions: ['party.read', 'citation.read'] },
];
const NAMES = { csr1: 'Jordan Lee', csr2: 'Casey Rivera', csr3: 'Morgan Diaz', supervisor: 'Pat Kim', finance: 'Robin Shah', auditor: 'Alex Novak', admin: 'Sam Ortiz', field: 'Drew Park' };
let nextUserId = 1;
const users = Object.keys(NAMES).map((u) => ({
  id: nextUserId++, username: u, display_name: NAMES[u], role: u, disabled: false, locked: false,
  last_login_at: null, version: 1, password: 'civicdesk-demo', failures: 0,
}));
const sessions = new Map(); // sid -> { userId, csrf }
const parties = [];
let nextPartyId = 1;
const audit = [];
const now = () => new Date().toISOString();

function displayName(p) { return p.kind === 'business' ? p.business_name : `${p.first_name} ${p.last_name}`; }
function addParty(input, by) {
  const p = { id: nextPartyId++, ...input, flags: [], version: 1, created_at: now(), updated_at: now() };
  delete p.confirm_duplicates;
  p.display_name = displayName(p);
  parties.push(p);
  log(by, 'party.create', 'party', p.id, null, p);
  return p;
}
function log(u, action, entity, id, before, after) {
  audit.push({ seq: audit.length + 1, at: now(), username: u?.username ?? 'system', role: u?.role ?? '', action, entity, entity_id: String(id ?? ''),
    before: before && JSON.parse(JSON.stringify(before)), after: after && JSON.parse(JSON.stringify(after)), request_id: crypto.randomUUID(), client: '127.0.0.1' });
}
const seed = [['Maria', 'Lopez', '1420 Oak St', '(555) 201-3344'], ['James', 'Chen', '88 River Rd', '(555) 301-1122'], ['Ana', 'Garcia', '5 Elm Ct', '(555) 777-0001']];
for (const [f, l, a, ph] of seed) addParty({ kind: 'person', first_name: f, last_name: l, business_name: '', preferred_language: 'en', contact_preference: 'phone',
  addresses: [{ kind: 'mailing', line1: a, line2: '', city: 'Riverton', state: 'CA', postal_code: '95501' }], phones: [{ kind: 'mobile', number: ph }], emails: [] }, null);
for (let i = 0; i < 120; i++) addParty({ kind: 'business', first_name: '', last_name: '', business_name: `Business ${i + 1} LLC`, preferred_language: 'en', contact_preference: 'mail',
  addresses: [{ kind: 'mailing', line1: `${100 + i} Main St`, line2: '', city: 'Riverton', state: 'CA', postal_code: '95501' }], phones: [], emails: [] }, null);

function err(res, status, code, message, field = '', details) {
  send(res, status, { error: { code, message, field, ...(details ? { details } : {}) } });
}
function send(res, status, body, headers = {}) {
  if (status === 204) { res.writeHead(204, headers); return res.end(); }
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
function sessionOf(req) {
  const m = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '');
  const s = m && sessions.get(m[1]);
  if (!s) return null;
  const u = users.find((x) => x.id === s.userId);
  return u && !u.disabled ? { ...s, sid: m[1], user: u } : null;
}
function sessionBody(s) {
  const role = ROLES.find((r) => r.name === s.user.role);
  return { csrf_token: s.csrf, user: { id: s.user.id, username: s.user.username, display_name: s.user.display_name, role: role.name, role_title: role.title, permissions: role.permissions } };
}
const publicUser = ({ password, failures, ...u }) => u; // eslint-disable-line no-unused-vars
const subtitle = (p) => [p.addresses[0] && `${p.addresses[0].line1}, ${p.addresses[0].city}`, p.phones[0]?.number].filter(Boolean).join(' · ');
function validateParty(b) {
  if (b.kind === 'person' && !b.first_name) return ['first_name', 'First name is required'];
  if (b.kind === 'person' && !b.last_name) return ['last_name', 'Last name is required'];
  if (b.kind === 'business' && !b.business_name) return ['business_name', 'Business name is required'];
  for (const [i, a] of (b.addresses ?? []).entries()) if (!/^\d{5}(-\d{4})?$/.test(a.postal_code)) return [`addresses[${i}].postal_code`, 'ZIP code must be 5 digits'];
  return null;
}
function dupsOf(b) {
  const out = [];
  const dn = displayName(b).toLowerCase();
  for (const p of parties) {
    let reason = null;
    if (p.display_name.toLowerCase() === dn && p.addresses[0]?.line1?.toLowerCase() === b.addresses?.[0]?.line1?.toLowerCase()) reason = 'same name and address';
    else if (b.phones?.some((x) => x.number.replace(/\D/g, '') && p.phones.some((y) => y.number.replace(/\D/g, '') === x.number.replace(/\D/g, '')))) reason = 'same phone';
    else if (b.emails?.some((x) => p.emails.some((y) => y.address.toLowerCase() === x.address.toLowerCase()))) reason = 'same email';
    if (reason) out.push({ id: p.id, title: p.display_name, subtitle: subtitle(p), reason });
  }
  return out;
}

async function api(req, res, url) {
  const p = url.pathname.replace(/^\/api\/v1/, '');
  let body = {};
  if (['POST', 'PATCH', 'PUT'].includes(req.method)) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    try { body = JSON.parse(Buffer.concat(chunks).toString() || '{}'); } catch { return err(res, 400, 'invalid_input', 'Body is not JSON'); }
  }
  if (p === '/health') return send(res, 200, { status: 'ok', database: 'sqlite', version: 'mock', schema_version: 1 });
  if (p === '/city') return send(res, 200, {
    name: 'City of Riverton', time_zone: 'America/Los_Angeles',
    departments: [
      { code: 'UTIL', name: 'Utilities' }, { code: 'PW', name: 'Public Works' }, { code: 'PARK', name: 'Parking' },
      { code: 'FIN', name: 'Finance' }, { code: 'CS', name: 'Customer Service' }, { code: 'CE', name: 'Code Enforcement' },
    ],
  });
  if (p === '/session' && req.method === 'POST') {
    const u = users.find((x) => x.username === body.username);
    if (u?.locked) return err(res, 423, 'locked', 'This account is locked after too many failed sign-ins. Ask an administrator to reset the password.');
    if (!u || u.disabled || u.password !== body.password) {
      if (u && ++u.failures >= 5) u.locked = true;
      return err(res, 401, 'unauthenticated', 'User name or password is not right.');
    }
    u.failures = 0; u.last_login_at = now();
    const sid = crypto.randomUUID();
    sessions.set(sid, { userId: u.id, csrf: crypto.randomUUID() });
    log(u, 'session.create', 'user', u.id, null, null);
    return send(res, 200, sessionBody({ ...sessions.get(sid), user: u }), { 'Set-Cookie': `sid=${sid}; HttpOnly; Path=/; SameSite=Strict` });
  }
  const s = sessionOf(req);
  if (!s) return err(res, 401, 'unauthenticated', 'Sign in first.');
  if (req.method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) return err(res, 403, 'forbidden', 'Missing or wrong CSRF token.');
  const perms = ROLES.find((r) => r.name === s.user.role).permissions;
  const need = (perm) => { if (!perms.includes(perm)) { err(res, 403, 'forbidden', `Your role (${ROLES.find((r) => r.name === s.user.role).title}) lacks ${perm}.`); return false; } return true; };

  if (p === '/session' && req.method === 'GET') return send(res, 200, sessionBody(s));
  if (p === '/session' && req.method === 'DELETE') { sessions.delete(s.sid); return send(res, 204, null, { 'Set-Cookie': 'sid=; Path=/; Max-Age=0' }); }
  if (p === '/search') {
    if (!need('party.read')) return;
    const q = (url.searchParams.get('q') ?? '').toLowerCase().trim();
    const words = q.split(/\s+/).filter(Boolean);
    const hits = parties.filter((x) => { const hay = `${x.display_name} ${subtitle(x)} ${x.emails.map((e) => e.address).join(' ')}`.toLowerCase(); return words.every((w) => hay.includes(w)); });
    return send(res, 200, { results: hits.slice(0, Number(url.searchParams.get('limit') ?? 20)).map((x) => ({ kind: 'party', id: x.id, title: x.display_name, subtitle: subtitle(x), score: 0.9 })) });
  }
  if (p === '/parties' && req.method === 'GET') {
    if (!need('party.read')) return;
    const page = Number(url.searchParams.get('page') ?? 1), size = Number(url.searchParams.get('page_size') ?? 50);
    return send(res, 200, { items: parties.slice((page - 1) * size, page * size), total: parties.length, page, page_size: size });
  }
  if (p === '/parties' && req.method === 'POST') {
    if (!need('party.write')) return;
    const v = validateParty(body); if (v) return err(res, 400, 'invalid_input', v[1], v[0]);
    const d = dupsOf(body);
    if (d.length && body.confirm_duplicates !== true) return err(res, 409, 'conflict', 'This customer may already exist.', '', { duplicates: d });
    return send(res, 201, addParty(body, s.user));
  }
  let m = /^\/parties\/(\d+)$/.exec(p);
  if (m) {
    if (!need('party.read')) return;
    const x = parties.find((y) => y.id === Number(m[1]));
    if (!x) return err(res, 404, 'not_found', 'No such customer.');
    if (req.method === 'GET') return send(res, 200, x);
    if (req.method === 'PATCH') {
      if (!need('party.write')) return;
      if (body.version !== x.version) return err(res, 409, 'conflict', 'This record was changed by someone else.');
      const v = validateParty(body); if (v) return err(res, 400, 'invalid_input', v[1], v[0]);
      const before = JSON.parse(JSON.stringify(x));
      const { version, confirm_duplicates, ...rest } = body; // eslint-disable-line no-unused-vars
      Object.assign(x, rest, { version: x.version + 1, updated_at: now() });
      x.display_name = displayName(x);
      log(s.user, 'party.update', 'party', x.id, before, x);
      return send(res, 200, x);
    }
  }
  if (p === '/roles') { if (!need('user.admin')) return; return send(res, 200, { items: ROLES }); }
  if (p === '/users' && req.method === 'GET') { if (!need('user.admin')) return; return send(res, 200, { items: users.map(publicUser) }); }
  if (p === '/users' && req.method === 'POST') {
    if (!need('user.admin')) return;
    if (users.some((u) => u.username === body.username)) return err(res, 409, 'conflict', 'That user name is taken.', 'username');
    if (!ROLES.some((r) => r.name === body.role)) return err(res, 400, 'invalid_input', 'Unknown role.', 'role');
    const u = { id: nextUserId++, username: body.username, display_name: body.display_name, role: body.role, disabled: false, locked: false, last_login_at: null, version: 1, password: body.password, failures: 0 };
    users.push(u); log(s.user, 'user.create', 'user', u.id, null, publicUser(u));
    return send(res, 201, publicUser(u));
  }
  m = /^\/users\/(\d+)(\/password)?$/.exec(p);
  if (m) {
    if (!need('user.admin')) return;
    const u = users.find((y) => y.id === Number(m[1]));
    if (!u) return err(res, 404, 'not_found', 'No such user.');
    if (m[2] && req.method === 'POST') {
      if ((body.password ?? '').length < 12) return err(res, 400, 'invalid_input', 'Passwords need at least 12 characters.', 'password');
      u.password = body.password; u.locked = false; u.failures = 0; u.version++; log(s.user, 'user.password_reset', 'user', u.id, null, null);
      return send(res, 204);
    }
    if (req.method === 'PATCH') {
      if (body.version !== u.version) return err(res, 409, 'conflict', 'Changed by someone else.');
      const before = publicUser(u);
      for (const k of ['display_name', 'role', 'disabled']) if (k in body) u[k] = body[k];
      u.version++; log(s.user, 'user.update', 'user', u.id, before, publicUser(u));
      return send(res, 200, publicUser(u));
    }
  }
  if (p === '/audit') {
    if (!need('audit.read')) return;
    const sp = url.searchParams;
    let rows = [...audit].reverse();
    if (sp.get('user')) rows = rows.filter((r) => r.username === sp.get('user'));
    if (sp.get('entity')) rows = rows.filter((r) => r.entity === sp.get('entity'));
    if (sp.get('entity_id')) rows = rows.filter((r) => r.entity_id === sp.get('entity_id'));
    if (sp.get('from')) rows = rows.filter((r) => r.at.slice(0, 10) >= sp.get('from'));
    if (sp.get('to')) rows = rows.filter((r) => r.at.slice(0, 10) <= sp.get('to'));
    const page = Number(sp.get('page') ?? 1), size = Number(sp.get('page_size') ?? 50);
    return send(res, 200, { items: rows.slice((page - 1) * size, page * size), total: rows.length });
  }
  return err(res, 404, 'not_found', `No API at ${req.method} ${p}`);
}

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.map': 'application/json', '.svg': 'image/svg+xml' };
http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname.startsWith('/api/')) {
    try { await api(req, res, url); } catch (e) { console.error(e); err(res, 500, 'internal', 'Mock server error'); }
    return;
  }
  let file = path.join(DIST, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(DIST, 'index.html');
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}).listen(PORT, '127.0.0.1', () => console.log(`mock civicdesk on http://127.0.0.1:${PORT}`));
