"""The well-known sites and towns the generator places by hand, from the public record.

Universities teach in their real towns, the university hospitals are in Rennes and Brest, the
hospital groups (GHT) have their seats in the larger towns, councils sit in their prefectures.
"""

from __future__ import annotations

from typing import NamedTuple

# The 2006 backbone loop, in loop order (back to Rennes), then the secondary PoPs' towns.
BACKBONE_TOWNS = ("Rennes", "Vannes", "Lorient", "Quimper", "Brest", "Lannion", "Saint-Brieuc")
SECONDARY_TOWNS = (
    "Saint-Malo",
    "Fougères",
    "Vitré",
    "Redon",
    "Dinan",
    "Guingamp",
    "Paimpol",
    "Loudéac",
    "Lamballe-Armor",
    "Morlaix",
    "Carhaix-Plouguer",
    "Landerneau",
    "Douarnenez",
    "Châteaulin",
    "Quimperlé",
    "Pontivy",
    "Ploërmel",
    "Auray",
)

REGION = "Région Bretagne"
DEPARTMENT_SEATS = {"22": "Saint-Brieuc", "29": "Quimper", "35": "Rennes", "56": "Vannes"}
UNIVERSITIES = (
    "Université de Rennes",
    "Université Rennes 2",
    "Université de Bretagne Occidentale",
    "Université Bretagne Sud",
)


class Landmark(NamedTuple):
    town: str
    name: str
    tenant: str
    gigabit: bool = False  # 1 Gbit/s access
    critical: bool = False  # critical: dual-homed on a second fibre


UR, UR2, UBO, UBS = UNIVERSITIES
# 60 higher-education and research sites in 11 university towns and their technopoles.
HIGHER_EDUCATION = (
    Landmark("Rennes", "Université de Rennes – Campus de Beaulieu", UR, True, True),
    Landmark("Rennes", "Université de Rennes – Campus Santé Villejean", UR, True, True),
    Landmark("Rennes", "Université de Rennes – Campus Centre", UR, True, True),
    Landmark("Rennes", "Université de Rennes – Présidence", UR, True, True),
    Landmark("Rennes", "IUT de Rennes", UR, True, True),
    Landmark("Bruz", "Université de Rennes – Campus de Ker Lann", UR, False, True),
    Landmark("Lannion", "IUT de Lannion", UR, False, True),
    Landmark(
        "Lannion", "ENSSAT – École nationale supérieure des sciences appliquées", UR, True, True
    ),
    Landmark("Saint-Malo", "IUT de Saint-Malo", UR, False, True),
    Landmark("Saint-Brieuc", "IUT de Saint-Brieuc", UR, False, True),
    Landmark("Saint-Brieuc", "Campus Mazier", UR, False, True),
    Landmark("Rennes", "Observatoire des sciences de l'univers de Rennes", UR, True, True),
    Landmark("Rennes", "Université Rennes 2 – Campus Villejean", UR2, True, True),
    Landmark("Rennes", "Université Rennes 2 – Campus La Harpe", UR2, True, True),
    Landmark("Rennes", "Université Rennes 2 – Présidence", UR2, True, True),
    Landmark("Saint-Brieuc", "Université Rennes 2 – Antenne de Saint-Brieuc", UR2, False, True),
    Landmark("Brest", "UBO – Faculté des sciences et techniques", UBO, True, True),
    Landmark("Brest", "UBO – Faculté de médecine et des sciences de la santé", UBO, True, True),
    Landmark("Brest", "UBO – Faculté Victor Segalen", UBO, True, True),
    Landmark("Brest", "UBO – Présidence", UBO, True, True),
    Landmark("Brest", "IUT de Brest", UBO, True, True),
    Landmark("Plouzané", "Institut universitaire européen de la mer", UBO, True, True),
    Landmark("Quimper", "Pôle universitaire Pierre-Jakez Hélias", UBO, True, True),
    Landmark("Quimper", "IUT de Quimper", UBO, False, True),
    Landmark("Morlaix", "IUT de Brest-Morlaix – site de Morlaix", UBO, False, True),
    Landmark("Lorient", "UBS – Campus de Lorient, Le Paquebot", UBS, True, True),
    Landmark("Lorient", "UBS – Faculté des sciences et sciences de l'ingénieur", UBS, True, True),
    Landmark("Lorient", "IUT de Lorient", UBS, False, True),
    Landmark("Lorient", "ENSIBS – site de Lorient", UBS, False, True),
    Landmark("Vannes", "UBS – Campus de Tohannic", UBS, True, True),
    Landmark("Vannes", "IUT de Vannes", UBS, False, True),
    Landmark("Vannes", "ENSIBS – site de Vannes", UBS, False, True),
    Landmark("Pontivy", "IUT de Lorient-Pontivy – site de Pontivy", UBS, False, True),
    Landmark("Rennes", "INSA Rennes", "INSA Rennes", True),
    Landmark("Bruz", "École normale supérieure de Rennes", "ENS Rennes", True),
    Landmark("Bruz", "ENSAI – École nationale de la statistique et de l'analyse", "ENSAI"),
    Landmark("Cesson-Sévigné", "CentraleSupélec – campus de Rennes", "CentraleSupélec", True),
    Landmark("Cesson-Sévigné", "IMT Atlantique – campus de Rennes", "IMT Atlantique", True),
    Landmark("Plouzané", "IMT Atlantique – campus de Brest", "IMT Atlantique", True),
    Landmark("Brest", "ENSTA Bretagne", "ENSTA Bretagne", True),
    Landmark("Plouzané", "École nationale d'ingénieurs de Brest", "ENIB"),
    Landmark("Rennes", "École nationale supérieure de chimie de Rennes", "ENSCR"),
    Landmark("Rennes", "Sciences Po Rennes", "Sciences Po Rennes"),
    Landmark("Rennes", "EHESP – École des hautes études en santé publique", "EHESP", True),
    Landmark("Rennes", "Institut Agro Rennes-Angers", "Institut Agro", True),
    Landmark("Rennes", "École nationale supérieure d'architecture de Bretagne", "ENSAB"),
    Landmark("Rennes", "EESAB – site de Rennes", "EESAB"),
    Landmark("Lorient", "EESAB – site de Lorient", "EESAB"),
    Landmark("Quimper", "EESAB – site de Quimper", "EESAB"),
    Landmark("Brest", "EESAB – site de Brest", "EESAB"),
    Landmark("Rennes", "Inria – centre de l'Université de Rennes", "Inria", True),
    Landmark("Rennes", "IRISA – Institut de recherche en informatique", "CNRS", True),
    Landmark("Rennes", "CNRS – Délégation Bretagne et Pays de la Loire", "CNRS", True),
    Landmark("Rennes", "Institut de génétique et développement de Rennes", "CNRS", True),
    Landmark("Le Rheu", "INRAE – Centre Bretagne-Normandie", "INRAE", True),
    Landmark("Plouzané", "Ifremer – Centre de Bretagne", "Ifremer", True),
    Landmark("Plouzané", "IRD – Centre de Bretagne", "IRD", True),
    Landmark("Roscoff", "Station biologique de Roscoff", "CNRS", True),
    Landmark("Concarneau", "Station de biologie marine de Concarneau", "MNHN", True),
    Landmark("Brest", "SHOM – Service hydrographique et océanographique", "SHOM", True),
)

# The 8 hospital groups (GHT), named after their seat; the two university hospitals lead two.
HOSPITAL_GROUPS = {
    "Rennes": "GHT Haute-Bretagne",
    "Brest": "GHT Bretagne Occidentale",
    "Quimper": "GHT Union hospitalière de Cornouaille",
    "Lorient": "GHT Sud Bretagne",
    "Vannes": "GHT Brocéliande Atlantique",
    "Pontivy": "GHT Centre Bretagne",
    "Saint-Brieuc": "GHT d'Armor",
    "Saint-Malo": "GHT Rance Émeraude",
}
UNIVERSITY_HOSPITALS = (
    Landmark("Rennes", "CHU de Rennes – Hôpital Pontchaillou", "CHU de Rennes", True, True),
    Landmark("Rennes", "CHU de Rennes – Hôpital Sud", "CHU de Rennes", True, True),
    Landmark("Brest", "CHU de Brest – Hôpital de la Cavale Blanche", "CHU de Brest", True, True),
    Landmark("Brest", "CHU de Brest – Hôpital Morvan", "CHU de Brest", True, True),
)
GROUP_SEAT_HOSPITALS = (
    Landmark("Quimper", "Centre hospitalier de Cornouaille", HOSPITAL_GROUPS["Quimper"]),
    Landmark("Lorient", "Groupe hospitalier Bretagne Sud", HOSPITAL_GROUPS["Lorient"]),
    Landmark("Vannes", "Centre hospitalier Bretagne Atlantique", HOSPITAL_GROUPS["Vannes"]),
    Landmark("Pontivy", "Centre hospitalier du Centre Bretagne", HOSPITAL_GROUPS["Pontivy"]),
    Landmark("Saint-Brieuc", "Centre hospitalier Yves Le Foll", HOSPITAL_GROUPS["Saint-Brieuc"]),
    Landmark("Saint-Malo", "Centre hospitalier de Saint-Malo", HOSPITAL_GROUPS["Saint-Malo"]),
)
# Towns with a public hospital of their own (centre hospitalier), besides the seats above.
HOSPITAL_TOWNS = (
    "Morlaix",
    "Lannion",
    "Guingamp",
    "Paimpol",
    "Dinan",
    "Fougères",
    "Vitré",
    "Redon",
    "Ploërmel",
    "Douarnenez",
    "Landerneau",
    "Quimperlé",
    "Carhaix-Plouguer",
    "Concarneau",
    "Auray",
    "Hennebont",
    "Lamballe-Armor",
    "Loudéac",
    "Landivisiau",
    "Pont-l'Abbé",
)

CCI, CMA, AGRI = (
    "CCI Bretagne",
    "Chambre de métiers et de l'artisanat de Bretagne",
    "Chambres d'agriculture de Bretagne",
)
CCI_BRANCH_TOWNS = (
    "Saint-Malo",
    "Morlaix",
    "Quimper",
    "Vannes",
    "Lannion",
    "Fougères",
    "Vitré",
    "Redon",
    "Pontivy",
    "Dinan",
    "Guingamp",
    "Quimperlé",
    "Ploërmel",
)
CHAMBERS = (
    Landmark("Rennes", "CCI Bretagne", CCI),
    Landmark("Rennes", "CCI Ille-et-Vilaine", CCI),
    Landmark("Saint-Brieuc", "CCI des Côtes-d'Armor", CCI),
    Landmark("Brest", "CCI métropolitaine Bretagne Ouest", CCI),
    Landmark("Lorient", "CCI du Morbihan", CCI),
    Landmark("Rennes", "Chambre de métiers et de l'artisanat de Bretagne", CMA),
    Landmark("Ploufragan", "CMA – Côtes-d'Armor", CMA),
    Landmark("Quimper", "CMA – Finistère", CMA),
    Landmark("Rennes", "CMA – Ille-et-Vilaine", CMA),
    Landmark("Vannes", "CMA – Morbihan", CMA),
    Landmark("Rennes", "Chambre régionale d'agriculture de Bretagne", AGRI),
    Landmark("Plérin", "Chambre d'agriculture – Côtes-d'Armor", AGRI),
    Landmark("Quimper", "Chambre d'agriculture – Finistère", AGRI),
    Landmark("Rennes", "Chambre d'agriculture – Ille-et-Vilaine", AGRI),
    Landmark("Pontivy", "Chambre d'agriculture – Morbihan", AGRI),
    *(Landmark(town, f"CCI – antenne {town}", CCI) for town in CCI_BRANCH_TOWNS),
)

MUSEUMS = (
    ("Rennes", "Musée des Beaux-Arts de Rennes"),
    ("Rennes", "Musée de Bretagne – Les Champs Libres"),
    ("Brest", "Musée des Beaux-Arts de Brest"),
    ("Quimper", "Musée des Beaux-Arts de Quimper"),
    ("Quimper", "Musée départemental breton"),
    ("Vannes", "Musée de la Cohue"),
    ("Pont-Aven", "Musée de Pont-Aven"),
    ("Port-Louis", "Musée de la Compagnie des Indes"),
    ("Concarneau", "Musée de la Pêche"),
    ("Morlaix", "Musée de Morlaix"),
    ("Saint-Brieuc", "Musée d'art et d'histoire de Saint-Brieuc"),
    ("Carnac", "Musée de Préhistoire de Carnac"),
    ("Dinan", "Château-musée de Dinan"),
    ("Vitré", "Musée du château de Vitré"),
)

TOURIST_TOWNS = (
    "Saint-Malo",
    "Carnac",
    "Quiberon",
    "Perros-Guirec",
    "Dinard",
    "Concarneau",
    "Bénodet",
    "Roscoff",
    "Pont-Aven",
    "Crozon",
    "Locronan",
    "Paimpol",
    "Erquy",
    "Cancale",
    "Le Palais",
    "Vannes",
    "Quimper",
    "Brest",
    "Rennes",
    "Dinan",
    "Saint-Quay-Portrieux",
    "Plougrescant",
    "Huelgoat",
    "Josselin",
    "Rochefort-en-Terre",
    "La Trinité-sur-Mer",
    "Fouesnant",
    "Plogoff",
    "Camaret-sur-Mer",
    "Vitré",
)

GRETA = (
    ("Rennes", "GRETA Est-Bretagne"),
    ("Brest", "GRETA de Bretagne Occidentale"),
    ("Vannes", "GRETA Bretagne Sud"),
    ("Saint-Brieuc", "GRETA des Côtes-d'Armor"),
)

# Intercommunal authorities known by name; the others are called after their seat.
INTERCOMMUNAL_NAMES = {
    "Rennes": "Rennes Métropole",
    "Brest": "Brest métropole",
    "Quimper": "Quimper Bretagne Occidentale",
    "Lorient": "Lorient Agglomération",
    "Vannes": "Golfe du Morbihan – Vannes agglomération",
    "Saint-Malo": "Saint-Malo Agglomération",
    "Saint-Brieuc": "Saint-Brieuc Armor Agglomération",
    "Lannion": "Lannion-Trégor Communauté",
    "Fougères": "Fougères Agglomération",
    "Vitré": "Vitré Communauté",
    "Concarneau": "Concarneau Cornouaille Agglomération",
    "Morlaix": "Morlaix Communauté",
    "Dinan": "Dinan Agglomération",
    "Lamballe-Armor": "Lamballe Terre et Mer",
    "Pontivy": "Pontivy Communauté",
    "Auray": "Auray Quiberon Terre Atlantique",
    "Ploërmel": "Ploërmel Communauté",
    "Redon": "Redon Agglomération",
    "Quimperlé": "Quimperlé Communauté",
    "Guingamp": "Guingamp-Paimpol Agglomération",
    "Douarnenez": "Douarnenez Communauté",
    "Loudéac": "Loudéac Communauté Bretagne Centre",
    "Carhaix-Plouguer": "Poher Communauté",
}
INTERCOMMUNAL_COUNT = 59
