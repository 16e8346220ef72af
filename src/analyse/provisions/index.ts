export type { Provision, ProvisionKind } from './types.ts';
export { splitProvisions, sectionKey } from './split.ts';
export { matchProvisions, SIMILARITY_THRESHOLD } from './match.ts';
export type { ProvisionMatch, ProvisionPair } from './match.ts';
export { traceProvisions } from './history.ts';
export type { ProvisionHistory, ProvisionVersion } from './history.ts';
export { visibleText, keyText, templateText, tokens, dice, headingText, stripEnumeration } from './normalise.ts';
