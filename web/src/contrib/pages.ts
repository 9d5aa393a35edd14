// The contribution pages, a chunk loaded only on their paths:
// /contribuer (the form), /propositions/<token> (tracking) and
// /moderation.

import {byId} from '../dom.ts';
import {mountForm} from './form.ts';
import {mountModeration} from './moderation.ts';
import {mountTracking} from './suivi.ts';

/** The contribution page of a path, null when it is none. */
export function contribPageOf(path: string): 'contribuer' | 'suivi' | 'moderation' | null {
  const p = path.replace(/\/+$/, '');
  if (p === '/contribuer') return 'contribuer';
  if (p === '/moderation') return 'moderation';
  if (/^\/propositions\/[^/]+$/.test(p)) return 'suivi';
  return null;
}

export async function mountContribPage(): Promise<void> {
  const root = byId('page-contrib-corps');
  const page = contribPageOf(window.location.pathname);
  if (page === 'contribuer') await mountForm(root, new URLSearchParams(window.location.search));
  else if (page === 'suivi') await mountTracking(root, decodeURIComponent(window.location.pathname.replace(/\/+$/, '').split('/').pop() ?? ''));
  else await mountModeration(root);
}
