"""The domain of vertrouwd: rules, models and services; no web, queue or mail IO."""
