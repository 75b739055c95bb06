-- Storing an audit run wrote each finding into this index at a random place (fingerprints come in no order), a
-- page write per finding and most of the run's write-ahead log; no query reads it (the previous run is read along
-- its ids: src/services/audit-store.ts).
DROP INDEX `findings_fingerprint_idx`;
