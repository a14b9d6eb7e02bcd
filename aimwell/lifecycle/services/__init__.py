"""The only writers of the life-cycle app; every write records an audit event."""
