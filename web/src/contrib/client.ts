// The contribution and moderation API (see notes: HTTP contract of issue
// 10). The moderator's CSRF token is kept in memory only (this module) and
// sent as X-CSRF-Token with every POST and DELETE.

/** One problem of a field, as the API lists them. */
export interface FieldProblem {
  champ: string;
  message: string;
}

/** An API error: status, French message and, for a 400 on a proposal,
 * each field's problem. */
export class ContribError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly champs: FieldProblem[] = [],
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** The message of a failed moderation call, in French. */
export function moderationError(e: unknown): string {
  if (e instanceof ContribError) {
    if (e.status === 409) return 'Un autre modérateur a déjà traité cette proposition.';
    if (e.status === 403) return `Action refusée : cette proposition ou ce lieu est hors de votre territoire (${e.message}).`;
    if (e.status === 401) return 'Votre session a expiré : reconnectez-vous.';
    if (e.status === 404) return 'Introuvable : la proposition ou le lieu n’existe pas.';
    return e.message;
  }
  return 'Le serveur ne répond pas : réessayez.';
}

let csrf: string | null = null;

/** Sets the CSRF token of the session (null when logged out). */
export function setCsrf(token: string | null): void {
  csrf = token;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(url, {method, headers, credentials: 'same-origin', ...(body !== undefined ? {body: JSON.stringify(body)} : {})});
  if (!res.ok) {
    let msg = `erreur ${res.status}`;
    let champs: FieldProblem[] = [];
    try {
      const b = (await res.json()) as {error?: string; champs?: FieldProblem[]};
      if (b.error) msg = b.error;
      if (Array.isArray(b.champs)) champs = b.champs;
    } catch {
      // not JSON
    }
    const ra = Number(res.headers.get('Retry-After'));
    throw new ContribError(msg, res.status, champs, Number.isFinite(ra) && ra > 0 ? ra : null);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export interface FormInfo {
  jeton: string;
  delai_min_s: number;
  motifs?: {code: string; libelle: string}[];
  vocabulaires?: Record<string, string[]>;
  limites?: Record<string, number>;
}

export type Champs = Record<string, string | string[]>;

export interface ProposalBody {
  type: 'ajout' | 'modification' | 'signalement';
  lieu?: string;
  champs: Champs;
  motif?: string;
  commentaire?: string;
  courriel?: string;
  jeton: string;
  site_internet: string;
}

export interface Verification {
  lieu: Record<string, unknown> | null;
  reparations: FieldProblem[];
  erreurs: FieldProblem[];
}

export interface Created {
  id: number;
  suivi: string;
  reparations?: FieldProblem[];
}

/** A proposal as the API shows it (public tracking page or moderation). */
export interface Proposal {
  id: number;
  type: string;
  statut: string;
  raison?: string;
  cree_le: string;
  decide_le?: string;
  lieu?: string;
  resultat?: string;
  nom?: string;
  commune?: string;
  champs?: Record<string, unknown>;
  motif?: string;
  commentaire?: string;
  courriel?: string;
  origine?: string;
  source?: string;
  departement?: string;
  epci?: string;
  code_insee?: string;
  longitude?: number;
  latitude?: number;
}

export interface HistoryEntry {
  id: number;
  lieu: string;
  lot: number;
  action: string;
  date: string;
  champs: string[] | null;
  auteur: {type: string; proposition?: number};
  sources?: string[];
  moderateur?: string;
  avant?: Record<string, unknown> | null;
  apres?: Record<string, unknown> | null;
}

export interface ProposalDetail {
  proposition: Proposal;
  actuel: Record<string, unknown> | null;
  propose: Record<string, unknown> | null;
  differences: {champ: string; avant: unknown; apres: unknown}[] | null;
  reparations?: FieldProblem[] | null;
  historique?: HistoryEntry[] | null;
}

export interface SessionInfo {
  csrf: string;
  utilisateur: {email: string; role: string; departements?: string[]; epci?: string[]};
}

/** A place of /api/moderation/sites/fermes (shape as /api/sites items or
 * flat). */
export type ClosedPlace = Record<string, unknown>;

export const getForm = () => call<FormInfo>('GET', '/api/propositions/formulaire');
export const verify = (b: ProposalBody) => call<Verification>('POST', '/api/propositions/verification', b);
export const propose = (b: ProposalBody) => call<Created>('POST', '/api/propositions', b);
export const getTracking = (token: string) => call<Proposal>('GET', `/api/propositions/${encodeURIComponent(token)}`);
export const getHistory = (id: string) => call<HistoryEntry[]>('GET', `/api/sites/${encodeURIComponent(id)}/historique`);

export async function login(email: string, password: string): Promise<SessionInfo> {
  const s = await call<SessionInfo>('POST', '/api/session', {email, password});
  setCsrf(s.csrf);
  return s;
}
export async function currentSession(): Promise<SessionInfo | null> {
  try {
    const s = await call<SessionInfo>('GET', '/api/session');
    setCsrf(s.csrf);
    return s;
  } catch (e) {
    if (e instanceof ContribError && e.status === 401) return null;
    throw e;
  }
}
export async function logout(): Promise<void> {
  try {
    await call<void>('DELETE', '/api/session');
  } finally {
    setCsrf(null);
  }
}

export function queue(params: URLSearchParams): Promise<Proposal[]> {
  return call<{propositions: Proposal[] | null}>('GET', `/api/moderation/propositions?${params}`).then((r) => r.propositions ?? []);
}
export const proposalDetail = (id: number) => call<ProposalDetail>('GET', `/api/moderation/propositions/${id}`);
export const accept = (id: number, champs?: Champs) =>
  call<{lieu: string; version: number}>('POST', `/api/moderation/propositions/${id}/accepter`, champs ? {champs} : {});
export const reject = (id: number, motif: string) => call<unknown>('POST', `/api/moderation/propositions/${id}/refuser`, {motif});
export const confirmPlace = (id: string) => call<unknown>('POST', `/api/moderation/sites/${encodeURIComponent(id)}/confirmer`, {});
export const restorePlace = (id: string) => call<unknown>('POST', `/api/moderation/sites/${encodeURIComponent(id)}/restaurer`, {});
export function closedPlaces(): Promise<ClosedPlace[]> {
  return call<unknown>('GET', '/api/moderation/sites/fermes').then((r) => {
    if (Array.isArray(r)) return r as ClosedPlace[];
    const o = r as Record<string, unknown>;
    const list = (o['lieux'] ?? o['sites'] ?? o['features'] ?? []) as ClosedPlace[];
    return Array.isArray(list) ? list : [];
  });
}
