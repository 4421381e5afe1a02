"""Pure SLA maths (SLA.md): no Django, no settings; plain typed data in, plain data out."""
