import {test} from 'node:test';
import assert from 'node:assert/strict';
import {decodeState, emptyState, encodeState, facetParams, countFilters} from '../src/urlstate.ts';

test('empty state encodes to an empty query', () => {
  assert.equal(encodeState(emptyState()), '');
  assert.deepEqual(decodeState(''), emptyState());
});

test('round trip of a full state', () => {
  const s = emptyState();
  s.view = {zoom: 12.5, lat: 49.90041, lon: 2.28986};
  s.commune = '80021';
  s.rayon = 20;
  s.lieu = 'a b/c&d,e+f%';
  s.filters.publics = ['Familles et/ou enfants'];
  s.filters.dispositifs = ['France Services', 'Conseillers numériques'];
  s.filters.services = ['Aide aux démarches administratives'];
  s.filters.modalites_acces = ["Ce lieu n'accueille pas de public"];
  s.filters.ouvert = true;
  s.filters.rdv = true;
  const q = encodeState(s);
  assert.deepEqual(decodeState(q), s);
  assert.equal(encodeState(decodeState(q)), q);
  assert.match(q, /^vue=12\.5\/49\.90041\/2\.28986&commune=80021&rayon=20&lieu=a\+b\/c%26d,e%2Bf%25&services=/);
  assert.equal(countFilters(s.filters), 7);
  assert.match(q, /&publics=Familles\+et\/ou\+enfants/);
});

test('autour is rounded and dropped when a commune is chosen', () => {
  const s = emptyState();
  s.autour = [2.2898765, 49.9004321];
  const q = encodeState(s);
  assert.equal(q, 'autour=49.9,2.29');
  assert.deepEqual(decodeState(q).autour, [2.29, 49.9]);
  assert.equal(decodeState('autour=49.9,2.29&commune=80021').autour, null);
});

test('a chosen address keeps its label and a precise point', () => {
  const s = emptyState();
  s.autour = [2.2975123, 49.8921987];
  s.adresse = '12 Rue de la République 80000 Amiens';
  const q = encodeState(s);
  assert.equal(q, 'autour=49.8922,2.29751&adresse=12+Rue+de+la+R%C3%A9publique+80000+Amiens');
  const d = decodeState(q);
  assert.deepEqual(d.autour, [2.29751, 49.8922]);
  assert.equal(d.adresse, '12 Rue de la République 80000 Amiens');
  assert.equal(encodeState(d), q);
  // Without a point the label means nothing; a commune wins over both.
  assert.equal(decodeState('adresse=12+rue').adresse, null);
  assert.equal(decodeState('commune=80021&autour=49.9,2.29&adresse=x').adresse, null);
  assert.equal(decodeState('autour=49.9,2.29&adresse=' + 'x'.repeat(201)).adresse, null);
  const c = {...s, commune: '80021'};
  assert.equal(encodeState(c), 'commune=80021');
});

test('values are kept in vocabulary order whatever the URL order', () => {
  const a = decodeState('dispositifs=Conseillers+num%C3%A9riques&dispositifs=France+Services');
  const b = decodeState('dispositifs=France+Services|Conseillers+num%C3%A9riques');
  assert.deepEqual(a.filters.dispositifs, ['France Services', 'Conseillers numériques']);
  assert.equal(encodeState(a), encodeState(b));
});

test('invalid parts are ignored', () => {
  const s = decodeState('vue=abc&commune=123&rayon=7&services=Inconnu&ouvert=yes&lieu=' + 'x'.repeat(300));
  assert.deepEqual(s, emptyState());
  assert.equal(decodeState('vue=30/10/10').view, null);
  assert.equal(decodeState('vue=8/95/10').view, null);
  assert.equal(decodeState('commune=2a004').commune, '2A004');
});

test('facet parameters for the API', () => {
  const s = emptyState();
  s.filters.frais = ['Gratuit'];
  s.filters.ouvert = true;
  assert.equal(facetParams(s.filters).toString(), 'frais=Gratuit');
});
