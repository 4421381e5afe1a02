"""French names for the generated network: schools' patrons, streets, people, slugs.

Word lists, not real directories: the names are plausible, the people fictional.
"""

from __future__ import annotations

import random
import unicodedata

SCHOOL_PATRONS = (
    "Jules Ferry",
    "Jacques Prévert",
    "Jean Moulin",
    "Victor Hugo",
    "Louis Pasteur",
    "Jean Jaurès",
    "Marie Curie",
    "Paul Éluard",
    "Anatole Le Braz",
    "Saint-Exupéry",
    "Pierre-Jakez Hélias",
    "Anne de Bretagne",
    "Charles de Gaulle",
    "Simone Veil",
    "Jean Macé",
    "Paul Langevin",
    "Albert Camus",
    "Jules Verne",
    "Louise Michel",
    "Françoise Dolto",
    "Jean de La Fontaine",
    "Youenn Gwernig",
    "Per-Jakez Hélias",
    "Tristan Corbière",
    "Max Jacob",
    "Théodore Botrel",
    "Yves Coppens",
    "Angela Duval",
    "Xavier Grall",
    "Les Korrigans",
    "Les Mouettes",
    "Les Goélands",
    "Le Petit Prince",
    "Les Embruns",
    "Les Chênes",
    "Les Ajoncs",
    "La Source",
    "Le Menhir",
    "Les Dolmens",
    "Pierre Loti",
    "Alain Gerbault",
    "Glenmor",
    "Émile Zola",
    "Montaigne",
    "Camille Claudel",
    "Rosa Parks",
    "Nelson Mandela",
    "Olympe de Gouges",
    "Lucie Aubrac",
    "Germaine Tillion",
)
LYCEE_PATRONS = (
    "Chateaubriand",
    "Émile Zola",
    "Bertrand d'Argentré",
    "La Pérouse-Kerichen",
    "Anatole Le Braz",
    "Ernest Renan",
    "Jules Lesven",
    "Dupuy de Lôme",
    "Alain-René Lesage",
    "Colbert",
    "Joseph Loth",
    "Brizeux",
    "Victor et Hélène Basch",
    "Jean Guéhenno",
    "Félix Le Dantec",
    "Pierre Mendès France",
    "Yves Thépot",
    "Vauban",
    "Amiral Ronarc'h",
    "Jean Monnet",
    "Charles Tillon",
    "Henri Avril",
    "Fulgence Bienvenüe",
    "Maupertuis",
    "Laennec",
    "René Cassin",
    "Paul Sérusier",
    "Tristan Corbière",
    "Kerneuzec",
    "Joliot-Curie",
    "Bréquigny",
    "Louis Guilloux",
    "Freyssinet",
    "Le Likès",
)
CULTURE_KINDS = (
    ("Médiathèque", "de"),
    ("Bibliothèque municipale", "de"),
    ("Conservatoire", "de"),
    ("Espace culturel", "de"),
    ("Musée", "de"),
    ("Cinéma municipal", "de"),
)
STREETS = (
    "rue de la Mairie",
    "rue de l'Église",
    "place de la République",
    "rue Jean Jaurès",
    "avenue du Général de Gaulle",
    "rue de Brest",
    "rue de Rennes",
    "rue de la Gare",
    "rue du Stade",
    "rue des Écoles",
    "boulevard de la Liberté",
    "rue Victor Hugo",
    "rue de Verdun",
    "allée des Chênes",
    "rue du Port",
    "rue de la Croix",
    "rue Pasteur",
    "rue du Calvaire",
    "rue de Kerléan",
    "rue de Kervénanec",
    "impasse des Ajoncs",
    "rue de la Libération",
    "route de Quimper",
    "rue de Saint-Malo",
    "chemin du Moulin",
    "rue des Tilleuls",
    "rue du Château",
    "quai de l'Odet",
    "rue de Penhoat",
    "rue de Kerbrat",
)
FIRST_NAMES = (
    "Yann",
    "Gwenaëlle",
    "Erwan",
    "Maëlle",
    "Loïc",
    "Nolwenn",
    "Ronan",
    "Soizic",
    "Tanguy",
    "Anne",
    "Pierre",
    "Marie",
    "Jean",
    "Catherine",
    "Nicolas",
    "Sophie",
    "Mathieu",
    "Claire",
    "Gaël",
    "Katell",
    "Yannick",
    "Morgane",
    "Goulven",
    "Enora",
    "Thomas",
    "Julie",
    "Alan",
    "Léna",
    "Kévin",
    "Elouan",
    "Annaïg",
    "Malo",
    "Gwendal",
    "Isabelle",
    "François",
    "Élodie",
)
LAST_NAMES = (
    "Le Gall",
    "Le Goff",
    "Le Bihan",
    "Guillou",
    "Le Roux",
    "Tanguy",
    "Le Floch",
    "Morvan",
    "Le Corre",
    "Hamon",
    "Le Meur",
    "Quéré",
    "Le Borgne",
    "Kerhervé",
    "Le Guen",
    "Riou",
    "Cadiou",
    "Le Berre",
    "Jaouen",
    "Le Bris",
    "Prigent",
    "Salaün",
    "Le Moal",
    "Nédélec",
    "Guéguen",
    "Le Du",
    "Madec",
    "Thomas",
    "Martin",
    "Bernard",
    "Pichon",
    "Omnès",
    "Kerboul",
)
# Numbers the French regulator (ARCEP) sets aside for fiction, in the 02 (west) zone.
FICTION_PHONE_PREFIX = "02 61 91"


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by dashes ("Côtes-d'Armor" → "cotes-d-armor")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = []
    for ch in ascii_text.lower():
        out.append(ch if ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


def de(name: str) -> str:
    """French elision: "de Rennes", "d'Auray", "du Faou", "des Iffs"."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1].upper() in "AEIOUYÉÈÊH" and not name.startswith("Hu"):
        return "d'" + name
    return "de " + name


def address(rng: random.Random, commune_name: str) -> str:
    return f"{rng.randint(1, 60)} {rng.choice(STREETS)}, {commune_name}"


def person(rng: random.Random) -> tuple[str, str]:
    """A fictional person: (display name, e-mail local part)."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{slugify(first)}.{slugify(last).replace('-', '')}"
    return f"{first} {last}", local


def phone(rng: random.Random) -> str:
    return f"{FICTION_PHONE_PREFIX} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"


def pick_unused(rng: random.Random, pool: tuple[str, ...], used: set[str]) -> str:
    """A name from `pool` not yet in `used` (then numbered), recorded in `used`."""
    free = [name for name in pool if name not in used]
    name = rng.choice(free) if free else f"{rng.choice(pool)} {len(used) + 1}"
    used.add(name)
    return name
