// Public API of the extraction stage.
export { extractMarkdown, type ExtractOptions, type Extraction } from './extract.ts';
export { normaliseForComparison } from './normalise.ts';
export { assessExtraction, detectBotWall, visibleTextLength } from './quality.ts';
export { SelectorError } from './select.ts';
export { BUILT_IN_DROPPED_PARAMS } from './urls.ts';
export { decodeCfEmail } from './cfemail.ts';
