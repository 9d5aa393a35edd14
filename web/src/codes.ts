/**
 * Patterns of French territory codes: the copy of internal/cartonum/codes.go
 * (a Go test compares them).
 */
export const COMMUNE_CODE = /^([013-9]\d|2[AB1-9])\d{3}$/;
export const DEPARTEMENT_CODE = /^(\d{2}|2[AB]|97\d)$/;
export const SIREN = /^\d{9}$/;
