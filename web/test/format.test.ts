import {test} from 'node:test';
import assert from 'node:assert/strict';
import {formatDistance, formatPhone, formatDate, safeHttpUrl, safeEmail, telHref, haversine, plainText, plural} from '../src/format.ts';

const nb = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

test('distances', () => {
  assert.equal(nb(formatDistance(0)), '10 m');
  assert.equal(nb(formatDistance(4)), '10 m');
  assert.equal(nb(formatDistance(847)), '850 m');
  assert.equal(nb(formatDistance(994)), '990 m');
  assert.equal(nb(formatDistance(995)), '1,0 km');
  assert.equal(nb(formatDistance(3449)), '3,4 km');
  assert.equal(nb(formatDistance(9949)), '9,9 km');
  assert.equal(nb(formatDistance(9950)), '10 km');
  assert.equal(nb(formatDistance(20227)), '20 km');
  assert.equal(formatDistance(NaN), '');
  assert.equal(formatDistance(-1), '');
});

test('phones, dates, counts', () => {
  assert.equal(nb(formatPhone('+33322447504')), '03 22 44 75 04');
  assert.equal(formatPhone('+262262000000'), '+262262000000');
  assert.equal(formatDate('2022-07-26'), '26 juillet 2022');
  assert.equal(formatDate('26/07/2022'), '26/07/2022');
  assert.equal(nb(plural(1, 'lieu', 'lieux')), '1 lieu');
  assert.equal(nb(plural(1234, 'lieu', 'lieux')), '1 234 lieux');
});

test('only http(s) URLs, plausible e-mails and phone numbers become links', () => {
  assert.equal(safeHttpUrl('https://example.org/a?b=1'), 'https://example.org/a?b=1');
  assert.equal(safeHttpUrl('http://example.org'), 'http://example.org/');
  assert.equal(safeHttpUrl('javascript:alert(1)'), null);
  assert.equal(safeHttpUrl('data:text/html,x'), null);
  assert.equal(safeHttpUrl('example.org'), null);
  assert.equal(safeHttpUrl(''), null);
  assert.equal(safeEmail('a.b@example.org'), 'a.b@example.org');
  assert.equal(safeEmail('a@b'), null);
  assert.equal(safeEmail('x@y.fr?subject=<script>'), null);
  assert.equal(telHref('+33322447504'), 'tel:+33322447504');
  assert.equal(telHref('03 22 44 75 04'), 'tel:0322447504');
  assert.equal(telHref('javascript:1'), null);
});

test('haversine and plain text', () => {
  const d = haversine([2.2899, 49.9004], [2.3522, 48.8566]); // Amiens–Paris
  assert.ok(Math.abs(d - 116_000) < 2000, String(d));
  assert.equal(plainText('Lundi<br />Mardi <b>9h</b>&nbsp;'), 'Lundi\nMardi 9h');
});

import {hasOnlineBooking, matchesClientFilters} from '../src/filters/predicate.ts';
import {emptyFilters, siteParams} from '../src/urlstate.ts';
import type {PlaceSummary} from '../src/api.ts';

test('filters: open now asked of the server, online booking in the browser', () => {
  const base: PlaceSummary = {
    id: '1', nom: 'Lieu', adresse: '1 rue', code_postal: '80000', commune: 'Amiens', services: [],
    dispositif_programmes_nationaux: [], publics_specifiquement_adresses: [], prise_en_charge_specifique: [],
    frais_a_charge: [], modalites_acces: [], modalites_accompagnement: [], precision: 'exact',
    horaires: 'Mo-Fr 09:00-12:00',
  };
  const f = emptyFilters();
  assert.ok(matchesClientFilters(base, f));
  assert.equal(siteParams(f).toString(), '');
  f.ouvert = true;
  assert.ok(matchesClientFilters(base, f), 'open now is not decided in the browser');
  assert.equal(siteParams(f).get('ouvert'), 'maintenant');
  f.ouvert = false;
  f.rdv = true;
  assert.ok(!matchesClientFilters(base, f));
  assert.ok(matchesClientFilters({...base, prise_rdv: 'https://rdv.example.org'}, f));
  assert.equal(siteParams(f).toString(), '', 'online booking is not an API parameter');
  assert.ok(hasOnlineBooking({prise_rdv: 'https://rdv.example.org'}));
  assert.ok(!hasOnlineBooking({prise_rdv: 'javascript:alert(1)'}));
  assert.ok(hasOnlineBooking({modalites_acces: ['Prendre un RDV en ligne']}));
});
