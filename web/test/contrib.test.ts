import {test} from 'node:test';
import assert from 'node:assert/strict';
import {computeDifferences, diffRows, isOlderThanAYear, valueLines} from '../src/contrib/diff.ts';
import {buildChamps, checkField, labelOf} from '../src/contrib/fields.ts';

test('diff rows: labels, kinds, lists as lines, script kept as plain text', () => {
  const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  const rows = diffRows([
    {champ: 'nom', avant: 'Médiathèque', apres: evil},
    {champ: 'services', avant: ['Aide aux démarches administratives'], apres: ['Aide aux démarches administratives', 'Utilisation sécurisée du numérique']},
    {champ: 'telephone', avant: null, apres: '+33322000000'},
    {champ: 'site_web', avant: ['https://a.fr'], apres: []},
    {champ: 'champ_inconnu', avant: '', apres: 'x'},
  ]);
  assert.deepEqual(
    rows.map((r) => [r.label, r.kind]),
    [
      ['Nom du lieu', 'modification'],
      ['Services proposés', 'modification'],
      ['Téléphone', 'ajout'],
      ['Site web', 'suppression'],
      ['champ_inconnu', 'ajout'],
    ],
  );
  assert.deepEqual(rows[0]!.apres, [evil]);
  assert.deepEqual(rows[1]!.apres, ['Aide aux démarches administratives', 'Utilisation sécurisée du numérique']);
  assert.deepEqual(rows[3]!.apres, []);
  assert.deepEqual(valueLines(12.5), ['12.5']);
  assert.deepEqual(valueLines('  '), []);
});

test('differences computed from two records leave bookkeeping fields out', () => {
  const d = computeDifferences(
    {id: 'a', nom: 'A', services: ['x'], date_maj: '2022-01-01', horaires: 'Mo 09:00-12:00'},
    {id: 'a', nom: 'B', services: ['x'], date_maj: '2026-01-01', horaires: 'Mo 09:00-12:00', telephone: '0322'},
  );
  assert.deepEqual(d, [
    {champ: 'nom', avant: 'A', apres: 'B'},
    {champ: 'telephone', avant: null, apres: '0322'},
  ]);
  assert.equal(computeDifferences(null, {nom: 'N'}).length, 1);
});

test('a place is flagged as old after twelve months', () => {
  const now = new Date('2026-12-03T10:00:00Z');
  assert.equal(isOlderThanAYear('2022-07-26', now), true);
  assert.equal(isOlderThanAYear('2025-12-02', now), true);
  assert.equal(isOlderThanAYear('2025-12-04', now), false);
  assert.equal(isOlderThanAYear('', now), false);
  assert.equal(isOlderThanAYear('pas une date', now), false);
});

test('inline checks of contacts as at import', () => {
  const tel = {name: 'telephone', kind: 'tel' as const, hint: ''};
  assert.equal(checkField(tel, '03 22 12 34 56'), null);
  assert.equal(checkField(tel, '+33322123456'), null);
  assert.match(checkField(tel, '12345') ?? '', /10 chiffres/);
  const mail = {name: 'courriels', kind: 'email' as const, hint: ''};
  assert.equal(checkField(mail, 'contact@mediatheque.fr'), null);
  assert.notEqual(checkField(mail, 'contact@'), null);
  const url = {name: 'site_web', kind: 'url' as const, hint: ''};
  assert.equal(checkField(url, 'https://www.mediatheque.fr'), null);
  assert.equal(checkField(url, 'www.mediatheque.fr'), null);
  assert.notEqual(checkField(url, 'javascript:alert(1)'), null);
  assert.notEqual(checkField({name: 'code_postal', kind: 'postcode', hint: ''}, '8000'), null);
  assert.match(checkField({name: 'nom', kind: 'text', hint: '', required: true}, '  ') ?? '', /nom du lieu/);
  assert.equal(checkField({name: 'nom', kind: 'text', hint: ''}, ''), null);
  assert.equal(labelOf('equipements'), 'Équipements en accès libre');
});

test('champs: every filled field for an ajout, only changes for a modification', () => {
  const lists = new Set(['courriels', 'site_web']);
  const values = {nom: ' Lieu ', adresse: '', services: ['b', 'a'], courriels: 'a@b.fr', site_web: '', horaires: 'Mo 09:00-12:00'};
  assert.deepEqual(buildChamps(values, null, lists), {nom: 'Lieu', services: ['b', 'a'], courriels: ['a@b.fr'], horaires: 'Mo 09:00-12:00'});
  const initial = {nom: 'Lieu', adresse: '1 rue', services: ['a', 'b'], courriels: ['a@b.fr'], site_web: 'https://x.fr', horaires: 'Mo 09:00-12:00'};
  assert.deepEqual(buildChamps(values, initial, lists), {adresse: '', site_web: []});
});

test('moderation errors in French: conflict, territory, session', async () => {
  const {ContribError, moderationError} = await import('../src/contrib/client.ts');
  assert.equal(moderationError(new ContribError('x', 409)), 'Un autre modérateur a déjà traité cette proposition.');
  assert.match(moderationError(new ContribError('accès refusé', 403)), /hors de votre territoire/);
  assert.match(moderationError(new ContribError('connexion requise', 401)), /reconnectez-vous/);
  assert.match(moderationError(new Error('réseau')), /ne répond pas/);
});
