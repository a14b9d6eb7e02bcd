"""The only writers of the risks app; every write records an audit event."""
