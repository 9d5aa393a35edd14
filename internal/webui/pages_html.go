package webui

// The templates of the server-rendered pages (pages.go). French text.

const pagesHTML = `
{{define "head"}}<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{.}} — Cartonum</title>
  <meta name="theme-color" content="#000091">
{{end}}

{{define "header"}}
<div class="fr-skiplinks">
  <nav class="fr-container" role="navigation" aria-label="Accès rapide">
    <ul class="fr-skiplinks__list">
      <li><a class="fr-link" href="#contenu">Contenu</a></li>
      <li><a class="fr-link" href="#navigation">Menu</a></li>
      <li><a class="fr-link" href="#pied">Pied de page</a></li>
    </ul>
  </nav>
</div>
<header class="app-entete" role="banner">
  <div class="app-entete__marque">
    <a class="app-entete__titre" href="/carte" title="Cartonum — accueil">Cartonum</a>
    <p class="app-entete__baseline">Lieux de médiation numérique</p>
  </div>
  <nav class="app-nav" id="navigation" role="navigation" aria-label="Menu principal">
    <ul>
      <li><a href="/carte">Trouver un lieu</a></li>
      <li><a href="/tableau-de-bord">Tableau de bord</a></li>
    </ul>
  </nav>
</header>
{{end}}

{{define "footer"}}
<footer class="app-pied" id="pied" role="contentinfo">
  <ul>
    <li><a href="/accessibilite"{{if eq . "accessibilite"}} aria-current="page"{{end}}>Accessibilité : partiellement conforme</a></li>
    <li><a href="/integration"{{if eq . "integration"}} aria-current="page"{{end}}>Intégrer la carte sur votre site</a></li>
    <li><a href="/api/export/sites.csv">Données des lieux (CSV)</a></li>
  </ul>
</footer>
{{end}}

{{define "integration"}}{{template "head" "Intégrer la carte sur votre site"}}
  {{if .Assets.Favicon}}<link rel="icon" href="{{.Assets.Favicon}}" type="image/svg+xml">{{end}}
  {{if .Assets.CSS}}<link rel="stylesheet" href="{{.Assets.CSS}}">{{end}}
</head>
<body class="page-statique">
{{template "header"}}
{{with .Data}}
<main id="contenu" tabindex="-1" class="statique">
  <h1>Intégrer la carte sur votre site</h1>
  <p>Une commune, un CCAS, une association ou un département peut afficher sur son propre site la carte des lieux de
    médiation numérique de son territoire : les habitants y trouvent les lieux proches, leurs horaires et leurs contacts
    sans quitter le site. La carte intégrée est une version compacte de Cartonum, sans en-tête ni pied de page, avec un
    lien « Ouvrir dans Cartonum » vers la carte complète.</p>

  <h2 id="construire">Construire le code à copier</h2>
  <form method="get" action="/integration#code" class="statique__formulaire">
    <fieldset class="fr-fieldset">
      <legend class="fr-fieldset__legend">Territoire</legend>
      <div class="fr-fieldset__content">
        <div class="fr-radio-group"><input type="radio" id="niveau-aucun" name="niveau" value="aucun"{{if eq .Niveau "aucun"}} checked{{end}}><label class="fr-label" for="niveau-aucun">Toute la carte</label></div>
        <div class="fr-radio-group"><input type="radio" id="niveau-commune" name="niveau" value="commune"{{if eq .Niveau "commune"}} checked{{end}}><label class="fr-label" for="niveau-commune">Une commune et les lieux dans un rayon autour d'elle</label></div>
        <div class="fr-radio-group"><input type="radio" id="niveau-epci" name="niveau" value="epci"{{if eq .Niveau "epci"}} checked{{end}}><label class="fr-label" for="niveau-epci">Un EPCI (communauté de communes, d'agglomération, métropole)</label></div>
        <div class="fr-radio-group"><input type="radio" id="niveau-departement" name="niveau" value="departement"{{if eq .Niveau "departement"}} checked{{end}}><label class="fr-label" for="niveau-departement">Un département</label></div>
      </div>
    </fieldset>
    <div class="fr-input-group">
      <label class="fr-label" for="code">Code du territoire
        <span class="fr-hint-text">Code INSEE de la commune (80021 pour Amiens), SIREN de l'EPCI (9 chiffres) ou numéro du département (80)</span>
      </label>
      <input class="fr-input" type="text" id="code" name="code" value="{{.Code}}" autocomplete="off" spellcheck="false">
    </div>
    <div class="fr-select-group">
      <label class="fr-label" for="rayon">Rayon autour de la commune</label>
      <select class="fr-select" id="rayon" name="rayon">
        {{$r := .Rayon}}{{range .Radii}}<option value="{{.}}"{{if eq . $r}} selected{{end}}>{{.}} km</option>{{end}}
      </select>
    </div>
    <fieldset class="fr-fieldset">
      <legend class="fr-fieldset__legend">Services (aucun coché : tous les lieux)</legend>
      <div class="fr-fieldset__content">
        {{range .Services}}<div class="fr-checkbox-group"><input type="checkbox" id="{{.ID}}" name="services" value="{{.Value}}"{{if .Checked}} checked{{end}}><label class="fr-label" for="{{.ID}}">{{.Value}}</label></div>
        {{end}}
      </div>
    </fieldset>
    <fieldset class="fr-fieldset">
      <legend class="fr-fieldset__legend">Dispositifs nationaux (aucun coché : tous les lieux)</legend>
      <div class="fr-fieldset__content">
        {{range .Dispositifs}}<div class="fr-checkbox-group"><input type="checkbox" id="{{.ID}}" name="dispositifs" value="{{.Value}}"{{if .Checked}} checked{{end}}><label class="fr-label" for="{{.ID}}">{{.Value}}</label></div>
        {{end}}
      </div>
    </fieldset>
    <div class="fr-input-group">
      <label class="fr-label" for="hauteur">Hauteur du cadre en pixels
        <span class="fr-hint-text">Entre 300 et 1500 ; 600 conviennent à la plupart des pages</span>
      </label>
      <input class="fr-input" type="number" id="hauteur" name="hauteur" min="300" max="1500" step="10" value="{{.Hauteur}}">
    </div>
    <button type="submit" class="fr-btn">Générer le code</button>
  </form>

  {{if .Built}}
  <section id="code" aria-labelledby="code-titre" tabindex="-1">
    <h2 id="code-titre">Le code à copier</h2>
    {{if .Errors}}
    <div class="fr-alert fr-alert--error fr-alert--sm" role="alert">
      <p>Corrigez le formulaire :</p>
      <ul>{{range .Errors}}<li>{{.}}</li>{{end}}</ul>
    </div>
    {{else}}
    <p>Collez ce code dans une page de votre site, à l'endroit où la carte doit apparaître (dans un bloc « HTML » de votre
      outil d'édition). Sélectionnez tout le texte de la zone (Ctrl+A) puis copiez-le (Ctrl+C).</p>
    <div class="fr-input-group">
      <label class="fr-label" for="extrait">Code HTML de la carte intégrée</label>
      <textarea class="fr-input statique__code" id="extrait" rows="4" readonly spellcheck="false">{{.Snippet}}</textarea>
    </div>
    <p>Adresse de la carte intégrée : <a href="{{.PreviewURL}}" id="adresse-integration">{{.EmbedURL}}</a></p>
    <h3>Aperçu</h3>
    <iframe class="statique__apercu" src="{{.PreviewURL}}" title="Aperçu de la carte intégrée (Cartonum)" height="{{.Hauteur}}" loading="lazy"></iframe>
    {{end}}
  </section>
  {{end}}

  <h2 id="parametres">Les paramètres de l'adresse</h2>
  <p>La carte intégrée est à l'adresse <code>/integration/carte</code>. Ses paramètres sont ceux de la carte publique :</p>
  <div class="fr-table fr-table--no-caption"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label="Paramètres de la carte intégrée"><div class="fr-table__content">
  <table>
    <caption>Paramètres de la carte intégrée</caption>
    <thead><tr><th scope="col">Paramètre</th><th scope="col">Valeur</th><th scope="col">Effet</th></tr></thead>
    <tbody>
      <tr><th scope="row"><code>commune</code></th><td>code INSEE (<code>80021</code>)</td><td>lieux dans le rayon autour de la commune, triés par distance</td></tr>
      <tr><th scope="row"><code>rayon</code></th><td>2, 5, 10, 20 ou 50 (km)</td><td>rayon autour de la commune (10 km par défaut)</td></tr>
      <tr><th scope="row"><code>epci</code></th><td>SIREN (<code>248000531</code>)</td><td>carte cadrée sur les lieux de l'EPCI</td></tr>
      <tr><th scope="row"><code>departement</code></th><td>numéro (<code>80</code>)</td><td>carte cadrée sur les lieux du département</td></tr>
      <tr><th scope="row"><code>services</code></th><td>un service du référentiel, répétable</td><td>seuls les lieux qui offrent l'un de ces services</td></tr>
      <tr><th scope="row"><code>dispositifs</code></th><td>un dispositif national (<code>France Services</code>), répétable</td><td>seuls les lieux de ces dispositifs</td></tr>
      <tr><th scope="row"><code>lieu</code></th><td>identifiant d'un lieu</td><td>ouvre la fiche du lieu</td></tr>
      <tr><th scope="row"><code>vue</code></th><td>zoom/latitude/longitude</td><td>cadrage initial de la carte</td></tr>
    </tbody>
  </table>
  </div></div></div></div>
  <p>Les autres filtres de la carte (<code>publics</code>, <code>frais</code>, <code>ouvert=1</code>, <code>rdv=1</code>…)
    s'appliquent aussi. Le lien « Ouvrir dans Cartonum » de la carte intégrée ouvre la carte complète dans le même état.</p>

  <h2 id="autorisation">Les sites autorisés</h2>
  <p>Pour protéger ses visiteurs (contre le « clickjacking »), Cartonum n'accepte d'être affiché dans le cadre d'un autre
    site que sur la carte intégrée, et seulement pour les sites que l'administrateur du serveur a autorisés (option
    <code>--frame-ancestors</code>, en-tête <code>Content-Security-Policy: frame-ancestors</code>). Toutes les autres pages,
    dont celles des modérateurs, refusent d'être affichées dans un cadre.</p>
  {{if .AnySite}}<p id="sites-autorises">Sur ce serveur, tous les sites peuvent intégrer la carte.</p>
  {{else if .Ancestors}}<p id="sites-autorises">Sites autorisés sur ce serveur :</p><ul>{{range .Ancestors}}<li><code>{{.}}</code></li>{{end}}</ul>
  {{else}}<p id="sites-autorises">Aucun autre site n'est autorisé pour l'instant sur ce serveur : demandez à son administrateur d'ajouter l'adresse de votre site.</p>{{end}}

  <h2 id="accessibilite-integration">Accessibilité</h2>
  <p>Gardez l'attribut <code>title</code> du cadre : c'est le nom que les lecteurs d'écran annoncent. La liste des lieux
    de la carte intégrée est l'équivalent accessible de la carte, au clavier comme au lecteur d'écran (voir la
    <a href="/accessibilite">déclaration d'accessibilité</a>).</p>
</main>
{{end}}
{{template "footer" "integration"}}
</body>
</html>
{{end}}

{{define "accessibilite"}}{{template "head" "Déclaration d'accessibilité"}}
  {{if .Assets.Favicon}}<link rel="icon" href="{{.Assets.Favicon}}" type="image/svg+xml">{{end}}
  {{if .Assets.CSS}}<link rel="stylesheet" href="{{.Assets.CSS}}">{{end}}
</head>
<body class="page-statique">
{{template "header"}}
<main id="contenu" tabindex="-1" class="statique">
  <h1>Déclaration d'accessibilité</h1>
  <p>Les éditeurs de Cartonum s'engagent à rendre leur service accessible, conformément à l'article 47 de la loi
    n° 2005-102 du 11 février 2005. Cette déclaration d'accessibilité s'applique au site Cartonum (carte des lieux de
    médiation numérique, tableau de bord des territoires, contributions et carte intégrée).</p>

  <h2>État de conformité</h2>
  <p>Cartonum est <strong>partiellement conforme</strong> avec le référentiel général d'amélioration de l'accessibilité
    (RGAA), version 4.1, en raison des limites décrites ci-dessous : les pages testées ne présentent aucune non-conformité
    connue, mais l'audit complet des 106 critères du RGAA par un auditeur indépendant n'a pas encore été réalisé.</p>

  <h2>Résultats des tests</h2>
  <p>Les tests sont automatisés et rejoués à chaque modification du code, dans le navigateur Chromium (tests de bout en
    bout de <code>web/e2e/</code>).</p>
  <h3>Pages testées</h3>
  <ul>
    <li>Carte « Trouver un lieu » (<code>/carte</code>) : liste des lieux d'une commune, filtres ouverts, fiche d'un lieu ;</li>
    <li>Tableau de bord (<code>/tableau-de-bord</code>) : carte et liste des territoires, portrait d'un territoire avec ses tableaux de données, modes scénario et implantation ;</li>
    <li>Contribution (<code>/contribuer</code>), suivi d'une proposition et modération ;</li>
    <li>Carte intégrée (<code>/integration/carte</code>) et page « Intégrer la carte » (<code>/integration</code>) ;</li>
    <li>Cette déclaration (<code>/accessibilite</code>).</li>
  </ul>
  <h3>Vérifications automatiques</h3>
  <p>Le moteur axe-core (règles WCAG 2.1 niveaux A et AA : contrastes, noms accessibles des boutons, liens et champs,
    structure des titres et des listes, attributs ARIA, langue de la page, titres de cadres…) ne relève
    <strong>aucune erreur</strong> sur ces pages. Le dessin de la carte (image WebGL) est exclu de cette analyse : son contenu
    est donné par la liste des lieux, voir plus bas.</p>
  <h3>Vérifications par scénarios au clavier</h3>
  <ul>
    <li>les liens d'évitement sont les premiers éléments atteints par la touche Tabulation ;</li>
    <li>la recherche d'une commune se fait au clavier (liste de suggestions ARIA : flèches, Entrée, Échap) ;</li>
    <li>chaque lieu de la liste s'ouvre avec Entrée ; la fiche reçoit le focus sur son titre, Échap la ferme et rend le focus au lieu d'où l'on venait ;</li>
    <li>quand un lieu de la liste reçoit le focus, la carte le met en évidence et se déplace pour le montrer ;</li>
    <li>après un changement de page, le focus est placé sur le titre de la page et le titre du document change ;</li>
    <li>au tableau de bord, un territoire se choisit dans le tableau avec Entrée (le focus va à son portrait), et un lieu s'ajoute en scénario au centre de la carte déplacée avec les flèches (« Ajouter un lieu au centre de la carte »), puis s'annule ;</li>
    <li>les messages (nombre de lieux trouvés, position introuvable, erreurs de formulaire) sont placés dans des zones annoncées (<code>aria-live</code>, <code>role="status"</code>, <code>role="alert"</code>).</li>
  </ul>
  <h3>Zoom et adaptation</h3>
  <p>La carte « Trouver un lieu », la carte intégrée, la page « Intégrer la carte » et cette déclaration restent
    utilisables sans défilement horizontal à une largeur de 320 pixels CSS, ce qui correspond à un zoom de 400 % d'une
    fenêtre de 1280 pixels (et donc au zoom de 200 %) ; sur petit écran, la liste des lieux devient un panneau au-dessus
    de la carte. Le tableau de bord n'a pas encore été vérifié à cette largeur.</p>

  <h2>La carte et son équivalent</h2>
  <p>La carte est une image dessinée : ses repères ne sont pas des éléments que l'on atteint au clavier. Son équivalent est
    la <strong>liste des lieux</strong>, annoncée comme telle par la zone de la carte : tout lieu de la carte visible y figure
    avec son adresse, sa distance et ses horaires du jour ; quand un lieu de la liste reçoit le focus, la carte le met en
    évidence et se déplace pour le montrer. Les indicateurs du tableau de bord sont aussi donnés par la légende, la liste des
    territoires et des tableaux de données.</p>

  <h2>Non-conformités et limites connues</h2>
  <ul>
    <li>La restitution par des lecteurs d'écran réels (NVDA, JAWS, VoiceOver, TalkBack, Orca) n'a pas encore été vérifiée par
      des utilisateurs : seules les zones annoncées et les noms accessibles sont contrôlés par les tests.</li>
    <li>L'audit complet des critères du RGAA 4.1 (dont ceux qui demandent un jugement humain : pertinence des textes
      alternatifs, compréhension des libellés) reste à réaliser.</li>
    <li>Les fiches d'orientation imprimées (PDF) ne sont pas des documents balisés pour l'accessibilité ; leur contenu est
      celui de la fiche du lieu, accessible en ligne à l'adresse imprimée.</li>
  </ul>

  <h2>Environnement de test</h2>
  <p>Navigateur Chromium (Debian), fenêtres de 1280 × 800 et de 390 × 844 pixels, axe-core 4, Playwright.</p>

  <h2>Retour d'information et contact</h2>
  <p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez nous le signaler pour être orienté vers une
    alternative accessible ou obtenir le contenu sous une autre forme :</p>
  <ul>
    <li>par le formulaire « <a href="/contribuer?type=signalement">Signaler un problème</a> » (décrivez la page et la difficulté rencontrée) ;</li>
    <li>ou auprès de l'organisme qui exploite ce serveur de Cartonum.</li>
  </ul>

  <h2>Voies de recours</h2>
  <p>Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité du site, que
    vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire
    parvenir vos doléances ou une demande de saisine au Défenseur des droits. Plusieurs moyens sont à votre disposition :</p>
  <ul>
    <li>écrire un message au Défenseur des droits (formulaire en ligne sur le site defenseurdesdroits.fr) ;</li>
    <li>contacter le délégué du Défenseur des droits dans votre région ;</li>
    <li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>
  </ul>
</main>
{{template "footer" "accessibilite"}}
</body>
</html>
{{end}}
`
