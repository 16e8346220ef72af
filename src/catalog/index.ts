// Public face of the catalogue: declarations in, normalised PlatformDeclarations out.
export { loadCatalog, loadDeclarationFile, fromData, DECLARATION_EXTENSIONS } from './load.ts';
export { rulesAt } from './rules-at.ts';
export { DeclarationError, CatalogError, type DeclarationIssue } from './errors.ts';
export {
  DOCUMENT_TYPES,
  documentTypeIds,
  getDocumentType,
  isDocumentType,
  otaTypeToDocumentType,
  type DocumentType,
  type OtaTypeMapping,
} from './document-types.ts';
export { DECLARATION_SCHEMA, schemaIssues } from './schema.ts';
export { regexProblem } from './regex-safety.ts';
export { selectorProblem } from './selectors.ts';
