"""The network as a networkx graph: discovery, single points of failure, outage impact, maps."""
