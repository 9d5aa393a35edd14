declare const __MAPLIBRE_WORKER__: string;
declare module '*.css';
declare const __GLYPHS__: string;
