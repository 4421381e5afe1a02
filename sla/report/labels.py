"""The report's words in English and French: one table, shared by the page, PDF, CSV and XLSX.

A missing key falls back to the English text, then to the key itself, so a new label never
breaks a report (and a test checks that both languages cover every key).
"""

from __future__ import annotations

LANGUAGES = ("en", "fr")

LABELS: dict[str, tuple[str, str]] = {
    # sections
    "title": ("Monthly service-level report", "Rapport mensuel de qualité de service"),
    "summary": ("Summary", "Synthèse"),
    "by_class": ("Results by service class", "Résultats par classe de service"),
    "worst_sites": ("Worst sites", "Sites les moins disponibles"),
    "by_category": ("By category", "Par catégorie"),
    "by_department": ("By department", "Par département"),
    "tickets": ("Incidents: GTI and GTR", "Incidents : GTI et GTR"),
    "works": ("Planned works", "Travaux programmés"),
    "claims": ("Exclusion claims", "Demandes d'exclusion"),
    "capacity": ("Capacity (committed rate)", "Capacité (débit garanti)"),
    "penalties": ("Proposed penalties, line by line", "Pénalités proposées, ligne à ligne"),
    "quality": ("Data quality", "Qualité des données"),
    "outages": (
        "Outages at the end of the monitoring",
        "Coupures en cours à la fin de la supervision",
    ),
    "adjustments": ("Adjustments from earlier months", "Régularisations des mois précédents"),
    "annex": ("Method annex", "Annexe méthodologique"),
    # summary figures
    "fleet_availability": (
        "Fleet availability (primary links)",
        "Disponibilité du parc (liens principaux)",
    ),
    "subscriptions": ("Subscriptions", "Abonnements"),
    "incidents": ("Incidents (alerting)", "Incidents (supervision)"),
    "tickets_count": ("Tickets closed in the month", "Tickets clos dans le mois"),
    "gtr_compliance": ("GTR compliance", "Respect de la GTR"),
    "proposed_ht": ("Proposed penalties (€ HT)", "Pénalités proposées (€ HT)"),
    "to_date_ht": ("Penalties before this month (€ HT)", "Pénalités antérieures (€ HT)"),
    "running_total": ("Running total (€ HT)", "Cumul (€ HT)"),
    "cap": ("Contract cap: 10 % of the amount (€ HT)", "Plafond : 10 % du montant (€ HT)"),
    "cap_used": ("Share of the cap used", "Part du plafond consommée"),
    "cap_reached": ("Contract cap reached", "Plafond du marché atteint"),
    "exemption": ("Exemption threshold (€ HT)", "Seuil d'exonération (€ HT)"),
    "exemption_applies": ("Exemption applies so far", "Exonération applicable à ce jour"),
    "coverage": ("Monitoring coverage", "Couverture de la supervision"),
    "disputed": ("At stake in pending claims (€ HT)", "En jeu dans les demandes en cours (€ HT)"),
    "provisional": (
        "Provisional: the monitoring does not yet reach far enough past the month's end",
        "Provisoire : la supervision ne couvre pas encore assez la fin du mois",
    ),
    "open_outages": ("Outages still open", "Coupures encore en cours"),
    "unconfirmed_outages": (
        "Outages whose recovery is not yet confirmed",
        "Coupures dont le rétablissement n'est pas encore confirmé",
    ),
    "state": ("State", "État"),
    "open_outage": (
        "open: runs to the end of the period",
        "en cours : jusqu'à la fin de la période",
    ),
    "unconfirmed_outage": (
        "ended, recovery not yet confirmed",
        "terminée, rétablissement non encore confirmé",
    ),
    "version": ("Version", "Version"),
    "inputs_hash": ("Inputs hash (SHA-256)", "Empreinte des données (SHA-256)"),
    "code_version": ("Code version", "Version du logiciel"),
    "generated": ("Generated", "Produit le"),
    "breaches": ("breaches", "dépassements"),
    "tickets_word": ("tickets", "tickets"),
    "yes": ("yes", "oui"),
    "no": ("no", "non"),
    "none": ("None.", "Aucun."),
    "no_vat": ("Penalties carry no VAT.", "Les pénalités ne sont pas soumises à la TVA."),
    # columns
    "class": ("Class", "Classe"),
    "count": ("Count", "Nombre"),
    "availability": ("Availability %", "Disponibilité %"),
    "downtime_h": ("Downtime (h)", "Indisponibilité (h)"),
    "below_target": ("Below target", "Sous l'objectif"),
    "amount_ht": ("€ HT", "€ HT"),
    "site": ("Site", "Site"),
    "name": ("Name", "Nom"),
    "category": ("Category", "Catégorie"),
    "department": ("Department", "Département"),
    "ticket": ("Ticket", "Ticket"),
    "subscription": ("Subscription", "Abonnement"),
    "opened": ("Opened", "Ouvert"),
    "restored": ("Restored", "Rétabli"),
    "imputability": ("Imputability", "Imputabilité"),
    "gti_measured": ("GTI measured", "GTI mesurée"),
    "gti_guaranteed": ("GTI guaranteed", "GTI garantie"),
    "gtr_measured": ("GTR measured", "GTR mesurée"),
    "gtr_guaranteed": ("GTR guaranteed", "GTR garantie"),
    "breach": ("Breach", "Dépassement"),
    "started_hours": ("Started hours over", "Heures entamées"),
    "reference": ("Reference", "Référence"),
    "planned_start": ("Planned start", "Début prévu"),
    "planned_end": ("Planned end", "Fin prévue"),
    "notified": ("Notified", "Notifié"),
    "notice_days": ("Notice (days)", "Préavis (jours)"),
    "required_days": ("Required", "Requis"),
    "curative": ("Curative", "Curatif"),
    "conforming": ("Conforming", "Conforme"),
    "overrun_min": ("Overrun past the end (min)", "Dépassement de la fin (min)"),
    "evaluate_again": ("Evaluate again", "Réévaluer"),
    "propose_all": ("Propose every computed line", "Proposer toutes les lignes calculées"),
    "notify_all": ("Notify every proposed line", "Notifier toutes les lignes proposées"),
    "pending_claims": ("Pending claims", "Demandes en attente"),
    "accept": ("Accept", "Accepter"),
    "reject": ("Reject", "Rejeter"),
    "apply": ("Apply", "Appliquer"),
    "start": ("Start", "Début"),
    "end": ("End", "Fin"),
    "type": ("Type", "Type"),
    "decision": ("Decision", "Décision"),
    "hours": ("Hours", "Heures"),
    "disputed_ht": ("At stake (€ HT)", "En jeu (€ HT)"),
    "committed_down": ("Committed down (Mbit/s)", "Garanti descendant (Mbit/s)"),
    "p95_down": ("p95 down (Mbit/s)", "p95 descendant (Mbit/s)"),
    "committed_up": ("Committed up (Mbit/s)", "Garanti montant (Mbit/s)"),
    "p95_up": ("p95 up (Mbit/s)", "p95 montant (Mbit/s)"),
    "share_80": ("≥ 80 % of committed", "≥ 80 % du garanti"),
    "episodes": ("Saturation episodes", "Épisodes de saturation"),
    "status": ("Status", "Statut"),
    "computed_ht": ("Computed € HT", "Calculé € HT"),
    "recomputed_ht": ("Recomputed € HT", "Recalculé € HT"),
    "period": ("Month", "Mois"),
    "scheduled_h": ("Scheduled (h)", "Temps requis (h)"),
    "excluded_h": ("Excluded (h)", "Exclu (h)"),
    "unknown_h": ("Unknown (h)", "Inconnu (h)"),
    "micro": ("Micro-outages", "Micro-coupures"),
    "tier": ("Tier %", "Palier %"),
    "total_ht": ("Total € HT", "Total € HT"),
    "exact": ("Exact value", "Valeur exacte"),
    "parameter": ("Parameter", "Paramètre"),
    "value": ("Value", "Valeur"),
    "holidays": ("Public holidays in the month", "Jours fériés du mois"),
    "capacity_none": (
        "No traffic measured for this contract's links in the month.",
        "Aucun trafic mesuré sur les liens de ce marché ce mois-ci.",
    ),
    "capacity_measured": ("links measured", "liens mesurés"),
    "method_text": (
        "Figures computed by Menhir's SLA engine from the evaluation file stored with this "
        "version (rules R1–R14 of the contract's service-level annex; docs/sla.md). Availability "
        "is (required − downtime) / required time, unknown time presumed available; "
        "percentages are truncated to 3 decimals, never rounded up; money is rounded half-up "
        "to the cent, line by line, monthly cap then contract cap (10 %) applied.",
        "Chiffres calculés par le moteur SLA de Menhir à partir du fichier d'évaluation conservé "
        "avec cette version (règles R1 à R14 de l'annexe de qualité de service ; docs/sla.md). "
        "La disponibilité est (temps requis − indisponibilité) / temps requis, le temps inconnu "
        "étant présumé disponible ; pourcentages tronqués à 3 décimales, jamais arrondis "
        "au-dessus ; montants arrondis au centime le plus proche (demi supérieur), ligne à "
        "ligne, puis plafond mensuel et plafond du marché (10 %).",
    ),
    # values
    "availability_type": ("availability", "disponibilité"),
    "gtr_type": ("GTR", "GTR"),
    "gti_type": ("GTI", "GTI"),
    "monthly_cap_type": ("monthly cap", "plafond mensuel"),
    "contract_cap_type": ("contract cap", "plafond du marché"),
    "computed_status": ("computed", "calculée"),
    "proposed_status": ("proposed", "proposée"),
    "notified_status": ("notified", "notifiée"),
    "upheld_status": ("upheld", "maintenue"),
    "changed_status": ("changed", "modifiée"),
    "waived_status": ("waived", "abandonnée"),
    "applied_status": ("applied", "appliquée"),
}


def label(key: str, lang: str = "en") -> str:
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "fr" and pair[1] else pair[0]


def labels_for(lang: str) -> dict[str, str]:
    """All labels of one language (for templates: `{{ t.summary }}`)."""
    return {key: label(key, lang) for key in LABELS}


def language(value: str | None) -> str:
    return value if value in LANGUAGES else "en"
