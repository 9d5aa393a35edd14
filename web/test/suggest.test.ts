import {test} from 'node:test';
import assert from 'node:assert/strict';
import {looksLikeStreet, suggestionGroups, suggestionStatus, wantsAddress} from '../src/search/suggest.ts';

test('addresses are searched for 3 to 200 characters that are not only digits', () => {
  assert.equal(wantsAddress('Am'), false);
  assert.equal(wantsAddress('  Ami  '), true);
  assert.equal(wantsAddress('80000'), false);
  assert.equal(wantsAddress('80 000'), false);
  assert.equal(wantsAddress('12 rue de la République'), true);
  assert.equal(wantsAddress('Éé è'), true);
  assert.equal(wantsAddress('x'.repeat(200)), true);
  assert.equal(wantsAddress('x'.repeat(201)), false);
});

test('groups: a flat list without addresses, then communes and addresses', () => {
  assert.deepEqual(suggestionGroups(4, 0), []);
  assert.deepEqual(suggestionGroups(0, 0), []);
  assert.deepEqual(suggestionGroups(0, 2), [{label: 'Adresses', start: 0, count: 2}]);
  assert.deepEqual(suggestionGroups(3, 2), [
    {label: 'Communes', start: 0, count: 3},
    {label: 'Adresses', start: 3, count: 2},
  ]);
});

test('the live region counts communes and addresses', () => {
  assert.equal(suggestionStatus(0, 0), 'Aucune commune ni adresse trouvée.');
  assert.equal(suggestionStatus(0, 0, false), 'Aucune commune trouvée.');
  assert.match(suggestionStatus(1, 0), /^1 commune proposée\. Flèches/);
  assert.match(suggestionStatus(0, 1), /^1 adresse proposée\./);
  assert.match(suggestionStatus(2, 1), /^2 communes et 1 adresse proposées\./);
});

test('places come after communes and addresses, in their own group', () => {
  assert.deepEqual(suggestionGroups(2, 0, 1), [
    {label: 'Communes', start: 0, count: 2},
    {label: 'Lieux', start: 2, count: 1},
  ]);
  assert.deepEqual(suggestionGroups(1, 2, 3).map((g) => [g.label, g.start]), [
    ['Communes', 0],
    ['Adresses', 1],
    ['Lieux', 3],
  ]);
  assert.match(suggestionStatus(2, 0, false, 1), /^2 communes et 1 lieu proposés\./);
  assert.match(suggestionStatus(0, 0, false, 1), /^1 lieu proposé\./);
  assert.match(suggestionStatus(1, 1, true, 2), /^1 commune, 1 adresse et 2 lieux proposés\./);
});

test('street addresses are recognised', () => {
  for (const q of ['12 rue de la Paix', 'rue Victor Hugo', '3 bis avenue Foch', 'place du Marché', '2 Amiens']) assert.equal(looksLikeStreet(q), true, q);
  for (const q of ['Amiens', '80000', 'Saint-Quentin', 'Ruelle', 'Boulogne-sur-Mer', 'médiathèque']) assert.equal(looksLikeStreet(q), false, q);
});
