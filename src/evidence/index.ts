// The evidence layer's public surface: import from here rather than from the individual files.

export { canonicalJson } from './canonical-json.ts';
export type { CanonicalValue } from './canonical-json.ts';
export {
  checkConsistency,
  consistencyProof,
  emptyRoot,
  foldSubtrees,
  HASH_SIZE,
  inclusionProof,
  leafHash,
  nodeHash,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';
export type { ConsistencyCheck, LeafHashSource, RootComputation } from './merkle.ts';
export { completeSubtrees, consistencyRanges, inclusionRanges, splitPoint } from './tree-shape.ts';
export type { LeafRange, NodeKey } from './tree-shape.ts';
export { MemoryNodeStore } from './node-store.ts';
export type { MaybePromise, NodeStore, StoredNode } from './node-store.ts';
export { MerkleLog } from './log.ts';
export type { AppendResult } from './log.ts';
export { CONTENT_KINDS, LEAF_VERSION, leafData, parseLeafData, recordLeafHash, recordTime, sha256Hex, validateRecord } from './leaf.ts';
export type { ContentKind, EvidenceRecord, RecordValidation } from './leaf.ts';
export { keyId, loadKey, loadOrCreateKey, parseVerifierKey, rawPublicKey, toPublicKey, verifierKey } from './keys.ts';
export type { KeyPair, LoadedKey } from './keys.ts';
export { isValidKeyName, parseNote, signNote, verifyNote } from './note.ts';
export type { NoteParse, NoteSignature, NoteVerification, ParsedNote } from './note.ts';
export { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint.ts';
export type { Checkpoint, CheckpointInput, CheckpointParse, CheckpointVerification, ParsedCheckpoint } from './checkpoint.ts';
export { BUNDLE_FORMAT, buildBundle, verifyBundle } from './bundle.ts';
export type { BuildBundleInput, BundleCheck, BundleVerification, EvidenceBundle, VerifyBundleOptions } from './bundle.ts';
export { parseCertificates, requestTimestamp, timestampRequest, verifyTimestampToken } from './timestamp.ts';
export type { TimestampInfo, TimestampVerification } from './timestamp.ts';

// Store-backed parts: the log in the database, checkpoints, bundles from records, verification.
export { DEFAULT_ORIGIN, evidenceConfig, loadPublicKey, loadSigner } from './config.ts';
export type { EvidenceConfig, LogSigner } from './config.ts';
export { DbNodeStore } from './db-store.ts';
export { appendCaptureToLog, appendToLog, dbLog, leafOf, logSize, logTimer } from './db-log.ts';
export type { LeafRow, LogEntry, LoggedLeaf } from './db-log.ts';
export { captureRecords, logKind, logKinds, registerLogKind, snapshotKind, versionKind } from './log-kinds.ts';
export type { LogKind } from './log-kinds.ts';
export { backfillLog, pendingBackfill } from './backfill.ts';
export { checkpointAfterRun, getCheckpoint, latestCheckpoint, listCheckpoints, makeCheckpoint, proveConsistency, timestampOptions } from './checkpoint-store.ts';
export type { AfterRunResult, ConsistencyResult, MadeCheckpoint, MakeCheckpointOptions, StoredCheckpoint } from './checkpoint-store.ts';
export { afterJob } from './after-run.ts';
export { exportEvidence, ExportError } from './export.ts';
export type { ExportResult } from './export.ts';
export { verifyLog } from './verify-log.ts';
export type { LogProblem, LogVerifyReport, VerifyLogOptions } from './verify-log.ts';

// Archives, Memento and citations.
export { parseWaybackTimestamp, waybackTimestamp, waybackUrl } from './archive.ts';
export { archiveCaptures, archivedCapture, pollSpn, savePages, submitSpn } from './save-page-now.ts';
export type { SpnOptions, SpnResult } from './save-page-now.ts';
export { httpDate, mementoHeaders, parseHttpDate, selectMemento, timeGate, timeMap } from './memento.ts';
export type { Memento, TimeGateAnswer } from './memento.ts';
export { bibtex, bluebook, CITATION_FORMATS, cslJson, formatCitation, plainText, ris } from './citation.ts';
export type { CitationFormat, CitationSource } from './citation.ts';
export { citationSource, documentMementos, logEntryOf, RecordNotFound } from './record-sources.ts';
export type { DeclaredUrl, LogEntryInfo } from './record-sources.ts';
