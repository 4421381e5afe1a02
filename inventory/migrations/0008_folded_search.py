"""Search that ignores case and accents (common.search): PostgreSQL's `unaccent` and
`pg_trgm` extensions, an IMMUTABLE `menhir_fold(text)` (lower-case, unaccented) that indexes may
use, and trigram indexes on the names searched most: establishments and communes.

Creating an extension needs a superuser or the database's owner with PostgreSQL ≥ 13 (both are
trusted extensions); the embedded server and CI's are.
"""

from django.db import migrations

FOLD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION menhir_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
CREATE INDEX IF NOT EXISTS inventory_establishment_name_folded
    ON inventory_establishment USING gin (menhir_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS inventory_commune_name_folded
    ON inventory_commune USING gin (menhir_fold(name) gin_trgm_ops);
"""

UNFOLD = """
DROP INDEX IF EXISTS inventory_commune_name_folded;
DROP INDEX IF EXISTS inventory_establishment_name_folded;
DROP FUNCTION IF EXISTS menhir_fold(text);
"""


class Migration(migrations.Migration):
    dependencies = [("inventory", "0007_snmp_profile_allowed_networks")]

    operations = [migrations.RunSQL(FOLD, UNFOLD)]
