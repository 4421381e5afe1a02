"""Pure SLA maths (docs/sla.md): no Django, no settings; plain typed data in, plain data out."""
