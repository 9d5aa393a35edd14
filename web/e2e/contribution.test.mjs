// End-to-end tests of contributions and moderation in a real Chromium
// against a running server (CARTONUM_URL) started by run-with-server.sh
// with --min-fill 0 and three accounts (moderators of the Somme and of the
// Nord, an administrator; password CARTONUM_E2E_PASSWORD).
//
// A resident adds a place in the Somme → the Somme's moderator accepts it
// → the place is on the map, in /api/sites and in the CSV export; a report
// "a fermé" accepted → the place is gone from /api/sites and in its
// history (then restored); the Nord's moderator gets 403 on a Somme
// proposal; moderation without a session is 401; a POST without the CSRF
// header is 403; script in a proposal stays inert; axe-core finds nothing
// on the form, the moderation page and a tracking page.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {audit, baseURL, launch, RESULTS} from './browser.mjs';

const url = baseURL();
const PASSWORD = process.env.CARTONUM_E2E_PASSWORD ?? 'e2e-mot-de-passe-2026';
const stamp = Date.now().toString(36);
const NAME = `Espace numérique e2e ${stamp}`;
const XSS_NAME = `<img src=x onerror="window.__xss=1">Lieu piège ${stamp}<script>window.__xss=2</script>`;
const XSS_COMMENT = `<script>window.__xss=3</script><img src=x onerror="window.__xss=4"> commentaire`;

let b;
let withWifi = false;
/** Shared between the tests, in order. */
const state = {tracking: '', addId: 0, placeId: '', reportPlace: '', reportPlaceName: '', reportTracking: '', xssId: 0, xssTracking: ''};

before(async () => {
  b = await launch();
});
after(async () => {
  await b?.close();
});

const shot = (page, name) => page.screenshot({path: join(RESULTS, name), fullPage: true});

/** A JSON call from Node (no browser cookies), with an optional session. */
async function api(method, path, {body, cookie, csrf} = {}) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie) headers.Cookie = cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(url + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  let json = null;
  const text = await res.text();
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return {status: res.status, json, headers: res.headers};
}

async function session(email) {
  const res = await fetch(url + '/api/session', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({email, password: PASSWORD})});
  assert.equal(res.status, 200, `login ${email}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const {csrf} = await res.json();
  return {cookie, csrf};
}

async function waitFor(fn, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Logs in on /moderation in the page (or finds the session open). */
async function moderatorLogin(page, email) {
  await page.goto(url + '/moderation');
  await page.waitForSelector('#se-connecter, #se-deconnecter');
  if (await page.locator('#se-deconnecter').count()) {
    if ((await page.textContent('#compte')).includes(email)) return;
    await page.click('#se-deconnecter');
    await page.waitForSelector('#se-connecter');
  }
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#se-connecter');
  await page.waitForSelector('#se-deconnecter');
  assert.match(await page.textContent('#compte'), new RegExp(email.replace('.', '\\.')));
}

/** Sends the contribution form, confirming after the check's repairs. */
async function sendForm(page) {
  for (let i = 0; i < 3; i++) {
    await page.click('#envoyer');
    await page.waitForSelector('#lien-suivi, #resume-erreurs .fr-alert', {timeout: 20000});
    if (await page.locator('#lien-suivi').count()) return page.getAttribute('#lien-suivi', 'href');
    const summary = await page.textContent('#resume-erreurs');
    if (!/Vérifiez ces corrections/.test(summary)) throw new Error(`form refused: ${summary}`);
  }
  throw new Error('form never sent');
}

test('the map offers "Ajouter un lieu", the form checks fields inline', async () => {
  const {page} = b;
  await page.goto(url + '/carte');
  await page.click('#ajouter-lieu');
  await page.waitForURL(/\/contribuer\?type=ajout/);
  await page.waitForSelector('form.formulaire');
  assert.equal((await page.textContent('#page-contrib h1')).trim(), 'Ajouter un lieu');
  assert.equal(await page.title(), 'Ajouter un lieu — Cartonum');
  // The honeypot is out of sight and out of the tab order.
  const trap = page.locator('input[name="site_internet"]');
  assert.equal(await trap.getAttribute('tabindex'), '-1');
  assert.equal(await trap.getAttribute('autocomplete'), 'off');
  assert.equal(await page.locator('.formulaire__piege').getAttribute('aria-hidden'), 'true');
  // Inline validation tied to the field.
  const tel = page.locator('input[name="telephone"]');
  await tel.fill('12');
  await tel.press('Tab');
  assert.equal(await tel.getAttribute('aria-invalid'), 'true');
  const described = (await tel.getAttribute('aria-describedby')).split(' ');
  const errId = described.find((id) => id.endsWith('-erreur'));
  assert.match(await page.textContent(`#${errId}`), /10 chiffres/);
  await tel.fill('03 22 12 34 56');
  await tel.press('Tab');
  assert.equal(await tel.getAttribute('aria-invalid'), null);
  // Sending an empty form lists the problems and moves the focus there.
  await page.click('#envoyer');
  await page.waitForSelector('#resume-erreurs .fr-alert--error');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'resume-erreurs');
  assert.match(await page.textContent('#resume-erreurs'), /Nom du lieu/);
  await audit(page, 'formulaire (erreurs)');
  // The server's check: a postcode of another commune is a warning shown
  // next to the field, and nothing is sent before a second confirmation.
  await page.fill('input[name="nom"]', 'Lieu vérifié');
  await page.fill('input[name="adresse"]', '12 rue de la République');
  await page.click('text=Utiliser : 12 Rue de la République 80000 Amiens');
  await page.fill('input[name="code_postal"]', '59000');
  await page.click('#envoyer');
  await page.waitForSelector('#resume-erreurs .fr-alert--warning');
  assert.match(await page.textContent('#resume-erreurs'), /Vérifiez ces corrections/);
  const cp = page.locator('input[name="code_postal"]');
  const warnId = (await cp.getAttribute('aria-describedby')).split(' ').find((id) => id.endsWith('-avertissement'));
  assert.match(await page.textContent(`#${warnId}`), /code postal 59000/);
  assert.equal(await page.textContent('#envoyer'), 'Envoyer la proposition');
  assert.equal(await page.locator('#lien-suivi').count(), 0);
});

test('a resident proposes a new place in the Somme and gets a tracking link', async () => {
  const {page} = b;
  await page.goto(url + '/contribuer?type=ajout');
  await page.waitForSelector('form.formulaire');
  await page.fill('input[name="nom"]', NAME);
  await page.fill('textarea[name="presentation_resume"]', 'Aide aux démarches et accès libre à internet.');
  // The address through the geocoder's suggestion places the pin.
  await page.fill('input[name="adresse"]', '12 rue de la République');
  await page.click('text=Utiliser : 12 Rue de la République 80000 Amiens');
  assert.equal(await page.inputValue('input[name="code_postal"]'), '80000');
  assert.equal(await page.inputValue('input[name="commune"]'), 'Amiens');
  assert.match(await page.textContent('#position-texte'), /latitude 49\.89/);
  // Hours: Monday 09:00-12:00 and 14:00-17:00, copied to Friday; public holidays closed.
  const monday = page.locator('[data-jour="jour-0"]');
  await monday.locator('[data-action="ajouter"]').click();
  await monday.locator('[data-action="ajouter"]').click();
  const times = monday.locator('input[type="time"]');
  await times.nth(2).fill('14:00');
  await times.nth(3).fill('17:00');
  await times.nth(3).dispatchEvent('change');
  await page.click('text=Appliquer les horaires du lundi du mardi au vendredi');
  await page.check('text=Fermé les jours fériés');
  assert.equal((await page.textContent('.horaires-editeur__resultat')).trim(), 'Mo-Fr 09:00-12:00,14:00-17:00; PH off');
  await page.check('label:has-text("Aide aux démarches administratives")');
  await page.check('label:has-text("Accès internet et matériel informatique")');
  withWifi = (await page.locator('label:has-text("Wifi")').count()) > 0;
  if (withWifi) await page.check('label:has-text("Wifi")');
  await page.fill('input[name="telephone"]', '03 22 12 34 56');
  await page.fill('input[name="courriels"]', 'contact@example.fr');
  await page.fill('input[name="site_web"]', 'https://www.example.fr');
  await page.fill('input[name="courriel"]', 'habitant@example.fr');
  await audit(page, 'formulaire');
  await shot(page, 'contribution-01-formulaire.png');
  const link = await sendForm(page);
  assert.match(link, /^\/propositions\/[A-Za-z0-9_-]+$/);
  state.tracking = link;
  await page.goto(url + link);
  await page.waitForSelector('[data-statut]');
  assert.equal(await page.getAttribute('[data-statut]', 'data-statut'), 'en_attente');
  assert.match(await page.textContent('main'), new RegExp(NAME));
  assert.doesNotMatch(await page.textContent('main'), /habitant@example\.fr/);
  await audit(page, 'suivi');
  // The e-mail is never in the public answer.
  const pub = await api('GET', '/api' + link);
  assert.equal(pub.status, 200);
  assert.doesNotMatch(JSON.stringify(pub.json), /habitant@example\.fr/);
  state.addId = pub.json.id;
});

test('moderation needs a session (401) and the CSRF header on writes (403)', async () => {
  const anon = await api('GET', '/api/moderation/propositions');
  assert.equal(anon.status, 401);
  const {cookie, csrf} = await session('moderateur80@example.fr');
  const ok = await api('GET', '/api/moderation/propositions', {cookie});
  assert.equal(ok.status, 200);
  const noCsrf = await api('POST', `/api/moderation/propositions/${state.addId}/refuser`, {cookie, body: {motif: 'essai'}});
  assert.equal(noCsrf.status, 403);
  const badCsrf = await api('POST', `/api/moderation/propositions/${state.addId}/refuser`, {cookie, csrf: csrf + 'x', body: {motif: 'essai'}});
  assert.equal(badCsrf.status, 403);
  // Still pending.
  const st = await api('GET', '/api' + state.tracking);
  assert.equal(st.json.statut, 'en_attente');
});

test('the moderator of the Nord gets 403 on a Somme proposal', async () => {
  const {cookie, csrf} = await session('moderateur59@example.fr');
  const detail = await api('GET', `/api/moderation/propositions/${state.addId}`, {cookie});
  assert.equal(detail.status, 403);
  const acceptRes = await api('POST', `/api/moderation/propositions/${state.addId}/accepter`, {cookie, csrf, body: {}});
  assert.equal(acceptRes.status, 403);
  // In the page too.
  const {page} = b;
  await moderatorLogin(page, 'moderateur59@example.fr');
  await page.goto(url + `/moderation?proposition=${state.addId}`);
  await page.waitForSelector('#detail-erreur');
  assert.match(await page.textContent('#detail-erreur'), /hors de votre territoire/);
  await page.click('#se-deconnecter');
  await page.waitForSelector('#se-connecter');
  const scoped = await api('GET', '/api/moderation/propositions?departement=80', {cookie});
  assert.equal(scoped.status, 403);
  const list = await api('GET', '/api/moderation/propositions', {cookie});
  assert.equal(list.status, 200);
  assert.ok(!list.json.propositions.some((p) => p.id === state.addId), 'a Somme proposal in the Nord queue');
});

test('the moderator of the Somme accepts the new place: on the map, in /api/sites and in the export', async () => {
  const {page} = b;
  await moderatorLogin(page, 'moderateur80@example.fr');
  const row = page.locator(`#file-table tr[data-id="${state.addId}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(NAME));
  await row.locator('button').click();
  await page.waitForSelector('#detail .diff table');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-titre');
  assert.match(await page.textContent('#detail .diff'), new RegExp(NAME));
  assert.match(await page.textContent('#detail'), /habitant@example\.fr/);
  await audit(page, 'modération (détail)');
  await shot(page, 'contribution-02-moderation.png');
  await page.click('#accepter');
  await page.waitForSelector('#decision-message .fr-alert--success');
  // Tracking page: accepted, with the place's link.
  const st = await waitFor(async () => {
    const r = await api('GET', '/api' + state.tracking);
    return r.json.statut === 'acceptee' && r.json.resultat ? r.json : null;
  }, 'accepted status');
  state.placeId = st.resultat;
  await page.goto(url + state.tracking);
  await page.waitForSelector('#lien-lieu');
  assert.equal(await page.getAttribute('[data-statut]', 'data-statut'), 'acceptee');
  // Live within seconds.
  const found = await waitFor(async () => {
    const r = await api('GET', `/api/sites?q=${encodeURIComponent(stamp)}`);
    return r.status === 200 && r.json.features.find((f) => f.properties.nom === NAME);
  }, 'place in /api/sites');
  assert.equal(found.id, state.placeId);
  const csv = await waitFor(async () => {
    const r = await fetch(url + '/api/export/sites.csv');
    const t = await r.text();
    return t.includes(NAME) ? t : null;
  }, 'place in the CSV export');
  assert.ok(csv.split('\n')[0].includes('equipements'), 'extra columns in the export');
  // On the public map: the sheet from the tracking link, and the list of Amiens.
  await page.click('#lien-lieu');
  await page.waitForSelector(`#fiche-titre:has-text("${NAME}")`, {timeout: 30000});
  assert.equal(await page.locator('#proposer-modification').count(), 1);
  assert.equal(await page.locator('#signaler-probleme').count(), 1);
  // Equipment and qualifications on the sheet.
  if (withWifi) assert.match(await page.textContent('#fiche'), /Équipements en accès libre\s*Wifi/);
  // Updated today: no freshness notice.
  assert.match(await page.textContent('#fiche'), /Mis à jour le/);
  assert.equal(await page.locator('#fiche-ancienne').count(), 0);
  await page.goto(url + `/carte?autour=49.8922,2.29751&rayon=2`);
  await page.waitForSelector(`#resultats li:has-text("${NAME}")`, {timeout: 30000});
});

test('a modification from the sheet, edited then accepted; a late second decision gets the conflict message', async () => {
  const {page} = b;
  await page.goto(url + `/carte?lieu=${encodeURIComponent(state.placeId)}`);
  await page.waitForSelector('#proposer-modification');
  await page.click('#proposer-modification');
  await page.waitForURL(/type=modification/);
  await page.waitForSelector('form.formulaire');
  assert.equal(await page.inputValue('input[name="nom"]'), NAME);
  assert.match(await page.textContent('.horaires-editeur__resultat'), /Mo-Fr 09:00-12:00,14:00-17:00; PH off/);
  await page.fill('input[name="telephone"]', '03 22 99 88 77');
  await page.locator('[data-jour="jour-5"] [data-action="ajouter"]').click();
  assert.match(await page.textContent('.horaires-editeur__resultat'), /Sa 09:00-12:00/);
  const link = await sendForm(page);
  const pub = await api('GET', '/api' + link);
  assert.equal(pub.json.type, 'modification');

  await moderatorLogin(page, 'moderateur80@example.fr');
  const row = page.locator(`#file-table tr[data-id="${pub.json.id}"]`);
  await row.waitFor();
  await row.locator('button').click();
  await page.waitForSelector('#detail .diff tr[data-champ="telephone"]');
  assert.match(await page.textContent('#detail .diff tr[data-champ="horaires"]'), /Sa 09:00-12:00/);
  assert.equal(await page.locator('#detail .diff tr[data-champ="nom"]').count(), 0, 'unchanged fields are not proposed');
  await page.click('#modifier-accepter');
  const tel = page.locator('#edition input[name="telephone"]');
  await tel.waitFor();
  await tel.fill('03 22 11 11 11');
  await page.click('#accepter-modifie');
  await page.waitForSelector('#decision-message .fr-alert--success');
  await waitFor(async () => {
    const r = await api('GET', `/api/sites/${encodeURIComponent(state.placeId)}`);
    return r.json.properties?.telephone === '+33322111111' && /Sa 09:00-12:00/.test(r.json.properties.horaires) ? r : null;
  }, 'edited values live');

  // Another moderator decides first: the page says so.
  const form = await api('GET', '/api/propositions/formulaire');
  const second = await api('POST', '/api/propositions', {body: {type: 'modification', lieu: state.placeId, champs: {telephone: '03 22 00 00 00'}, jeton: form.json.jeton, site_internet: ''}});
  assert.equal(second.status, 201, JSON.stringify(second.json));
  await page.goto(url + '/moderation');
  const row2 = page.locator(`#file-table tr[data-id="${second.json.id}"]`);
  await row2.waitFor();
  await row2.locator('button').click();
  await page.waitForSelector('#accepter');
  const admin = await session('admin@example.fr');
  assert.equal((await api('POST', `/api/moderation/propositions/${second.json.id}/refuser`, {...admin, body: {motif: 'Numéro non vérifié'}})).status, 200);
  await page.click('#accepter');
  await page.waitForSelector('#decision-message .fr-alert--error');
  assert.match(await page.textContent('#decision-message'), /Un autre modérateur a déjà traité cette proposition/);
});

test('a report "a fermé" accepted: the place leaves /api/sites and stays in its history; restored', async () => {
  const {page} = b;
  const list = await api('GET', '/api/sites?commune=80021&limit=50');
  const target = list.json.features.find((f) => f.id !== state.placeId);
  assert.ok(target, 'a place in Amiens');
  state.reportPlace = target.id;
  state.reportPlaceName = target.properties.nom;
  await page.goto(url + `/carte?lieu=${encodeURIComponent(target.id)}`);
  await page.waitForSelector('#signaler-probleme');
  // A record older than twelve months carries a visible notice.
  const detail = await api('GET', `/api/sites/${encodeURIComponent(target.id)}`);
  const old = Date.parse(detail.json.properties.date_maj) < Date.now() - 366 * 86400000;
  assert.equal(await page.locator('#fiche-ancienne').count(), old ? 1 : 0, `date_maj ${detail.json.properties.date_maj}`);
  await page.click('#signaler-probleme');
  await page.waitForURL(/type=signalement/);
  await page.waitForSelector('form.formulaire');
  await page.check('label:has-text("Le lieu a fermé")');
  await page.fill('textarea[name="commentaire"]', 'Fermé depuis le mois dernier, panneau sur la porte.');
  state.reportTracking = await sendForm(page);
  const pub = await api('GET', '/api' + state.reportTracking);
  assert.equal(pub.json.type, 'signalement');

  await moderatorLogin(page, 'moderateur80@example.fr');
  await page.selectOption('#filtre-type', 'signalement');
  await page.click('.moderation__filtres button[type="submit"]');
  const row = page.locator(`#file-table tr[data-id="${pub.json.id}"]`);
  await row.waitFor();
  await row.locator('button').click();
  await page.waitForSelector('#accepter');
  assert.match(await page.textContent('#detail'), /Le lieu a fermé/);
  await page.click('#accepter');
  await page.waitForSelector('#decision-message .fr-alert--success');
  await waitFor(async () => (await api('GET', `/api/sites/${encodeURIComponent(target.id)}`)).status === 404, 'closed place gone');
  const again = await api('GET', '/api/sites?commune=80021&limit=1000');
  assert.ok(!again.json.features.some((f) => f.id === target.id));
  const hist = await api('GET', `/api/sites/${encodeURIComponent(target.id)}/historique`);
  assert.equal(hist.status, 200);
  assert.ok(hist.json.some((e) => e.action === 'fermeture'), JSON.stringify(hist.json));
  assert.ok(!JSON.stringify(hist.json).includes('moderateur80@example.fr'), 'moderator e-mail in a public history');
  // The closed places list offers "Restaurer".
  await page.goto(url + '/moderation');
  const closed = page.locator(`#fermes li[data-id="${target.id}"]`);
  await closed.waitFor();
  await closed.locator('button:has-text("Historique")').click();
  await page.waitForSelector('#historique-resultat li[data-action="fermeture"]');
  await closed.locator('button:has-text("Restaurer")').click();
  await closed.locator('text=Lieu restauré').waitFor();
  await waitFor(async () => (await api('GET', `/api/sites/${encodeURIComponent(target.id)}`)).status === 200, 'restored place back');
  // "Confirmer ces informations" refreshes date_maj.
  await page.click('#historique-resultat button:has-text("Confirmer ces informations")');
  await page.waitForSelector('#historique-resultat .fr-alert--success');
  const today = new Intl.DateTimeFormat('en-CA', {timeZone: 'Europe/Paris'}).format(new Date());
  await waitFor(async () => (await api('GET', `/api/sites/${encodeURIComponent(target.id)}`)).json.properties?.date_maj === today, 'date_maj refreshed');
});

test('script in a proposal stays inert on the tracking page, the queue and the detail', async () => {
  const {page} = b;
  const form = await api('GET', '/api/propositions/formulaire');
  assert.equal(form.status, 200);
  const res = await api('POST', '/api/propositions', {
    body: {
      type: 'ajout',
      champs: {nom: XSS_NAME, adresse: '12 rue de la République', code_postal: '80000', commune: 'Amiens', latitude: '49.8922', longitude: '2.29751', services: ['Aide aux démarches administratives']},
      commentaire: XSS_COMMENT,
      jeton: form.json.jeton,
      site_internet: '',
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  state.xssId = res.json.id;
  state.xssTracking = res.json.suivi;
  await page.addInitScript(() => {
    window.__xss = 0;
  });
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  const inert = async (where) => {
    assert.equal(await page.evaluate(() => window.__xss), 0, `${where}: a script ran`);
    assert.equal(await page.locator('#page-contrib-corps script, #page-contrib-corps img[src="x"]').count(), 0, `${where}: markup from the data`);
  };
  await page.goto(url + state.xssTracking);
  await page.waitForSelector('[data-statut]');
  assert.match(await page.textContent('main'), /<img src=x/);
  await inert('suivi');

  await moderatorLogin(page, 'moderateur80@example.fr');
  const row = page.locator(`#file-table tr[data-id="${state.xssId}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /<script>/);
  await inert('file');
  await row.locator('button').click();
  await page.waitForSelector('#detail .diff table');
  assert.match(await page.textContent('#detail'), /window\.__xss=3/);
  await inert('détail');
  await audit(page, 'modération (détail piégé)');
  // Refused with a reason, shown on the tracking page.
  await page.click('#refuser');
  await page.click('#confirmer-refus');
  assert.match(await page.textContent('#refus'), /Indiquez la raison/);
  await page.fill('#refus textarea', 'Doublon de test');
  await page.click('#confirmer-refus');
  await page.waitForSelector('#decision-message .fr-alert--success');
  // A second decision: the conflict message.
  const {cookie, csrf} = await session('moderateur80@example.fr');
  const twice = await api('POST', `/api/moderation/propositions/${state.xssId}/accepter`, {cookie, csrf, body: {}});
  assert.equal(twice.status, 409);
  await page.goto(url + state.xssTracking);
  await page.waitForSelector('[data-statut="refusee"]');
  assert.match(await page.textContent('main'), /Doublon de test/);
  await inert('suivi refusé');
  assert.equal(dialogs, 0);
});

test('axe finds nothing on the moderation queue (logged in) and the report form', async () => {
  const {page} = b;
  await moderatorLogin(page, 'admin@example.fr');
  await page.waitForSelector('#file-liste:not([aria-busy])');
  await audit(page, 'modération (file)');
  await page.click('#se-deconnecter');
  await page.waitForSelector('#se-connecter');
  await audit(page, 'modération (connexion)');
  await page.goto(url + `/contribuer?type=signalement&lieu=${encodeURIComponent(state.placeId)}`);
  await page.waitForSelector('form.formulaire');
  await audit(page, 'signalement');
  await page.goto(url + `/contribuer?type=modification&lieu=${encodeURIComponent(state.placeId)}`);
  await page.waitForSelector('form.formulaire');
  assert.equal(await page.inputValue('input[name="nom"]'), NAME);
  await audit(page, 'modification');
});
