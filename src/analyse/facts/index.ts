export type { AiTrainingFacts, PlanFact, OptOutSteps, TrainingException, TrainingDefault, Surface, ExceptionKind, FactProvision, FactOptions } from './types.ts';
export { extractAiTrainingFacts, OTHER_PLANS_NAME, ALL_PLANS_NAME } from './extract.ts';
export { extractOptOutSteps, isInstruction } from './steps.ts';
export { repairGlue, splitSentences } from './text.ts';
export { planRecogniser } from './plans.ts';
export { gradePlatform, GRADE_WEIGHTS, GRADE_THRESHOLDS } from './grade.ts';
export type { ClauseCounts, GradeExtras, Grade, PlatformGrade } from './grade.ts';
