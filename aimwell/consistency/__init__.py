"""The pre-audit check: small named rules over the registers that find the contradictions a
certification auditor would find (dates out of order, statements that the data contradicts, gaps
in coverage), each citing the clause or article it protects."""
