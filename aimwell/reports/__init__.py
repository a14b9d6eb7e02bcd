"""Reports an auditor asks for, built as pure functions from querysets to bytes: the
certification pack (PDF and xlsx) with its evidence index and checksums."""
