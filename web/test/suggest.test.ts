import {test} from 'node:test';
import assert from 'node:assert/strict';
import {suggestionGroups, suggestionStatus, wantsAddress} from '../src/search/suggest.ts';

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
