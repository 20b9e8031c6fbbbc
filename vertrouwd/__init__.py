"""The composition root: the `vertrouwd` command wires settings, web, workers and the domain."""
