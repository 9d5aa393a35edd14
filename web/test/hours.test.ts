import {test} from 'node:test';
import assert from 'node:assert/strict';
import {describeDay, isStale, parisDay, readable, weekComments} from '../src/hours.ts';
import type {ComputedHours} from '../src/api.ts';

const day = (jour: string, plages: string[], commentaires?: string[]) => (commentaires ? {jour, plages, commentaires} : {jour, plages});

const usual: ComputedHours = {
  valide: true,
  ouvert: true,
  prochain_changement: '2026-04-03T12:00:00+02:00',
  libelle: "Ouvert jusqu'à 12:00",
  semaine: [
    day('lundi', ['09:00-12:00', '14:00-18:00']),
    day('mardi', ['09:00-12:00']),
    day('mercredi', []),
    day('jeudi', ['00:00-24:00']),
    day('vendredi', ['20:00-24:00']),
    day('samedi', ['00:00-02:00', '10:00-12:00'], ['sur rendez-vous']),
    day('dimanche', [], ['sur rendez-vous']),
  ],
};

test('days of the computed week', () => {
  assert.equal(describeDay(usual.semaine[0]), '09:00 – 12:00, 14:00 – 18:00');
  assert.equal(describeDay(usual.semaine[2]), 'Fermé');
  assert.equal(describeDay(usual.semaine[3]), 'Ouvert 24 h sur 24');
  assert.equal(describeDay(usual.semaine[4]), '20:00 – 24:00');
  assert.equal(describeDay(undefined), 'Fermé');
  assert.deepEqual(weekComments(usual), ['sur rendez-vous']);
});

test('readable hours only', () => {
  assert.equal(readable(usual), usual);
  assert.equal(readable(undefined), null);
  assert.equal(readable({valide: false, ouvert: false, prochain_changement: null, libelle: '', semaine: []}), null);
});

test('a state goes stale when its change comes', () => {
  assert.ok(!isStale(usual, new Date('2026-04-03T09:59:00Z')));
  assert.ok(isStale(usual, new Date('2026-04-03T10:00:00Z')), '12:00 in Paris is 10:00 UTC in summer');
  assert.ok(!isStale({...usual, prochain_changement: null}, new Date('2030-01-01T00:00:00Z')));
  assert.ok(!isStale(undefined, new Date()));
});

test('today in France, whatever the browser zone', () => {
  assert.equal(parisDay(new Date('2026-04-05T22:30:00Z')), 0, 'Sunday 22:30 UTC is Monday 00:30 in Paris');
  assert.equal(parisDay(new Date('2026-04-05T21:30:00Z')), 6);
  assert.equal(parisDay(new Date('2026-12-31T23:30:00Z')), 4, 'Friday 1 January 2027 00:30');
});
