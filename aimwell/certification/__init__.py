"""The certification journey (stage 7): the certification body, stage 1 and 2 audits, external
findings, the certificate and its three-year cycle, and the external auditor's workspace."""
