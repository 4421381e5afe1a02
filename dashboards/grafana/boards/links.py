"""SQL fragments naming interfaces by what they carry: conditions on the samples' alias `s`."""

from __future__ import annotations

# Backbone links are read on their A end; access links on the CPE uplink (the A end), as
# metrics.queries does: down = what the CPE receives (in_bps).
BACKBONE = (
    "s.interface_id IN (SELECT a_interface_id FROM inventory_link"
    " WHERE role = 'backbone' AND status = 'active' AND a_interface_id IS NOT NULL)"
)
ACCESS_WITH_COMMITMENT = (
    "s.interface_id IN (SELECT a_interface_id FROM inventory_link"
    " WHERE role <> 'backbone' AND a_interface_id IS NOT NULL"
    " AND (committed_down_bps > 0 OR committed_up_bps > 0))"
)
POP_ACCESS = (
    "s.interface_id IN (SELECT l.a_interface_id FROM inventory_link l"
    " JOIN inventory_interface z ON z.id = l.z_interface_id"
    " JOIN inventory_device d ON d.id = z.device_id"
    " WHERE d.pop_id = $pop AND l.role <> 'backbone' AND l.a_interface_id IS NOT NULL)"
)
ESTABLISHMENT_ACCESS = (
    "s.interface_id IN (SELECT a_interface_id FROM inventory_link"
    " WHERE establishment_id = $establishment AND role <> 'backbone'"
    " AND a_interface_id IS NOT NULL)"
)

# Conditions on the probes' alias `s` (dashboards.grafana.resolution.probe_source).
ESTABLISHMENT_PROBED = (
    "s.link_id IN (SELECT id FROM inventory_link"
    " WHERE establishment_id = $establishment AND role <> 'backbone')"
)
ACCESS_PROBED = "s.link_id IN (SELECT id FROM inventory_link WHERE role <> 'backbone')"
