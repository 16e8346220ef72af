// Data, not code: the vocabulary the AI-training fact extractor recognises. Extend these lists to teach it
// new providers' wording; extract.ts only interprets them.

/** Canonical plan name → the words that name it (case-sensitive: "Team" is a plan, "team" is staff). */
export const PLAN_WORDS: { plan: string; words: string[] }[] = [
  { plan: 'Free', words: ['Free'] },
  { plan: 'Basic', words: ['Basic'] },
  { plan: 'Starter', words: ['Starter'] },
  { plan: 'Personal', words: ['Personal', 'Individual'] },
  { plan: 'Plus', words: ['Plus'] },
  { plan: 'Premium', words: ['Premium'] },
  { plan: 'Pro', words: ['Pro'] },
  { plan: 'Max', words: ['Max'] },
  { plan: 'Ultra', words: ['Ultra'] },
  { plan: 'Student', words: ['Student', 'Students'] },
  { plan: 'Education', words: ['Education', 'Edu'] },
  { plan: 'Team', words: ['Team', 'Teams'] },
  { plan: 'Business', words: ['Business'] },
  { plan: 'Enterprise', words: ['Enterprise'] },
  { plan: 'Developer', words: ['Developer', 'Developers'] },
  { plan: 'Experiment', words: ['Experiment'] },
  { plan: 'Scale', words: ['Scale'] },
  { plan: 'API', words: ['API'] },
];

/** Product names that make the plan word after them a plan ("le Chat Pro", "ChatGPT Team"). */
export const PRODUCT_NAMES = [
  'le Chat', 'Le Chat', 'ChatGPT', 'Claude', 'Gemini', 'Copilot', 'Perplexity', 'Grok', 'Meta AI', 'Mistral AI',
  'Mistral', 'Microsoft 365', 'Google Workspace', 'Midjourney', 'Cursor', 'Windsurf', 'Notion', 'Slack', 'Zoom',
];

/** Nouns that make the plan word before them a plan ("Scale plan", "Free users", "API customers"). */
export const PLAN_NOUNS =
  'plans?|tiers?|subscriptions?|subscribers?|accounts?|users?|customers?|members?|workspaces?|editions?|licen[cs]es?|offerings?|organi[sz]ations?|orgs?|seats?|versions?';

/** "API" names a plan only in these shapes; "API calls", "API services" are not plans. */
export const API_AS_PLAN = /\b(?:the|our|its)\s+API\b(?!\s+(?:calls?|services?|requests?|data|keys?|endpoints?|documentation|terms|usage|traffic|access))|\bAPI\s+(?:plans?|tiers?|customers?|users?|platform|accounts?|subscriptions?)\b/;

/** Plans the sentence does not name but points to. */
export const OTHER_PLANS = /\b(?:all\s+)?other\s+(?:\w+\s+)?(?:plans|tiers|subscriptions|subscription\s+plans|accounts|products)\b|\busers\s+of\s+other\b/i;

/** A sentence is about model training only if it says so. "Improve our services" alone is not training. */
export const TRAINING_TOPIC =
  /\btrain(?:s|ed|ing)?\b|\bmachine[- ]learning\b|\bimprove\s+(?:\S+\s+){0,3}(?:models?|AI|artificial intelligence|classifiers?)\b|\bmodel\s+(?:training|improvement)\b|\bimprove\s+the\s+model\b/i;

export type Cue = { id: string; re: RegExp };

/** "never" is a promise, stronger than a default. */
export const NEVER_CUES: Cue[] = [
  { id: 'will-never', re: /\b(?:will|shall|would)?\s*never\s+(?:be\s+)?(?:use[sd]?|train(?:ed)?|shared?)\b/i },
  { id: 'not-and-will-not', re: /\b(?:do|does)\s+not\s+and\s+will\s+not\b/i },
  { id: 'under-no-circumstances', re: /\bunder\s+no\s+circumstances?\b/i },
  { id: 'no-content-is-ever-used', re: /\b(?:no|nothing|none)\b[^.;]{0,80}?\b(?:is|are|will\s+be)\s+ever\s+used\b/i },
  { id: 'never-part-of', re: /\bnever\s+(?:part\s+of|included\s+in|enrolled\s+in|added\s+to)\b/i },
];

/** Data is not used for training (by default, or at all but without a "never" promise). */
export const OFF_CUES: Cue[] = [
  { id: 'opted-out-by-default', re: /\bopted[- ]?out\s+of\s+(?:\S+\s+){0,3}?training\s+by\s+default\b/i },
  { id: 'excluded-by-default', re: /\b(?:excluded|exempt)\s+from\s+(?:\S+\s+){0,3}?training\b/i },
  { id: 'do-not-use', re: /\b(?:do|does|will|shall)\s+not\s+(?:use|train\s+on|train)\b|\b(?:don[’']t|doesn[’']t|won[’']t)\s+(?:use|train)\b/i },
  { id: 'not-used', re: /\b(?:is|are)\s+not\s+used\b|\b(?:will\s+not|won[’']t|shall\s+not)\s+be\s+used\b|\bnot\s+(?:be\s+)?used\s+(?:to|for)\s+(?:\S+\s+){0,3}?(?:train|training|improve)/i },
  { id: 'off-by-default', re: /\b(?:off|disabled)\s+by\s+default\b|\bby\s+default,?\s+(?:we\s+)?(?:do\s+not|don[’']t|will\s+not|won[’']t)\b/i },
  { id: 'nothing-is-used', re: /\b(?:nothing|none)\s+(?:\S+\s+){0,6}?(?:is|are|will\s+be|gets?)\s+(?:ever\s+)?used\b/i },
  { id: 'not-added', re: /\bnot\s+(?:be\s+)?(?:added|included|fed)\s+(?:to|in(?:to)?)\b/i },
  { id: 'kept-out-of', re: /\b(?:kept|left|stays?)\s+out\s+of\b|\b(?:is|are)\s+outside\s+(?:of\s+)?(?:the\s+)?[A-Z]/i },
  { id: 'only-if-opt-in', re: /\bonly\s+(?:if|when)\s+you\s+(?:opt[- ]?in|choose\s+to|explicitly)\b/i },
];

/** Data is used for training by default. */
export const ON_CUES: Cue[] = [
  { id: 'will-use-to-train', re: /\b(?:will|may|might|can|could)\s+(?:also\s+)?use\b[^.;]{0,140}?\b(?:to\s+(?:help\s+)?(?:train|improve|develop)|for\s+(?:\S+\s+){0,2}?(?:training|model\s+improvement))/i },
  { id: 'keep-and-use-to-train', re: /\b(?:will|may|might|can|could)\s+(?:keep|store|retain|save|review)\b[^.;]{0,80}?\band\s+use\s+(?:it|them|this|these|that)\s+to\s+(?:help\s+)?(?:train|improve|develop)/i },
  { id: 'we-use-to-train', re: /\bwe\s+(?:use|train\s+on|process)\b[^.;]{0,140}?\b(?:to\s+(?:help\s+)?(?:train|improve\s+(?:\S+\s+){0,2}?models?)|for\s+(?:\S+\s+){0,2}?training)/i },
  { id: 'is-used-to-train', re: /\b(?:is|are|(?:may|will|can|might|could)(?:\s+(?:also|therefore|then|still|continue\s+to))?\s+be|gets?)\s+(?:\w+(?:\s+[^\s.;]+){0,5}?\s+and\s+)?used\s+(?:to|for)\s+(?:\S+\s+){0,3}?(?:train|training|improve)/i },
  { id: 'on-by-default', re: /\b(?:on|enabled)\s+by\s+default\b|\bby\s+default,?\s+(?:we\s+)?(?:use|train|include)\b/i },
  { id: 'have-not-opted-out', re: /\b(?:have\s+not|haven[’']t|did\s+not|didn[’']t)\s+opted?[- ]?out\b/i },
  { id: 'enrolled-automatically', re: /\b(?:enrolled|included|opted\s+in|signed\s+up)\s+(?:in(?:to)?\s+)?(?:\S+\s+){0,4}?(?:automatically|by\s+default)\b|\bautomatically\s+(?:enrolled|included|opted\s+in)\b/i },
];

/** An opt-out exists. On its own it also implies training is on by default. */
export const OPT_OUT_CUES: Cue[] = [
  { id: 'unless-you-opt-out', re: /\bunless\s+you\s+(?:opt[- ]?out|turn\s+(?:it\s+|this\s+|that\s+)?off|disable|switch\s+(?:it\s+)?off|deselect|uncheck)/i },
  { id: 'may-opt-out', re: /\b(?:may|can|could|are\s+able\s+to)\s+(?:choose\s+to\s+|always\s+)?(?:opt[- ]?out|(?:turn|switch)\s+(?:(?:it|this|that)\s+)?(?:back\s+)?off|disable|leave|exit|withdraw\s+(?:\S+\s+){0,3}?from|stop\s+contributing)\b/i },
  { id: 'may-wish-to-opt-out', re: /\bmay\s+wish\s+to\s+opt[- ]?out\b/i },
  { id: 'have-not-opted-out', re: /\b(?:have\s+not|haven[’']t|did\s+not|didn[’']t)\s+opted?[- ]?out\b/i },
  { id: 'right-to-opt-out', re: /\bright\s+to\s+opt[- ]?out\b/i },
  { id: 'may-stop-use', re: /\b(?:may|can|could)\s+(?:always\s+)?stop\s+(?:\S+\s+){0,4}?(?:from\s+)?(?:being\s+used|using)\b/i },
  { id: 'by-switching-off', re: /\bby\s+(?:switching|turning|toggling)\s+off\b|\bby\s+(?:disabling|unchecking|unticking|deselecting)\b/i },
  { id: 'to-opt-out', re: /(?:^|[.;:]\s*)to\s+(?:opt[- ]?out|turn\s+(?:this|it)\s+off|stop\s+(?:this|training|contributing)|leave|exit)(?:\s+[^\s,]+){0,3}?\s*,/i },
];

/** No opt-out. */
export const NO_OPT_OUT_CUES: Cue[] = [
  { id: 'cannot-opt-out', re: /\b(?:cannot|can[’']t|can\s+not|are\s+unable\s+to|is\s+not\s+possible\s+to)\s+(?:currently\s+)?(?:opt[- ]?out|(?:turn|switch)\s+(?:this\s+|it\s+|that\s+)?off|disable|leave)\b/i },
  { id: 'cannot-be-opted-out', re: /\bcan(?:not|[’']t|\s+not)\s+be\s+(?:opted[- ]?out|switched\s+off|turned\s+off|excluded)\b/i },
  { id: 'no-way-to-opt-out', re: /\bno\s+(?:way|option|ability|setting)\s+to\s+(?:opt[- ]?out|turn\s+(?:this\s+|it\s+)?off|disable)\b/i },
];

/** Words that introduce exceptions to a "we do not train" statement. */
export const EXCEPT_RE = /\b(?:except|other\s+than|unless|save\s+where|apart\s+from)\b/i;
/** Words that mark a sentence as stating an exception to an opt-out or default-off. */
export const EXCEPTION_FRAME = /\b(?:except|unless|even\s+if|even\s+when|even\s+after|regardless|however|but|still|in\s+which\s+case|when\s+you\s+provide|if\s+you\s+(?:give|provide|submit|choose\s+to\s+share))\b/i;

export const EXCEPTION_KINDS: { kind: string; title: string; re: RegExp }[] = [
  { kind: 'feedback', title: 'feedback you give', re: /\bfeedback\b|\bthumbs[- ]?(?:up|down)\b|\brat(?:ings?|ed)\b|\brat(?:e|ing)\s+(?:a|an|the|our|any)\s+\w+|\bsuggested\s+edits?\b/i },
  { kind: 'flagged-content', title: 'content flagged by moderation', re: /\bflagged\b|\bflags?\s+(?:\S+\s+){0,4}?(?:as|for)\b|\breport(?:s|ed|ing)?\s+(?:(?:a|an|the|your|this|it)\s+)?(?:\w+\s+)?(?:as|for)\s+(?:breaking|breach|violat|abus|harm|prohibited)|\breported\s+(?:as|for)\b|\b(?:trust\s+(?:and|&)\s+)?safety\s+review\b|\bviolat\w*\s+(?:of\s+)?(?:our\s+|the\s+)?(?:usage|acceptable\s+use|content)\s+polic/i },
  { kind: 'opt-in', title: 'data you explicitly opt in to share', re: /\bopt(?:s|ed|ing)?[- ]?in\b|\bexplicitly\s+(?:agreed?|consent(?:ed)?|chose|choose)\b|\byour\s+(?:explicit\s+|prior\s+)?(?:permission|consent)\b/i },
  { kind: 'legal-obligation', title: 'data needed to comply with law', re: /\brequired\s+(?:to\s+do\s+so\s+)?by\s+(?:applicable\s+)?law\b|\blegal\s+obligations?\b/i },
];

/** Headings (or intro sentences) that announce opt-out instructions. */
export const OPT_OUT_HEADING =
  /\b(?:opt(?:ing)?[- ]?out|turn(?:ing)?\s+off|disabl(?:e|ing)|stop(?:ping)?|exclud(?:e|ing)|prevent(?:ing)?)\b[^]*?\b(?:train(?:ing)?|models?|data\s+(?:sharing|controls|usage|use))\b|\b(?:training|model\s+improvement)\b[^]*?\b(?:opt[- ]?out|off|settings|controls|preferences)\b/i;
export const STEPS_INTRO = /\b(?:opt[- ]?out|turn\s+off|disable)\b[^.]*?\b(?:follow(?:ing)?|steps?|procedure|as\s+follows|below|how\s+to)\b|\b(?:procedure|steps?)\b[^.]*?\b(?:as\s+follows|below)\b/i;

/**
 * The user, not the provider, is the one restricted: "you may not use Outputs to train models", "You agree
 * not to …", "Restricted uses. You will not:". Such sentences say nothing about the provider's training.
 */
export const USER_RESTRICTION =
  /\byou\s+(?:may|will|shall|must|should)\s+not\s+(?!opt|turn|disable|be\s+able)|\byou\s+(?:won[’']t|mustn[’']t|shan[’']t)\b|\byou\s+agree\s+(?:not\s+to|that\s+you\s+will\s+not)\b|\byou\s+do\s+not\s+(?:use|modify|copy|access|scrape)\b|\b(?:is|are)\s+(?:strictly\s+)?prohibited\b|\bnot\s+(?:permitted|allowed)\s+to\b|\brestricted\s+uses?\b|\byou\s+(?:represent\s+and\s+warrant|undertake)\s+that\s+you\s+will\s+not\b/i;
/** A lead-in that ends with a colon and restricts the user: the list after it is a list of prohibitions. */
export const RESTRICTION_LEAD_IN = new RegExp(`(?:${USER_RESTRICTION.source})[^]*:\\s*$`, 'i');

/** First words of an instruction. */
export const IMPERATIVE_VERBS = [
  'open', 'select', 'click', 'tap', 'go', 'navigate', 'choose', 'disable', 'deselect', 'uncheck', 'untick', 'toggle',
  'turn', 'switch', 'sign', 'log', 'visit', 'press', 'scroll', 'find', 'locate', 'confirm', 'save', 'enter', 'access',
  'head', 'expand', 'clear', 'set', 'change', 'slide', 'move', 'launch', 'return', 'submit', 'check', 'hover',
  'type', 'pick', 'send', 'write', 'include', 'email', 'e-mail', 'use the', 'use your',
];

/** Which surface a block of instructions is for, judged from its heading and introduction. */
export const SURFACE_CUES = {
  api: /\bAPI\b|\bStudio\b|\b[Dd]eveloper\s+(?:platform|console|portal)\b|\b[Pp]latform\s+console\b/,
  ios: /\biOS\b|\biPhone\b|\biPad\b/,
  android: /\bAndroid\b/,
  other: /\b(?:desktop\s+apps?|browser\s+extensions?|extensions?\s+for\s+(?:Chrome|Firefox|Edge|Safari)|add-?ons?|plug-?ins?|Windows|macOS|smart\s+TVs?|bot|by\s+e-?mail|e-?mail\s+us|form)\b/i,
  mobile: /\bmobile\b|\b(?<!(?:web|desktop)\s)app\b|\bapps\b|\bphones?\b|\btablets?\b/i,
  web: /\bweb\b|\bbrowser\b|\bdesktop\b|\bwebsite\b|\bAdmin\s+Console\b|\bweb\s+app\b|\bon\s+the\s+site\b/i,
};
