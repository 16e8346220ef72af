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
export { CONTENT_KINDS, LEAF_VERSION, leafData, recordLeafHash, recordTime, sha256Hex, validateRecord } from './leaf.ts';
export type { ContentKind, EvidenceRecord, RecordValidation } from './leaf.ts';
export { keyId, loadKey, loadOrCreateKey, parseVerifierKey, rawPublicKey, toPublicKey, verifierKey } from './keys.ts';
export type { KeyPair, LoadedKey } from './keys.ts';
export { isValidKeyName, parseNote, signNote, verifyNote } from './note.ts';
export type { NoteParse, NoteSignature, NoteVerification, ParsedNote } from './note.ts';
export { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint.ts';
export type { Checkpoint, CheckpointInput, CheckpointParse, CheckpointVerification, ParsedCheckpoint } from './checkpoint.ts';
export { BUNDLE_FORMAT, buildBundle, verifyBundle } from './bundle.ts';
export type { BuildBundleInput, BundleCheck, BundleVerification, EvidenceBundle, VerifyBundleOptions } from './bundle.ts';
